import type { Row } from '../operations/types';

export interface PlannedRow {
	itemIndex: number;
	/** the row's number in a CSV file input */
	rowNumber?: number;
	row: Row;
	/** bytes this row adds to a batch's CSV (see csvRowBytes) */
	bytes: number;
}

export interface Batch {
	/** 1-based, in sending order */
	number: number;
	rows: PlannedRow[];
	bytes: number;
}

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
	const units = limits.groupBy ? groupRows(rows, limits.groupBy) : rows.map((row) => [row]);
	const room = limits.byteLimit - limits.headerBytes;
	const batches: Batch[] = [];
	const refused: BatchPlan['refused'] = [];
	let current: Batch | undefined;
	for (const unit of units) {
		const unitBytes = unit.reduce((sum, row) => sum + row.bytes, 0);
		const tooBig = unitTooBig(unit, unitBytes, room, limits);
		if (tooBig) {
			refused.push({ rows: unit, reason: tooBig });
			continue;
		}
		if (!current || current.rows.length + unit.length > limits.rowLimit || current.bytes + unitBytes > room) {
			current = { number: batches.length + 1, rows: [], bytes: 0 };
			batches.push(current);
		}
		current.rows.push(...unit);
		current.bytes += unitBytes;
	}
	for (const batch of batches) batch.bytes += limits.headerBytes;
	return { batches, refused };
}

function unitTooBig(unit: PlannedRow[], unitBytes: number, room: number, limits: BatchLimits): string | undefined {
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
	if (unitBytes > room) return `the row is ${megabytes(unitBytes)}, more than one batch may hold (${megabytes(limits.byteLimit)})`;
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
