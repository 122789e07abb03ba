import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { findMemberFields, relationshipOf } from '../read/memberFields';
import type { ObjectField } from '../read/metadata';
import type { TeamDefinition } from '../read/teamDefinitions';
import { TeamCatalog } from '../read/teamLayout';
import type { VaultClient } from '../transport/client';
import type { ExecuteAction } from './types';

/**
 * Quality Team → Describe Teams: one item per Quality Team definition of the Vault (Qualityteam,
 * read/teamDefinitions.ts), with its member object's fields as the node finds them in the object's
 * metadata (read/memberFields.ts): what Sync Members and Verify will read, for an admin to check
 * before a first sync. What could not be read is said in the team's `notRead`, with why. The
 * Vault is described once, whatever the number of input items; every item is paired to all of them.
 */
export async function executeDescribeTeams(
	fx: IExecuteFunctions,
	client: VaultClient,
): Promise<INodeExecutionData[]> {
	const pairedItem = fx.getInputData().map((_, item) => ({ item }));
	const catalog = new TeamCatalog();
	const definitions = await catalog.definitions(client);
	if ('unreadable' in definitions) {
		throw new NodeOperationError(
			fx.getNode(),
			`Vault did not give its Quality Team definitions: ${definitions.unreadable}`,
			{
				description:
					"Describe Teams reads Vault's configuration (GET /configuration/Qualityteam), which Vault gives to Vault admins. Run it with an admin's credential. Without it, Sync Members and Verify read the teams with assumed names, and say so.",
			},
		);
	}
	if (definitions.teams.length === 0)
		return [{ json: { teams: 0, note: 'This Vault has no Quality Team definitions' }, pairedItem }];
	const items: INodeExecutionData[] = [];
	for (const team of definitions.teams)
		items.push({ json: await describeTeam(client, catalog, team), pairedItem });
	return items;
}

async function describeTeam(
	client: VaultClient,
	catalog: TeamCatalog,
	team: TeamDefinition,
): Promise<IDataObject> {
	const notRead = [...team.notRead];
	const fields = team.memberObject
		? await catalog.objectFields(client, team.memberObject)
		: undefined;
	if (fields && 'unreadable' in fields)
		notRead.push(
			`the fields of ${team.memberObject} (its metadata could not be read: ${fields.unreadable})`,
		);
	const memberFields =
		fields && 'fields' in fields ? describeFields(fields.fields, team, notRead) : null;
	return {
		name: team.name,
		label: team.label,
		active: team.active,
		object: team.object,
		objectType: team.objectType ?? null,
		appliesTo: team.objectType
			? `records of ${team.object} of object type ${team.objectType}`
			: `records of ${team.object} whose object type has no team of its own`,
		memberObject: team.memberObject ?? null,
		memberFields,
		memberRecordsHaveStatus: memberFields ? memberFields.status !== null : null,
		roles: team.roles.map((role) => ({
			name: role.name,
			label: role.label,
			applicationRole: role.applicationRole,
			minimumUsers: role.minimumUsers ?? null,
			maximumUsers: role.maximumUsers ?? null,
			exclusive: role.exclusive ?? null,
			constrainingRole: role.constrainingRole ?? null,
		})),
		lockedInStates: team.lockedInStates,
		notRead,
	};
}

/** The member fields Sync and Verify read, found in the metadata; what could not be chosen goes to notRead. */
function describeFields(
	fields: ObjectField[],
	team: TeamDefinition,
	notRead: string[],
): IDataObject {
	const found = findMemberFields(fields, team.memberObject as string, team.object);
	notRead.push(...found.problems);
	const role = fields.find(
		(field) =>
			found.roleField?.startsWith(`${relationshipOf(field)}.`) && field.referenceTo !== undefined,
	);
	return {
		record: found.recordField ?? null,
		user: found.userField ?? null,
		role: role?.name ?? null,
		roleNameReadAs: found.roleField ?? null,
		status: found.statusField ?? null,
	};
}

export const describeTeamsAction: ExecuteAction = {
	resource: 'qualityTeam',
	operation: 'describeTeams',
	name: 'Describe Teams',
	action: 'Describe quality teams',
	description:
		"Read how this Vault keeps its Quality Teams: each team's object, object type, member object and its fields, roles and locked states",
	execute: executeDescribeTeams,
};
