import { Readable } from 'node:stream';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { Papa } from '../csv/papaparse';
import type { SourceRow } from './prepare';

/** Called for each row; when it returns a promise, reading pauses until it settles. */
export type OnRow = (row: SourceRow) => void | Promise<void>;

/**
 * Reads the CSV file in each item's binary property row by row, as a stream: the file is
 * never held as rows in memory whole. The file is plain RFC 4180 CSV as spreadsheets and HR
 * systems write it (a backslash is a backslash); its header row names the Vault columns. Each
 * row keeps the index of the item that carried the file and its own row number, for messages
 * and pairing. It can be called again to read the same rows again (n8n's binary data does not
 * change under a run).
 */
export async function streamCsvFileRows(
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
		const input = binary.id ? await fx.helpers.getBinaryStream(binary.id) : base64Stream(binary.data);
		await parseCsv(input, (fields, rowNumber) => onRow({ itemIndex, rowNumber, fields }));
	}
}

/** All rows of the files, for the paths that need them together (per-item output, Migrate's grouping). */
export async function readCsvFileRows(
	fx: IExecuteFunctions,
	binaryPropertyName: string,
	itemCount: number,
	itemProblems: Map<number, string>,
): Promise<SourceRow[]> {
	const rows: SourceRow[] = [];
	await streamCsvFileRows(fx, binaryPropertyName, itemCount, itemProblems, (row) => {
		rows.push(row);
	});
	return rows;
}

/** base64 characters decoded per piece: a multiple of 4, so every piece decodes on its own (48 KiB) */
const BASE64_PIECE = 65_536;

/**
 * The bytes of base64 text as a stream, decoded one piece at a time. Parsing the whole file as
 * one string made every pause (one per batch) cost papaparse work over the rest of the file:
 * a 1,000,000-row file took minutes; in pieces each pause costs at most one piece. Text with
 * anything but base64 letters (line breaks, base64url) is decoded whole, as Buffer does.
 */
export function base64Stream(base64: string): Readable {
	if (/[^A-Za-z0-9+/=]/.test(base64)) return Readable.from([Buffer.from(base64, 'base64')], { objectMode: false });
	let at = 0;
	return new Readable({
		read() {
			if (at >= base64.length) {
				this.push(null);
				return;
			}
			const end = Math.min(base64.length, at + BASE64_PIECE);
			this.push(Buffer.from(base64.slice(at, end), 'base64'));
			at = end;
		},
	});
}

/** Parses CSV text or a byte stream row by row, header row first; exported for its unit test. */
export function parseCsv(
	input: NodeJS.ReadableStream | string,
	onRow: (fields: IDataObject, rowNumber: number) => void | Promise<void>,
): Promise<void> {
	// decoded by the stream, so a character split across two chunks stays whole (papaparse
	// would decode each chunk on its own and garble it)
	if (typeof input !== 'string') input.setEncoding('utf8');
	let rowNumber = 1; // the header is row 1, as a spreadsheet numbers it
	return new Promise((resolve, reject) => {
		let failed = false;
		Papa.parse<Record<string, string>>(input as unknown as File, {
			header: true,
			skipEmptyLines: 'greedy',
			transformHeader: (header) => header.replace(/^\uFEFF/, '').trim(),
			step: (result, parser) => {
				if (failed) return;
				rowNumber++;
				const pending = onRow(result.data, rowNumber);
				if (!pending) return;
				parser.pause();
				pending.then(
					() => parser.resume(),
					(error: unknown) => {
						failed = true;
						parser.abort();
						reject(error);
					},
				);
			},
			complete: () => {
				if (!failed) resolve();
			},
			error: (error) => reject(error),
		});
	});
}
