import {
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { listDocumentRoles, listVaultObjects, type VaultObjectInfo } from '../read/metadata';
import { defaultMemberObject } from '../read/teams';
import { VaultClient } from '../transport/client';
import { VaultRequestError } from '../transport/errors';

/**
 * The editor's lists, loaded from the connected Vault: the object pickers ("From list") and the
 * document roles. A list that cannot be loaded says why and how to go on without it: every picker
 * also takes a typed name ("By Name"), and a value already chosen stays as it is.
 */

/** Quality Team member objects: the Migrate page's examples end so (lab_investigation_quality_team_member__v, change_action_quality_team_member__v). */
const MEMBER_OBJECT = /_quality_team_member__v$/;

/** Team-enabled objects first (those with a Quality Team member object named after them), then the Vault's other objects. */
export async function searchTeamObjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const objects = await loadObjects(this, 'objects');
	const members = new Set(objects.filter((object) => MEMBER_OBJECT.test(object.name)).map((object) => object.name));
	const teamEnabled = objects.filter((object) => members.has(defaultMemberObject(object.name)));
	const others = objects.filter((object) => !members.has(object.name) && !teamEnabled.includes(object));
	return {
		results: [
			...teamEnabled.map((object) => item(object, `Has Quality Teams (members in ${defaultMemberObject(object.name)})`)),
			...others.map((object) => item(object)),
		].filter(matching(filter)),
	};
}

/** Quality Team member objects first, then the Vault's other objects (a Vault may name its own otherwise). */
export async function searchTeamMemberObjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const objects = await loadObjects(this, 'objects');
	const members = objects.filter((object) => MEMBER_OBJECT.test(object.name));
	const others = objects.filter((object) => !MEMBER_OBJECT.test(object.name));
	return {
		results: [...members.map((object) => item(object, 'Quality Team member object')), ...others.map((object) => item(object))].filter(matching(filter)),
	};
}

/** Document roles of the Vault's lifecycles, for the Document Roles list. */
export async function getDocumentRoles(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const roles = await listDocumentRoles(await clientFor(this, 'document roles')).catch(listFailure(this, 'document roles'));
	return roles.map((role) => ({
		name: role.name,
		value: role.name,
		description: role.lifecycles.length > 0 ? `In ${role.lifecycles.join(', ')}` : undefined,
	}));
}

async function loadObjects(fx: ILoadOptionsFunctions, what: string): Promise<VaultObjectInfo[]> {
	const objects = await listVaultObjects(await clientFor(fx, what)).catch(listFailure(fx, what));
	return objects.filter((object) => object.active).sort((a, b) => a.label.localeCompare(b.label) || a.name.localeCompare(b.name));
}

/** A client for the credential the node has; a credential that cannot be used is the list's failure. */
async function clientFor(fx: ILoadOptionsFunctions, what: string): Promise<VaultClient> {
	return await VaultClient.create(fx).catch(listFailure(fx, what));
}

function item(object: VaultObjectInfo, description?: string): INodeListSearchItems {
	return { name: `${object.label} (${object.name})`, value: object.name, ...(description ? { description } : {}) };
}

function matching(filter?: string) {
	const wanted = (filter ?? '').trim().toLowerCase();
	return (entry: INodeListSearchItems) => wanted === '' || entry.name.toLowerCase().includes(wanted);
}

/** Why a list did not load, in words, with what to do instead; never a secret (the client redacts). */
export function listFailure(fx: ILoadOptionsFunctions, what: string) {
	return (error: unknown): never => {
		const reason = error instanceof VaultRequestError || error instanceof Error ? error.message : String(error);
		throw new NodeOperationError(fx.getNode(), `Could not load the ${what} from Vault: ${reason}`, {
			description: 'Type the name instead ("By Name", or an expression); a value already chosen is kept.',
		});
	};
}
