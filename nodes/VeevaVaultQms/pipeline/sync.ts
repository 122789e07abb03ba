import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { manageQualityTeamAssignments } from '../operations/manageAssignments';
import type { BulkOperationSpec } from '../operations/types';
import { readUserNames } from '../read/lookups';
import { memberKey, readTeamMembers, type MemberObject, type TeamMember } from '../read/teams';
import type { VaultClient } from '../transport/client';
import { failedBeforeSending, refuseBadItems } from './errors';
import { LINE_BREAK, listProblems, whereIs, withItemDetails } from './messages';
import { problemItems } from './output';
import { prepareRun, runBulk } from './runBulk';
import type { BulkSettings, ItemProblem, SourceRow } from './types';

/**
 * Sync Members: the input is the desired roster (record, user, application role; optionally
 * `operation: REMOVE` for "must not be on the team"). The stage reads the current members of the
 * records in scope with VQL, computes the ADDs and REMOVEs, and hands them to the Manage pipeline
 * (batching, re-login, pacing, resend policy, waiting, read-back) as source rows: it does not send
 * anything itself.
 *
 * A removal the input did not ask for ("on the team in Vault but not in the input") is planned
 * only where the roster is known whole: a roster row the node could not use (an item error, a
 * contradiction, a value that differs from Vault's only in form) never causes one. Such a row
 * holds back every such removal from its record; a row whose record cannot be told (its record_id
 * not found or not an id, a row that could not be read) may stand for any record of the run, so
 * it holds back every such removal of the run. ADDs and the removals the input asks for go on.
 */
export interface SyncSettings {
	/** which current members the sync owns and may remove: the teams of the records in the input, optionally only these roles */
	roles: string[];
	/** most removals allowed: a count, or a share of the in-scope current members (at least 1) */
	maxRemovals: { count: number } | { percent: number };
	allowEmptyInput: boolean;
	planOnly: boolean;
	member: MemberObject;
}

type Change = 'add' | 'remove' | 'unchanged' | 'duplicate' | 'outOfScope' | 'heldBack';

interface Member {
	recordId: string;
	userId: string;
	role: string;
}

/** A roster row the node could use: the member it names, and whether they must be on the team. */
interface Desired extends Member {
	itemIndex: number;
	rowNumber?: number;
	wanted: boolean;
	lookups?: IDataObject;
	normalised?: string[];
}

/** One line of the plan that is not sent: the member, why, and the item it comes from (none for a held-back member). */
interface PlanEntry {
	member: Member;
	change: Change;
	reason: string;
	from?: Desired;
}

/** "10%" or "25": the Max Removals option, read; anything else is refused before any call. */
export function parseMaxRemovals(text: string): SyncSettings['maxRemovals'] | undefined {
	const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
	if (!match) return undefined;
	const value = Number(match[1]);
	return match[2] === '%' ? { percent: value } : Number.isInteger(value) ? { count: value } : undefined;
}

/**
 * How many removals Max Removals allows with this many current members in scope, and the rule in
 * words for the summary. A percentage allows at least 1 (0% none): 10% of a team under ten rounds
 * down to 0, and would stop the first ordinary leaver, while a truncated export removes many.
 */
export function removalsAllowed(max: SyncSettings['maxRemovals'], membersInScope: number): { allowed: number; text: string | number } {
	if ('count' in max) return { allowed: max.count, text: max.count };
	if (max.percent === 0) return { allowed: 0, text: `0% of ${membersInScope} = 0` };
	// percent × members first: 29 × 100 / 100 is 29, where 0.29 × 100 is 28.999…
	const allowed = Math.max(1, Math.floor((max.percent * membersInScope) / 100));
	return { allowed, text: `${max.percent}% of ${membersInScope} (at least 1) = ${allowed}` };
}

