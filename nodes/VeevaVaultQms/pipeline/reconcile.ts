import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { TeamColumns } from '../operations/types';
import { readUserNames } from '../read/lookups';
import type { TeamCatalog, TeamLayout } from '../read/teamLayout';
import type { TeamMember } from '../read/teams';
import type { VaultClient } from '../transport/client';
import { failedBeforeSending, refuseBadItems } from './errors';
import { reconcileItems } from './outputReconcile';
import type { PreparedRows } from './prepare';
import { planChanges, settleRoster } from './rosterDiff';
import {
	heldBack,
	keyOf,
	nearIdenticalRows,
	refuseEmptyRoster,
	refuseOverMaxRemovals,
	removalsAllowed,
	sortProblems,
	type HeldBack,
	type MaxRemovals,
} from './rosterRails';
import { checkScopeRoles, teamLayoutFor, teamSource } from './teamChecks';
import type { BulkSettings, DesiredMember, ItemProblem, PlanEntry, SourceRow } from './types';

/**
 * The reconcile stage (Sync Members): the input is the desired roster (record, user, application
 * role; optionally `operation: REMOVE` for "must not be on the team"). The stage reads the current
 * members of the records in scope with VQL, computes the ADDs and REMOVEs, and gives them back as
 * rows for the rest of the pipeline (run.ts and sendGroups.ts: batching, re-login, pacing, resend
 * policy, waiting, read-back), with the plan's items and summary: it sends nothing and calls no
 * pipeline itself. The diff itself is rosterDiff.ts; the rails (empty roster, near-identical rows,
 * Max Removals, held back) are rosterRails.ts.
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
	maxRemovals: MaxRemovals;
	allowEmptyInput: boolean;
	planOnly: boolean;
	/** an output item per unchanged roster row; off: only their count, in the summary */
	outputUnchanged: boolean;
}

/** What reconciling gives the pipeline: the rows to send, and the items that go with them. */
export interface Reconciled {
	/** the ADD and REMOVE rows, as Manage takes them */
	sends: SourceRow[];
	/** Plan Only, or nothing differs: nothing is sent, and `changeItems` say what would be */
	sendNothing: boolean;
	changeItems: INodeExecutionData[];
	/** the plan's items (unchanged, duplicates, out of scope, held back), the rows not sent, and the summary */
	items: INodeExecutionData[];
}

/** The reconcile stage: the prepared roster against the teams Vault has, as rows to send and the plan's items. */
export async function reconcile(
	fx: IExecuteFunctions,
	client: VaultClient,
	prepared: PreparedRows,
	source: SourceRow[],
	settings: BulkSettings,
	sync: SyncSettings,
): Promise<Reconciled> {
	const { teamColumns: columns } = settings.spec;
	const catalog = settings.teams;
	if (!columns || !catalog)
		throw new Error(`${settings.spec.name} reconciles teams but its spec names no team columns`);
	const problems: ItemProblem[] = [...prepared.problems];
	const plan: PlanEntry[] = [];
	const effective = settleRoster(columns, desiredRoster(columns, prepared), problems, plan);
	if (problems.length > 0 && !settings.continueOnFail) refuseBadItems(fx, sortProblems(problems));
	if (effective.length === 0 && !sync.allowEmptyInput) refuseEmptyRoster(fx, problems);

	const inRoleScope = (role: string) => sync.roles.length === 0 || sync.roles.includes(role);
	const scoped = inScope(effective, sync.roles, inRoleScope, plan);
	const { layout, present } = await readTeams(
		fx,
		client,
		catalog,
		settings,
		sync,
		scoped,
		inRoleScope,
	);
	const nearMisses = nearIdenticalRows(columns, scoped, present);
	if (nearMisses.size > 0 && !settings.continueOnFail) refuseBadItems(fx, [...nearMisses.values()]);
	problems.push(...nearMisses.values());
	sortProblems(problems);
	const roster = scoped.filter((entry) => !nearMisses.has(entry));
	const held = unconfirmedHoldsBack(layout.unconfirmed, heldBack(columns, problems, inRoleScope));

	const scopeText = `the Quality Teams of the records in the input${sync.roles.length > 0 ? `, roles ${sync.roles.join(', ')}` : ''}`;
	const { sends, removalsHeldBack } = planChanges(columns, roster, present, held, plan, scopeText);
	const removals = sends.filter((row) => row.fields[columns.operation] === 'REMOVE');
	const removedNames = await nameRemovals(client, columns, removals);
	const rail = removalsAllowed(sync.maxRemovals, present.size);
	const summary: IDataObject = {
		summary: true,
		adds: sends.length - removals.length,
		removes: removals.length,
		...planCounts(plan),
		notSent: problems.length,
		removalsHeldBack,
		heldBack: held.all
			? [held.all.entry]
			: [...held.records.values()].map((record) => record.entry),
		currentMembersInScope: present.size,
		scope: scopeText,
		maxRemovals: rail.text,
		planOnly: sync.planOnly,
		...teamSource(layout),
		...(removedNames?.error ? { userNamesNotRead: removedNames.error } : {}),
		...(sync.outputUnchanged ? {} : { unchangedNotListed: true }),
	};
	const overRail = removals.length > rail.allowed;
	if (overRail && !sync.planOnly)
		refuseOverMaxRemovals(fx, columns, removals, present.size, rail.text);
	if (overRail) summary.blockedByMaxRemovals = true;

	const sendNothing = sync.planOnly || sends.length === 0;
	const everyItem = [...new Set(source.map((row) => row.itemIndex))];
	return {
		sends,
		sendNothing,
		...reconcileItems(
			columns,
			sync.outputUnchanged ? plan : plan.filter((entry) => entry.change !== 'unchanged'),
			problems,
			summary,
			everyItem,
			sendNothing ? sends : [],
		),
	};
}

