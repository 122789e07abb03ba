import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { manageQualityTeamAssignments } from '../operations/manageAssignments';
import type { BulkOperationSpec } from '../operations/types';
import type { VaultClient } from '../transport/client';
import { LINE_BREAK, listProblems } from './outcome';
import { problemItems } from './output';
import type { ItemProblem, SourceRow } from './prepare';
import { failedBeforeSending, prepareRun, refuseBadItems, runBulk, type BulkSettings } from './runBulk';
import { memberKey, readTeamMembers, type MemberObject, type TeamMember } from './teamMembers';

/**
 * Sync Members: the input is the desired roster (record, user, application role; optionally
 * `operation: REMOVE` for "must not be on the team"). The stage reads the current members of the
 * records in scope with VQL, computes the ADDs and REMOVEs, and hands them to the Manage pipeline
 * (batching, re-login, pacing, resend policy, waiting, read-back) as source rows: it does not send
 * anything itself.
 */
export interface SyncSettings {
	/** which current members the sync owns and may remove: the teams of the records in the input, optionally only these roles */
	roles: string[];
	/** most removals allowed: a count, or a share of the in-scope current members */
	maxRemovals: { count: number } | { percent: number };
	allowEmptyInput: boolean;
	planOnly: boolean;
	member: MemberObject;
}

type Change = 'add' | 'remove' | 'unchanged' | 'duplicate' | 'outOfScope';

interface Desired {
	itemIndex: number;
	rowNumber?: number;
	recordId: string;
	userId: string;
	role: string;
	wanted: boolean;
	lookups?: IDataObject;
}