export async function runSync(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	source: SourceRow[],
	settings: BulkSettings,
	sync: SyncSettings,
): Promise<INodeExecutionData[]> {
	const client = await connect();
	const { prepared } = await prepareRun(fx, async () => client, source, settings);
	const problems: ItemProblem[] = [...prepared.problems];
	const plan: PlanEntry[] = [];
	const desired: Desired[] = prepared.rows.map(({ itemIndex, rowNumber, row, lookups, note }) => ({
		itemIndex,
		rowNumber,
		recordId: row.record_id,
		userId: row.user_id,
		role: row.application_role,
		wanted: row.operation !== 'REMOVE',
		lookups,
		normalised: note?.normalised as string[] | undefined,
	}));
	const effective = settleRoster(desired, problems, plan);
	if (problems.length > 0 && !settings.continueOnFail) refuseBadItems(fx, sortProblems(problems));
	if (effective.length === 0 && !sync.allowEmptyInput) refuseEmptyRoster(fx, problems);

	const inRoleScope = (role: string) => sync.roles.length === 0 || sync.roles.includes(role);
	const scoped = effective.filter((entry) => {
		if (inRoleScope(entry.role)) return true;
		plan.push({ member: entry, from: entry, change: 'outOfScope', reason: `role ${entry.role} is outside the sync's scope (${sync.roles.join(', ')}); not sent` });
		return false;
	});
	const records = [...new Set(scoped.map((entry) => entry.recordId))];
	const current = records.length === 0 ? [] : await readTeamMembers(client, sync.member, records, sync.roles).catch(failedBeforeSending(fx, 'Reading the current Quality Team members'));
	const present = new Map<string, TeamMember>(current.filter((member) => inRoleScope(member.role)).map((member) => [keyOf(member), member]));

	const nearMisses = nearIdenticalRows(scoped, present);
	if (nearMisses.size > 0 && !settings.continueOnFail) refuseBadItems(fx, [...nearMisses.values()]);
	problems.push(...nearMisses.values());
	sortProblems(problems);
	const roster = scoped.filter((entry) => !nearMisses.has(entry));
	const held = heldBack(problems, inRoleScope);

	const scopeText = `the Quality Teams of the records in the input${sync.roles.length > 0 ? `, roles ${sync.roles.join(', ')}` : ''}`;
	const { sends, removalsHeldBack } = planChanges(roster, present, held, plan, scopeText);
	const removals = sends.filter((row) => row.fields.operation === 'REMOVE');
	// who is being taken off, by name: a plan of user ids alone is hard for an admin to check
	const removedNames = removals.length === 0 ? undefined : await readUserNames(client, removals.map((row) => String(row.fields.user_id)));
	for (const row of removals) {
		const name = removedNames?.names.get(String(row.fields.user_id));
		if (name !== undefined) row.note = { ...row.note, user_name: name };
	}
	const rail = removalsAllowed(sync.maxRemovals, present.size);
	const summary: IDataObject = {
		summary: true,
		adds: sends.length - removals.length,
		removes: removals.length,
		unchanged: plan.filter((entry) => entry.change === 'unchanged').length,
		duplicates: plan.filter((entry) => entry.change === 'duplicate').length,
		outOfScope: plan.filter((entry) => entry.change === 'outOfScope').length,
		notSent: problems.length,
		removalsHeldBack,
		heldBack: held.all ? [held.all.entry] : [...held.records.values()].map((record) => record.entry),
		currentMembersInScope: present.size,
		scope: scopeText,
		maxRemovals: rail.text,
		planOnly: sync.planOnly,
		...(removedNames?.error ? { userNamesNotRead: removedNames.error } : {}),
	};
	const overRail = removals.length > rail.allowed;
	if (overRail && !sync.planOnly) {
		const lines = removals.map((row) => `remove user ${String(row.fields.user_id)}${row.note?.user_name ? ` (${String(row.note.user_name)})` : ''} from ${String(row.fields.record_id)} as ${String(row.fields.application_role)}`);
		throw new NodeOperationError(fx.getNode(), `Sync Members would remove ${removals.length} of the ${present.size} current members in scope, more than Max Removals allows (${String(rail.text)}), so nothing was sent`, {
			description: `A truncated or partial roster looks like this. If these removals are meant, raise Max Removals; run with "Plan Only" to see the whole plan first.${LINE_BREAK}${listProblems(lines)}`,
		});
	}

	const paired = (itemIndex: number) => (itemIndex < 0 ? {} : { pairedItem: { item: itemIndex } });
	const planItems: INodeExecutionData[] = plan.map(({ member, change, reason, from }) => ({
		json: {
			change,
			reason,
			record_id: member.recordId,
			user_id: member.userId,
			application_role: member.role,
			...(from ? { item: from.itemIndex } : {}),
			...(from?.lookups ? { lookedUp: from.lookups } : {}),
			...(from?.normalised ? { normalised: from.normalised } : {}),
		},
		...(from ? paired(from.itemIndex) : {}),
	}));
	const everyItem = [...new Set(source.map((row) => row.itemIndex))].map((item) => ({ item }));
	const summaryItem: INodeExecutionData = { json: { ...summary, ...(overRail ? { blockedByMaxRemovals: true } : {}) }, pairedItem: everyItem };

	if (sync.planOnly || sends.length === 0) {
		const changes: INodeExecutionData[] = sends.map((row) => ({
			json: { ...(row.note as IDataObject), record_id: row.fields.record_id, user_id: row.fields.user_id, application_role: row.fields.application_role, operation: row.fields.operation, ...(row.itemIndex < 0 ? {} : { item: row.itemIndex }) },
			...paired(row.itemIndex),
		}));
		return [...changes, ...planItems, ...problemItems(problems), summaryItem];
	}
	const sent = await runBulk(fx, async () => client, sends, { ...settings, spec: manageQualityTeamAssignments as BulkOperationSpec, lookups: undefined });
	return [...sent, ...planItems, ...problemItems(problems), summaryItem];
}

