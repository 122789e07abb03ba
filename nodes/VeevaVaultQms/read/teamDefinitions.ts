import type { IDataObject } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { VaultRequestError } from '../transport/errors';

/**
 * How this Vault keeps its Quality Teams, read from its own configuration: the `Qualityteam` MDL
 * component (Veeva, "Quality MDL component types > Qualityteam"): `object`, `objecttype` (blank:
 * every record of the object without a team for its type), `locked_in_states`,
 * `quality_team_member_object_name` (the member object Vault created for the team: "a system
 * managed object that Vault creates when you activate a team", QualityOne Help, "Teams") and the
 * `Qualityteamrole` subcomponent (`linked_application_role`, `minimum_user_in_role`,
 * `maximum_user_in_role`, `exclusive_membership`, `constraining_role`).
 *
 * Read with Retrieve Component Record Collection, `GET /api/{version}/configuration/Qualityteam`,
 * and, for a team the collection gives only in part ("Each component record returns a minimum of
 * API name and UI label, but most types return more"), Retrieve Component Record,
 * `GET /api/{version}/configuration/Qualityteam.{name}` (Veeva API reference, "Retrieve Component
 * Records": `data` with `name`, `label`, the attributes, subcomponents as arrays named by their
 * type, as its Picklist example shows `Picklistentry`).
 *
 * Left open by the pages, read defensively here: a component reference may come in MDL's form
 * (`Object.quality_event__qdm`, `Objecttype.quality_event__qdm.deviation__c`,
 * `Applicationrole.sme__c`) or bare; `locked_in_states` is "String, multi-value" on the Qualityteam
 * page and a subcomponent on Qualityteamlifecycleassociation's: a list, a comma-separated text or
 * objects with a `name` are all read; numbers may come as text and booleans as "true"/"false".
 */

export interface TeamRoleDefinition {
	/** the Qualityteamrole's own name */
	name: string;
	label: string;
	/** the application role's api name, as Manage's application_role column takes it (sme__c) */
	applicationRole: string;
	minimumUsers?: number;
	maximumUsers?: number;
	exclusive?: boolean;
	constrainingRole?: string;
}

export interface TeamDefinition {
	name: string;
	label: string;
	active: boolean;
	/** the team-enabled object (bare name) */
	object: string;
	/** the object type it applies to (bare name), or none: every record of the object without a team for its type */
	objectType?: string;
	/** the member object Vault created for the team; undefined when the definition does not give it */
	memberObject?: string;
	lockedInStates: string[];
	roles: TeamRoleDefinition[];
	/** what the definition did not give, in words */
	notRead: string[];
}

/** Every Quality Team definition of the Vault, or why they could not be read. */
export type TeamDefinitions = { teams: TeamDefinition[] } | { unreadable: string };

/**
 * The last segment of an MDL component reference: `Object.quality_event__qdm` → `quality_event__qdm`,
 * `Objecttype.quality_event__qdm.deviation__c` → `deviation__c`, `Applicationrole.sme__c` → `sme__c`;
 * a bare name stays as it is; an object with a `name` (a subcomponent) gives that name.
 */
export function bareName(reference: unknown): string {
	if (reference !== null && typeof reference === 'object' && 'name' in reference)
		return bareName((reference as { name: unknown }).name);
	if (typeof reference !== 'string') return '';
	const parts = reference.trim().split('.');
	return parts[parts.length - 1] ?? '';
}

/** A list attribute as names: an array (of names, references or subcomponents), or a comma-separated text. */
function names(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return list.map(bareName).filter((name) => name !== '');
}

function whole(value: unknown): number | undefined {
	const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
	return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0
		? number
		: undefined;
}

function flag(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	return undefined;
}

/** A subcomponent list, by its type name (`Qualityteamrole`); the pages show the type's own capitalisation. */
function subcomponents(data: IDataObject, type: string): IDataObject[] | undefined {
	const key = Object.keys(data).find((name) => name.toLowerCase() === type.toLowerCase());
	const value = key === undefined ? undefined : data[key];
	if (value === undefined || value === null) return undefined;
	const list = Array.isArray(value) ? value : [value];
	return list.filter((entry): entry is IDataObject => entry !== null && typeof entry === 'object');
}

