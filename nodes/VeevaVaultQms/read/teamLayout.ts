import type { VaultClient } from '../transport/client';
import { confirmMemberFields, findMemberFields } from './memberFields';
import { readObjectFields, type ObjectField } from './metadata';
import {
	reasonOf,
	readTeamDefinitions,
	type TeamDefinition,
	type TeamDefinitions,
} from './teamDefinitions';
import { defaultMemberObject, readTeamMembers, type MemberObject, type TeamMember } from './teams';
import { recordsWhereIn } from './vqlPages';

/**
 * Where the members of one team-enabled object's records are read, for one run: the object's
 * Quality Teams (one, or one per object type), each with its member object and the fields read
 * from that object's metadata, with the options as overrides. What could not be read from Vault
 * falls back to named assumptions (`assumed`, said in the run's output); member fields that are
 * not what they must be (`mismatches`) make reading unsafe, and the callers stop before sending.
 *
 * A TeamCatalog holds what was read for one run (the definitions, each object's fields, each
 * record's object type): read once, used by every stage of the run, dropped with it (no module
 * state: in queue mode any item runs on any worker).
 */

/** The options Team Member Object and Member Record / User / Role Field; empty: read from Vault. */
export interface MemberOverrides {
	object?: string;
	recordField?: string;
	userField?: string;
	roleField?: string;
}

/** The options' documented defaults, the fallback when a member object's metadata cannot be read (the Migrate page's example CSV). */
export const ASSUMED_USER_FIELD = 'user__sys';
export const ASSUMED_ROLE_FIELD = 'application_role__vr.api_name__v';

/** One Quality Team of the object and its member object. */
export interface ObjectTeam {
	definition?: TeamDefinition;
	memberObject: string;
}

/** One Quality Team of the object, and where its members are read. */
export interface RecordTeam extends ObjectTeam {
	member: MemberObject;
}

/** The Quality Teams of one team-enabled object, from the definitions (or the fallback). */
export interface ObjectTeams<T extends ObjectTeam = ObjectTeam> {
	object: string;
	teams: T[];
	/** the object has a team per object type: each record's type decides its team */
	byObjectType: boolean;
	/** names used without reading them from Vault, each with why */
	assumed: string[];
	/** the definitions were read and the object has no active Quality Team */
	noTeam?: string;
	/** why the definitions could not be read (then the roles are not checked against a team) */
	definitionsUnreadable?: string;
}

/** The object's teams with their member fields, read from each member object's metadata. */
export interface TeamLayout extends ObjectTeams<RecordTeam> {
	/** member fields that are not references to what they must be (issue 22, item 3) */
	mismatches: string[];
	/** member objects whose fields could not be confirmed from Vault's metadata (read by assumed names): why */
	unconfirmed: string[];
}

type FieldsRead = { fields: ObjectField[] } | { unreadable: string };

export class TeamCatalog {
	private definitionsRead?: Promise<TeamDefinitions>;
	private readonly fieldsRead = new Map<string, Promise<FieldsRead>>();
	private readonly objectTeams = new Map<string, Promise<ObjectTeams>>();
	private readonly layouts = new Map<string, Promise<TeamLayout>>();
	private readonly objectTypes = new Map<string, string>();
	/** the assumed names the run has said already (pipeline/teamChecks.ts) */
	readonly hinted = new Set<string>();

	constructor(readonly overrides: MemberOverrides = {}) {}

	async definitions(client: VaultClient): Promise<TeamDefinitions> {
		return await (this.definitionsRead ??= readTeamDefinitions(client));
	}

	async objectFields(client: VaultClient, object: string): Promise<FieldsRead> {
		let read = this.fieldsRead.get(object);
		if (!read) {
			read = readObjectFields(client, object).then(
				(fields) => ({ fields }),
				(error: unknown) => ({ unreadable: reasonOf(error) }),
			);
			this.fieldsRead.set(object, read);
		}
		return await read;
	}

	/** The object's teams from the definitions alone (what a role check needs): no member object is read. */
	async teams(client: VaultClient, object: string): Promise<ObjectTeams> {
		let teams = this.objectTeams.get(object);
		if (!teams) {
			teams = teamsOfObject(client, this, object);
			this.objectTeams.set(object, teams);
		}
		return await teams;
	}

	/** The object's teams with the member fields to read (Sync, Verify). */
	async layout(client: VaultClient, object: string): Promise<TeamLayout> {
		let layout = this.layouts.get(object);
		if (!layout) {
			layout = buildLayout(client, this, object);
			this.layouts.set(object, layout);
		}
		return await layout;
	}

	/** Each record's team (none where no team of the object applies to its object type); the types are read once per record. */
	async teamsOf<T extends ObjectTeam>(
		client: VaultClient,
		layout: ObjectTeams<T>,
		recordIds: Iterable<string>,
	): Promise<Map<string, T | undefined>> {
		const ids = [...new Set(recordIds)];
		if (!layout.byObjectType) return new Map(ids.map((id) => [id, layout.teams[0]]));
		const unread = ids.filter((id) => !this.objectTypes.has(id));
		// Quality MDL, Qualityteam: `objecttype` blank = "all records of this object that do not have a team defined for this type";
		// a record's type by name through its relationship (VQL: object_type__v answers an id, object_type__vr.api_name__v the name)
		for await (const record of recordsWhereIn(
			client,
			['id', 'object_type__vr.api_name__v'],
			layout.object,
			'id',
			unread,
		)) {
			this.objectTypes.set(String(record.id), String(record['object_type__vr.api_name__v'] ?? ''));
		}
		const teamFor = (type: string) =>
			layout.teams.find((team) => team.definition?.objectType === type) ??
			layout.teams.find((team) => !team.definition?.objectType);
		return new Map(ids.map((id) => [id, teamFor(this.objectTypes.get(id) ?? '')]));
	}

