import type { IDataObject } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { readObjectFields } from './metadata';
import { recordsWhereIn } from './vqlPages';

/**
 * Lookups: the Vault ids behind the names other systems use (users by user name, email or
 * federated id; groups and records by name__v), read with VQL in as few calls as the query length
 * allows. Used by the resolve stage (pipeline/resolve.ts) and by Sync's plan, which names people.
 */

/**
 * A looked-up value: the id (or name) it stands for, the value as Vault has it when found in another
 * letter case, and what the item's trail says of it where more than that; or why it stands for none.
 */
export type Resolution =
	| { id: string; asInVault?: string; trail?: IDataObject }
	| { problem: string };

// user__sys fields (Veeva VQL reference, user__sys: id, username__sys, email__sys, status__v;
// federated_id__sys is on no Veeva page: VAULT-API.md, "user__sys"), confirmed from the Vault's own
// metadata before they are queried (confirmUserFields)
const USER_FIELDS = {
	userName: 'username__sys',
	email: 'email__sys',
	federatedId: 'federated_id__sys',
} as const;
const USER_WORDS = { userName: 'user name', email: 'email', federatedId: 'federated id' } as const;

/** The user__sys fields a user may be found by. */
export type UserLookupField = keyof typeof USER_FIELDS;

/** How users are found: by which user__sys field, and whether in any letter case (Ignore Case). */
export interface UserLookup {
	by: UserLookupField;
	ignoreCase: boolean;
}

/** The user lookup's answer per value, and what it could not confirm, to say beside the output. */
export interface UserResolutions {
	table: Map<string, Resolution>;
	note?: string;
}

/**
 * Only active users resolve. Vault does not make emails unique, so a value two active users share
 * is ambiguous, never a guess; with Ignore Case, so is a value two users have in different letter
 * cases. The fields are confirmed from the Vault's metadata first: a field it lacks is every value's
 * problem, and no query is sent. A value not found that differs only in letter case from one Vault
 * has says so.
 */
export async function resolveUsers(
	client: VaultClient,
	values: Set<string>,
	lookup: UserLookup,
): Promise<UserResolutions> {
	const field = USER_FIELDS[lookup.by];
	const confirmed = await confirmUserFields(client, field, lookup);
	if ('problem' in confirmed)
		return { table: new Map([...values].map((value) => [value, { problem: confirmed.problem }])) };
	const fold = lookup.ignoreCase ? foldCase : (text: string) => text;
	const found = await recordsByValue(
		client,
		['id', 'username__sys', field, 'status__v'],
		'user__sys',
		field,
		values,
		lookup.ignoreCase,
	);
	const table = new Map<string, Resolution>();
	for (const value of values)
		table.set(value, userResolution(value, found.get(fold(value)) ?? [], field, lookup));
	// with Ignore Case every letter case was asked already; without it, the values no user has are asked
	// again in any case (CASEINSENSITIVE takes String fields only: a field of another type is not asked)
	const missing = lookup.ignoreCase ? [] : [...values].filter((value) => !found.has(value));
	if (missing.length > 0 && (confirmed.type === undefined || confirmed.type === 'String'))
		await sayCaseNearMisses(client, table, missing, field, lookup.by);
	return { table, note: confirmed.note };
}

function userResolution(
	value: string,
	users: IDataObject[],
	field: string,
	lookup: UserLookup,
): Resolution {
	const words = USER_WORDS[lookup.by];
	const active = users.filter(isActive);
	if (active.length === 1) {
		const inVault = String(active[0][field] ?? '');
		return { id: String(active[0].id), ...(inVault !== value ? { asInVault: inVault } : {}) };
	}
	if (active.length > 1) {
		if (lookup.ignoreCase && new Set(active.map((user) => String(user[field] ?? ''))).size > 1) {
			const names = active
				.map((user) => `${String(user.username__sys)} (${words} ${String(user[field] ?? '')})`)
				.join(', ');
			return {
				problem: `${active.length} active Vault users have the ${words} ${value} when letter case is ignored: ${names}; turn Ignore Case off to match the exact value, or find them by id`,
			};
		}
		const names = active.map((user) => String(user.username__sys)).join(', ');
		return {
			problem: `${active.length} active Vault users have the ${words} ${value}: user names ${names}; find them by user name or id instead`,
		};
	}
	if (users.length > 0) {
		const names = users
			.map((user) => `${String(user.username__sys)} (id ${String(user.id)})`)
			.join(', ');
		return {
			problem: `no active Vault user has the ${words} ${value}: ${names} ${users.length === 1 ? 'is' : 'are'} inactive`,
		};
	}
	return { problem: `no active Vault user has the ${words} ${value}` };
}

