import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { Papa } from '../csv/papaparse';
import type { SourceRow } from './prepare';

/**
 * Rows of the CSV file in each item's binary property, read as a stream so the file is never
 * in memory whole. The file is plain RFC 4180 CSV as spreadsheets and HR systems write it
 * (a backslash is a backslash); its header row names the Vault columns. Each row keeps the
 * index of the item that carried the file and its own row number, for messages and pairing.
 */
export async function readCsvFileRows(
	fx: IExecuteFunctions,
	binaryPropertyName: string,
	itemCount: number,
	itemProblems: Map<number, string>,
): Promise<SourceRow[]> {
	const rows: SourceRow[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const problem = itemProblems.get(itemIndex);
		if (problem) {
			rows.push({ itemIndex, fields: {}, problems: [problem] });
			continue;
		}
		const binary = fx.helpers.assertBinaryData(itemIndex, binaryPropertyName);
		// stored out of memory: streamed; kept in the item (n8n's default mode): already in memory
		const input = binary.id ? await fx.helpers.getBinaryStream(binary.id) : Buffer.from(binary.data, 'base64').toString('utf8');
		await parseCsv(input, (fields, rowNumber) => rows.push({ itemIndex, rowNumber, fields }));
	}
	return rows;
}

function parseCsv(input: NodeJS.ReadableStream | string, onRow: (fields: IDataObject, rowNumber: number) => void): Promise<void> {
	let rowNumber = 1; // the header is row 1, as a spreadsheet numbers it
	return new Promise((resolve, reject) => {
		Papa.parse<Record<string, string>>(input as unknown as File, {
			header: true,
			skipEmptyLines: 'greedy',
			transformHeader: (header) => header.replace(/^\uFEFF/, '').trim(),
			step: (result) => {
				rowNumber++;
				onRow(result.data, rowNumber);
			},
			complete: () => resolve(),
			error: (error) => reject(error),
		});
	});
}
