import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { Row } from '../csv/vaultCsv';
import type { TeamColumns } from '../operations/types';
import { memberKey, type TeamMember } from '../read/teams';
import { byItemThenRow, LINE_BREAK, listProblems, whereIs, withItemDetails } from './messages';
import type { DesiredMember, ItemProblem, RosterMember, SourceRow } from './types';

/**
 * The rails of the reconcile stage: Max Removals, rows that name a current member in another
 * form, the removals a bad row holds back, and the empty roster that never means "remove
 * everyone". Each refuses or holds back before anything is sent.
 */

export const keyOf = (member: RosterMember) =>
	memberKey(member.recordId, member.userId, member.role);

/** A membership as a row of the spec's team columns, with its operation when given. */
export function teamRow(
	columns: TeamColumns,
	member: RosterMember,
	operation?: 'ADD' | 'REMOVE',
): Row {
	const row: Row = {
		[columns.record]: member.recordId,
		[columns.user]: member.userId,
		[columns.role]: member.role,
	};
	if (operation) row[columns.operation] = operation;
	return row;
}

/** most removals allowed: a count (`why`: set by a rule, not the option: an AI agent's call), or a share of the in-scope current members (at least 1) */
export type MaxRemovals = { count: number; why?: string } | { percent: number };

/** "10%" or "25": the Max Removals option, read; anything else is refused before any call. */
export function parseMaxRemovals(text: string): MaxRemovals | undefined {
	const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
	if (!match) return undefined;
	const value = Number(match[1]);
	return match[2] === '%'
		? { percent: value }
		: Number.isInteger(value)
			? { count: value }
			: undefined;
}

/**
 * How many removals Max Removals allows with this many current members in scope, and the rule in
 * words for the summary. A percentage allows at least 1 (0% none): 10% of a team under ten rounds
 * down to 0, and would stop the first ordinary leaver, while a truncated export removes many.
 */
export function removalsAllowed(
	max: MaxRemovals,
	membersInScope: number,
): { allowed: number; text: string | number } {
	if ('count' in max)
		return { allowed: max.count, text: max.why ? `${max.count}: ${max.why}` : max.count };
	if (max.percent === 0) return { allowed: 0, text: `0% of ${membersInScope} = 0` };
	// percent × members first: 29 × 100 / 100 is 29, where 0.29 × 100 is 28.999…
	const allowed = Math.max(1, Math.floor((max.percent * membersInScope) / 100));
	return { allowed, text: `${max.percent}% of ${membersInScope} (at least 1) = ${allowed}` };
}

/** More removals than Max Removals allows, without Plan Only: nothing is sent, and the error lists them. */
export function refuseOverMaxRemovals(
	fx: IExecuteFunctions,
	columns: TeamColumns,
	removals: SourceRow[],
	membersInScope: number,
	rule: string | number,
): never {
	const lines = removals.map(
		(row) =>
			`remove user ${String(row.fields[columns.user])}${row.note?.user_name ? ` (${String(row.note.user_name)})` : ''} from ${String(row.fields[columns.record])} as ${String(row.fields[columns.role])}`,
	);
	throw new NodeOperationError(
		fx.getNode(),
		`Sync Members would remove ${removals.length} of the ${membersInScope} current members in scope, more than Max Removals allows (${String(rule)}), so nothing was sent`,
		{
			description: `A truncated or partial roster looks like this. If these removals are meant, raise Max Removals; run with "Plan Only" to see the whole plan first.${LINE_BREAK}${listProblems(lines)}`,
		},
	);
}

export function sortProblems(problems: ItemProblem[]): ItemProblem[] {
	return problems.sort(byItemThenRow);
}

/** The key of a member with the parts Vault may read alike made alike: record ids in upper case, roles in lower case, user ids without leading zeros. */
export const looseKey = (member: RosterMember) =>
	memberKey(
		member.recordId.toUpperCase(),
		member.userId.replace(/^0+(?=\d)/, ''),
		member.role.toLowerCase(),
	);

/**
 * Roster rows that name a current member in another form than Vault's (a record id in another
 * letter case: Vault documents no case for record ids, so the id form lets both through). Sent,
 * such a row would be an ADD of a near-identical key beside the REMOVE of the member it means:
 * it is the row's error instead, and it counts as about that member (so it holds back its record).
 */
export function nearIdenticalRows(
	columns: TeamColumns,
	roster: DesiredMember[],
	present: Map<string, TeamMember>,
): Map<DesiredMember, ItemProblem> {
	const byLooseKey = new Map<string, TeamMember>();
	for (const member of present.values()) byLooseKey.set(looseKey(member), member);
	const misses = new Map<DesiredMember, ItemProblem>();
	for (const entry of roster) {
		if (present.has(keyOf(entry))) continue;
		const member = byLooseKey.get(looseKey(entry));
		if (!member) continue;
		const caseOnly = member.userId === entry.userId && member.role === entry.role;
		misses.set(entry, {
			itemIndex: entry.itemIndex,
			rowNumber: entry.rowNumber,
			problems: [
				`${entry.recordId} ${entry.userId} ${entry.role} differs only in ${caseOnly ? 'letter case' : 'form'} from ${member.recordId} ${member.userId} ${member.role}, which Vault has on the team; write it as Vault has it (sent, Vault would get an ADD of one and a REMOVE of the other)`,
			],
			row: teamRow(columns, member),
		});
	}
	return misses;
}

