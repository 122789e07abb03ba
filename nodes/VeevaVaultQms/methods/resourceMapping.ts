import type { ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { findBulkOperation } from '../operations';
import { DEFAULT_MIGRATE_COLUMNS } from '../operations/migrateMembers';

/** The Vault columns of the chosen operation, for "Map Each Column Below". */
export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const resource = this.getNodeParameter('resource', '') as string;
	const operation = this.getNodeParameter('operation', '') as string;
	const spec = findBulkOperation(resource, operation);
	if (!spec) return { fields: [] };
	const migrateColumns = (['recordColumn', 'userColumn', 'roleColumn'] as const).map(
		(name, index) => (this.getNodeParameter(name, DEFAULT_MIGRATE_COLUMNS[index]) as string) || DEFAULT_MIGRATE_COLUMNS[index],
	) as [string, string, string];
	const fields: ResourceMapperField[] = spec.columns({ objectName: '', migrateColumns }).map((column) => field(column.name, column.required));
	if (spec.extraColumns) {
		const roles = String(this.getNodeParameter('documentRoles', '') ?? '')
			.split(',')
			.map((role) => role.trim())
			.filter(Boolean);
		for (const role of roles) fields.push(field(`${role}.users`, false), field(`${role}.groups`, false));
	}
	return { fields };
}

function field(id: string, required: boolean): ResourceMapperField {
	return { id, displayName: id, required, defaultMatch: false, display: true, type: 'string', canBeUsedToMatch: false };
}