	/** The current members of these records, each record read in its own team's member object. */
	async members(
		client: VaultClient,
		layout: TeamLayout,
		recordIds: Iterable<string>,
		roles?: readonly string[],
	): Promise<TeamMember[]> {
		// appended in place, not spread: a roster's 20,000 records (200,000 members) in one team made
		// copying the list per record quadratic, and spreading the members into push() overflows the
		// stack past about 120,000 (issue 26's nightly roster)
		const byTeam = new Map<RecordTeam, string[]>();
		for (const [id, team] of await this.teamsOf(client, layout, recordIds)) {
			if (!team) continue;
			const ids = byTeam.get(team);
			if (ids) ids.push(id);
			else byTeam.set(team, [id]);
		}
		const members: TeamMember[] = [];
		for (const [team, ids] of byTeam) {
			for (const member of await readTeamMembers(client, team.member, ids, roles))
				members.push(member);
		}
		return members;
	}
}

/** The object's teams from the definitions, or the fallback: one team, its member object named after the object. */
async function teamsOfObject(
	client: VaultClient,
	catalog: TeamCatalog,
	object: string,
): Promise<ObjectTeams> {
	const { overrides } = catalog;
	const found: ObjectTeams = { object, teams: [], byObjectType: false, assumed: [] };
	const definitions = await catalog.definitions(client);
	if ('unreadable' in definitions) {
		const why = `the Quality Team definitions could not be read: ${definitions.unreadable}`;
		found.definitionsUnreadable = definitions.unreadable;
		found.teams = [{ memberObject: overrides.object || defaultMemberObject(object) }];
		if (!overrides.object)
			found.assumed.push(
				`member object ${found.teams[0].memberObject} (named after ${object}; ${why})`,
			);
		found.assumed.push(`application roles not checked against the record's team (${why})`);
		return found;
	}
	const own = definitions.teams.filter((team) => team.active && team.object === object);
	if (own.length === 0) {
		const others = [
			...new Set(definitions.teams.filter((team) => team.active).map((team) => team.object)),
		];
		found.noTeam = `${object} has no active Quality Team in this Vault${others.length > 0 ? ` (its Quality Teams are on ${others.join(', ')})` : ''}`;
		return found;
	}
	// the option names one member object for every record: the team it belongs to (or the first) gives the roles
	found.teams = overrides.object
		? [
				{
					definition: own.find((team) => team.memberObject === overrides.object) ?? own[0],
					memberObject: overrides.object,
				},
			]
		: own.map((definition) => memberObjectOf(definition, found));
	found.byObjectType = !overrides.object && own.some((team) => team.objectType !== undefined);
	return found;
}

/** The object's teams, each with its member fields. */
async function buildLayout(
	client: VaultClient,
	catalog: TeamCatalog,
	object: string,
): Promise<TeamLayout> {
	const teams = await catalog.teams(client, object);
	const layout: TeamLayout = {
		...teams,
		teams: [],
		assumed: [...teams.assumed],
		mismatches: [],
		unconfirmed: [],
	};
	for (const team of teams.teams)
		layout.teams.push({
			...team,
			member: await memberOf(client, catalog, object, team.memberObject, layout),
		});
	return layout;
}

function memberObjectOf(definition: TeamDefinition, found: ObjectTeams): ObjectTeam {
	if (definition.memberObject) return { definition, memberObject: definition.memberObject };
	const memberObject = defaultMemberObject(definition.object);
	found.assumed.push(
		`member object ${memberObject} of team ${definition.name} (named after ${definition.object}; its definition gives none)`,
	);
	return { definition, memberObject };
}

/** A member object's fields: from its metadata, the options over them; the options' defaults when the metadata cannot be read. */
async function memberOf(
	client: VaultClient,
	catalog: TeamCatalog,
	object: string,
	memberObject: string,
	layout: TeamLayout,
): Promise<MemberObject> {
	const { overrides } = catalog;
	const read = await catalog.objectFields(client, memberObject);
	if ('unreadable' in read) {
		const member = {
			object: memberObject,
			recordField: overrides.recordField || object,
			userField: overrides.userField || ASSUMED_USER_FIELD,
			roleField: overrides.roleField || ASSUMED_ROLE_FIELD,
		};
		const named = [
			['record', member.recordField, overrides.recordField],
			['user', member.userField, overrides.userField],
			['role', member.roleField, overrides.roleField],
		].filter(([, , set]) => !set);
		const fields = named.map(([what, name]) => `${what} ${name}`).join(', ');
		layout.assumed.push(
			`${fields ? `fields ${fields} of ${memberObject}, and ` : ''}member records taken as active whatever their status (the metadata of ${memberObject} could not be read: ${read.unreadable})`,
		);
		layout.unconfirmed.push(
			`the fields of ${memberObject} could not be confirmed from Vault's metadata (${read.unreadable})`,
		);
		return member;
	}
	const found = findMemberFields(read.fields, memberObject, object);
	const member: MemberObject = {
		object: memberObject,
		recordField: overrides.recordField || found.recordField || '',
		userField: overrides.userField || found.userField || '',
		roleField: overrides.roleField || found.roleField || '',
		...(found.statusField ? { statusField: found.statusField } : {}),
	};
	if (!member.recordField || !member.userField || !member.roleField)
		layout.mismatches.push(
			...found.problems.map((problem) => `${problem} (set the field under the options)`),
		);
	else
		layout.mismatches.push(
			...confirmMemberFields(member, read.fields, object).map(
				(problem) => `${memberObject}: ${problem}`,
			),
		);
	return member;
}
