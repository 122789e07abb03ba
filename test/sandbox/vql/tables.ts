import { OBJECT_TYPES, teamByMemberObject } from '../qualityTeams';
import { APPLICATION_ROLE_LABELS, labelFromName } from '../seedData';
import type { Assignments } from '../state/assignments';
import type { Directory } from '../state/directory';
import { recordTimes } from '../state/recordTimes';
import type { VaultUser } from '../types';
import { isDateLiteral, matchesComparison } from './compare';
import { memberFields, memberRows } from './memberTables';
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
			// comparisons (and = on a Date/DateTime, whose literal has more than one spelling) scan the rows
			if (!folded && condition.operator !== 'CONTAINS' && (condition.operator !== '=' || isDateLiteral(condition.values[0]))) {
				const { field, operator, values } = condition;
				const rows = matched ? [...matched] : this.rows.map((_, row) => row);
				matched = new Set(rows.filter((row) => matchesComparison(this.rows[row][field.text], operator, values[0])));
				continue;
			}
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
// created_date__v / modified_date__v: the standard DateTime fields of every object record; site__c the sandbox's own (state/recordTimes.ts)
const RECORD_FIELDS = ['id', 'name__v', 'object_type__v', 'object_type__vr.api_name__v', 'state__v', 'status__v', 'created_date__v', 'modified_date__v', 'site__c'];
const APPLICATION_ROLE_FIELDS = ['id', 'api_name__v', 'name__v', 'status__v'];

/**
 * application_role__v, the Application Role object (a standard object: Veeva API reference, "Retrieve
 * Object Collection", v20.3 example: "Application Role", prefix 0AR), queried as any Vault object is
 * ("SELECT id, name__v FROM {object_name}": API reference, "Retrieve Object Records"; VQL reference,
 * "Query Syntax & Structure"). Fields: `id`, `name__v` (the role's label, "QA"), `status__v`
 * (`["active__v"]`, a list as object picklists are: "Retrieve Object Record"), and `api_name__v`
 * (the role's api name, qa__c), the field the Migrate Quality Team Members page (seed 004) reads as
 * `application_role__v.api_name__v`. `id` is a record id (`0AR000000000103`, Directory.applicationRoleId), not
 * the api name, as the member objects' role fields answer it. One row per application
 * role the directory knows (APPLICATION_ROLES, then seeded ones); a seeded role's label is made from its name.
 */
function applicationRoleRow(directory: Directory, apiName: string): Row {
	const label = Object.hasOwn(APPLICATION_ROLE_LABELS, apiName) ? APPLICATION_ROLE_LABELS[apiName] : labelFromName(apiName);
	return { id: directory.applicationRoleId(apiName) ?? null, api_name__v: apiName, name__v: label, status__v: ['active__v'] };
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

const cache = new WeakMap<Directory, { revision: number; tables: Map<string, QueryTable> }>();
/** member tables, rebuilt when a team or the directory changed since (Manage and Migrate jobs, seeds: user names) */
const memberCache = new WeakMap<Assignments, { revision: string; tables: Map<string, QueryTable> }>();

/**
 * A team-enabled record as VQL reads it: id, name__v, its object type's record id (object_type__v, a
 * reference: VAULT-API.md's example `OOT00000002E002`) and api name through the relationship
 * (object_type__vr.api_name__v), its lifecycle state (state__v) and status__v. A seeded object's records have no type (null).
 */
function teamRecordRow(directory: Directory, object: string, record: { id: string; name: string }): Row {
	const traits = directory.recordTraits(object, record.id);
	const type = (OBJECT_TYPES[object] ?? []).find((objectType) => objectType.apiName === traits?.objectType);
	return {
		id: record.id,
		name__v: record.name,
		object_type__v: type?.id ?? null,
		'object_type__vr.api_name__v': type?.apiName ?? null,
		state__v: traits?.state ?? null,
		status__v: ['active__v'],
		...recordTimes(directory, object, record.id),
	};
}

/**
 * The table of a query target, or undefined if the sandbox has no such target: user__sys, group__sys
 * (name__v and label__v, both unique: Veeva VQL reference, "Groups"), application_role__v (see
 * applicationRoleRow), every team-enabled object the
 * directory knows (teamRecordRow), and each Quality Team member object (vql/memberTables.ts: the live
 * teams). Directory tables are built on first use and kept until the next seed;
 * member tables until the next change to a team.
 */
export function queryTable(directory: Directory, assignments: Assignments, target: string): QueryTable | undefined {
	const team = teamByMemberObject(target);
	if (team !== undefined) {
		const revision = `${assignments.teamRevision}/${directory.revision}`;
		let memberTables = memberCache.get(assignments);
		if (!memberTables || memberTables.revision !== revision) {
			memberTables = { revision, tables: new Map() };
			memberCache.set(assignments, memberTables);
		}
		let table = memberTables.tables.get(target);
		if (!table) {
			table = new QueryTable(target, memberFields(team), memberRows(directory, assignments, team));
			memberTables.tables.set(target, table);
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
	else if (target === 'application_role__v') table = new QueryTable(target, APPLICATION_ROLE_FIELDS, directory.applicationRoleNames().map((name) => applicationRoleRow(directory, name)));
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
	else if (directory.isTeamObject(target)) table = new QueryTable(target, RECORD_FIELDS, directory.teamRecords(target).map((record) => teamRecordRow(directory, target, record)));
	if (table) cached.tables.set(target, table);
	return table;
}
