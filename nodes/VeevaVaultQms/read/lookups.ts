import type { IDataObject } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { recordsWhereIn } from './vqlPages';

/**
 * Lookups: the Vault ids behind the names other systems use, read with VQL in as few calls as the
 * query length allows. Here groups and records by name__v, user names by id (Sync's plan names
 * people), and what every lookup shares (a value's resolution, active status, letter case, the
 * query by value); users by user name, email or federated id are userLookups.ts. Used by the
 * resolve stage (pipeline/resolve.ts), Sync's plan and the team and auditor-profile reads.
 */

/**
 * A looked-up value: the id (or name) it stands for, the value as Vault has it when found in another
 * letter case, and what the item's trail says of it where more than that; or why it stands for none.
 */
export type Resolution =
	| { id: string; asInVault?: string; trail?: IDataObject }
	| { problem: string };

/**
 * Letter case as the lookups compare it when Ignore Case is on: JavaScript's toLowerCase(), Unicode's
 * default mapping. Veeva's CASEINSENSITIVE page does not say how Vault folds case; a row Vault matched
 * that this does not is dropped (the value then resolves to no one), never taken.
 */
export function foldCase(text: string): string {
	return text.toLowerCase();
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
export async function recordsByValue(
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
