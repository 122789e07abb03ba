import type { IDataObject } from 'n8n-workflow';

import type { TeamRoleDefinition } from '../read/teamDefinitions';
import {
	countLeaving,
	type EverywhereSettings,
	type Membership,
	type Person,
} from './everywhereRead';
import type { SourceRow } from './types';

/**
 * The plan half of Remove User From All Teams and Replace User: each membership read
 * (everywhereRead.ts) decided on, against the team's rules as Vault's Qualityteam definitions give
 * them (Quality MDL, "Qualityteam" / "Qualityteamrole"): a record in the team's locked_in_states is
 * skipped (Vault refuses changes there); a removal that would break minimum_user_in_role is
 * flagged and skipped unless asked for; a stand-in already in an exclusive_membership role beside
 * another is a planned error; a role at maximum_user_in_role cannot take the stand-in first. What
 * is sent is Manage rows, grouped by team-enabled object (Manage's path names one object).
 */

/** Why a membership is not sent. */
export type SkipKind =
	| 'outsideFilter'
	| 'locked'
	| 'lastInRole'
	| 'exclusive'
	| 'atMaximum'
	| 'overMaxRemovals';

/** The rows of a run, by phase, each map keyed by team-enabled object. */
export interface EverywhereSends {
	/** REMOVEs that wait for nothing (Remove; Replace where the stand-in is on already) */
	removes: Map<string, SourceRow[]>;
	/** Replace, first: the stand-ins' ADDs, each in jobs of their own */
	adds: Map<string, SourceRow[]>;
	/** Replace, after the ADD jobs: a REMOVE sent only when Verify confirmed its ADD (note.pair) */
	gatedRemoves: Map<string, SourceRow[]>;
	/** Replace, a role at its maximum (only with Send Pairs at Maximum): REMOVE then ADD of a record in one job */
	pairs: Map<string, SourceRow[]>;
}

export interface EverywherePlan extends EverywhereSends {
	/** a line per membership not sent (skipped, or every line with Plan Only), paired to its person */
	lines: Array<{ itemIndex: number; json: IDataObject }>;
	/** one per person, by item */
	summaries: Map<number, IDataObject>;
	/** people above Max Removals, with the removals they would get */
	overRail: Array<{ person: Person; removals: string[] }>;
}

type Decision =
	| { skip: SkipKind; reason: string }
	| {
			rows: Array<{ operation: 'ADD' | 'REMOVE'; userId: string; phase: keyof EverywhereSends }>;
			reason: string;
			flag?: IDataObject;
	  };

