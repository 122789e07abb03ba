import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { TeamColumns } from '../operations/types';
import type { TeamCatalog } from '../read/teamLayout';
import type { VaultClient } from '../transport/client';
import { refuseBadItems } from './errors';
import {
	readMemberships,
	searchScope,
	type EverywhereSettings,
	type Person,
} from './everywhereRead';
import { planEverywhere, type EverywherePlan } from './everywherePlan';
import { LINE_BREAK, listProblems } from './messages';
import type { PreparedRows } from './prepare';
import { sortProblems } from './rosterRails';
import type { ItemProblem, SourceRow } from './types';

/**
 * The stage of Remove User From All Teams and Replace User, between validate and plan (as Sync's
 * reconcile): the people of the prepared rows, their memberships read (everywhereRead.ts) and
 * decided (everywherePlan.ts), Max Removals applied per person. It gives the orchestrator
 * (run.ts, runEverywhere) rows by phase and object, and the plan's items; it sends nothing.
 */
export interface EverywhereStage extends EverywherePlan {
	/** items not planned: their own errors, and people above Max Removals (with continue on fail) */
	problems: ItemProblem[];
}

export async function planPeople(
	fx: IExecuteFunctions,
	client: VaultClient,
	catalog: TeamCatalog,
	prepared: PreparedRows,
	continueOnFail: boolean,
	settings: EverywhereSettings,
	columns: TeamColumns,
): Promise<EverywhereStage> {
	const problems: ItemProblem[] = [...prepared.problems];
	const { people, duplicates } = peopleOf(prepared, problems);
	const scope =
		people.length > 0
			? await searchScope(fx, client, catalog, settings)
			: { objects: [], searched: [] };
	if ('unreadable' in scope) people.splice(0).forEach(unreadableFor(problems, scope.unreadable));
	if (problems.length > 0 && !continueOnFail) refuseBadItems(fx, sortProblems(problems));
	const { memberships, assumed } =
		people.length > 0 && !('unreadable' in scope)
			? await readMemberships(fx, client, catalog, people, settings, scope)
			: { memberships: [], assumed: [] };
	const searched = 'unreadable' in scope ? [] : scope.searched;
	const plan = planEverywhere(people, memberships, settings, { searched, assumed, columns });
	for (const [itemIndex, first] of duplicates)
		plan.summaries.set(itemIndex, {
			summary: true,
			item: itemIndex,
			outcome: `the same person as item ${first}, planned there`,
			duplicateOf: first,
		});
	if (plan.overRail.length > 0 && !settings.planOnly) {
		if (!continueOnFail) refuseOverRail(fx, plan, settings.maxRemovals);
		for (const { person, removals } of plan.overRail) {
			problems.push({
				itemIndex: person.itemIndex,
				problems: [
					`user ${person.userId} would be removed ${removals.length} times, more than Max Removals (${settings.maxRemovals}); nothing was sent for this person (the plan lines say what): ${removals.slice(0, 10).join('; ')}${removals.length > 10 ? ` and ${removals.length - 10} more` : ''}`,
				],
			});
		}
	}
	return { ...plan, problems: sortProblems(problems) };
}

/**
 * The Quality Team definitions could not be read and Team Objects to Search is empty: each person
 * is their item's error, saying so and what to set, and nothing is read or sent for them.
 */
function unreadableFor(problems: ItemProblem[], why: string) {
	return (person: Person) =>
		problems.push({
			itemIndex: person.itemIndex,
			problems: [
				`the Quality Team definitions could not be read (Vault said: ${why}), so the node cannot know every team user ${person.userId} is on; nothing was read or sent for them. Set Team Objects to Search to the team-enabled objects to search (e.g. quality_event__qdm, risk_event__v), or run as a user who may read Vault's Qualityteam configuration (a Vault admin; Quality Team → Describe Teams shows what this user can read)`,
			],
		});
}

/** Each good row's person; the same person (and stand-in) again is planned once; a person as their own stand-in is the item's error. */
function peopleOf(
	prepared: PreparedRows,
	problems: ItemProblem[],
): { people: Person[]; duplicates: Map<number, number> } {
	const people: Person[] = [];
	const seen = new Map<string, number>();
	const duplicates = new Map<number, number>();
	for (const { itemIndex, row, lookups } of prepared.rows) {
		const person: Person = {
			itemIndex,
			userId: row.user_id,
			...(row.replacement_user_id !== undefined ? { replacementId: row.replacement_user_id } : {}),
			...(lookups ? { lookups } : {}),
		};
		if (person.replacementId === person.userId) {
			problems.push({
				itemIndex,
				problems: [
					`user ${person.userId} is named as their own stand-in (user_id and replacement_user_id are the same user)`,
				],
			});
			continue;
		}
		const first = seen.get(person.userId);
		if (first !== undefined) {
			const same =
				people.find((entry) => entry.itemIndex === first)?.replacementId === person.replacementId;
			if (same) duplicates.set(itemIndex, first);
			else
				problems.push({
					itemIndex,
					problems: [
						`user ${person.userId} is replaced by another stand-in in item ${first}; one run replaces a person once`,
					],
				});
			continue;
		}
		seen.set(person.userId, itemIndex);
		people.push(person);
	}
	return { people, duplicates };
}

