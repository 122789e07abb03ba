import type { TeamColumns } from '../operations/types';
import type { PreparedRows } from './prepare';
import type { PlannedRow } from './types';

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
	const byMembership = new Map<string, PlannedRow[]>();
	for (const planned of prepared.rows) {
		const key = JSON.stringify([
			planned.row[columns.record],
			planned.row[columns.user],
			planned.row[columns.role],
		]);
		const rows = byMembership.get(key);
		if (rows) rows.push(planned);
		else byMembership.set(key, [planned]);
	}
	const refused = new Set<PlannedRow>();
	for (const rows of byMembership.values()) {
		if (rows.length < 2) continue;
		const adds = rows.filter((planned) => planned.row[columns.operation] === 'ADD');
		const removes = rows.filter((planned) => planned.row[columns.operation] === 'REMOVE');
		if (adds.length === 0 || removes.length === 0) continue;
		const { row } = rows[0];
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
	if (refused.size === 0) return;
	prepared.rows = prepared.rows.filter((planned) => !refused.has(planned));
	prepared.problems.sort(
		(a, b) => a.itemIndex - b.itemIndex || (a.rowNumber ?? 0) - (b.rowNumber ?? 0),
	);
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