/**
 * Letter case as the lookups compare it when Ignore Case is on: JavaScript's toLowerCase(), Unicode's
 * default mapping. Veeva's CASEINSENSITIVE page does not say how Vault folds case; a row Vault matched
 * that this does not is dropped (the value then resolves to no one), never taken.
 */
function foldCase(text: string): string {
	return text.toLowerCase();
}

/**
 * Confirms, from the Vault's own metadata (Retrieve Object Metadata of user__sys, read once per run:
 * resolveUsers runs once per run, from the resolve stage), that user__sys has the fields the lookup
 * reads, and with Ignore Case that the field is of type String, the only type CASEINSENSITIVE takes
 * (Veeva VQL reference, CASEINSENSITIVE). A Vault that will not show its metadata (no permission)
 * is looked up by the documented names, and the note says they were not confirmed.
 */
async function confirmUserFields(
	client: VaultClient,
	field: string,
	lookup: UserLookup,
): Promise<{ problem: string } | { type?: string; note?: string }> {
	let fields: Map<string, string>;
	try {
		fields = new Map(
			(await readObjectFields(client, 'user__sys')).map((described) => [
				described.name,
				described.type,
			]),
		);
	} catch (error) {
		const reason = (error as Error)?.message ?? String(error);
		return {
			note: `Users were looked up by user__sys ${field} without confirming the field: Vault's metadata of user__sys could not be read (${reason})`,
		};
	}
	const words = USER_WORDS[lookup.by];
	const lacking = [field, 'username__sys', 'status__v'].filter((name) => !fields.has(name));
	if (lacking.length > 0) {
		const fix =
			lacking.includes(field) && lacking.length === 1
				? 'choose another Find Users By'
				: 'use Vault user ids (Find Users By: ID)';
		return {
			problem: `this Vault's user object (user__sys) has no field ${lacking.join(' or ')} (its metadata lists none), so users cannot be found by ${words} here: ${fix}`,
		};
	}
	const type = fields.get(field);
	if (lookup.ignoreCase && type !== 'String') {
		return {
			problem: `Ignore Case needs a text field, and user__sys ${field} is of type ${type || 'unknown'} in this Vault (VQL's CASEINSENSITIVE takes String fields only): turn Ignore Case off`,
		};
	}
	return { type };
}

/**
 * Values no user has exactly, asked again with CASEINSENSITIVE (Veeva VQL reference): one that
 * differs only in letter case from a user's value says so, naming that user, since "field values are
 * case sensitive" (VQL "Syntax Basics") is not what an admin expects of an email. Only words: a read
 * that fails leaves the plain "no active Vault user" and changes nothing.
 */
async function sayCaseNearMisses(
	client: VaultClient,
	table: Map<string, Resolution>,
	missing: string[],
	field: string,
	by: UserLookupField,
): Promise<void> {
	const words = USER_WORDS[by];
	const near = await recordsByValue(
		client,
		['id', 'username__sys', field, 'status__v'],
		'user__sys',
		field,
		new Set(missing),
		true,
	).catch(() => undefined);
	for (const value of missing) {
		const users = near?.get(foldCase(value)) ?? [];
		if (users.length === 0) continue;
		const named = users
			.map(
				(user) =>
					`${String(user[field] ?? '')} (user ${String(user.username__sys)}, id ${String(user.id)}${isActive(user) ? '' : ', inactive'})`,
			)
			.join(', ');
		const fix =
			by === 'federatedId' ? 'correct the value' : 'correct the value or turn on Ignore Case';
		table.set(value, {
			problem: `no active Vault user has the ${words} ${value}; Vault has ${named}, which differs only in letter case: Vault matches ${words}s with their case, so ${fix}`,
		});
	}
}

