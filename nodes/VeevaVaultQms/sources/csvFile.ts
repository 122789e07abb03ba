import type { IExecuteFunctions } from 'n8n-workflow';

import { Base64TextStream } from '../csv/base64Stream';
import { parseCsv } from '../csv/parse';
import type { OnRow, RowSource } from '../pipeline/types';

/**
 * Bytes of the file read at a time: a piece's rows are parsed together (csv/parse.ts) and live
 * until the last of them is handled, so a piece is kept well under what V8's young generation
 * holds between two collections (~1-2 MB here), or its rows outlive one and are moved to the old
 * generation (docs/performance.md, "Memory, issue 26").
 */
const PIECE_BYTES = 16_384;

/** The CSV files of the items as a row source: streamed, and read again alike, as n8n's binary data does not change under a run. */
export function csvFileSource(
	fx: IExecuteFunctions,
	binaryPropertyName: string,
	itemCount: number,
	itemProblems: Map<number, string>,
): RowSource {
	return {
		streamed: true,
		forEach: async (onRow) =>
			await streamCsvFileRows(fx, binaryPropertyName, itemCount, itemProblems, onRow),
	};
}

/**
 * Reads the CSV file in each item's binary property row by row, as a stream: the file is
 * never held as rows in memory whole. The file is plain RFC 4180 CSV as spreadsheets and HR
 * systems write it (a backslash is a backslash); its header row names the Vault columns. Each
 * row keeps the index of the item that carried the file and its own row number, for messages
 * and pairing. It can be called again to read the same rows again (n8n's binary data does not
 * change under a run).
 */
async function streamCsvFileRows(
	fx: IExecuteFunctions,
	binaryPropertyName: string,
	itemCount: number,
	itemProblems: Map<number, string>,
	onRow: OnRow,
): Promise<void> {
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const problem = itemProblems.get(itemIndex);
		if (problem) {
			await onRow({ itemIndex, fields: {}, problems: [problem] });
			continue;
		}
		const binary = fx.helpers.assertBinaryData(itemIndex, binaryPropertyName);
		// stored out of memory: streamed; kept in the item (n8n's default mode): decoded piece by piece
		const input = binary.id
			? await fx.helpers.getBinaryStream(binary.id, PIECE_BYTES)
			: new Base64TextStream(binary.data, PIECE_BYTES);
		await parseCsv(input, (fields, rowNumber) => onRow({ itemIndex, rowNumber, fields }));
	}
}