/** People above Max Removals, without Plan Only and without continue on fail: nothing is sent, and the error lists them. */
function refuseOverRail(fx: IExecuteFunctions, plan: EverywherePlan, max: number): never {
	const lines = plan.overRail.map(
		({ person, removals }) =>
			`item ${person.itemIndex}, user ${person.userId}: ${removals.length} memberships (${removals.slice(0, 5).join('; ')}${removals.length > 5 ? '; …' : ''})`,
	);
	throw new NodeOperationError(
		fx.getNode(),
		`${plan.overRail.length === 1 ? 'A person has' : `${plan.overRail.length} people have`} more memberships to remove than Max Removals allows (${max}), so nothing was sent`,
		{
			description: `If these removals are meant, raise Max Removals; run with "Plan Only" to see the whole plan first.${LINE_BREAK}${listProblems(lines)}`,
			itemIndex: plan.overRail[0].person.itemIndex,
		},
	);
}

/**
 * Replace: the REMOVEs whose stand-in's ADD Verify confirmed on the team (applied true) go; every
 * other one is kept back with why: an ADD Vault refused, or one that could not be confirmed,
 * keeps the person on the record. A dry run confirms nothing and shows them all.
 */
export function gateRemovals(
	gated: Map<string, SourceRow[]>,
	addItems: INodeExecutionData[],
	dryRun: boolean,
): { confirmed: Map<string, SourceRow[]>; kept: Array<{ itemIndex: number; json: IDataObject }> } {
	if (dryRun) return { confirmed: gated, kept: [] };
	const key = (json: IDataObject) =>
		JSON.stringify([json.object, json.record_id, json.application_role, json.item]);
	const added = new Map(
		addItems
			.filter((item) => item.json.change === 'add')
			.map((item) => [key(item.json), item.json]),
	);
	const confirmed = new Map<string, SourceRow[]>();
	const kept: Array<{ itemIndex: number; json: IDataObject }> = [];
	for (const [object, rows] of gated) {
		for (const row of rows) {
			const add = added.get(key(row.note as IDataObject));
			if (add?.applied === true) {
				confirmed.set(object, [...(confirmed.get(object) ?? []), row]);
				continue;
			}
			const why =
				add === undefined
					? "the stand-in's ADD was not sent or failed (see its item)"
					: add.applied === false
						? "Vault did not apply the stand-in's ADD (read back after its job; the job's results email says why)"
						: `the stand-in's ADD could not be confirmed (${String(add.verifyError ?? 'not read back')})`;
			kept.push({
				itemIndex: row.itemIndex,
				json: {
					...(row.note as IDataObject),
					change: 'kept',
					reason: `${why}: the person stays on the record, not removed`,
				},
			});
		}
	}
	return { confirmed, kept };
}

/** The plan's lines and the people's summaries as items, each paired to its person's item. */
export function everywhereItems(
	lines: Array<{ itemIndex: number; json: IDataObject }>,
	summaries: Map<number, IDataObject>,
): { lineItems: INodeExecutionData[]; summaryItems: INodeExecutionData[] } {
	return {
		lineItems: lines.map(({ itemIndex, json }) => ({ json, pairedItem: { item: itemIndex } })),
		summaryItems: [...summaries]
			.sort(([a], [b]) => a - b)
			.map(([itemIndex, json]) => ({ json, pairedItem: { item: itemIndex } })),
	};
}

/**
 * What came of each person's rows, added to their summary: rows sent, and with Verify (always, on
 * Replace) those confirmed applied and those not; REMOVEs kept back because their ADD was not
 * confirmed. A job's per-row outcome is not given by Vault otherwise (VAULT-API.md, "Jobs").
 */
export function tallySent(
	summaries: Map<number, IDataObject>,
	sent: INodeExecutionData[],
	kept: Array<{ itemIndex: number }>,
): void {
	const add = (itemIndex: number, field: string) => {
		const summary = summaries.get(itemIndex);
		if (summary) summary[field] = Number(summary[field] ?? 0) + 1;
	};
	for (const { json } of sent) {
		if (typeof json.item !== 'number' || (json.change !== 'add' && json.change !== 'remove'))
			continue;
		add(json.item, 'sent');
		if (json.applied === true) add(json.item, 'applied');
		else if (json.applied === false) add(json.item, 'notApplied');
	}
	for (const { itemIndex } of kept) add(itemIndex, 'kept');
}