/** "10%" or "25": the Max Removals option, read; anything else is refused before any call. */
export function parseMaxRemovals(text: string): SyncSettings['maxRemovals'] | undefined {
	const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
	if (!match) return undefined;
	const value = Number(match[1]);
	return match[2] === '%' ? { percent: value } : Number.isInteger(value) ? { count: value } : undefined;
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
	const desired: Desired[] = prepared.rows.map(({ itemIndex, rowNumber, row, lookups: trail }) => ({
		itemIndex,
		rowNumber,
		recordId: row.record_id,
		userId: row.user_id,
		role: row.application_role,
		wanted: row.operation !== 'REMOVE',
		lookups: trail,
	}));

	// the same assignment twice is sent once; asked both on and off the team, neither is sent
	const byKey = new Map<string, Desired[]>();
	for (const entry of desired) byKey.set(memberKey(entry.recordId, entry.userId, entry.role), [...(byKey.get(memberKey(entry.recordId, entry.userId, entry.role)) ?? []), entry]);
	const plan: Array<{ entry: Desired; change: Change; reason: string }> = [];
	const effective: Desired[] = [];
	for (const entries of byKey.values()) {
		const wants = new Set(entries.map((entry) => entry.wanted));
		if (wants.size > 1) {
			const on = entries.filter((entry) => entry.wanted).map((entry) => entry.itemIndex);
			const off = entries.filter((entry) => !entry.wanted).map((entry) => entry.itemIndex);
			for (const entry of entries) {
				problems.push({
					itemIndex: entry.itemIndex,
					rowNumber: entry.rowNumber,
					problems: [`contradiction: item(s) ${on.join(', ')} put user ${entry.userId} on record ${entry.recordId} as ${entry.role} and item(s) ${off.join(', ')} take them off; neither is sent`],
				});
			}
			continue;
		}
		effective.push(entries[0]);
		for (const duplicate of entries.slice(1)) plan.push({ entry: duplicate, change: 'duplicate', reason: `the same assignment as item ${entries[0].itemIndex}, which stands for both; sent once` });
	}
	problems.sort((a, b) => a.itemIndex - b.itemIndex || (a.rowNumber ?? 0) - (b.rowNumber ?? 0));
	if (problems.length > 0 && !settings.continueOnFail) refuseBadItems(fx, problems);

	if (effective.length === 0 && !sync.allowEmptyInput) {
		throw new NodeOperationError(fx.getNode(), 'Sync Members got no usable assignment, so it read nothing and removed nothing', {
			description:
				'An empty roster never means "remove everyone". If the input is meant to be empty, turn on the option "Allow Empty Input" (with scope "records in the input" an empty input still removes nothing).',
		});
	}
	const inRoleScope = (role: string) => sync.roles.length === 0 || sync.roles.includes(role);
	const scoped = effective.filter((entry) => {
		if (inRoleScope(entry.role)) return true;
		plan.push({ entry, change: 'outOfScope', reason: `role ${entry.role} is outside the sync's scope (${sync.roles.join(', ')}); not sent` });
		return false;
	});
	const records = [...new Set(scoped.map((entry) => entry.recordId))];
	const current = records.length === 0 ? [] : await readTeamMembers(client, sync.member, records, sync.roles).catch(failedBeforeSending(fx, 'Reading the current Quality Team members'));
	const present = new Map<string, TeamMember>(current.filter((member) => inRoleScope(member.role)).map((member) => [memberKey(member.recordId, member.userId, member.role), member]));

	const scopeText = `the Quality Teams of the records in the input${sync.roles.length > 0 ? `, roles ${sync.roles.join(', ')}` : ''}`;
	const sends: SourceRow[] = [];
	const send = (itemIndex: number, entry: { recordId: string; userId: string; role: string }, operation: 'ADD' | 'REMOVE', note: IDataObject, rowNumber?: number) =>
		sends.push({ itemIndex, rowNumber, fields: { record_id: entry.recordId, user_id: entry.userId, application_role: entry.role, operation }, note });
	const asked = new Set<string>();
	for (const entry of scoped) {
		const key = memberKey(entry.recordId, entry.userId, entry.role);
		asked.add(key);
		const trail = entry.lookups ? { lookedUp: entry.lookups } : {};
		if (entry.wanted === present.has(key)) {
			plan.push({ entry, change: 'unchanged', reason: entry.wanted ? 'already on the team in Vault' : 'already not on the team in Vault' });
		} else if (entry.wanted) send(entry.itemIndex, entry, 'ADD', { change: 'add', reason: 'in the input, not on the team in Vault', ...trail }, entry.rowNumber);
		else send(entry.itemIndex, entry, 'REMOVE', { change: 'remove', reason: 'the input asks to take it off the team', ...trail }, entry.rowNumber);
	}
	const implicit = [...present.entries()].filter(([key]) => !asked.has(key));
	for (const [, member] of implicit) send(-1, member, 'REMOVE', { change: 'remove', reason: `on the team in Vault but not in the input (the sync owns ${scopeText})` });

	const removals = sends.filter((row) => row.fields.operation === 'REMOVE');
	const allowed = 'count' in sync.maxRemovals ? sync.maxRemovals.count : Math.floor((sync.maxRemovals.percent / 100) * present.size);
	const summary: IDataObject = {
		summary: true,
		adds: sends.length - removals.length,
		removes: removals.length,
		unchanged: plan.filter((entry) => entry.change === 'unchanged').length,
		duplicates: plan.filter((entry) => entry.change === 'duplicate').length,
		outOfScope: plan.filter((entry) => entry.change === 'outOfScope').length,
		notSent: problems.length,
		currentMembersInScope: present.size,
		scope: scopeText,
		maxRemovals: 'count' in sync.maxRemovals ? sync.maxRemovals.count : `${sync.maxRemovals.percent}% = ${allowed}`,
		planOnly: sync.planOnly,
	};
	const overRail = removals.length > allowed;
	if (overRail && !sync.planOnly) {
		const lines = removals.map((row) => `remove user ${String(row.fields.user_id)} from ${String(row.fields.record_id)} as ${String(row.fields.application_role)}`);
		throw new NodeOperationError(fx.getNode(), `Sync Members would remove ${removals.length} of the ${present.size} current members in scope, more than Max Removals allows (${String(summary.maxRemovals)}), so nothing was sent`, {
			description: `A truncated or partial roster looks like this. If these removals are meant, raise Max Removals; run with "Plan Only" to see the whole plan first.${LINE_BREAK}${listProblems(lines)}`,
		});
	}

	const paired = (itemIndex: number) => (itemIndex < 0 ? {} : { pairedItem: { item: itemIndex } });
	const planItems: INodeExecutionData[] = plan.map(({ entry, change, reason }) => ({
		json: { change, reason, record_id: entry.recordId, user_id: entry.userId, application_role: entry.role, item: entry.itemIndex, ...(entry.lookups ? { lookedUp: entry.lookups } : {}) },
		...paired(entry.itemIndex),
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
