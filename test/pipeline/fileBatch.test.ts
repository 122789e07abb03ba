import { toVaultCsv, csvHeaderBytes, csvRowBytes, type Row } from '../../nodes/VeevaVaultQms/csv/vaultCsv';
import { csvHeaderLine, vaultCsvLine } from '../../nodes/VeevaVaultQms/csv/vaultCsvLine';
import { FileBatchFiller, itemIndexesOf, rowCountOf } from '../../nodes/VeevaVaultQms/pipeline/fileBatch';
import { BatchFiller } from '../../nodes/VeevaVaultQms/pipeline/plan';

const HEADER = ['record_id', 'user_id', 'application_role', 'operation'];

/** values toVaultCsv quotes or escapes, and values it leaves alone */
const AWKWARD: Row[] = [
	{ record_id: 'OP4000001', user_id: '100001', application_role: 'qa__c', operation: 'ADD' },
	{ record_id: 'a,b', user_id: 'say "hi"', application_role: 'line\nbreak', operation: 'REMOVE' },
	{ record_id: ' leading', user_id: 'trailing ', application_role: '\tTab\t', operation: 'ADD' },
	{ record_id: 'C:\\dir\\', user_id: '"\\"', application_role: '\uFEFFbom', operation: 'ADD' },
	{ record_id: 'é€ü😀', user_id: '=1+2', application_role: '@x', operation: '-ADD' },
	{ record_id: 'only one' },
];
// (a row without any value never reaches a batch: validation refuses it for its required columns; papaparse writes it
// as an empty line, or as separators when the batch holds a backslash)

describe('vaultCsvLine', () => {
	it('writes each row as toVaultCsv writes it: quotes, line breaks, spaces, backslashes, BOM, missing columns', () => {
		const lines = AWKWARD.map((row) => vaultCsvLine(HEADER, row));
		expect([csvHeaderLine(HEADER), ...lines, ''].join('\r\n')).toBe(toVaultCsv(HEADER, AWKWARD));
		// row by row too: the backslash rule of toVaultCsv is per batch, the line's per value
		for (const row of AWKWARD) expect(`${csvHeaderLine(HEADER)}\r\n${vaultCsvLine(HEADER, row)}\r\n`).toBe(toVaultCsv(HEADER, [row]));
	});

	it('quotes a header name as papaparse does', () => {
		const header = ['a b ', 'x,y', 'plain'];
		expect(csvHeaderLine(header)).toBe('"a b ","x,y",plain');
		expect(toVaultCsv(header, [{}]).split('\r\n')[0]).toBe(csvHeaderLine(header));
	});
});

describe('FileBatchFiller', () => {
	const rowOf = (i: number): Row => ({ record_id: `OP${4000001 + i}`, user_id: String(100001 + i), application_role: 'qa__c', operation: 'ADD' });

	/** the batches BatchFiller makes of the same rows and sizes: a file's batches must be those pass 1 counted */
	function plainBatches(rows: Row[], limits: { rowLimit: number; byteLimit: number; headerBytes: number }) {
		const filler = new BatchFiller<Row>(limits);
		const batches: Row[][] = [];
		for (const row of rows) {
			const closed = filler.addOne(row, csvRowBytes(HEADER, row));
			if (closed) batches.push(closed.rows);
		}
		const last = filler.finish();
		if (last) batches.push(last.rows);
		return batches;
	}

	function fileBatches(rows: Row[], limits: { rowLimit: number; byteLimit: number; headerBytes: number }) {
		const filler = new FileBatchFiller(HEADER, limits);
		const batches = [];
		rows.forEach((row, i) => {
			const closed = filler.add(i % 3, i + 2, row, csvRowBytes(HEADER, row));
			if (closed) batches.push(closed);
		});
		const last = filler.finish();
		if (last) batches.push(last);
		return batches;
	}

	it('closes a batch exactly at the row limit, with each batch the CSV toVaultCsv writes', () => {
		const rows = Array.from({ length: 1000 }, (_, i) => rowOf(i));
		const limits = { rowLimit: 500, byteLimit: 1024 ** 2, headerBytes: csvHeaderBytes(HEADER) };
		const batches = fileBatches(rows, limits);
		expect(batches.map((batch) => [batch.number, rowCountOf(batch)])).toEqual([
			[1, 500],
			[2, 500],
		]);
		expect(batches.map((batch) => batch.csv)).toEqual(plainBatches(rows, limits).map((batch) => toVaultCsv(HEADER, batch)));
	});

	it('closes a batch exactly at the byte limit: a batch of exactly the limit, one byte less and the fifth row goes to the next', () => {
		const rows = Array.from({ length: 20 }, (_, i) => rowOf(i));
		const headerBytes = csvHeaderBytes(HEADER);
		const fiveRows = rows.slice(0, 5).reduce((sum, row) => sum + csvRowBytes(HEADER, row), headerBytes);
		const atLimit = fileBatches(rows, { rowLimit: 500, byteLimit: fiveRows, headerBytes });
		expect(atLimit.map(rowCountOf)).toEqual([5, 5, 5, 5]);
		expect(atLimit.map((batch) => [batch.bytes, Buffer.byteLength(batch.csv)])).toEqual(Array(4).fill([fiveRows, fiveRows]));
		const below = { rowLimit: 500, byteLimit: fiveRows - 1, headerBytes };
		const batches = fileBatches(rows, below);
		expect(batches.map(rowCountOf)).toEqual([4, 4, 4, 4, 4]);
		expect(batches.map((batch) => batch.csv)).toEqual(plainBatches(rows, below).map((batch) => toVaultCsv(HEADER, batch)));
	});

	it('writes quoted, multi-line and backslashed rows into a batch as toVaultCsv does', () => {
		const limits = { rowLimit: 3, byteLimit: 1024 ** 2, headerBytes: csvHeaderBytes(HEADER) };
		const batches = fileBatches(AWKWARD, limits);
		expect(batches.map((batch) => batch.csv)).toEqual(plainBatches(AWKWARD, limits).map((batch) => toVaultCsv(HEADER, batch)));
	});

	it('keeps each row\'s item and CSV row number, and reads a batch\'s rows back from its CSV only when asked, as they were mapped', () => {
		const rows = AWKWARD;
		const [batch] = fileBatches(rows, { rowLimit: 500, byteLimit: 1024 ** 2, headerBytes: csvHeaderBytes(HEADER) });
		expect(itemIndexesOf(batch)).toEqual([0, 1, 2, 0, 1, 2]);
		expect(batch.rows).toEqual(
			rows.map((row, i) => ({ itemIndex: i % 3, rowNumber: i + 2, row, bytes: csvRowBytes(HEADER, row) })),
		);
	});
});
