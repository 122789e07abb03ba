import type { IDataObject } from 'n8n-workflow';

import type { TeamColumns } from '../operations/types';
import type { TeamMember } from '../read/teams';
import { keyOf, looseKey, teamRow, type HeldBack } from './rosterRails';
import type { DesiredMember, ItemProblem, PlanEntry, RosterMember, SourceRow } from './types';

/**
 * Sync's diff: the roster settled (duplicates sent once, contradictions refused), then each row
 * against the team Vault has, into ADD and REMOVE rows and plan entries. Pure: reconcile.ts reads
 * Vault and applies the rails (rosterRails.ts); here only the roster and the members are compared.
 */

/**
 * The same assignment twice is sent once; asked both on and off the team, neither is sent and
 * every item of it is an error (which holds back its record: rosterRails.ts, heldBack). Returns
 * the rows that stand for their member; duplicates go to the plan, contradictions to the problems.
 */
export function settleRoster(
	columns: TeamColumns,
	desired: DesiredMember[],
	problems: ItemProblem[],
	plan: PlanEntry[],
): DesiredMember[] {
	const byKey = new Map<string, DesiredMember[]>();
	for (const entry of desired) {
		const key = keyOf(entry);
		const entries = byKey.get(key);
		if (entries) entries.push(entry);
		else byKey.set(key, [entry]);
	}
	const effective: DesiredMember[] = [];
	for (const entries of byKey.values()) {
		if (new Set(entries.map((entry) => entry.wanted)).size > 1) {
			const on = entries.filter((entry) => entry.wanted).map((entry) => entry.itemIndex);
			const off = entries.filter((entry) => !entry.wanted).map((entry) => entry.itemIndex);
			for (const entry of entries) {
				problems.push({
					itemIndex: entry.itemIndex,
					rowNumber: entry.rowNumber,
					problems: [
						`contradiction: item(s) ${on.join(', ')} put user ${entry.userId} on record ${entry.recordId} as ${entry.role} and item(s) ${off.join(', ')} take them off; neither is sent`,
					],
					row: teamRow(columns, entry),
				});
			}
			continue;
		}
		effective.push(entries[0]);
		for (const duplicate of entries.slice(1)) {
			plan.push({
				member: duplicate,
				from: duplicate,
				change: 'duplicate',
				reason: `the same assignment as item ${entries[0].itemIndex}, which stands for both; sent once`,
			});
		}
	}
	return effective;
}

/** A change to send, with the note that leads its item. */
type Send = (
	itemIndex: number,
	member: RosterMember,
	operation: 'ADD' | 'REMOVE',
	note: IDataObject,
	rowNumber?: number,
) => void;

/**
 * The ADDs and REMOVEs: each roster row against what Vault has (unchanged rows to the plan), then
 * every current member no row asked about: removed ("not in the input"), unless a bad row holds
 * back its record (a `heldBack` plan entry, counted).
 */
export function planChanges(
	columns: TeamColumns,
	roster: DesiredMember[],
	present: Map<string, TeamMember>,
	held: HeldBack,
	plan: PlanEntry[],
	scopeText: string,
): { sends: SourceRow[]; removalsHeldBack: number } {
	const sends: SourceRow[] = [];
	// the note leads the row's item: the change, why, and the member and item, in the order of the plan's items (outputReconcile.ts)
	const send: Send = (itemIndex, member, operation, note, rowNumber) =>
		sends.push({
			itemIndex,
			rowNumber,
			fields: teamRow(columns, member, operation),
			note: {
				change: note.change,
				reason: note.reason,
				...teamRow(columns, member),
				item: itemIndex < 0 ? null : itemIndex,
				...note,
			},
		});
	const asked = rosterChanges(roster, present, plan, send);
	const removalsHeldBack = unaskedRemovals(present, asked, held, plan, scopeText, send);
	return { sends, removalsHeldBack };
}

/** Each roster row against the team: unchanged to the plan, else an ADD or the REMOVE it asks for. Returns the members asked about. */
function rosterChanges(
	roster: DesiredMember[],
	present: Map<string, TeamMember>,
	plan: PlanEntry[],
	send: Send,
): Set<string> {
	const asked = new Set<string>();
	for (const entry of roster) {
		const key = keyOf(entry);
		asked.add(key);
		const trail: IDataObject = {
			...(entry.lookups ? { lookedUp: entry.lookups } : {}),
			...(entry.normalised ? { normalised: entry.normalised } : {}),
		};
		if (entry.wanted === present.has(key)) {
			plan.push({
				member: entry,
				from: entry,
				change: 'unchanged',
				reason: entry.wanted ? 'already on the team in Vault' : 'already not on the team in Vault',
			});
		} else if (entry.wanted)
			send(
				entry.itemIndex,
				entry,
				'ADD',
				{ change: 'add', reason: 'in the input, not on the team in Vault', ...trail },
				entry.rowNumber,
			);
		else
			send(
				entry.itemIndex,
				entry,
				'REMOVE',
				{ change: 'remove', reason: 'the input asks to take it off the team', ...trail },
				entry.rowNumber,
			);
	}
	return asked;
}

/** Every current member no row asked about: removed, or held back by a bad row of its record (counted). */
function unaskedRemovals(
	present: Map<string, TeamMember>,
	asked: Set<string>,
	held: HeldBack,
	plan: PlanEntry[],
	scopeText: string,
	send: Send,
): number {
	let removalsHeldBack = 0;
	for (const [key, member] of present) {
		if (asked.has(key) || held.asked.has(looseKey(member))) continue;
		const why = held.all
			? held.all.reason
			: held.records.get(member.recordId.toUpperCase())?.reason;
		if (why === undefined) {
			send(-1, member, 'REMOVE', {
				change: 'remove',
				reason: `on the team in Vault but not in the input (the sync owns ${scopeText})`,
			});
			continue;
		}
		removalsHeldBack++;
		plan.push({
			member,
			change: 'heldBack',
			reason: `on the team in Vault but not in the input; not removed: ${why}`,
		});
	}
	return removalsHeldBack;
}
