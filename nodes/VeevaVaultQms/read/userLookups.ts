import type { IDataObject } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { foldCase, isActive, recordsByValue, type Resolution } from './lookups';
import { readObjectFields } from './metadata';

/**
 * Users found by user name, email or federated id (user__sys), the lookup with the most to say:
 * only active users, never a guess between two, the fields confirmed from Vault's metadata first,
 * and a value that differs from Vault's only in letter case named. Apart from lookups.ts, which
 * holds what every lookup shares.
 */

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
 * Confirms, from the Vault's own metadata (Retrieve Object Metadata of user__sys, read each time
 * resolveUsers runs: from the resolve stage, and again for Auditor Profiles found by their user's
 * user name or email, read/auditorProfiles.ts), that user__sys has the fields the lookup
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
