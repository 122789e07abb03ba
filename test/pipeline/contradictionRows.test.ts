import fc from 'fast-check';

import { refuseContradictions } from '../../nodes/VeevaVaultQms/pipeline/contradictions';
import { byItemThenRow } from '../../nodes/VeevaVaultQms/pipeline/messages';
import type { PreparedRows } from '../../nodes/VeevaVaultQms/pipeline/prepare';
import type { PlannedRow } from '../../nodes/VeevaVaultQms/pipeline/types';
import { manageQualityTeamAssignments } from '../../nodes/VeevaVaultQms/operations/manageAssignments';

/**
 * refuseContradictions keys only the rarer operation's rows (issue 26, CPU): it must refuse exactly
 * what keying every row did, with the same words. The reference below is the check as it was
 * (a key and a list per row), kept here to compare against.
 */
const columns = manageQualityTeamAssignments.teamColumns!;

function reference(prepared: PreparedRows): void {
	const byMembership = new Map<string, PlannedRow[]>();
	for (const planned of prepared.rows) {
		const key = JSON.stringify([planned.row.record_id, planned.row.user_id, planned.row.application_role]);
		const rows = byMembership.get(key);
		if (rows) rows.push(planned);
		else byMembership.set(key, [planned]);
	}
	const where = (rows: PlannedRow[]) =>
		rows.every((planned) => planned.rowNumber === undefined)
			? `${rows.length === 1 ? 'item' : 'items'} ${rows.map((planned) => planned.itemIndex).join(', ')}`
			: rows.map((planned) => (planned.rowNumber !== undefined ? `row ${planned.rowNumber} of item ${planned.itemIndex}` : `item ${planned.itemIndex}`)).join(', ');
	const refused = new Set<PlannedRow>();
	for (const rows of byMembership.values()) {
		const adds = rows.filter((planned) => planned.row.operation === 'ADD');
		const removes = rows.filter((planned) => planned.row.operation === 'REMOVE');
		if (adds.length === 0 || removes.length === 0) continue;
		const { row } = rows[0];
		for (const planned of [...adds, ...removes]) {
			refused.add(planned);
			prepared.problems.push({
				itemIndex: planned.itemIndex,
				rowNumber: planned.rowNumber,
				problems: [
					`contradiction: ${where(adds)} ADD and ${where(removes)} REMOVE user ${row.user_id} as ${row.application_role} on record ${row.record_id}; neither is sent. Vault documents the order of ADD and REMOVE in one request only for QualityOne (REMOVE first: the user would stay on the team); send the one that is meant`,
				],
				row: planned.row,
			});
		}
	}
	if (refused.size === 0) return;
	prepared.rows = prepared.rows.filter((planned) => !refused.has(planned));
	prepared.problems.sort(byItemThenRow);
}

/** rows over few records, users and roles, so that memberships repeat; a CSV file's rows have row numbers */
const inputs = fc
	.tuple(
		fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom('qa__c', 'sme__c'), fc.constantFrom('ADD', 'REMOVE')), { maxLength: 40 }),
		fc.boolean(),
	)
	.map(([rows, fromFile]): PlannedRow[] =>
		rows.map(([record, user, role, operation], k) => ({
			itemIndex: fromFile ? 0 : k,
			rowNumber: fromFile ? k + 1 : undefined,
			row: { record_id: `OP${record}`, user_id: String(100 + user), application_role: role, operation },
			bytes: 10,
		})),
	);

const prepare = (rows: PlannedRow[]): PreparedRows => ({ header: [], headerBytes: 0, rows: [...rows], problems: [], ignoredFields: [] });

describe('refuseContradictions', () => {
	it('refuses the same rows with the same words as keying every row, whichever operation is rarer', () => {
		fc.assert(
			fc.property(inputs, (rows) => {
				const fast = prepare(rows);
				const slow = prepare(rows);
				refuseContradictions(fast, columns);
				reference(slow);
				expect(fast.rows).toEqual(slow.rows);
				expect(fast.problems).toEqual(slow.problems);
			}),
			{ seed: 26, numRuns: 500 },
		);
	});

	it('one REMOVE among many ADDs: both of the membership refused, the other ADDs kept', () => {
		const rows: PlannedRow[] = Array.from({ length: 1000 }, (_, k) => ({
			itemIndex: k,
			row: { record_id: `OP${k % 10}`, user_id: String(100 + (k % 7)), application_role: 'qa__c', operation: 'ADD' },
			bytes: 10,
		}));
		rows.push({ itemIndex: 1000, row: { record_id: 'OP3', user_id: '103', application_role: 'qa__c', operation: 'REMOVE' }, bytes: 10 });
		const prepared = prepare(rows);
		refuseContradictions(prepared, columns);
		// OP3 with user 103: k ≡ 3 (mod 10) and k ≡ 3 (mod 7), k ≡ 3 (mod 70): 15 ADDs below 1000
		const adds = rows.filter((planned) => planned.row.record_id === 'OP3' && planned.row.user_id === '103' && planned.row.operation === 'ADD');
		expect(adds).toHaveLength(15);
		expect(prepared.problems.map((problem) => problem.itemIndex)).toEqual([...adds.map((planned) => planned.itemIndex), 1000]);
		expect(prepared.rows).toHaveLength(1001 - 16);
		expect(prepared.problems[0].problems[0]).toContain(`items ${adds.map((planned) => planned.itemIndex).join(', ')} ADD and item 1000 REMOVE user 103 as qa__c on record OP3`);
	});
});
