import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { readMembershipsOf, readRecordFacts, type RecordFacts } from '../read/memberships';
import type { TeamDefinition } from '../read/teamDefinitions';
import type { RecordTeam, TeamCatalog } from '../read/teamLayout';
import { readTeamMembers, type TeamMember } from '../read/teams';
import { recordFilterClause, type FilterCondition } from '../read/vqlText';
import type { VaultClient } from '../transport/client';
import { failedBeforeSending } from './errors';
import { teamLayoutFor } from './teamChecks';

/**
 * The read half of Remove User From All Teams and Replace User (a reconcile-like stage: it reads
 * and gives the plan its facts, and sends nothing): every Quality Team of the Vault (or the teams
 * the user picked) from Vault's Qualityteam definitions, each person's memberships in each team's
 * member object in bulk (read/memberships.ts: one query per chunk of users per member object,
 * paged, active records only), the records they are on (name, state, the record filter), and the
 * records' whole teams (for minimum_user_in_role, maximum_user_in_role, exclusive_membership).
 */

/** The options of the two operations, read once (actions/teamSettings.ts). */
export interface EverywhereSettings {
	mode: 'remove' | 'replace';
	planOnly: boolean;
	/** most REMOVE rows one person may get; above it nothing is sent for that person */
	maxRemovals: number;
	/** only these Quality Teams (names or labels); empty: every active team */
	teams: string[];
	/** only these application roles; empty: every role */
	roles: string[];
	skipLockedRecords: boolean;
	/** remove a member whose removal would break the role's minimum_user_in_role */
	removeLastInRole: boolean;
	/** Replace: send the REMOVE and ADD of a role at its maximum as one job */
	sendPairsAtMaximum: boolean;
	recordFilter: FilterCondition[];
}

/** One input item: the person, and (Replace) the stand-in. */
export interface Person {
	itemIndex: number;
	userId: string;
	replacementId?: string;
	lookups?: IDataObject;
}

/** One membership of a person, with what the plan needs to decide on it. */
export interface Membership {
	person: Person;
	object: string;
	team: RecordTeam & { definition: TeamDefinition };
	recordId: string;
	role: string;
	/** name and state; undefined: the record filter does not keep the record */
	record?: RecordFacts;
	/** the record's active members on this team now, every role */
	teamNow: TeamMember[];
}

/** Every membership of these people, on the teams in scope; the run stops before sending when the teams cannot be read soundly. */
export async function readMemberships(
	fx: IExecuteFunctions,
	client: VaultClient,
	catalog: TeamCatalog,
	people: Person[],
	settings: EverywhereSettings,
): Promise<{ memberships: Membership[]; teamsRead: string[] }> {
	const teams = await teamsInScope(fx, client, catalog, settings);
	const userIds = new Set(people.flatMap((person) => [person.userId]));
	const byUser = new Map<string, Person[]>();
	for (const person of people)
		byUser.set(person.userId, [...(byUser.get(person.userId) ?? []), person]);
	const filter = settings.recordFilter.length > 0 ? recordFilterClause(settings.recordFilter) : '';
	const memberships: Membership[] = [];
	for (const object of [...new Set(teams.map((team) => team.object))]) {
		const layout = await teamLayoutFor(fx, client, catalog, object);
		const found: Array<Omit<Membership, 'record' | 'teamNow' | 'person'> & { userId: string }> = [];
		for (const team of layout.teams) {
			const definition = team.definition;
			if (!definition || !teams.includes(definition)) continue;
			const read = await readMembershipsOf(client, team.member, userIds, settings.roles).catch(
				failedBeforeSending(fx, `Reading the memberships in ${team.member.object}`),
			);
			for (const entry of read)
				found.push({
					object,
					team: { ...team, definition },
					recordId: entry.recordId,
					role: entry.role,
					userId: entry.userId,
				});
		}
		if (found.length === 0) continue;
		const records = await readRecordFacts(
			client,
			object,
			new Set(found.map((entry) => entry.recordId)),
			filter,
		).catch(failedBeforeSending(fx, `Reading the records of ${object}`));
		const teamNow = await wholeTeams(fx, client, found);
		for (const { userId, ...entry } of found) {
			for (const person of byUser.get(userId) ?? []) {
				memberships.push({
					...entry,
					person,
					record: records.get(entry.recordId),
					teamNow: teamNow.get(`${entry.team.member.object} ${entry.recordId}`) ?? [],
				});
			}
		}
	}
	return { memberships, teamsRead: teams.map((team) => team.name) };
}

/** The active members of every record found, per team member object: one query per 500 records. */
async function wholeTeams(
	fx: IExecuteFunctions,
	client: VaultClient,
	found: Array<{ team: RecordTeam; recordId: string }>,
): Promise<Map<string, TeamMember[]>> {
	const byMemberObject = new Map<string, { team: RecordTeam; records: Set<string> }>();
	for (const { team, recordId } of found) {
		const entry = byMemberObject.get(team.member.object) ?? { team, records: new Set<string>() };
		entry.records.add(recordId);
		byMemberObject.set(team.member.object, entry);
	}
	const teams = new Map<string, TeamMember[]>();
	for (const [memberObject, { team, records }] of byMemberObject) {
		const members = await readTeamMembers(client, team.member, records).catch(
			failedBeforeSending(fx, `Reading the Quality Teams of the records in ${memberObject}`),
		);
		for (const member of members) {
			const key = `${memberObject} ${member.recordId}`;
			teams.set(key, [...(teams.get(key) ?? []), member]);
		}
	}
	return teams;
}

/**
 * The Quality Teams to look in: every active team of the Vault's definitions, or those the Teams
 * option names (by name or label). Without the definitions the node cannot know every team-enabled
 * object of the Vault, so it stops and says so, rather than search a guessed few.
 */
async function teamsInScope(
	fx: IExecuteFunctions,
	client: VaultClient,
	catalog: TeamCatalog,
	settings: EverywhereSettings,
): Promise<TeamDefinition[]> {
	const definitions = await catalog.definitions(client);
	if ('unreadable' in definitions) {
		throw new NodeOperationError(
			fx.getNode(),
			'The Quality Team definitions could not be read, so the node cannot know every team a person is on, and nothing was read or sent',
			{
				description: `Vault said: ${definitions.unreadable}. Finding a person on every team needs Vault's Qualityteam configuration (Retrieve Component Record Collection): run as a user who may read it (a Vault admin); Quality Team → Describe Teams shows what the user can read.`,
			},
		);
	}
	const active = definitions.teams.filter((team) => team.active);
	if (settings.teams.length === 0) return active;
	const wanted = new Set(settings.teams.map((name) => name.toLowerCase()));
	const picked = active.filter(
		(team) => wanted.has(team.name.toLowerCase()) || wanted.has(team.label.toLowerCase()),
	);
	const known = new Set(
		picked.flatMap((team) => [team.name.toLowerCase(), team.label.toLowerCase()]),
	);
	const unknown = settings.teams.filter((name) => !known.has(name.toLowerCase()));
	if (unknown.length > 0) {
		throw new NodeOperationError(
			fx.getNode(),
			`Team ${unknown.join(', ')} under Teams is not an active Quality Team of this Vault, so nothing was read or sent`,
			{
				description: `The Vault's active Quality Teams: ${active.map((team) => `${team.name} (${team.label})`).join(', ')}`,
			},
		);
	}
	return picked;
}