const keyOf = (member: Member) => memberKey(member.recordId, member.userId, member.role);

function sortProblems(problems: ItemProblem[]): ItemProblem[] {
	return problems.sort((a, b) => a.itemIndex - b.itemIndex || (a.rowNumber ?? 0) - (b.rowNumber ?? 0));
}

/**
 * The same assignment twice is sent once; asked both on and off the team, neither is sent and
 * every item of it is an error (which holds back its record, heldBack below). Returns the rows
 * that stand for their member; duplicates go to the plan, contradictions to the problems.
 */
function settleRoster(desired: Desired[], problems: ItemProblem[], plan: PlanEntry[]): Desired[] {
	const byKey = new Map<string, Desired[]>();
	for (const entry of desired) {
		const key = keyOf(entry);
		const entries = byKey.get(key);
		if (entries) entries.push(entry);
		else byKey.set(key, [entry]);
	}
	const effective: Desired[] = [];
	for (const entries of byKey.values()) {
		if (new Set(entries.map((entry) => entry.wanted)).size > 1) {
			const on = entries.filter((entry) => entry.wanted).map((entry) => entry.itemIndex);
			const off = entries.filter((entry) => !entry.wanted).map((entry) => entry.itemIndex);
			for (const entry of entries) {
				problems.push({
					itemIndex: entry.itemIndex,
					rowNumber: entry.rowNumber,
					problems: [`contradiction: item(s) ${on.join(', ')} put user ${entry.userId} on record ${entry.recordId} as ${entry.role} and item(s) ${off.join(', ')} take them off; neither is sent`],
					row: { record_id: entry.recordId, user_id: entry.userId, application_role: entry.role },
				});
			}
			continue;
		}
		effective.push(entries[0]);
		for (const duplicate of entries.slice(1)) {
			plan.push({ member: duplicate, from: duplicate, change: 'duplicate', reason: `the same assignment as item ${entries[0].itemIndex}, which stands for both; sent once` });
		}
	}
	return effective;
}

/**
 * The ADDs and REMOVEs: each roster row against what Vault has (unchanged rows to the plan), then
 * every current member no row asked about: removed ("not in the input"), unless a bad row holds
 * back its record (a `heldBack` plan entry, counted).
 */
function planChanges(
	roster: Desired[],
	present: Map<string, TeamMember>,
	held: HeldBack,
	plan: PlanEntry[],
	scopeText: string,
): { sends: SourceRow[]; removalsHeldBack: number } {
	const sends: SourceRow[] = [];
	const send = (itemIndex: number, member: Member, operation: 'ADD' | 'REMOVE', note: IDataObject, rowNumber?: number) =>
		sends.push({ itemIndex, rowNumber, fields: { record_id: member.recordId, user_id: member.userId, application_role: member.role, operation }, note });
	const asked = new Set<string>();
	for (const entry of roster) {
		const key = keyOf(entry);
		asked.add(key);
		const trail: IDataObject = { ...(entry.lookups ? { lookedUp: entry.lookups } : {}), ...(entry.normalised ? { normalised: entry.normalised } : {}) };
		if (entry.wanted === present.has(key)) {
			plan.push({ member: entry, from: entry, change: 'unchanged', reason: entry.wanted ? 'already on the team in Vault' : 'already not on the team in Vault' });
		} else if (entry.wanted) send(entry.itemIndex, entry, 'ADD', { change: 'add', reason: 'in the input, not on the team in Vault', ...trail }, entry.rowNumber);
		else send(entry.itemIndex, entry, 'REMOVE', { change: 'remove', reason: 'the input asks to take it off the team', ...trail }, entry.rowNumber);
	}
	let removalsHeldBack = 0;
	for (const [key, member] of present) {
		if (asked.has(key) || held.asked.has(looseKey(member))) continue;
		const why = held.all ? held.all.reason : held.records.get(member.recordId.toUpperCase())?.reason;
		if (why === undefined) {
			send(-1, member, 'REMOVE', { change: 'remove', reason: `on the team in Vault but not in the input (the sync owns ${scopeText})` });
			continue;
		}
		removalsHeldBack++;
		plan.push({ member, change: 'heldBack', reason: `on the team in Vault but not in the input; not removed: ${why}` });
	}
	return { sends, removalsHeldBack };
}

