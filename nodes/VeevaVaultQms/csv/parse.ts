import type { IDataObject } from 'n8n-workflow';

import type { Base64TextStream } from './base64Stream';
import { Papa } from './papaparse';

/**
 * Reading CSV: a file's text, or a stream of it (base64Stream.ts for a file kept in an item), row by
 * row with papaparse, the same bundled engine that writes Vault's CSV. Where the files come from is
 * sources/csvFile.ts.
 */

type CsvInput = NodeJS.ReadableStream | Base64TextStream | string;
type OnCsvRow = (fields: IDataObject, rowNumber: number) => void | Promise<void>;

/**
 * Parses CSV text or a byte stream row by row, header row first; exported for its unit test. Read a
 * piece (chunk) at a time, not a row at a time (papaparse's `step`): a step is an object or two
 * per row more, and each pause of a step costs a copy of the rest of the piece's text. A promise
 * from `onRow` holds the rows after it, and the input, until it settles: the stream is paused too,
 * or it goes on filling papaparse's queue with text (the whole file, kept in an item, at the first
 * batch).
 */
export function parseCsv(input: CsvInput, onRow: OnCsvRow): Promise<void> {
	// decoded by the stream, so a character split across two chunks stays whole (papaparse
	// would decode each chunk on its own and garble it)
	if (typeof input !== 'string') input.setEncoding('utf8');
	const rows = { rowNumber: 1 }; // the header is row 1, as a spreadsheet numbers it
	return new Promise((resolve, reject) => {
		let failed = false;
		Papa.parse<IDataObject>(input as unknown as File, {
			header: true,
			skipEmptyLines: 'greedy',
			transformHeader: (header) => header.replace(/^\uFEFF/, '').trim(),
			chunk: (result, parser) => {
				if (failed) return;
				const pending = handRows(result.data, 0, rows, onRow);
				if (!pending) return;
				parser.pause();
				if (typeof input !== 'string') input.pause();
				pending.then(
					() => {
						parser.resume();
						if (typeof input !== 'string') input.resume();
					},
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

const HANDED: IDataObject = {};

/** The rows of a piece from `from` on, numbered; when one's `onRow` returns a promise, the rest after it settles. */
function handRows(
	data: IDataObject[],
	from: number,
	rows: { rowNumber: number },
	onRow: OnCsvRow,
): Promise<void> | undefined {
	for (let at = from; at < data.length; at++) {
		const fields = data[at];
		// let go of a row handed on: the rest of a piece waits through a batch's request, this row need not
		data[at] = HANDED;
		const pending = onRow(fields, ++rows.rowNumber);
		if (pending) return pending.then(() => handRows(data, at + 1, rows, onRow));
	}
	return undefined;
}
