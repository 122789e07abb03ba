import type { IDataObject } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { recordsWhereIn } from './vqlPages';

/**
 * Lookups: the Vault ids behind the names other systems use (users by user name, email or
 * federated id; groups and records by name__v), read with VQL in as few calls as the query length
 * allows. Used by the resolve stage (pipeline/resolve.ts) and by Sync's plan, which names people.
 */

/** A looked-up value: the id it stands for, or why it stands for none. */
export type Resolution = { id: string } | { problem: string };

// user__sys fields (Veeva VQL reference, user__sys: id, username__sys, email__sys, federated_id__sys, status__v)
const USER_FIELDS = { userName: 'username__sys', email: 'email__sys', federatedId: 'federated_id__sys' } as const;
const USER_WORDS = { userName: 'user name', email: 'email', federatedId: 'federated id' } as const;

/** The user__sys fields a user may be found by. */
export type UserLookupField = keyof typeof USER_FIELDS;

/**
 * Only active users resolve. Vault does not make emails unique, so a value two active users share
 * is ambiguous, never a guess.
 */
export async function resolveUsers(client: VaultClient, values: Set<string>, by: UserLookupField): Promise<Map<string, Resolution>> {
	const field = USER_FIELDS[by];
	const found = await recordsByValue(client, ['id', 'username__sys', field, 'status__v'], 'user__sys', field, values);
	const words = USER_WORDS[by];
	const table = new Map<string, Resolution>();
	for (const value of values) {
		const users = found.get(value) ?? [];
		const active = users.filter(isActive);
		if (active.length === 1) table.set(value, { id: String(active[0].id) });
		else if (active.length > 1) {
			const names = active.map((user) => String(user.username__sys)).join(', ');
			table.set(value, { problem: `${active.length} active Vault users have the ${words} ${value}: user names ${names}; find them by user name or id instead` });
		} else if (users.length > 0) {
			const names = users.map((user) => `${String(user.username__sys)} (id ${String(user.id)})`).join(', ');
			table.set(value, { problem: `no active Vault user has the ${words} ${value}: ${names} ${users.length === 1 ? 'is' : 'are'} inactive` });
		} else table.set(value, { problem: `no active Vault user has the ${words} ${value}` });
	}
	return table;
}

/**
 * status__v of user__sys and group__sys: a picklist, which Vault's record answers give as a list
 * (["active__v"], Veeva API reference, "Retrieve Object Record"); no page shows a user__sys or
 * group__sys VQL answer, so a plain "active__v" is taken too.
 */
export function isActive(record: IDataObject): boolean {
	const status = record.status__v;
	return Array.isArray(status) ? (status as unknown[]).includes('active__v') : status === 'active__v';
}

/**
 * Groups (group__sys) and records of the run's object, by their name__v. Groups, like users, resolve
 * only when active: group__sys has `status__v` (VAULT-API.md, "group__sys: name__v and label__v
 * unique, status__v"), and an inactive group is the item's error naming it, never its id.
 */
export async function resolveByName(client: VaultClient, values: Set<string>, object: string, what: string, activeOnly = false): Promise<Map<string, Resolution>> {
	const found = await recordsByValue(client, activeOnly ? ['id', 'name__v', 'status__v'] : ['id', 'name__v'], object, 'name__v', values);
	const table = new Map<string, Resolution>();
	for (const value of values) {
		const all = found.get(value) ?? [];
		const usable = activeOnly ? all.filter(isActive) : all;
		const ids = usable.map((record) => String(record.id));
		if (ids.length === 1) table.set(value, { id: ids[0] });
		else if (ids.length > 1) table.set(value, { problem: `${ids.length} ${what}s are named "${value}" (ids ${ids.join(', ')}); use the id instead` });
		else if (all.length > 0) {
			const inactive = all.map((record) => String(record.id)).join(', ');
			table.set(value, { problem: `the ${what} named "${value}" (id ${inactive}) is inactive; only active ${what}s are looked up` });
		} else table.set(value, { problem: `no ${what} is named "${value}"` });
	}
	return table;
}

/**
 * The user names of these user ids (user__sys `username__sys`, Veeva VQL reference), so a plan of
 * removals names people and not only numbers. Only for display: a read that fails gives no names
 * and the reason, and changes nothing about what is planned or sent.
 */
export async function readUserNames(client: VaultClient, userIds: Iterable<string>): Promise<{ names: Map<string, string>; error?: string }> {
	const ids = new Set([...userIds].filter((id) => /^\d+$/.test(id)));
	const names = new Map<string, string>();
	try {
		for await (const record of recordsWhereIn(client, ['id', 'username__sys'], 'user__sys', 'id', ids)) {
			if (typeof record.username__sys === 'string') names.set(String(record.id), record.username__sys);
		}
		return { names };
	} catch (error) {
		return { names: new Map(), error: (error as Error)?.message ?? String(error) };
	}
}

/** The records whose `field` holds one of `values`, grouped by that value; rows for any other value are dropped. */
async function recordsByValue(client: VaultClient, select: string[], from: string, field: string, values: Set<string>): Promise<Map<string, IDataObject[]>> {
	const found = new Map<string, IDataObject[]>();
	for await (const record of recordsWhereIn(client, select, from, field, values)) {
		const key = String(record[field] ?? '');
		if (values.has(key)) found.set(key, [...(found.get(key) ?? []), record]);
	}
	return found;
}
