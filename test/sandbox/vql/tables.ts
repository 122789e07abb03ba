import { APPLICATION_ROLE_LABELS, labelFromName, MEMBER_OBJECTS } from '../seedData';
import type { Assignments } from '../state/assignments';
import type { Directory } from '../state/directory';
import type { VaultUser } from '../types';
import type { Condition, Literal } from './parser';

export type FieldValue = string | number | string[] | null;
export type Row = Record<string, FieldValue>;

/**
 * One query target as rows, with an index per field built on first use, so a CONTAINS of thousands of
 * values is one map lookup per value. Matching is exact and case-sensitive: "By default, all field
 * values are case sensitive" (Veeva VQL reference, "Syntax Basics", Case Sensitivity), except under
 * CASEINSENSITIVE(field) (VQL reference, "CASEINSENSITIVE"; handlers/query.ts takes it on String
 * fields only). The page does not say how Vault folds case; the sandbox compares JavaScript's
 * toLowerCase() of both sides (Unicode's default case mapping, no locale).
 */
export class QueryTable {
	private indexes = new Map<string, Map<string, number[]>>();

	constructor(
		readonly name: string,
		readonly fields: readonly string[],
		readonly rows: readonly Row[],
	) {}

	/** Row numbers matching every condition (all rows when there is none), in table order. */
	select(conditions: readonly Condition[]): number[] {
		let matched: Set<number> | undefined;
		for (const condition of conditions) {
			const folded = condition.caseInsensitive === true;
			const index = this.index(condition.field.text, folded);
			const hits = new Set<number>();
			for (const value of condition.values) {
				const key = literalKey(value);
				for (const row of index.get(folded ? key.toLowerCase() : key) ?? []) if (!matched || matched.has(row)) hits.add(row);
			}
			matched = hits;
		}
		if (!matched) return this.rows.map((_, row) => row);
		return [...matched].sort((a, b) => a - b);
	}

	private index(field: string, folded: boolean): Map<string, number[]> {
		const name = folded ? `CASEINSENSITIVE(${field})` : field;
		let index = this.indexes.get(name);
		if (index) return index;
		index = new Map();
		for (const [row, record] of this.rows.entries()) {
			for (const raw of valueKeys(record[field])) {
				const key = folded ? raw.toLowerCase() : raw;
				const list = index.get(key);
				if (list) list.push(row);
				else index.set(key, [row]);
			}
		}
		this.indexes.set(name, index);
		return index;
	}
}

/**
 * A picklist field such as status__v holds a list of values and matches when one of them equals the
 * literal (the page's own example: `WHERE status__v = 'active__v'`); null matches nothing.
 */
function valueKeys(value: FieldValue | undefined): string[] {
	if (value === null || value === undefined) return [];
	if (Array.isArray(value)) return value;
	return [String(value)];
}

/** A number literal compares by value (`100001.0` is 100001); a string literal by its exact text. */
function literalKey(literal: Literal): string {
	return literal.kind === 'number' ? String(Number(literal.value)) : literal.value;
}

const USER_FIELDS = ['id', 'username__sys', 'email__sys', 'federated_id__sys', 'first_name__sys', 'last_name__sys', 'name__v', 'status__v'];
const GROUP_FIELDS = ['id', 'name__v', 'label__v', 'status__v'];
const RECORD_FIELDS = ['id', 'name__v'];
const APPLICATION_ROLE_FIELDS = ['id', 'api_name__v', 'name__v', 'status__v'];

/**
 * application_role__v, the Application Role object (a standard object: Veeva API reference, "Retrieve
 * Object Collection", v20.3 example: "Application Role", prefix 0AR), queried as any Vault object is
 * ("SELECT id, name__v FROM {object_name}": API reference, "Retrieve Object Records"; VQL reference,
 * "Query Syntax & Structure"). Fields: `id`, `name__v` (the role's label, "QA"), `status__v`
 * (`["active__v"]`, a list as object picklists are: "Retrieve Object Record"), and `api_name__v`
 * (the role's api name, qa__c), the field the Migrate Quality Team Members page (seed 004) reads as
 * `application_role__v.api_name__v`. Simplification, as on the member objects: the sandbox has no role
 * records, so `id` is the api name (in Vault, a record id with the 0AR prefix). One row per application
 * role the directory knows (APPLICATION_ROLES, then seeded ones); a seeded role's label is made from its name.
 */
function applicationRoleRow(apiName: string): Row {
	const label = Object.hasOwn(APPLICATION_ROLE_LABELS, apiName) ? APPLICATION_ROLE_LABELS[apiName] : labelFromName(apiName);
	return { id: apiName, api_name__v: apiName, name__v: label, status__v: ['active__v'] };
}

/**
 * user__sys, Vault's user object (Veeva VQL reference, "Groups": user__sys and group__sys; API reference,
 * "Create & Upsert Object Records": User (user__sys) records). Field names as the object has them:
 * username__sys, email__sys, federated_id__sys, first_name__sys, last_name__sys, name__v, status__v.
 * No VQL page shows a user__sys answer, so two readings are chosen: `id` is a string of digits ("100002": an
 * object record id, which VQL answers as a string, and which Veeva's own client code reads as a string;
 * VAULT-API.md, "user__sys": "Ids read as strings in Veeva's code"), and status__v, the object's status
 * picklist, comes back as a list (`["active__v"]`) as Vault gives object picklists (API reference,
 * "Retrieve Object Record": `"status__v": ["active__v"]`). Emails are the user name unless seeded;
 * federated ids `fed-<id>`. `WHERE id = 100002` and `id = '100002'` both match.
 */
