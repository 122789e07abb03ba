import {
	NodeConnectionTypes,
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { readBulkSettings, readMemberObject, readObjectName, readSourceRows, readSyncSettings } from './bulkParameters';
import { bulkFields } from './descriptions/bulkFields';
import { veevaVaultApiTest } from './methods/credentialTest';
import { getDocumentRoles, searchTeamMemberObjects, searchTeamObjects } from './methods/listSearch';
import { getColumns } from './methods/resourceMapping';
import { BULK_OPERATIONS, findBulkOperation } from './operations';
import { executeJobStatus, jobStatusFields } from './operations/jobStatus';
import { executeVqlQuery, vqlQueryFields } from './operations/vqlQuery';
import { lookupFields } from './descriptions/lookupFields';
import { syncFields } from './descriptions/syncFields';
import { readCsvFileRows, streamCsvFileRows, type OnRow } from './pipeline/csvFileSource';
import { vaultApiError } from './pipeline/apiError';
import { lookupsWanted } from './pipeline/resolve';
import { runBulk } from './pipeline/runBulk';
import { runBulkStreamed } from './pipeline/streamBulk';
import { runSync } from './pipeline/sync';
import { VaultClient } from './transport/client';
import { VaultRequestError } from './transport/errors';

const RESOURCES = [
	{ name: 'Auditor', value: 'auditor' },
	{ name: 'Document Role', value: 'documentRole' },
	{ name: 'Job', value: 'job' },
	{ name: 'Quality Team', value: 'qualityTeam' },
	{ name: 'VQL', value: 'vql' },
];

function operationOptions(resource: string) {
	const options = BULK_OPERATIONS.filter((spec) => spec.resource === resource).map((spec) => ({
		name: spec.name,
		value: spec.operation,
		action: spec.action,
		description: spec.description,
	}));
	if (resource === 'vql') {
		options.push({ name: 'Run Query', value: 'query', action: 'Run VQL query', description: 'Read records from Vault with a VQL statement' });
	}
	if (resource === 'job') {
		options.push({ name: 'Get Status', value: 'getStatus', action: 'Get job status', description: 'Retrieve the status of a Vault job by its ID' });
	}
	return options;
}

const operationSelectors: INodeProperties[] = (
	[
		['auditor', 'associateRoles'],
		['documentRole', 'assign'],
		['job', 'getStatus'],
		['qualityTeam', 'manageAssignments'],
		['vql', 'query'],
	] as const
).map(([resource, first]) => ({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: first,
	displayOptions: { show: { resource: [resource] } },
	options: operationOptions(resource),
}));

export class VeevaVaultQms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Veeva Vault QMS',
		name: 'veevaVaultQms',
		icon: { light: 'file:veevaVault.svg', dark: 'file:veevaVault.dark.svg' },
		group: ['transform'],
		version: 1,
		// the operation as the panel names it ("Quality Team: Sync Members"), not its internal value; a string
		// literal, as n8n's lint wants: test/firstHour.test.ts holds it to the panel's names for every operation
		subtitle:
			'={{ ({"auditor/associateRoles":"Auditor: Associate Auditor Roles","documentRole/assign":"Document Role: Assign Users & Groups","documentRole/remove":"Document Role: Remove Users & Groups","job/getStatus":"Job: Get Status","qualityTeam/manageAssignments":"Quality Team: Manage Assignments","qualityTeam/migrateMembers":"Quality Team: Migrate Members","qualityTeam/syncMembers":"Quality Team: Sync Members","vql/query":"VQL: Run Query"})[$parameter["resource"] + "/" + $parameter["operation"]] || $parameter["operation"] }}',
		description: 'Keep Veeva Vault QMS people and roles in step: quality teams, auditor roles, document roles',
		defaults: { name: 'Veeva Vault QMS' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'veevaVaultApi', required: true, testedBy: 'veevaVaultApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'qualityTeam',
				options: RESOURCES,
			},
			...operationSelectors,
			...jobStatusFields,
			...vqlQueryFields,
			...syncFields,
			...lookupFields,
			...bulkFields,
		],
	};

	methods = {
		resourceMapping: { getColumns },
		listSearch: { searchTeamObjects, searchTeamMemberObjects },
		loadOptions: { getDocumentRoles },
		credentialTest: { veevaVaultApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const spec = findBulkOperation(resource, operation);
		if (spec) {
			const items = this.getInputData();
			const { settings, clientOptions } = readBulkSettings(this, spec);
			const objectName = readObjectName(this, spec, items.length);
			settings.context.objectName = objectName.name;
			if ((settings.verify || spec.sync) && objectName.name !== '') settings.member = readMemberObject(this, objectName.name);
			const connect = async () => await VaultClient.create(this, clientOptions).catch((error: unknown) => Promise.reject(toNodeError(this, error)));
			const fromFile = this.getNodeParameter('inputSource', 0, 'items') === 'binary';
			if (spec.sync) {
				const sync = readSyncSettings(this, objectName.name);
				const binaryProperty = this.getNodeParameter('binaryPropertyName', 0, 'data') as string;
				const source = fromFile ? await readCsvFileRows(this, binaryProperty, items.length, objectName.problems) : readSourceRows(this, items.length, objectName.problems);
				return [await runSync(this, connect, source, settings, sync)];
			}
			if (!fromFile) {
				return [await runBulk(this, connect, readSourceRows(this, items.length, objectName.problems), settings)];
			}
			const binaryPropertyName = this.getNodeParameter('binaryPropertyName', 0, 'data') as string;
			// the streamed file path keeps no rows between its passes; looking values up needs them all
			if (settings.outputMode === 'perBatch' && !spec.groupBy && !lookupsWanted(settings.lookups) && !settings.verify) {
				const readRows = async (onRow: OnRow) => await streamCsvFileRows(this, binaryPropertyName, items.length, objectName.problems, onRow);
				return [await runBulkStreamed(this, connect, readRows, settings)];
			}
			const source = await readCsvFileRows(this, binaryPropertyName, items.length, objectName.problems);
			return [await runBulk(this, connect, source, settings)];
		}
		const known = (resource === 'job' && operation === 'getStatus') || (resource === 'vql' && operation === 'query');
		if (!known) throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}" for resource "${resource}"`);
		const client = await VaultClient.create(this).catch((error: unknown) => Promise.reject(toNodeError(this, error)));
		const toError = (error: unknown, itemIndex: number, description?: string) => toNodeError(this, error, itemIndex, description);
		if (resource === 'vql') return [await executeVqlQuery(this, client, toError)];
		return [await executeJobStatus(this, client, toError)];
	}
}

/** Every error leaves the node as n8n's own kind, with its words and never a secret. */
export function toNodeError(fx: IExecuteFunctions, error: unknown, itemIndex?: number, description?: string): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof VaultRequestError) {
		if (error.kind === 'config') return new NodeOperationError(fx.getNode(), error.message, { itemIndex, description });
		return vaultApiError(fx.getNode(), error.message, {
			kind: error.kind,
			description: description ?? error.details.description,
			httpCode: error.details.httpCode ? String(error.details.httpCode) : undefined,
			itemIndex,
		});
	}
	return new NodeOperationError(fx.getNode(), (error as Error)?.message ?? String(error), { itemIndex });
}
