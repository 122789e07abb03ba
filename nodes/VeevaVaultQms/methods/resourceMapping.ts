import type {
	FieldType,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { findBulkOperation } from '../operations';
import type { ColumnRule } from '../operations/types';
import { VaultClient } from '../transport/client';
import { listApplicationRoles, listDocumentRoles } from '../read/metadata';
import { readTeamDefinitions } from '../read/teamDefinitions';

/**
 * The Vault columns of the chosen operation, for "Map Each Column Manually", each with its input
 * (what each holds is the operation's notice above the mapper): ADD/REMOVE as a list, document ids as numbers, application roles and
 * document role columns from the connected Vault. Nothing here needs Vault: a list that cannot be
 * loaded leaves the column a text field, which any value or expression fills.
 */
export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const resource = this.getNodeParameter('resource', '') as string;
	const operation = this.getNodeParameter('operation', '') as string;
	const spec = findBulkOperation(resource, operation);
	if (!spec) return { fields: [] };
	const columnNames = spec.configurableColumns?.fields.map(
		(field) => (this.getNodeParameter(field.parameter, field.default) as string) || field.default,
	);
	const columns = spec.columns({ objectName: '', columnNames });
	// the credential is read only when a list is to be loaded; without one, the columns are text
	const connect = async () => await VaultClient.create(this).catch(() => undefined);
	const wantsRoles = columns.some((column) => column.ui?.choices === 'applicationRoles');
	const roleClient = wantsRoles ? await connect() : undefined;
	const applicationRoles = roleClient
		? await roleChoices(roleClient, chosenObject(this))
		: undefined;
	const fields: ResourceMapperField[] = columns.map((column) =>
		field(column, column.ui?.choices === 'applicationRoles' ? applicationRoles : undefined),
	);
	if (spec.extraColumns) {
		const chosen = selectedRoles(this.getNodeParameter('documentRoles', []));
		const roles = chosen.length > 0 ? chosen : await vaultDocumentRoles(await connect());
		for (const role of roles) {
			fields.push(roleField(`${role}.users`));
			fields.push(roleField(`${role}.groups`));
		}
	}
	return { fields };
}

/** The Object parameter's value (a picked or typed object, or plain text), '' when none or an expression. */
function chosenObject(fx: ILoadOptionsFunctions): string {
	const value = fx.getNodeParameter('objectName', '', { extractValue: true });
	return typeof value === 'string' && /^[a-z][a-z0-9_]*$/.test(value) ? value : '';
}

/**
 * The application roles the mapper offers: the roles of the chosen object's Quality Teams (their
 * Qualityteamroles' linked application roles, read/teamDefinitions.ts), which are all Manage
 * accepts for its records; every application role of the Vault when no object is chosen or the
 * definitions cannot be read; none (a text column) when neither can be read.
 */
async function roleChoices(
	client: VaultClient,
	objectName: string,
): Promise<INodePropertyOptions[] | undefined> {
	const definitions = objectName ? await readTeamDefinitions(client) : undefined;
	const teams =
		definitions && 'teams' in definitions
			? definitions.teams.filter((team) => team.active && team.object === objectName)
			: [];
	if (teams.length > 0) {
		const roles = new Map<string, { label: string; teams: string[] }>();
		for (const team of teams) {
			for (const role of team.roles) {
				const entry = roles.get(role.applicationRole) ?? { label: role.label, teams: [] };
				entry.teams.push(team.label);
				roles.set(role.applicationRole, entry);
			}
		}
		return [...roles].map(([apiName, { label, teams: on }]) => ({
			name: `${label} (${apiName})`,
			value: apiName,
			description: `A role of ${on.join(', ')}`,
		}));
	}
	const all = await listApplicationRoles(client).catch(() => undefined);
	return all?.map((role) => ({ name: `${role.label} (${role.apiName})`, value: role.apiName }));
}

/** The Document Roles parameter: a list of role names (or, from an earlier version, "a, b" text). */
export function selectedRoles(value: unknown): string[] {
	const names = Array.isArray(value) ? value.map(String) : String(value ?? '').split(',');
	return [...new Set(names.map((role) => role.trim()).filter(Boolean))];
}

/**
 * Every document role of the Vault when none is chosen; Veeva's own example roles (the Assign
 * page's CSV: reviewer__v, approver__v) when the Vault's cannot be loaded, so the mapper is never empty.
 */
async function vaultDocumentRoles(client: VaultClient | undefined): Promise<string[]> {
	const loaded = client ? await listDocumentRoles(client).catch(() => undefined) : undefined;
	return loaded && loaded.length > 0
		? loaded.map((role) => role.name)
		: ['reviewer__v', 'approver__v'];
}

function field(column: ColumnRule, loaded?: INodePropertyOptions[]): ResourceMapperField {
	const options = column.allowed ? column.allowed.map((value) => ({ name: value, value })) : loaded;
	const type: FieldType = options ? 'options' : (column.ui?.type ?? 'string');
	return {
		id: column.name,
		displayName: column.name,
		required: column.required,
		defaultMatch: false,
		display: true,
		type,
		...(options ? { options } : {}),
		canBeUsedToMatch: false,
	};
}

function roleField(id: string): ResourceMapperField {
	return {
		id,
		displayName: id,
		required: false,
		defaultMatch: false,
		display: true,
		type: 'string',
		canBeUsedToMatch: false,
	};
}