interface HeldBackRecord {
	reason: string;
	/** the summary's words: the record (or all records), the items, and why */
	entry: IDataObject;
}

/** What the bad rows hold back: every implicit removal (`all`), or those of these records (upper case); and the members they name (looseKey). */
export interface HeldBack {
	all?: HeldBackRecord;
	records: Map<string, HeldBackRecord>;
	asked: Set<string>;
}

/**
 * Which implicit removals the bad rows hold back, and the members they were about (asked about, so
 * never removed as "not in the input"). A row whose role is known and outside the sync's roles
 * cannot stand for a member the sync may remove, and holds back nothing. Records (upper case) and
 * members (looseKey) are matched loosely: a bad row's "op4000008" holds back OP4000008.
 */
export function heldBack(
	columns: TeamColumns,
	problems: ItemProblem[],
	inRoleScope: (role: string) => boolean,
): HeldBack {
	const asked = new Set<string>();
	const unknownRecord: ItemProblem[] = [];
	const byRecord = new Map<string, ItemProblem[]>();
	for (const problem of problems) {
		const usable = (column: string) =>
			problem.row?.[column] && !problem.unusable?.has(column) ? problem.row[column] : undefined;
		const [recordId, userId, role] = [
			usable(columns.record),
			usable(columns.user),
			usable(columns.role),
		];
		if (role !== undefined && !inRoleScope(role)) continue;
		if (recordId === undefined) {
			unknownRecord.push(problem);
			continue;
		}
		const record = recordId.toUpperCase();
		byRecord.set(record, [...(byRecord.get(record) ?? []), problem]);
		if (userId !== undefined && role !== undefined) asked.add(looseKey({ recordId, userId, role }));
	}
	const records = new Map<string, HeldBackRecord>();
	if (unknownRecord.length > 0) {
		const where = rowsText(unknownRecord);
		const reason = `the record of ${where} could not be told (see the item's error); such a row may name any record in the input, so no member missing from the input was removed from any record`;
		return {
			all: { reason, entry: { allRecords: true, ...itemsOf(unknownRecord), reason } },
			records,
			asked,
		};
	}
	for (const [record, rows] of byRecord) {
		// the record as the rows give it (as Vault has it, when they agree)
		const recordId = rows[0].row?.[columns.record] ?? record;
		const reason = `${rowsText(rows)} for record ${recordId} could not be used (see the item's error), so the record's roster is not known whole and no member missing from it was removed`;
		records.set(record, {
			reason,
			entry: { [columns.record]: recordId, ...itemsOf(rows), reason },
		});
	}
	return { records, asked };
}

/** "item 3", "items 0, 1", "item 0, CSV rows 4, 9" */
function rowsText(rows: ItemProblem[]): string {
	const { items, csvRows } = itemsOf(rows);
	const itemText = `${items.length === 1 ? 'item' : 'items'} ${items.join(', ')}`;
	return csvRows
		? `${itemText}, CSV ${csvRows.length === 1 ? 'row' : 'rows'} ${csvRows.join(', ')}`
		: itemText;
}

function itemsOf(rows: ItemProblem[]): { items: number[]; csvRows?: number[] } {
	const items = [...new Set(rows.map((row) => row.itemIndex))];
	const csvRows = rows.flatMap((row) => (row.rowNumber === undefined ? [] : [row.rowNumber]));
	return csvRows.length > 0 ? { items, csvRows } : { items };
}

/**
 * No usable row: an empty roster never means "remove everyone". Under continue on fail every item
 * gets this reason, and its own problems beside it.
 */
export function refuseEmptyRoster(fx: IExecuteFunctions, problems: ItemProblem[]): never {
	const perItem = new Map<number, IDataObject>();
	for (const problem of sortProblems(problems)) {
		const lines = problem.problems.map((text) =>
			problem.rowNumber === undefined ? text : `CSV row ${problem.rowNumber}: ${text}`,
		);
		const details = perItem.get(problem.itemIndex) ?? { problems: [] };
		(details.problems as string[]).push(...lines);
		perItem.set(problem.itemIndex, details);
	}
	const why = problems.map((problem) => `${whereIs(problem)}: ${problem.problems.join('; ')}`);
	const error = new NodeOperationError(
		fx.getNode(),
		'Sync Members got no usable assignment, so it read nothing and removed nothing',
		{
			description:
				'An empty roster never means "remove everyone". If the input is meant to be empty, turn on the option "Allow Empty Input" (with scope "records in the input" an empty input still removes nothing).' +
				(why.length > 0 ? `${LINE_BREAK}${listProblems(why)}` : ''),
		},
	);
	throw withItemDetails(error, perItem);
}