function userRow(user: VaultUser): Row {
	const first = user.firstName ?? null;
	const last = user.lastName ?? null;
	return {
		id: String(user.id),
		username__sys: user.username,
		email__sys: user.email ?? user.username,
		federated_id__sys: user.federatedId ?? `fed-${user.id}`,
		first_name__sys: first,
		last_name__sys: last,
		name__v: [first, last].filter(Boolean).join(' ') || user.username,
		status__v: [user.active === false ? 'inactive__v' : 'active__v'],
	};
}

/**
 * The fields of a Quality Team member object (MEMBER_OBJECTS) as VQL reads them. UNVERIFIED: Veeva's
 * pages we have do not document these objects' fields. The reading rests on Veeva's Migrate Quality
 * Team Members page (seed 004), which names the member objects (lab_investigation_quality_team_member__v,
 * change_action_quality_team_member__v) and whose example CSV refers to a member's fields as
 * `quality_event__qdm.name__v`, `user__sys.global_id__sys` and `application_role__v.api_name__v`,
 * taken to be reference fields named after the object they reference:
 * - `id`: the member record's id, a string `QTM` + 12 digits (state/assignments.ts, memberRecordId)
 * - `{team-enabled object}` (e.g. `quality_event__qdm`): the team-enabled record's id (OP4000008)
 * - `user__sys`: the user's id, a string of digits as user__sys answers its `id` (a reference field answers
 *   the referenced record's id: VAULT-API.md, "Reference fields answer ids")
 * - `application_role__v`: the application role's id. Simplification: the sandbox has no role
 *   records, so a role's id is its api name (record_owner__c); in Vault it would be a record id
 * - `application_role__vr.api_name__v`: the role's api name through the outbound relationship
 *   (`__vr`, as VQL names relationships), the one relationship field the sandbox answers
 * The node's team member defaults (nodes/.../read/teams.ts) rest on the same page and make
 * the same reading, so a test passing against these names does not verify them.
 */
export function memberFields(teamObject: string): string[] {
	return ['id', teamObject, 'user__sys', 'application_role__v', 'application_role__vr.api_name__v'];
}

function memberTable(assignments: Assignments, memberObject: string, teamObject: string): QueryTable {
	const rows = assignments.membersOf(teamObject).map(
		(member): Row => ({
			id: member.memberId,
			[teamObject]: member.recordId,
			user__sys: String(member.user_id),
			application_role__v: member.application_role,
			'application_role__vr.api_name__v': member.application_role,
		}),
	);
	return new QueryTable(memberObject, memberFields(teamObject), rows);
}

const cache = new WeakMap<Directory, { revision: number; tables: Map<string, QueryTable> }>();
/** member tables, rebuilt when a team changed since (Manage and Migrate jobs, seeded members) */
const memberCache = new WeakMap<Assignments, { revision: number; tables: Map<string, QueryTable> }>();

/**
 * The table of a query target, or undefined if the sandbox has no such target: user__sys, group__sys
 * (name__v and label__v, both unique: Veeva VQL reference, "Groups"), application_role__v (see
 * applicationRoleRow), every team-enabled object the
 * directory knows (id and name__v), and each Quality Team member object (MEMBER_OBJECTS: the live
 * teams, see memberFields). Directory tables are built on first use and kept until the next seed;
 * member tables until the next change to a team.
 */
export function queryTable(directory: Directory, assignments: Assignments, target: string): QueryTable | undefined {
	const teamObject = Object.hasOwn(MEMBER_OBJECTS, target) ? MEMBER_OBJECTS[target] : undefined;
	if (teamObject !== undefined) {
		let members = memberCache.get(assignments);
		if (!members || members.revision !== assignments.teamRevision) {
			members = { revision: assignments.teamRevision, tables: new Map() };
			memberCache.set(assignments, members);
		}
		let table = members.tables.get(target);
		if (!table) {
			table = memberTable(assignments, target, teamObject);
			members.tables.set(target, table);
		}
		return table;
	}
	let cached = cache.get(directory);
	if (!cached || cached.revision !== directory.revision) {
		cached = { revision: directory.revision, tables: new Map() };
		cache.set(directory, cached);
	}
	const known = cached.tables.get(target);
	if (known) return known;
	let table: QueryTable | undefined;
	if (target === 'user__sys') table = new QueryTable(target, USER_FIELDS, directory.allUsers().map(userRow));
	else if (target === 'application_role__v') table = new QueryTable(target, APPLICATION_ROLE_FIELDS, directory.applicationRoleNames().map(applicationRoleRow));
	else if (target === 'group__sys') {
		// status__v as user__sys has it (a picklist list); group__sys has status__v (VAULT-API.md, "group__sys")
		const groupRow = (group: ReturnType<Directory['allGroups']>[number]): Row => ({
			id: group.id,
			name__v: group.name,
			label__v: group.label,
			status__v: [group.active ? 'active__v' : 'inactive__v'],
		});
		table = new QueryTable(target, GROUP_FIELDS, directory.allGroups().map(groupRow));
	}
	else if (directory.isTeamObject(target)) table = new QueryTable(target, RECORD_FIELDS, directory.teamRecords(target).map((record) => ({ id: record.id, name__v: record.name })));
	if (table) cached.tables.set(target, table);
	return table;
}
