import type { Row } from '../csv/vaultCsv';
import type { TeamColumns } from '../operations/types';
import type { PreparedRows } from './prepare';
import type { ItemProblem, PlannedRow } from './types';
import { byItemThenRow } from './messages';

/**
 * Manage Quality Team Assignments: one input that both ADDs and REMOVEs the same membership
 * (record, user, application role) is a contradiction, and every row of it is its item's
 * problem, not sent. Vault would apply both in an order it documents only for QualityOne (Manage
 * Team Assignments, QualityOne API reference: "REMOVE executes before ADD", so the person ends ON
 * the team and the REMOVE is lost); for QMS the Manage page says nothing of the order. Either way
 * the input does not say what it wants, and a guess about a person's access to a CAPA is not the
 * node's to make (Sync Members treats a roster that asks both the same way: reconcile.ts).
 * Compared on the values sent (looked-up ids in place), so an email and a Vault id of the same
 * person meet. The same row twice is not a contradiction: it is left to Vault, as before.
 */
export function refuseContradictions(prepared: PreparedRows, columns: TeamColumns): void {
	const found = contradicting(prepared.rows, columns);
	if (found.size === 0) return;
	const refused = new Set<PlannedRow>();
	for (const { adds, removes } of found.values()) {
		const { row } = adds[0];
		const words = `user ${row[columns.user]} as ${row[columns.role]} on record ${row[columns.record]}`;
		for (const planned of [...adds, ...removes]) {
			refused.add(planned);
			prepared.problems.push({
				itemIndex: planned.itemIndex,
				rowNumber: planned.rowNumber,
				problems: [
					`contradiction: ${whereAll(adds)} ADD and ${whereAll(removes)} REMOVE ${words}; neither is sent. Vault documents the order of ADD and REMOVE in one request only for QualityOne (REMOVE first: the user would stay on the team); send the one that is meant`,
				],
				row: planned.row,
			});
		}
	}
	prepared.rows = prepared.rows.filter((planned) => !refused.has(planned));
	prepared.problems.sort(byItemThenRow);
}

/**
 * The memberships both ADDed and REMOVEd, each with its ADD and REMOVE rows in input order. Cheap
 * where nothing contradicts, as almost always: an input of one operation only is one count (this
 * check cost ~3 µs a row, a key and a list per row, at 100,000 rows of ADD); otherwise only the
 * rarer operation's rows are keyed, and a row of the other is keyed only when its record is one
 * of theirs.
 */
function contradicting(
	rows: PlannedRow[],
	columns: TeamColumns,
): Map<string, { adds: PlannedRow[]; removes: PlannedRow[] }> {
	const found = new Map<string, { adds: PlannedRow[]; removes: PlannedRow[] }>();
	let adds = 0;
	let removes = 0;
	for (const { row } of rows) {
		const operation = row[columns.operation];
		if (operation === 'ADD') adds++;
		else if (operation === 'REMOVE') removes++;
	}
	if (adds === 0 || removes === 0) return found;
	const rarer = adds <= removes ? 'ADD' : 'REMOVE';
	const keyed = new Map<string, PlannedRow[]>();
	const records = new Set<string>();
	for (const planned of rows) {
		if (planned.row[columns.operation] !== rarer) continue;
		const key = membershipKey(planned.row, columns);
		const list = keyed.get(key);
		if (list) list.push(planned);
		else keyed.set(key, [planned]);
		records.add(planned.row[columns.record]);
	}
	const other = rarer === 'ADD' ? 'REMOVE' : 'ADD';
	for (const planned of rows) {
		const { row } = planned;
		if (row[columns.operation] !== other || !records.has(row[columns.record])) continue;
		const key = membershipKey(row, columns);
		const rarerRows = keyed.get(key);
		if (!rarerRows) continue;
		let entry = found.get(key);
		if (!entry) {
			entry = rarer === 'ADD' ? { adds: rarerRows, removes: [] } : { adds: [], removes: rarerRows };
			found.set(key, entry);
		}
		(rarer === 'ADD' ? entry.removes : entry.adds).push(planned);
	}
	return found;
}

