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
import type { BulkOperationSpec } from './operations/types';
import { executeJobStatus, jobStatusFields } from './operations/jobStatus';
import { executeVqlQuery, vqlQueryFields } from './operations/vqlQuery';
import { lookupFields } from './descriptions/lookupFields';
import { syncFields } from './descriptions/syncFields';
import { readCsvFileRows, streamCsvFileRows, type OnRow } from './pipeline/csvFileSource';
import { vaultApiError } from './pipeline/apiError';
import { refusedRunItems } from './pipeline/output';
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

	/**
	 * Every operation's errors of one item are that item's error item already (with continue on fail).
	 * What is still thrown refuses the run as a whole: without continue on fail it is the node's
	 * error; with it (regular or error output), one error item per input item says why.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		try {
			return [await runOperation(this)];
		} catch (caught) {
			const error = toNodeError(this, caught);
			if (!this.continueOnFail()) throw error;
			return [refusedRunItems(this.getInputData().length, error)];
		}
	}
}

async function runOperation(fx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const resource = fx.getNodeParameter('resource', 0) as string;
	const operation = fx.getNodeParameter('operation', 0) as string;
	const spec = findBulkOperation(resource, operation);
	if (spec) return await runBulkOperation(fx, spec);
	const known = (resource === 'job' && operation === 'getStatus') || (resource === 'vql' && operation === 'query');
	if (!known) throw new NodeOperationError(fx.getNode(), `Unknown operation "${operation}" for resource "${resource}"`);
	const client = await VaultClient.create(fx).catch((error: unknown) => Promise.reject(toNodeError(fx, error)));
	const toError = (error: unknown, itemIndex: number, description?: string) => toNodeError(fx, error, itemIndex, description);
	if (resource === 'vql') return await executeVqlQuery(fx, client, toError);
	return await executeJobStatus(fx, client, toError);
}

async function runBulkOperation(fx: IExecuteFunctions, spec: BulkOperationSpec): Promise<INodeExecutionData[]> {
	const items = fx.getInputData();
	const { settings, clientOptions } = readBulkSettings(fx, spec);
	const objectName = readObjectName(fx, spec, items.length);
	settings.context.objectName = objectName.name;
	if ((settings.verify || spec.sync) && objectName.name !== '') settings.member = readMemberObject(fx, objectName.name);
	const connect = async () => await VaultClient.create(fx, clientOptions).catch((error: unknown) => Promise.reject(toNodeError(fx, error)));
	const fromFile = fx.getNodeParameter('inputSource', 0, 'items') === 'binary';
	const binaryPropertyName = fx.getNodeParameter('binaryPropertyName', 0, 'data') as string;
	if (spec.sync) {
		const sync = readSyncSettings(fx, objectName.name);
		const source = fromFile ? await readCsvFileRows(fx, binaryPropertyName, items.length, objectName.problems) : readSourceRows(fx, items.length, objectName.problems);
		return await runSync(fx, connect, source, settings, sync);
	}
	if (!fromFile) return await runBulk(fx, connect, readSourceRows(fx, items.length, objectName.problems), settings);
	// the streamed file path keeps no rows between its passes; looking values up needs them all
	if (settings.outputMode === 'perBatch' && !spec.groupBy && !lookupsWanted(settings.lookups) && !settings.verify) {
		const readRows = async (onRow: OnRow) => await streamCsvFileRows(fx, binaryPropertyName, items.length, objectName.problems, onRow);
		return await runBulkStreamed(fx, connect, readRows, settings);
	}
	const source = await readCsvFileRows(fx, binaryPropertyName, items.length, objectName.problems);
	return await runBulk(fx, connect, source, settings);
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