/** The key of a member with the parts Vault may read alike made alike: record ids in upper case, roles in lower case, user ids without leading zeros. */
const looseKey = (member: Member) => memberKey(member.recordId.toUpperCase(), member.userId.replace(/^0+(?=\d)/, ''), member.role.toLowerCase());

/**
 * Roster rows that name a current member in another form than Vault's (a record id in another
 * letter case: Vault documents no case for record ids, so the id form lets both through). Sent,
 * such a row would be an ADD of a near-identical key beside the REMOVE of the member it means:
 * it is the row's error instead, and it counts as about that member (so it holds back its record).
 */
function nearIdenticalRows(roster: Desired[], present: Map<string, TeamMember>): Map<Desired, ItemProblem> {
	const byLooseKey = new Map<string, TeamMember>();
	for (const member of present.values()) byLooseKey.set(looseKey(member), member);
	const misses = new Map<Desired, ItemProblem>();
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
			row: { record_id: member.recordId, user_id: member.userId, application_role: member.role },
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
interface HeldBack {
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
function heldBack(problems: ItemProblem[], inRoleScope: (role: string) => boolean): HeldBack {
	const asked = new Set<string>();
	const unknownRecord: ItemProblem[] = [];
	const byRecord = new Map<string, ItemProblem[]>();
	for (const problem of problems) {
		const usable = (column: string) => (problem.row?.[column] && !problem.unusable?.has(column) ? problem.row[column] : undefined);
		const [recordId, userId, role] = [usable('record_id'), usable('user_id'), usable('application_role')];
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
		return { all: { reason, entry: { allRecords: true, ...itemsOf(unknownRecord), reason } }, records, asked };
	}
	for (const [record, rows] of byRecord) {
		// the record as the rows give it (as Vault has it, when they agree)
		const recordId = rows[0].row?.record_id ?? record;
		const reason = `${rowsText(rows)} for record ${recordId} could not be used (see the item's error), so the record's roster is not known whole and no member missing from it was removed`;
		records.set(record, { reason, entry: { record_id: recordId, ...itemsOf(rows), reason } });
	}
	return { records, asked };
}

/** "item 3", "items 0, 1", "item 0, CSV rows 4, 9" */
function rowsText(rows: ItemProblem[]): string {
	const { items, csvRows } = itemsOf(rows);
	const itemText = `${items.length === 1 ? 'item' : 'items'} ${items.join(', ')}`;
	return csvRows ? `${itemText}, CSV ${csvRows.length === 1 ? 'row' : 'rows'} ${csvRows.join(', ')}` : itemText;
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
function refuseEmptyRoster(fx: IExecuteFunctions, problems: ItemProblem[]): never {
	const perItem = new Map<number, IDataObject>();
	for (const problem of sortProblems(problems)) {
		const lines = problem.problems.map((text) => (problem.rowNumber === undefined ? text : `CSV row ${problem.rowNumber}: ${text}`));
		const details = perItem.get(problem.itemIndex) ?? { problems: [] };
		(details.problems as string[]).push(...lines);
		perItem.set(problem.itemIndex, details);
	}
	const why = problems.map((problem) => `${whereIs(problem)}: ${problem.problems.join('; ')}`);
	const error = new NodeOperationError(fx.getNode(), 'Sync Members got no usable assignment, so it read nothing and removed nothing', {
		description:
			'An empty roster never means "remove everyone". If the input is meant to be empty, turn on the option "Allow Empty Input" (with scope "records in the input" an empty input still removes nothing).' +
			(why.length > 0 ? `${LINE_BREAK}${listProblems(why)}` : ''),
	});
	throw withItemDetails(error, perItem);
}