/** A membership's key: record, user and role, unambiguous whatever the values hold. */
function membershipKey(row: Row, columns: TeamColumns): string {
	return JSON.stringify([row[columns.record], row[columns.user], row[columns.role]]);
}

/** "item 2" / "items 2, 5" / "row 4 of item 0": where the rows came from. */
function whereAll(rows: PlannedRow[]): string {
	const places = rows.map((planned) =>
		planned.rowNumber !== undefined
			? `row ${planned.rowNumber} of item ${planned.itemIndex}`
			: `item ${planned.itemIndex}`,
	);
	if (rows.every((planned) => planned.rowNumber === undefined))
		return `${places.length === 1 ? 'item' : 'items'} ${rows.map((planned) => planned.itemIndex).join(', ')}`;
	return places.join(', ');
}

/**
 * The same check over a streamed CSV file (two passes, its rows not kept: plan.ts, planStream).
 * Pass 1 keeps per good row only a 32-bit hash of its membership and its operation (a number);
 * a hash that comes with both ADD and REMOVE makes its rows suspects, read again by their text in
 * a pass of their own (only then), so a hash shared by two memberships refuses nothing.
 */
export class StreamedContradictions {
	private readonly keys: number[] = [];

	constructor(private readonly columns: TeamColumns) {}

	/** Pass 1: the good row with the next ordinal. */
	add(row: Row): void {
		const operation = row[this.columns.operation];
		const bits = operation === 'ADD' ? 1 : operation === 'REMOVE' ? 2 : 0;
		this.keys.push(fnv1a(this.keyOf(row)) * 4 + bits);
	}

	/** The ordinals of good rows that contradict another, each its problem; reads the rows again only when there are suspects. */
	async refused(
		readGoodRows: (onGoodRow: (ordinal: number, planned: PlannedRow) => void) => Promise<void>,
		problems: ItemProblem[],
	): Promise<Set<number>> {
		const suspects = this.suspects();
		if (suspects.size === 0) return new Set();
		const rows: PlannedRow[] = [];
		const ordinals = new Map<PlannedRow, number>();
		await readGoodRows((ordinal, planned) => {
			if (!suspects.has(ordinal)) return;
			rows.push(planned);
			ordinals.set(planned, ordinal);
		});
		const found: PreparedRows = { header: [], headerBytes: 0, rows, problems, ignoredFields: [] };
		refuseContradictions(found, this.columns);
		const kept = new Set(found.rows);
		return new Set(
			rows
				.filter((planned) => !kept.has(planned))
				.map((planned) => ordinals.get(planned) as number),
		);
	}

	private keyOf(row: Row): string {
		return membershipKey(row, this.columns);
	}

	/** Ordinals whose hash comes with both ADD and REMOVE: the keys sorted (a typed copy), each run of one hash's operations or-ed. */
	private suspects(): Set<number> {
		const sorted = Float64Array.from(this.keys).sort();
		const both = new Set<number>();
		for (let start = 0; start < sorted.length; ) {
			const hash = Math.floor(sorted[start] / 4);
			let bits = 0;
			let end = start;
			for (; end < sorted.length && Math.floor(sorted[end] / 4) === hash; end++)
				bits |= sorted[end] % 4;
			if (bits === 3) both.add(hash);
			start = end;
		}
		const suspects = new Set<number>();
		if (both.size > 0)
			this.keys.forEach((key, ordinal) => {
				if (both.has(Math.floor(key / 4))) suspects.add(ordinal);
			});
		return suspects;
	}
}

/** FNV-1a, 32 bits, over the UTF-16 code units: a cheap fingerprint; equal hashes are confirmed by their text. */
function fnv1a(text: string): number {
	let hash = 0x811c9dc5;
	for (let index = 0; index < text.length; index++) {
		hash ^= text.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}
