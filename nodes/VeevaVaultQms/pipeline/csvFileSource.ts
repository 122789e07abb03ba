import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { Papa } from '../csv/papaparse';
import type { SourceRow } from './types';

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
		const input = binary.id ? await fx.helpers.getBinaryStream(binary.id) : new Base64TextStream(binary.data);
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

type Listener = (value?: unknown) => void;

/**
 * The text of a file kept in the item as base64 (n8n's default binary mode), given to papaparse
 * as the Node readable stream it reads ('data', 'end', pause, resume), decoded 48 KiB at a time.
 * As one whole-file string, each pause of papaparse (one per batch) cost it work over the rest of
 * the file: a 1,000,000-row file took minutes, and the decoded copies doubled its memory. A
 * character split between two pieces is decoded whole (TextDecoder's stream mode); base64 with
 * anything but its 64 letters and padding (line breaks, base64url) is decoded in one piece.
 */
export class Base64TextStream {
	readonly readable = true;
	private at = 0;
	private paused = false;
	private scheduled = false;
	private ended = false;
	private readonly decoder = new TextDecoder('utf-8');
	private readonly listeners = new Map<string, Listener[]>();
	private readonly pieceLength: number;

	constructor(private readonly base64: string) {
		// a multiple of 4 base64 characters decodes on its own
		this.pieceLength = /[^A-Za-z0-9+/=]/.test(base64) ? Math.max(base64.length, 1) : 65_536;
	}

	read(): null {
		return null;
	}

	/** it emits UTF-8 text already (TextDecoder), the only encoding parseCsv asks for ('utf8') */
	setEncoding(): this {
		return this;
	}

	on(event: string, listener: Listener): this {
		this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
		this.schedule();
		return this;
	}

	removeListener(event: string, listener: Listener): this {
		this.listeners.set(event, (this.listeners.get(event) ?? []).filter((known) => known !== listener));
		return this;
	}

	pause(): this {
		this.paused = true;
		return this;
	}

	resume(): this {
		this.paused = false;
		this.schedule();
		return this;
	}

	/** flows on a microtask, so every listener is attached first and a resume does not recurse */
	private schedule() {
		if (this.scheduled || this.ended) return;
		this.scheduled = true;
		void Promise.resolve().then(() => {
			this.scheduled = false;
			this.flow();
		});
	}

	private flow() {
		while (!this.paused && this.at < this.base64.length) {
			const end = Math.min(this.base64.length, this.at + this.pieceLength);
			const text = this.decoder.decode(Buffer.from(this.base64.slice(this.at, end), 'base64'), { stream: true });
			this.at = end;
			if (text) this.emit('data', text);
		}
		if (this.paused || this.ended) return;
		this.ended = true;
		const rest = this.decoder.decode();
		if (rest) this.emit('data', rest);
		this.emit('end');
	}

	private emit(event: string, value?: unknown) {
		for (const listener of this.listeners.get(event) ?? []) listener(value);
	}
}

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
