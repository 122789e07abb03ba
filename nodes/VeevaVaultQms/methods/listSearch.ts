import {
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { listDocumentRoles, listVaultObjects, type VaultObjectInfo } from '../read/metadata';
import { readTeamDefinitions, type TeamDefinition } from '../read/teamDefinitions';
import { defaultMemberObject } from '../read/teams';
import { VaultClient } from '../transport/client';
import { VaultRequestError } from '../transport/errors';

/**
 * The editor's lists, loaded from the connected Vault: the object pickers ("From list") and the
 * document roles. A list that cannot be loaded says why and how to go on without it: every picker
 * also takes a typed name ("By Name"), and a value already chosen stays as it is.
 */

/** The fallback only: Quality Team member objects named as the Migrate page's examples are (lab_investigation_quality_team_member__v, change_action_quality_team_member__v). */
const MEMBER_OBJECT = /_quality_team_member__v$/;

/**
 * The objects and the Vault's Quality Team definitions (read/teamDefinitions.ts): the teams by the
 * object they are on and by their member object; undefined teams, with why, when Vault will not
 * give the definitions (then the pickers fall back to the name pattern and say so).
 */
async function objectsAndTeams(
	fx: ILoadOptionsFunctions,
): Promise<{ objects: VaultObjectInfo[]; teams?: TeamDefinition[]; unreadable?: string }> {
	const client = await clientFor(fx, 'objects');
	const objects = await loadObjects(fx, client, 'objects');
	const definitions = await readTeamDefinitions(client);
	if ('unreadable' in definitions) return { objects, unreadable: definitions.unreadable };
	return { objects, teams: definitions.teams.filter((team) => team.active) };
}

/** The objects that have a Quality Team (from Vault's team definitions) first, each naming its teams, then the Vault's other objects. */
export async function searchTeamObjects(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { objects, teams, unreadable } = await objectsAndTeams(this);
	if (!teams)
		return { results: byNamePattern(objects, unreadable as string).filter(matching(filter)) };
	const withTeams = objects.filter((object) => teams.some((team) => team.object === object.name));
	// a member object is no team-enabled object: not offered here
	const others = objects.filter(
		(object) =>
			!withTeams.includes(object) && !teams.some((team) => team.memberObject === object.name),
	);
	const about = (object: VaultObjectInfo) =>
		`Quality Team: ${teams
			.filter((team) => team.object === object.name)
			.map(
				(team) =>
					`${team.label}${team.objectType ? ` (type ${team.objectType})` : ''}, members in ${team.memberObject ?? '?'}`,
			)
			.join('; ')}`;
	return {
		results: [
			...withTeams.map((object) => item(object, about(object))),
			...others.map((object) => item(object)),
		].filter(matching(filter)),
	};
}

/** The fallback: team-enabled objects told by their member object's name, labelled so, with why. */
function byNamePattern(objects: VaultObjectInfo[], unreadable: string): INodeListSearchItems[] {
	const members = new Set(
		objects.filter((object) => MEMBER_OBJECT.test(object.name)).map((object) => object.name),
	);
	const teamEnabled = objects.filter((object) => members.has(defaultMemberObject(object.name)));
	const others = objects.filter(
		(object) => !members.has(object.name) && !teamEnabled.includes(object),
	);
	const why = `by name only: Vault did not give its Quality Team definitions (${unreadable})`;
	return [
		...teamEnabled.map((object) =>
			item(object, `Has Quality Teams? members in ${defaultMemberObject(object.name)}, ${why}`),
		),
		...others.map((object) => item(object)),
	];
}

/** The member objects of the Vault's Quality Teams first (from the definitions; by name when they cannot be read), then the Vault's other objects. */
export async function searchTeamMemberObjects(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { objects, teams, unreadable } = await objectsAndTeams(this);
	const teamOf = (object: VaultObjectInfo) =>
		teams?.find((team) => team.memberObject === object.name);
	const isMember = (object: VaultObjectInfo) =>
		teams ? teamOf(object) !== undefined : MEMBER_OBJECT.test(object.name);
	const about = (object: VaultObjectInfo) => {
		const team = teamOf(object);
		if (!team)
			return `Quality Team member object? By name only: Vault did not give its Quality Team definitions (${unreadable})`;
		return `Members of ${team.label} (${team.object}${team.objectType ? `, type ${team.objectType}` : ''})`;
	};
	const members = objects.filter(isMember);
	const others = objects.filter((object) => !isMember(object));
	return {
		results: [
			...members.map((object) => item(object, about(object))),
			...others.map((object) => item(object)),
		].filter(matching(filter)),
	};
}

/** Document roles of the Vault's lifecycles, for the Document Roles list. */
export async function getDocumentRoles(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const roles = await listDocumentRoles(await clientFor(this, 'document roles')).catch(
		listFailure(this, 'document roles'),
	);
	return roles.map((role) => ({
		name: role.name,
		value: role.name,
		description: role.lifecycles.length > 0 ? `In ${role.lifecycles.join(', ')}` : undefined,
	}));
}

async function loadObjects(
	fx: ILoadOptionsFunctions,
	client: VaultClient,
	what: string,
): Promise<VaultObjectInfo[]> {
	const objects = await listVaultObjects(client).catch(listFailure(fx, what));
	return objects
		.filter((object) => object.active)
		.sort((a, b) => a.label.localeCompare(b.label) || a.name.localeCompare(b.name));
}

/** A client for the credential the node has; a credential that cannot be used is the list's failure. */
async function clientFor(fx: ILoadOptionsFunctions, what: string): Promise<VaultClient> {
	return await VaultClient.create(fx).catch(listFailure(fx, what));
}

function item(object: VaultObjectInfo, description?: string): INodeListSearchItems {
	return {
		name: `${object.label} (${object.name})`,
		value: object.name,
		...(description ? { description } : {}),
	};
}

function matching(filter?: string) {
	const wanted = (filter ?? '').trim().toLowerCase();
	return (entry: INodeListSearchItems) =>
		wanted === '' || entry.name.toLowerCase().includes(wanted);
}

/** Why a list did not load, in words, with what to do instead; never a secret (the client redacts). */
export function listFailure(fx: ILoadOptionsFunctions, what: string) {
	return (error: unknown): never => {
		const reason =
			error instanceof VaultRequestError || error instanceof Error ? error.message : String(error);
		throw new NodeOperationError(fx.getNode(), `Could not load the ${what} from Vault: ${reason}`, {
			description:
				'Type the name instead ("By Name", or an expression); a value already chosen is kept.',
		});
	};
}