function parseRole(data: IDataObject): TeamRoleDefinition {
	const name = bareName(data.name);
	const role: TeamRoleDefinition = {
		name,
		label: typeof data.label === 'string' && data.label !== '' ? data.label : name,
		applicationRole: bareName(data.linked_application_role),
	};
	const minimum = whole(data.minimum_user_in_role);
	const maximum = whole(data.maximum_user_in_role);
	const exclusive = flag(data.exclusive_membership);
	const constraining = bareName(data.constraining_role);
	if (minimum !== undefined) role.minimumUsers = minimum;
	if (maximum !== undefined) role.maximumUsers = maximum;
	if (exclusive !== undefined) role.exclusive = exclusive;
	if (constraining !== '') role.constrainingRole = constraining;
	return role;
}

/** One Qualityteam record as the configuration endpoints give it (see the file's head for what is read defensively). */
export function parseTeamDefinition(data: IDataObject): TeamDefinition {
	const name = bareName(data.name);
	const notRead: string[] = [];
	const object = bareName(data.object);
	if (object === '') notRead.push('the team-enabled object (attribute "object")');
	const memberObject = bareName(data.quality_team_member_object_name) || undefined;
	if (!memberObject)
		notRead.push('the member object (attribute "quality_team_member_object_name")');
	const roleData = subcomponents(data, 'Qualityteamrole');
	if (!roleData) notRead.push('the team roles (subcomponent "Qualityteamrole")');
	const roles = (roleData ?? []).map(parseRole);
	for (const role of roles)
		if (role.applicationRole === '')
			notRead.push(
				`the application role of team role ${role.name || '(unnamed)'} (attribute "linked_application_role")`,
			);
	const objectType = bareName(data.objecttype) || undefined;
	return {
		name,
		label: typeof data.label === 'string' && data.label !== '' ? data.label : name,
		active: flag(data.active) !== false,
		object,
		...(objectType ? { objectType } : {}),
		...(memberObject ? { memberObject } : {}),
		lockedInStates: names(data.locked_in_states),
		roles: roles.filter((role) => role.applicationRole !== ''),
		notRead,
	};
}

/** What the collection gives of a team is whole enough to use without reading the team's own record. */
function complete(data: IDataObject): boolean {
	return (
		bareName(data.object) !== '' &&
		bareName(data.quality_team_member_object_name) !== '' &&
		subcomponents(data, 'Qualityteamrole') !== undefined
	);
}

async function getConfiguration(client: VaultClient, path: string): Promise<IDataObject> {
	// a read: sent again after an unknown outcome
	const { envelope } = await client.request({
		method: 'GET',
		path,
		accept: 'application/json',
		retryUnknownOutcome: true,
	});
	return envelope;
}

/**
 * Every Quality Team definition (inactive ones too, marked), each whole: a team the collection
 * gives in part is read on its own. A refusal (INSUFFICIENT_ACCESS: the user is no admin; an older
 * Vault without the component) or an answer that is not a list of teams gives `unreadable` with
 * Vault's words: the callers fall back to assumed names and say so; nothing here throws for it.
 */
export async function readTeamDefinitions(client: VaultClient): Promise<TeamDefinitions> {
	try {
		const collection = await getConfiguration(client, '/configuration/Qualityteam');
		if (!Array.isArray(collection.data))
			return { unreadable: 'Vault answered the Quality Team definitions without a data list' };
		const teams: TeamDefinition[] = [];
		for (const entry of collection.data as IDataObject[]) {
			const name = bareName(entry?.name);
			if (name === '') continue;
			const data = complete(entry) ? entry : await readOne(client, name, entry);
			teams.push(parseTeamDefinition(data));
		}
		return { teams };
	} catch (error) {
		return { unreadable: reasonOf(error) };
	}
}

/** One team's own record; what the collection gave when that read is refused (its gaps then say so). */
async function readOne(
	client: VaultClient,
	name: string,
	fallback: IDataObject,
): Promise<IDataObject> {
	const answer = await getConfiguration(client, `/configuration/Qualityteam.${name}`).catch(
		() => undefined,
	);
	const data = answer?.data;
	return data !== null && typeof data === 'object' && !Array.isArray(data)
		? { ...fallback, ...(data as IDataObject) }
		: fallback;
}

export function reasonOf(error: unknown): string {
	if (error instanceof VaultRequestError)
		return error.details.errorType
			? `${error.details.errorType}: ${error.details.vaultMessage ?? error.message}`
			: error.message;
	return String((error as Error)?.message ?? error);
}