/** The plan for these people's memberships; nothing is sent here. */
export function planEverywhere(
	people: Person[],
	memberships: Membership[],
	settings: EverywhereSettings,
	source: { searched: string[]; assumed: string[] },
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
				if (settings.planOnly || blocked) {
					plan.lines.push({
						itemIndex: person.itemIndex,
						json:
							blocked && !settings.planOnly
								? {
										...json,
										change: 'notSent',
										reason: `not sent: ${removals.length} removals for this person, more than Max Removals (${settings.maxRemovals})`,
									}
								: json,
					});
					continue;
				}
				const rows = plan[row.phase].get(membership.object) ?? [];
				rows.push({
					itemIndex: person.itemIndex,
					fields: {
						record_id: membership.recordId,
						user_id: row.userId,
						application_role: membership.role,
						operation: row.operation,
					},
					note: json,
				});
				plan[row.phase].set(membership.object, rows);
			}
		}
		const planned = decided.filter(({ decision }) => 'rows' in decision).length;
		plan.summaries.set(person.itemIndex, {
			summary: true,
			item: person.itemIndex,
			user_id: person.userId,
			...(person.replacementId !== undefined ? { replacement_user_id: person.replacementId } : {}),
			outcome:
				own.length === 0
					? 'not on any Quality Team'
					: blocked
						? `${removals.length} removals, more than Max Removals allows: nothing sent`
						: `${planned} of ${own.length} memberships planned`,
			membershipsFound: own.length,
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
	return plan;
}

function roleOf(membership: Membership, role = membership.role): TeamRoleDefinition | undefined {
	return membership.team.definition?.roles.find((entry) => entry.applicationRole === role);
}

/** One membership decided: skipped and why, or the rows it takes and in which phase. */
function decide(
	membership: Membership,
	settings: EverywhereSettings,
	leaving: Map<string, number>,
): Decision {
	const { record, team, role, person } = membership;
	const definition = team.definition;
	if (!record)
		return {
			skip: 'outsideFilter',
			reason:
				settings.recordFilter.length > 0
					? 'the record is not kept by the Record Filter'
					: 'the record could not be read',
		};
	if (settings.skipLockedRecords && definition?.lockedInStates.includes(record.state)) {
		return {
			skip: 'locked',
			reason: `${record.name} is in state ${record.state}, in which the Quality Team ${definition.label} is locked (locked_in_states): Vault would refuse the change`,
		};
	}
	const rule = roleOf(membership);
	const inRole = membership.teamNow.filter((member) => member.role === role);
	if (settings.mode === 'remove') {
		const minimum = rule?.minimumUsers ?? 0;
		const left =
			inRole.length - (leaving.get(`${team.member.object} ${membership.recordId} ${role}`) ?? 1);
		if (left >= minimum)
			return {
				rows: [{ operation: 'REMOVE', userId: person.userId, phase: 'removes' }],
				reason: 'a membership of the person',
			};
		const last = `the last ${role} on ${record.name}: the team needs at least ${minimum} (minimum_user_in_role)`;
		if (!settings.removeLastInRole)
			return {
				skip: 'lastInRole',
				reason: `${last}; not removed: turn on Remove Last in Role to remove anyway, or put someone on first (Replace User)`,
			};
		return {
			rows: [{ operation: 'REMOVE', userId: person.userId, phase: 'removes' }],
			reason: `${last}; removed as Remove Last in Role asks (Vault may refuse it)`,
			flag: { lastInRole: true },
		};
	}
	return decideReplace(membership, settings, rule, inRole.length);
}

function decideReplace(
	membership: Membership,
	settings: EverywhereSettings,
	rule: TeamRoleDefinition | undefined,
	inRole: number,
): Decision {
	const { role, person, teamNow, record } = membership;
	const standIn = person.replacementId as string;
	const name = record?.name ?? membership.recordId;
	const remove = (phase: keyof EverywhereSends) => ({
		operation: 'REMOVE' as const,
		userId: person.userId,
		phase,
	});
	if (teamNow.some((member) => member.userId === standIn && member.role === role)) {
		return {
			rows: [remove('removes')],
			reason: `the stand-in ${standIn} is ${role} on ${name} already; the person is taken off`,
		};
	}
	const otherRoles = teamNow
		.filter((member) => member.userId === standIn && member.role !== role)
		.map((member) => member.role);
	if (
		otherRoles.length > 0 &&
		(rule?.exclusive === true ||
			otherRoles.some((other) => roleOf(membership, other)?.exclusive === true))
	) {
		return {
			skip: 'exclusive',
			reason: `the stand-in ${standIn} is ${otherRoles.join(', ')} on ${name}, and an exclusive role (exclusive_membership) may not be held beside another: neither row is sent, the person stays`,
		};
	}
	const add = (phase: keyof EverywhereSends) => ({
		operation: 'ADD' as const,
		userId: standIn,
		phase,
	});
	if (rule?.maximumUsers !== undefined && inRole >= rule.maximumUsers) {
		const why = `${role} on ${name} is at its maximum of ${rule.maximumUsers} (maximum_user_in_role), so the stand-in cannot go on first`;
		if (!settings.sendPairsAtMaximum) {
			return {
				skip: 'atMaximum',
				reason: `${why}; the REMOVE and ADD would have to go in one job, in an order Vault documents only for QualityOne ("REMOVE executes before ADD"): turn on Send Pairs at Maximum to send them so`,
			};
		}
		return {
			rows: [remove('pairs'), add('pairs')],
			reason: `${why}: REMOVE and ADD sent in one job, as Send Pairs at Maximum asks`,
			flag: { pairAtMaximum: true },
		};
	}
	return {
		rows: [add('adds'), remove('gatedRemoves')],
		reason: `the stand-in ${standIn} goes on first; the person comes off once Verify confirms it`,
	};
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

function describe(membership: Membership): string {
	return `${membership.role} on ${membership.record?.name ?? membership.recordId} (${membership.object})`;
}
