import type { IDataObject } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { isActive, type Resolution } from './lookups';
import { resolveUsers, type UserLookupField, type UserResolutions } from './userLookups';
import { AUDIT_FIELDS, USER_OBJECTS } from './memberFields';
import { readObjectFields, type ObjectField } from './metadata';
import { recordsWhereIn } from './vqlPages';

/**
 * Auditor Profiles found through their user: Associate Auditor Roles takes a profile's name
 * (`auditor_profile__v.name__v`), while an LMS knows the learner (an email, a user name, a Vault
 * id). Vault Help says an Auditor Profile is associated to a user; no page names the field
 * (VAULT-API.md, "Auditor profiles"), so it is read from the object's metadata (Retrieve Object
 * Metadata: the one reference to users that is not an audit field), never assumed; profile names
 * such as `AuditorProfile-alex@veepharm.com` are an example, not a rule, and are never built.
 */

export const AUDITOR_PROFILE_OBJECT = 'auditor_profile__v';

/** What the Auditor Profile column holds: the profile's name (sent as it is), or its user by id, email or user name. */
export type AuditorProfileLookup = 'name' | 'userId' | UserLookupField;

const WORDS: Record<Exclude<AuditorProfileLookup, 'name'>, string> = {
	userId: 'user id',
	email: 'email',
	userName: 'user name',
	federatedId: 'federated id',
};

/**
 * The one field of auditor_profile__v that references users, or why there is none to use: a
 * problem every value shares (a Vault admin's configuration, not the item's data).
 */
export function profileUserField(fields: ObjectField[]): { field: string } | { problem: string } {
	const users = fields.filter(
		(field) => USER_OBJECTS.has(field.referenceTo ?? '') && !AUDIT_FIELDS.has(field.name),
	);
	if (users.length === 1) return { field: users[0].name };
	const found =
		users.length === 0
			? 'has no field that references users'
			: `has ${users.length} fields that reference users (${users.map((field) => field.name).join(', ')}), and none can be chosen over the others`;
	return {
		problem: `Vault's metadata of ${AUDITOR_PROFILE_OBJECT} ${found}; find the Auditor Profiles by name instead`,
	};
}

/**
 * The Auditor Profile name behind each value: its user found first (only an active user, as every
 * user lookup), then the one active profile whose user field holds that user's id. No profile, or
 * more than one, is the value's problem, naming what was found.
 */
export async function resolveAuditorProfiles(
	client: VaultClient,
	values: Set<string>,
	by: Exclude<AuditorProfileLookup, 'name'>,
): Promise<UserResolutions> {
	const table = new Map<string, Resolution>();
	// the users as every user lookup finds them (exact case; a value Vault has in another case is said: read/userLookups.ts)
	const found =
		by === 'userId'
			? { table: userIdsAsGiven(values) }
			: await resolveUsers(client, values, { by, ignoreCase: false });
	const users = found.table;
	const fields = await readObjectFields(client, AUDITOR_PROFILE_OBJECT);
	const located = profileUserField(fields);
	if ('problem' in located) {
		for (const value of values) table.set(value, located);
		return { table, note: found.note };
	}
	// status__v where the object has it: an inactive profile is said, never used
	const status = fields.some((field) => field.name === 'status__v');
	const userIds = new Set([...users.values()].flatMap((user) => ('id' in user ? [user.id] : [])));
	const profiles = await profilesOf(client, located.field, userIds, status);
	for (const value of values) {
		const user = users.get(value) ?? { problem: `"${value}" was not looked up` };
		table.set(
			value,
			'problem' in user
				? user
				: profileOf(
						{ value, by, userId: user.id, userField: located.field, status },
						profiles.get(user.id) ?? [],
					),
		);
	}
	return { table, note: found.note };
}

/** A value given as a Vault user id: a whole number, else its problem (the same form Manage's user_id takes). */
function userIdsAsGiven(values: Set<string>): Map<string, Resolution> {
	const users = new Map<string, Resolution>();
	for (const value of values)
		users.set(
			value,
			/^[1-9][0-9]*$/.test(value)
				? { id: value }
				: { problem: `"${value}" is not a Vault user id (a whole number, e.g. 116468)` },
		);
	return users;
}

/** The profiles whose user field holds one of these user ids, by user id: every one, active or not (the choice is profileOf's). */
async function profilesOf(
	client: VaultClient,
	userField: string,
	userIds: Set<string>,
	status: boolean,
): Promise<Map<string, IDataObject[]>> {
	const found = new Map<string, IDataObject[]>();
	if (userIds.size === 0) return found;
	const select = ['id', 'name__v', userField, ...(status ? ['status__v'] : [])];
	for await (const profile of recordsWhereIn(
		client,
		select,
		AUDITOR_PROFILE_OBJECT,
		userField,
		userIds,
	)) {
		const user = String(profile[userField] ?? '');
		if (userIds.has(user)) found.set(user, [...(found.get(user) ?? []), profile]);
	}
	return found;
}

/** What a value was looked up as: the value, how, the user it stands for, and how auditor_profile__v names that user. */
interface Lookup {
	value: string;
	by: Exclude<AuditorProfileLookup, 'name'>;
	userId: string;
	userField: string;
	/** whether the profiles have status__v */
	status: boolean;
}

/** The one active profile of a user, as the value's resolution, with what was looked up for the item's trail. */
function profileOf(
	{ value, by, userId, userField, status }: Lookup,
	profiles: IDataObject[],
): Resolution {
	const active = status ? profiles.filter(isActive) : profiles;
	const who = by === 'userId' ? `user ${userId}` : `user ${userId} (${WORDS[by]} ${value})`;
	const named = (list: IDataObject[]) =>
		list.map((profile) => `"${String(profile.name__v)}"`).join(', ');
	if (active.length === 1) {
		const name = String(active[0].name__v ?? '');
		return {
			id: name,
			trail: { [by]: value, userId, auditorProfileId: String(active[0].id), name },
		};
	}
	if (active.length > 1) {
		return {
			problem: `${active.length} active Auditor Profiles are linked to ${who}: ${named(active)}; give the profile's name instead (Find Auditor Profiles By: Name)`,
		};
	}
	if (profiles.length > 0)
		return { problem: `the Auditor Profile linked to ${who}, ${named(profiles)}, is inactive` };
	return {
		problem: `no Auditor Profile is linked to ${who} (${AUDITOR_PROFILE_OBJECT}.${userField}); create one in Vault, or give the profile's name (Find Auditor Profiles By: Name)`,
	};
}
