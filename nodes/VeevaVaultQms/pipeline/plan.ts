import { csvCellBytes, csvHeaderBytes, csvRowOverhead } from '../csv/vaultCsv';
import { headerOf, prepareRow } from './prepare';
import type { Row } from '../csv/vaultCsv';
import type { StreamedContradictions } from './contradictions';
import type { Batch, ItemProblem, OnRow, PlannedRow, RowRules } from './types';
import { byItemThenRow } from './messages';

/**
 * Planning batches: in memory (planBatches, every row at hand), or over a streamed source in a
 * first pass that keeps only numbers per row (planStream), for the second pass to fill the same
 * batches as the rows stream by again (twoPass.ts).
 */

export interface BatchLimits {
	rowLimit: number;
	byteLimit: number;
	headerBytes: number;
	/** rows with the same value here travel in one batch */
	groupBy?: string;
}

export interface BatchPlan {
	batches: Batch[];
	/** rows that cannot be sent whole: a row or a group larger than one batch may be */
	refused: Array<{ rows: PlannedRow[]; reason: string }>;
}

/**
 * Fills each batch up to the row and byte limits, in input order. With `groupBy`, all rows of
 * one group (Migrate: one team-enabled record) go in the same batch, the group placed where its
 * first row stood.
 */
export function planBatches(rows: PlannedRow[], limits: BatchLimits): BatchPlan {
	const room = limits.byteLimit - limits.headerBytes;
	const batches: Batch[] = [];
	const refused: BatchPlan['refused'] = [];
	const filler = new BatchFiller<PlannedRow>(limits);
	if (!limits.groupBy) {
		// one row a unit: no array per row (100k rows cost ~30 ms and their garbage that way)
		for (const row of rows) {
			if (row.bytes > room) {
				refused.push({ rows: [row], reason: unitTooBig([row], row.bytes, room, limits) as string });
				continue;
			}
			const closed = filler.addOne(row, row.bytes);
			if (closed) batches.push(closed);
		}
		const last = filler.finish();
		if (last) batches.push(last);
		return { batches, refused };
	}
	const units = groupRows(rows, limits.groupBy);
	for (const unit of units) {
		const unitBytes = unit.reduce((sum, row) => sum + row.bytes, 0);
		const tooBig = unitTooBig(unit, unitBytes, room, limits);
		if (tooBig) {
			refused.push({ rows: unit, reason: tooBig });
			continue;
		}
		const closed = filler.add(unit, unitBytes);
		if (closed) batches.push(closed);
	}
	const last = filler.finish();
	if (last) batches.push(last);
	return { batches, refused };
}

/**
 * Next-fit filling, one unit (a row, or a Migrate record's rows) at a time, so rows can be
 * batched as they stream in: `add` hands back the batch it closed to make room, `finish` the
 * last one. A unit must fit an empty batch (see unitTooBig).
 */
export class BatchFiller<T> {
	private rows: T[] = [];
	private bytes = 0;
	private number = 0;

	constructor(
		private readonly limits: Pick<BatchLimits, 'rowLimit' | 'byteLimit' | 'headerBytes'>,
	) {}

	add(unit: T[], unitBytes: number): { number: number; rows: T[]; bytes: number } | undefined {
		const closed = this.makeRoom(unit.length, unitBytes);
		for (const row of unit) this.rows.push(row);
		this.bytes += unitBytes;
		return closed;
	}

	/** `add` of a unit of one row, without the unit's array */
	addOne(row: T, rowBytes: number): { number: number; rows: T[]; bytes: number } | undefined {
		const closed = this.makeRoom(1, rowBytes);
		this.rows.push(row);
		this.bytes += rowBytes;
		return closed;
	}

	/** closes the batch (and opens the next) when `rowCount` rows of `bytes` do not fit; the closed batch, if any */
	private makeRoom(
		rowCount: number,
		bytes: number,
	): { number: number; rows: T[]; bytes: number } | undefined {
		const { rowLimit, byteLimit, headerBytes } = this.limits;
		if (
			this.number !== 0 &&
			this.rows.length + rowCount <= rowLimit &&
			headerBytes + this.bytes + bytes <= byteLimit
		)
			return undefined;
		const closed = this.finish();
		this.number++;
		return closed;
	}

	finish(): { number: number; rows: T[]; bytes: number } | undefined {
		if (this.rows.length === 0) return undefined;
		const batch = {
			number: this.number,
			rows: this.rows,
			bytes: this.bytes + this.limits.headerBytes,
		};
		this.rows = [];
		this.bytes = 0;
		return batch;
	}
}

