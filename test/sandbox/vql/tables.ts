import type { Directory } from '../state/directory';
import type { VaultUser } from '../types';
import type { Condition, Literal } from './parser';

export type FieldValue = string | number | string[] | null;
export type Row = Record<string, FieldValue>;

/**
 * One query target as rows, with an index per field built on first use, so a CONTAINS of thousands of
 * values is one map lookup per value. Matching is exact and case-sensitive: "By default, all field
 * values are case sensitive" (Veeva VQL reference, "Syntax Basics", Case Sensitivity).
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
			const index = this.index(condition.field.text);
			const hits = new Set<number>();
			for (const value of condition.values) {
				for (const row of index.get(literalKey(value)) ?? []) if (!matched || matched.has(row)) hits.add(row);
			}
			matched = hits;
		}
		if (!matched) return this.rows.map((_, row) => row);
		return [...matched].sort((a, b) => a - b);
	}

	private index(field: string): Map<string, number[]> {
		let index = this.indexes.get(field);
		if (index) return index;
		index = new Map();
		for (const [row, record] of this.rows.entries()) {
			for (const key of valueKeys(record[field])) {
				const list = index.get(key);
				if (list) list.push(row);
				else index.set(key, [row]);
			}
		}
		this.indexes.set(field, index);
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
const GROUP_FIELDS = ['id', 'name__v', 'label__v'];
const RECORD_FIELDS = ['id', 'name__v'];

/**
 * user__sys, Vault's user object (Veeva VQL reference, "Groups": user__sys and group__sys; API reference,
 * "Create & Upsert Object Records": User (user__sys) records). Field names as the object has them:
 * username__sys, email__sys, federated_id__sys, first_name__sys, last_name__sys, name__v, status__v.
 * No VQL page shows a user__sys answer, so two readings are chosen: `id` is a number (the user id Vault
 * uses everywhere else), and status__v, the object's status picklist, comes back as a list
 * (`["active__v"]`) as Vault gives object picklists (API reference, "Retrieve Object Record":
 * `"status__v": ["active__v"]`). Emails are the user name unless seeded; federated ids `fed-<id>`.
 */
function userRow(user: VaultUser): Row {
	const first = user.firstName ?? null;
	const last = user.lastName ?? null;
	return {
		id: user.id,
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

/**
 * The table of a query target, or undefined if the sandbox has no such target: user__sys, group__sys
 * (name__v and label__v, both unique: Veeva VQL reference, "Groups"), and every team-enabled object the
 * directory knows (id and name__v). Tables are built on first use and kept until the next seed.
 */
export function queryTable(directory: Directory, target: string): QueryTable | undefined {
	let cached = cache.get(directory);
	if (!cached || cached.revision !== directory.revision) {
		cached = { revision: directory.revision, tables: new Map() };
		cache.set(directory, cached);
	}
	const known = cached.tables.get(target);
	if (known) return known;
	let table: QueryTable | undefined;
	if (target === 'user__sys') table = new QueryTable(target, USER_FIELDS, directory.allUsers().map(userRow));
	else if (target === 'group__sys') table = new QueryTable(target, GROUP_FIELDS, directory.allGroups().map((group) => ({ id: group.id, name__v: group.name, label__v: group.label })));
	else if (directory.isTeamObject(target)) table = new QueryTable(target, RECORD_FIELDS, directory.teamRecords(target).map((record) => ({ id: record.id, name__v: record.name })));
	if (table) cached.tables.set(target, table);
	return table;
}