/** The prepared rows as the members the roster wants on (or, with `operation: REMOVE`, off) the team. */
function desiredRoster(columns: TeamColumns, prepared: PreparedRows): DesiredMember[] {
	return prepared.rows.map(({ itemIndex, rowNumber, row, lookups, note }) => ({
		itemIndex,
		rowNumber,
		recordId: row[columns.record],
		userId: row[columns.user],
		role: row[columns.role],
		wanted: row[columns.operation] !== 'REMOVE',
		lookups,
		normalised: note?.normalised as string[] | undefined,
	}));
}

/** The roster rows of the sync's roles; the others go to the plan as out of scope. */
function inScope(
	effective: DesiredMember[],
	roles: string[],
	inRoleScope: (role: string) => boolean,
	plan: PlanEntry[],
): DesiredMember[] {
	return effective.filter((entry) => {
		if (inRoleScope(entry.role)) return true;
		plan.push({
			member: entry,
			from: entry,
			change: 'outOfScope',
			reason: `role ${entry.role} is outside the sync's scope (${roles.join(', ')}); not sent`,
		});
		return false;
	});
}

/** The records' team layout, confirmed, and their current members in the sync's roles, by member key. */
async function readTeams(
	fx: IExecuteFunctions,
	client: VaultClient,
	catalog: TeamCatalog,
	settings: BulkSettings,
	sync: SyncSettings,
	scoped: DesiredMember[],
	inRoleScope: (role: string) => boolean,
): Promise<{ layout: TeamLayout; present: Map<string, TeamMember> }> {
	const records = [...new Set(scoped.map((entry) => entry.recordId))];
	// the member object and fields of the records' teams, confirmed before anything is read from them (issue 22, items 2 and 3)
	const layout = await teamLayoutFor(fx, client, catalog, settings.context.objectName);
	checkScopeRoles(fx, layout, sync.roles);
	const current =
		records.length === 0
			? []
			: await catalog
					.members(client, layout, records, sync.roles)
					.catch(failedBeforeSending(fx, 'Reading the current Quality Team members'));
	const present = new Map<string, TeamMember>(
		current.filter((member) => inRoleScope(member.role)).map((member) => [keyOf(member), member]),
	);
	return { layout, present };
}

/** The plan's entries counted by change, for the summary. */
function planCounts(plan: PlanEntry[]): IDataObject {
	const count = (change: PlanEntry['change']) =>
		plan.filter((entry) => entry.change === change).length;
	return {
		unchanged: count('unchanged'),
		duplicates: count('duplicate'),
		outOfScope: count('outOfScope'),
	};
}

/**
 * A team read through member fields Vault's metadata did not confirm (issue 22, item 3: the
 * integration user may not read it) may read members wrongly: a wrong status or role field makes a
 * member look absent, or present under another role. Adds and the input's own REMOVE rows still go
 * (the input asked for them); no member is removed for being missing from the input.
 */
function unconfirmedHoldsBack(unconfirmed: string[], held: HeldBack): HeldBack {
	if (unconfirmed.length === 0 || held.all) return held;
	const reason = `${unconfirmed.join('; ')}, so the team may have been read wrongly and no member missing from the input was removed (run Quality Team → Describe Teams as a Vault admin, or give the integration user read access to the member object's metadata)`;
	return { ...held, all: { reason, entry: { allRecords: true, reason } } };
}

/** Who is being taken off, by name (on each REMOVE row's note): a plan of user ids alone is hard for an admin to check. */
async function nameRemovals(
	client: VaultClient,
	columns: TeamColumns,
	removals: SourceRow[],
): Promise<{ names: Map<string, string>; error?: string } | undefined> {
	const removedNames =
		removals.length === 0
			? undefined
			: await readUserNames(
					client,
					removals.map((row) => String(row.fields[columns.user])),
				);
	for (const row of removals) {
		const name = removedNames?.names.get(String(row.fields[columns.user]));
		if (name !== undefined) row.note = { ...row.note, user_name: name };
	}
	return removedNames;
}
