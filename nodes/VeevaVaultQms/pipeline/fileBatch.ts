import { Papa } from '../csv/papaparse';
import { csvRowBytes, type Row } from '../csv/vaultCsv';
import { csvHeaderLine, vaultCsvLine } from '../csv/vaultCsvLine';
import { BatchFiller, type BatchLimits } from './plan';
import type { Batch, PlannedRow } from './types';

/**
 * The batches of a streamed file (twoPass.ts) held as their Vault CSV text, not as row objects:
 * each row is written as its line when it is accepted, so its objects (the parser's fields, the
 * mapped row) die young instead of living through the batch's filling and its request, long
 * enough for V8 to move them to the old generation, where a million rows of them were most of
 * the memory a 1,000,000-row file cost (docs/performance.md, "Memory, issue 26"). A batch keeps
 * its items and CSV row numbers as numbers; its rows are read back from its CSV only when asked
 * (a failed batch's error items, per-row answers), as they were.
 */

/** A batch of a file's rows: its CSV, its rows' items and row numbers, its rows built only when asked. */
export class FileBatch implements Batch {
	private built?: PlannedRow[];

	constructor(
		readonly number: number,
		readonly bytes: number,
		readonly csv: string,
		private readonly header: readonly string[],
		readonly itemIndexes: readonly number[],
		/** -1: none */
		private readonly rowNumbers: readonly number[],
	) {}

	get rows(): PlannedRow[] {
		this.built ??= this.readRows();
		return this.built;
	}

	/** The rows as the mapped rows they were written from: empty values left out (mapRow keeps none), backslashes single. */
	private readRows(): PlannedRow[] {
		const { data } = Papa.parse<string[]>(this.csv, { delimiter: ',', newline: '\r\n' });
		const { header } = this;
		return this.itemIndexes.map((itemIndex, at) => {
			const cells = data[at + 1];
			const row: Row = {};
			for (let column = 0; column < header.length; column++) {
				const value = cells[column] ?? '';
				if (value !== '') row[header[column]] = value.replace(/\\\\/g, '\\');
			}
			const rowNumber = this.rowNumbers[at];
			return {
				itemIndex,
				rowNumber: rowNumber < 0 ? undefined : rowNumber,
				row,
				bytes: csvRowBytes(header, row),
			};
		});
	}
}

/** Fills a file's batches as BatchFiller does (the same limits, so the batches pass 1 counted), each row written as its CSV line. */
export class FileBatchFiller {
	private readonly lines: BatchFiller<string>;
	private readonly headerLine: string;
	private itemIndexes: number[] = [];
	private rowNumbers: number[] = [];

	constructor(
		private readonly header: readonly string[],
		limits: Pick<BatchLimits, 'rowLimit' | 'byteLimit' | 'headerBytes'>,
	) {
		this.lines = new BatchFiller<string>(limits);
		this.headerLine = csvHeaderLine(header);
	}

	/** A row of `bytes` (csvRowBytes); the batch it closed to make room, if any. */
	add(itemIndex: number, rowNumber: number | undefined, row: Row, bytes: number) {
		const closed = this.lines.addOne(vaultCsvLine(this.header, row), bytes);
		this.itemIndexes.push(itemIndex);
		this.rowNumbers.push(rowNumber ?? -1);
		return closed && this.batchOf(closed);
	}

	/** The last batch, if it holds rows. */
	finish(): FileBatch | undefined {
		const closed = this.lines.finish();
		return closed && this.batchOf(closed);
	}

	private batchOf(closed: { number: number; rows: string[]; bytes: number }): FileBatch {
		const count = closed.rows.length;
		const itemIndexes = this.itemIndexes.slice(0, count);
		const rowNumbers = this.rowNumbers.slice(0, count);
		this.itemIndexes = this.itemIndexes.slice(count);
		this.rowNumbers = this.rowNumbers.slice(count);
		// one join: one flat string, as toVaultCsv writes it (header, rows, a line end after each)
		const lines = closed.rows;
		lines.unshift(this.headerLine);
		lines.push('');
		const csv = lines.join('\r\n');
		return new FileBatch(closed.number, closed.bytes, csv, this.header, itemIndexes, rowNumbers);
	}
}

/** How many rows a batch holds, without building the rows of a file's batch. */
export function rowCountOf(batch: Batch): number {
	return batch instanceof FileBatch ? batch.itemIndexes.length : batch.rows.length;
}

/** The item of each row of a batch, in order, without building the rows of a file's batch. */
export function itemIndexesOf(batch: Batch): readonly number[] {
	return batch instanceof FileBatch ? batch.itemIndexes : batch.rows.map((row) => row.itemIndex);
}
