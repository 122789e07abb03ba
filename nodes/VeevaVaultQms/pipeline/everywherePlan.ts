import type { IDataObject } from 'n8n-workflow';

import {
	countLeaving,
	decide,
	type DecidedRow,
	type Decision,
	type EverywhereSends,
} from './everywhereDecide';
import type { TeamColumns } from '../operations/types';
import type { EverywhereSettings, Membership, Person } from './everywhereRead';

/**
 * The plan half of Remove User From All Teams and Replace User: each membership read
 * (everywhereRead.ts) decided on, against the team's rules as Vault's Qualityteam definitions give
 * them (Quality MDL, "Qualityteam" / "Qualityteamrole"): a record in the team's locked_in_states is
 * skipped (Vault refuses changes there); a removal that would break minimum_user_in_role is
 * flagged and skipped unless asked for; a stand-in already in an exclusive_membership role beside
 * another is a planned error; a role at maximum_user_in_role cannot take the stand-in first. What
 * is sent is Manage rows, grouped by team-enabled object (Manage's path names one object). Each
 * membership's decision is everywhereDecide.ts; here they become the plan.
 */

export interface EverywherePlan extends EverywhereSends {
	/** a line per membership not sent (skipped, or every line with Plan Only), paired to its person */
	lines: Array<{ itemIndex: number; json: IDataObject }>;
	/** one per person, by item */
	summaries: Map<number, IDataObject>;
	/** people above Max Removals, with the removals they would get */
	overRail: Array<{ person: Person; removals: string[] }>;
}

/** Where the plan's people were searched, and the columns of the endpoint its rows go to (its spec's teamColumns). */
export interface PlanSource {
	searched: string[];
	assumed: string[];
	columns: TeamColumns;
}

/** The plan for these people's memberships; nothing is sent here. */
export function planEverywhere(
	people: Person[],
	memberships: Membership[],
	settings: EverywhereSettings,
	source: PlanSource,
): EverywherePlan {
	const plan: EverywherePlan = {
		removes: new Map(),
		adds: new Map(),
		gatedRemoves: new Map(),
		pairs: new Map(),
		lines: [],
		summaries: new Map(),
		overRail: [],
	};
	const leaving = countLeaving(memberships);
	const byPerson = new Map<Person, Membership[]>(people.map((person) => [person, []]));
	for (const membership of memberships) byPerson.get(membership.person)?.push(membership);
	for (const [person, own] of byPerson) {
		const decided = own.map((membership) => ({
			membership,
			decision: decide(membership, settings, leaving),
		}));
		planPerson(plan, person, decided, settings, source);
	}
	return plan;
}

/** One person's decided memberships into the plan: their lines, rows and summary, all held back above Max Removals. */
function planPerson(
	plan: EverywherePlan,
	person: Person,
	decided: Array<{ membership: Membership; decision: Decision }>,
	settings: EverywhereSettings,
	source: PlanSource,
): void {
	const removals = decided.flatMap(({ membership, decision }) =>
		'rows' in decision && decision.rows.some((row) => row.operation === 'REMOVE')
			? [describe(membership)]
			: [],
	);
	const blocked = removals.length > settings.maxRemovals;
	if (blocked) plan.overRail.push({ person, removals });
	const skipped: Record<string, number> = {};
	for (const { membership, decision } of decided) {
		const note = noteOf(membership, settings);
		if ('skip' in decision) {
			skipped[decision.skip] = (skipped[decision.skip] ?? 0) + 1;
			plan.lines.push({
				itemIndex: person.itemIndex,
				json: { change: 'skipped', skipped: decision.skip, reason: decision.reason, ...note },
			});
			continue;
		}
		for (const row of decision.rows) {
			const json: IDataObject = {
				change: row.operation === 'ADD' ? 'add' : 'remove',
				reason: decision.reason,
				...note,
				user_id: row.userId,
				...decision.flag,
			};
			placeRow(
				plan,
				settings,
				source.columns,
				membership,
				row,
				json,
				blocked ? removals.length : undefined,
			);
		}
	}
	const planned = decided.filter(({ decision }) => 'rows' in decision).length;
	plan.summaries.set(person.itemIndex, {
		summary: true,
		item: person.itemIndex,
		user_id: person.userId,
		...(person.replacementId !== undefined ? { replacement_user_id: person.replacementId } : {}),
		outcome:
			decided.length === 0
				? 'not on any Quality Team'
				: blocked
					? `${removals.length} removals, more than Max Removals allows: nothing sent`
					: `${planned} of ${decided.length} memberships planned`,
		membershipsFound: decided.length,
		planned,
		removals: removals.length,
		skipped,
		maxRemovals: settings.maxRemovals,
		...(blocked ? { blockedByMaxRemovals: true } : {}),
		planOnly: settings.planOnly,
		teamsSearched: source.searched,
		...(source.assumed.length > 0
			? { teamDefinition: 'assumed', assumedNames: source.assumed }
			: {}),
		...(person.lookups ? { lookedUp: person.lookups } : {}),
	});
}

/**
 * A decided row: a plan line with Plan Only or when its person is over Max Removals (`blockedBy`,
 * their removal count), else a Manage row in its phase, under its team-enabled object.
 */
function placeRow(
	plan: EverywherePlan,
	settings: EverywhereSettings,
	columns: TeamColumns,
	membership: Membership,
	row: DecidedRow,
	json: IDataObject,
	blockedBy: number | undefined,
): void {
	const { itemIndex } = membership.person;
	if (settings.planOnly || blockedBy !== undefined) {
		plan.lines.push({
			itemIndex,
			json:
				blockedBy !== undefined && !settings.planOnly
					? {
							...json,
							change: 'notSent',
							reason: `not sent: ${blockedBy} removals for this person, more than Max Removals (${settings.maxRemovals})`,
						}
					: json,
		});
		return;
	}
	const rows = plan[row.phase].get(membership.object) ?? [];
	rows.push({
		itemIndex,
		fields: {
			[columns.record]: membership.recordId,
			[columns.user]: row.userId,
			[columns.role]: membership.role,
			[columns.operation]: row.operation,
		},
		note: json,
	});
	plan[row.phase].set(membership.object, rows);
}

/** A membership's fields on its plan lines and rows. */
function noteOf(membership: Membership, settings: EverywhereSettings): IDataObject {
	const { person, object, team, recordId, record, role } = membership;
	return {
		object,
		team: team.definition?.name ?? null,
		record_id: recordId,
		record_name: record?.name ?? null,
		user_id: person.userId,
		application_role: role,
		item: person.itemIndex,
		...(settings.mode === 'replace'
			? { replaces: person.userId, replacement_user_id: person.replacementId }
			: {}),
	};
}

/** A membership in a few words, for the list of a blocked person's removals. */
function describe(membership: Membership): string {
	return `${membership.role} on ${membership.record?.name ?? membership.recordId} (${membership.object})`;
}