/**
 * status__v of user__sys and group__sys: a picklist, which Vault's record answers give as a list
 * (["active__v"], Veeva API reference, "Retrieve Object Record"); no page shows a user__sys or
 * group__sys VQL answer, so a plain "active__v" is taken too.
 */
export function isActive(record: IDataObject): boolean {
	const status = record.status__v;
	return Array.isArray(status)
		? (status as unknown[]).includes('active__v')
		: status === 'active__v';
}

/**
 * Groups (group__sys) and records of the run's object, by their name__v. Groups, like users, resolve
 * only when active: group__sys has `status__v` (VAULT-API.md, "group__sys: name__v and label__v
 * unique, status__v"), and an inactive group is the item's error naming it, never its id.
 */
export async function resolveByName(
	client: VaultClient,
	values: Set<string>,
	object: string,
	what: string,
	activeOnly = false,
): Promise<Map<string, Resolution>> {
	const found = await recordsByValue(
		client,
		activeOnly ? ['id', 'name__v', 'status__v'] : ['id', 'name__v'],
		object,
		'name__v',
		values,
	);
	const table = new Map<string, Resolution>();
	for (const value of values) {
		const all = found.get(value) ?? [];
		const usable = activeOnly ? all.filter(isActive) : all;
		const ids = usable.map((record) => String(record.id));
		if (ids.length === 1) table.set(value, { id: ids[0] });
		else if (ids.length > 1)
			table.set(value, {
				problem: `${ids.length} ${what}s are named "${value}" (ids ${ids.join(', ')}); use the id instead`,
			});
		else if (all.length > 0) {
			const inactive = all.map((record) => String(record.id)).join(', ');
			table.set(value, {
				problem: `the ${what} named "${value}" (id ${inactive}) is inactive; only active ${what}s are looked up`,
			});
		} else table.set(value, { problem: `no ${what} is named "${value}"` });
	}
	return table;
}

/**
 * The user names of these user ids (user__sys `username__sys`, Veeva VQL reference), so a plan of
 * removals names people and not only numbers. Only for display: a read that fails gives no names
 * and the reason, and changes nothing about what is planned or sent.
 */
export async function readUserNames(
	client: VaultClient,
	userIds: Iterable<string>,
): Promise<{ names: Map<string, string>; error?: string }> {
	const ids = new Set([...userIds].filter((id) => /^\d+$/.test(id)));
	const names = new Map<string, string>();
	try {
		for await (const record of recordsWhereIn(
			client,
			['id', 'username__sys'],
			'user__sys',
			'id',
			ids,
		)) {
			if (typeof record.username__sys === 'string')
				names.set(String(record.id), record.username__sys);
		}
		return { names };
	} catch (error) {
		return { names: new Map(), error: (error as Error)?.message ?? String(error) };
	}
}

/**
 * The records whose `field` holds one of `values`, grouped by that value; rows for any other value
 * are dropped. With `caseInsensitive`, asked with CASEINSENSITIVE(field) (one value per letter-case
 * form sent) and grouped by the value's foldCase form.
 */
async function recordsByValue(
	client: VaultClient,
	select: string[],
	from: string,
	field: string,
	values: Set<string>,
	caseInsensitive = false,
): Promise<Map<string, IDataObject[]>> {
	const key = caseInsensitive ? foldCase : (text: string) => text;
	const asked = new Map<string, string>();
	for (const value of values) if (!asked.has(key(value))) asked.set(key(value), value);
	const found = new Map<string, IDataObject[]>();
	for await (const record of recordsWhereIn(
		client,
		select,
		from,
		field,
		asked.values(),
		'',
		caseInsensitive,
	)) {
		const value = key(String(record[field] ?? ''));
		if (asked.has(value)) found.set(value, [...(found.get(value) ?? []), record]);
	}
	return found;
}