function unitTooBig(
	unit: PlannedRow[],
	unitBytes: number,
	room: number,
	limits: BatchLimits,
): string | undefined {
	const megabytes = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(2)} MB`;
	if (limits.groupBy && unit.length > 1) {
		const key = unit[0].row[limits.groupBy];
		if (unit.length > limits.rowLimit) {
			return `record "${key}" has ${unit.length} rows, but all rows of one team-enabled record must go to Vault in the same batch, and a batch holds at most ${limits.rowLimit} rows`;
		}
		if (unitBytes > room) {
			return `record "${key}" has ${megabytes(unitBytes)} of rows, but all rows of one record must go in the same batch, and a batch holds at most ${megabytes(limits.byteLimit)}`;
		}
		return undefined;
	}
	if (unitBytes > room)
		return `the row is ${megabytes(unitBytes)}, more than one batch may hold (${megabytes(limits.byteLimit)})`;
	return undefined;
}

function groupRows(rows: PlannedRow[], column: string): PlannedRow[][] {
	const groups = new Map<string, PlannedRow[]>();
	for (const row of rows) {
		const key = row.row[column] ?? '';
		const group = groups.get(key);
		if (group) group.push(row);
		else groups.set(key, [row]);
	}
	return [...groups.values()];
}

/** What the first pass over a streamed source found: the header, every good row's size, the rows too big to send, the batch count. */
export interface StreamPlan {
	header: string[];
	limits: Pick<BatchLimits, 'rowLimit' | 'byteLimit' | 'headerBytes'>;
	/** bytes of the good row with this ordinal (its place among the good rows) */
	rowBytes(ordinal: number): number;
	goodRows: number;
	/** ordinals of good rows not sent, their items' problems: larger than one batch may hold, or contradicting another (contradictions.ts) */
	unsent: Set<number>;
	batchCount: number;
	problems: ItemProblem[];
}

/**
 * Pass 1 over a streamed source: every row mapped and validated, keeping only its problems, the
 * extra columns it uses and its size, so the header, every batch's bounds and the batch count are
 * known before anything is sent, whatever the file's size.
 */
export async function planStream(
	readRows: (onRow: OnRow) => Promise<void>,
	rules: RowRules,
	limitsAsked: { rowLimit: number; byteLimit: number },
	pairs?: StreamedContradictions,
): Promise<StreamPlan> {
	const problems: ItemProblem[] = [];
	const extraNames = new Set<string>();
	// per good row only numbers, in typed arrays (4 bytes each, not a tagged 8): objects per row cost ~100 bytes each at 1M rows
	const cellBytes = new IntList();
	const itemIndexes = new IntList();
	const rowNumbers = new IntList();
	await readRows(({ itemIndex, rowNumber, fields, problems: early }) => {
		const prepared = early && early.length > 0 ? { problems: early } : prepareRow(fields, rules);
		if (prepared.problems) {
			problems.push({ itemIndex, rowNumber, problems: prepared.problems });
			return;
		}
		if (rules.extra)
			for (const name of Object.keys(prepared.row))
				if (rules.extra.pattern.test(name)) extraNames.add(name);
		cellBytes.push(csvCellBytes(prepared.row));
		itemIndexes.push(itemIndex);
		rowNumbers.push(rowNumber ?? -1);
		pairs?.add(prepared.row);
	});
	const unsent = pairs
		? await pairs.refused(goodRowsOf(readRows, rules), problems)
		: new Set<number>();
	const header = headerOf(rules, extraNames);
	const headerBytes = csvHeaderBytes(header);
	const overhead = csvRowOverhead(header.length);
	const rowBytes = (ordinal: number) => cellBytes.at(ordinal) + overhead;
	const limits = { rowLimit: limitsAsked.rowLimit, byteLimit: limitsAsked.byteLimit, headerBytes };
	const counter = new BatchFiller<number>(limits);
	let batchCount = 0;
	for (let ordinal = 0; ordinal < cellBytes.length; ordinal++) {
		if (unsent.has(ordinal)) continue;
		if (headerBytes + rowBytes(ordinal) > limits.byteLimit) {
			unsent.add(ordinal);
			const megabytes = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(2)} MB`;
			problems.push({
				itemIndex: itemIndexes.at(ordinal),
				rowNumber: rowNumbers.at(ordinal) < 0 ? undefined : rowNumbers.at(ordinal),
				problems: [
					`the row is ${megabytes(rowBytes(ordinal))}, more than one batch may hold (${megabytes(limits.byteLimit)})`,
				],
			});
			continue;
		}
		if (counter.add([ordinal], rowBytes(ordinal))) batchCount++;
	}
	if (counter.finish()) batchCount++;
	problems.sort(byItemThenRow);
	return { header, limits, rowBytes, goodRows: cellBytes.length, unsent, batchCount, problems };
}

/** The good rows of a streamed source read again, each with its ordinal, as pass 1 counted them. */
function goodRowsOf(readRows: (onRow: OnRow) => Promise<void>, rules: RowRules) {
	return async (onGoodRow: (ordinal: number, planned: PlannedRow) => void) => {
		let ordinal = 0;
		await readRows(({ itemIndex, rowNumber, fields, problems: early }) => {
			if (early && early.length > 0) return;
			const prepared = prepareRow(fields, rules);
			if (prepared.problems) return;
			onGoodRow(ordinal++, { itemIndex, rowNumber, row: prepared.row as Row, bytes: 0 });
		});
	};
}

/** Whole numbers (to 2^31) appended one by one into an Int32Array that doubles as it fills. */
class IntList {
	private values = new Int32Array(1024);
	length = 0;

	push(value: number) {
		if (this.length === this.values.length) {
			const larger = new Int32Array(this.values.length * 2);
			larger.set(this.values);
			this.values = larger;
		}
		this.values[this.length++] = value;
	}

	at(index: number): number {
		return this.values[index];
	}
}
