import type { IDataObject } from 'n8n-workflow';

import type { Base64TextStream } from './base64Stream';
import { Papa } from './papaparse';

/**
 * Reading CSV: a file's text, or a stream of it (base64Stream.ts for a file kept in an item), row by
 * row with papaparse, the same bundled engine that writes Vault's CSV. Where the files come from is
 * sources/csvFile.ts.
 */

/** Parses CSV text or a byte stream row by row, header row first; exported for its unit test. */
export function parseCsv(
	input: NodeJS.ReadableStream | Base64TextStream | string,
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
