import type { IDataObject } from 'n8n-workflow';

import type { TeamRoleDefinition } from '../read/teamDefinitions';
import type { EverywhereSettings, Membership } from './everywhereRead';
import type { SourceRow } from './types';

/**
 * The decisions of Remove User From All Teams and Replace User: each membership read
 * (everywhereRead.ts) against the team's rules as Vault's Qualityteam definitions give them
 * (Quality MDL, "Qualityteam" / "Qualityteamrole"), skipped with its reason or given its rows and
 * their phase. Apart from everywherePlan.ts, which gathers the decisions into the run's plan, lines
 * and summaries.
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

/** What one membership gets: skipped and why, or its rows, each in a phase. */
export type Decision =
	| { skip: SkipKind; reason: string }
	| {
			rows: Array<{ operation: 'ADD' | 'REMOVE'; userId: string; phase: keyof EverywhereSends }>;
			reason: string;
			flag?: IDataObject;
	  };

/** One row a decision sends: its operation, whose user, and in which phase. */
export type DecidedRow = Extract<Decision, { rows: unknown }>['rows'][number];

/** Per record and role, how many of the run's people are on it: a removal counts every leaver of the run against the minimum. */
export function countLeaving(memberships: Membership[]): Map<string, number> {
	const leaving = new Map<string, number>();
	for (const { team, recordId, role } of memberships) {
		const key = `${team.member.object} ${recordId} ${role}`;
		leaving.set(key, (leaving.get(key) ?? 0) + 1);
	}
	return leaving;
}

/** The team definition's rule for this role (the membership's own unless named). */
function roleOf(membership: Membership, role = membership.role): TeamRoleDefinition | undefined {
	return membership.team.definition.roles.find((entry) => entry.applicationRole === role);
}

/** One membership decided: skipped and why, or the rows it takes and in which phase. */
export function decide(
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
	if (settings.skipLockedRecords && definition.lockedInStates.includes(record.state)) {
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

/** Replace User's decision: the stand-in on first, a pair at a role's maximum, or a skip the team's rules ask for. */
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
