import {
	NodeConnectionTypes,
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';

import { executeJobStatus, jobStatusFields } from './operations/jobStatus';
import { VaultClient } from './transport/client';
import { VaultRequestError } from './transport/errors';

export class VeevaVaultQms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Veeva Vault QMS',
		name: 'veevaVaultQms',
		icon: { light: 'file:veevaVault.svg', dark: 'file:veevaVault.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Keep Veeva Vault QMS people and roles in step: quality teams, auditor roles, document roles',
		defaults: { name: 'Veeva Vault QMS' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'veevaVaultApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'job',
				options: [{ name: 'Job', value: 'job' }],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'getStatus',
				displayOptions: { show: { resource: ['job'] } },
				options: [
					{ name: 'Get Status', value: 'getStatus', action: 'Get the status of a job', description: 'Retrieve Job Status' },
				],
			},
			...jobStatusFields,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		let client: VaultClient;
		try {
			client = await VaultClient.create(this);
		} catch (error) {
			throw toNodeError(this, error);
		}
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				output.push(await executeJobStatus(this, client, itemIndex));
			} catch (error) {
				const nodeError = toNodeError(this, error, itemIndex);
				if (!this.continueOnFail()) throw nodeError;
				output.push({ json: { error: nodeError.message, errorDescription: nodeError.description }, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	}
}

function toNodeError(fx: IExecuteFunctions, error: unknown, itemIndex?: number) {
	if (error instanceof VaultRequestError) {
		const { kind, details } = error;
		if (kind === 'config') return new NodeOperationError(fx.getNode(), error.message, { itemIndex });
		return new NodeApiError(fx.getNode(), { message: error.message, kind, errorType: details.errorType ?? '' } as JsonObject, {
			message: error.message,
			description: details.description,
			httpCode: details.httpCode ? String(details.httpCode) : undefined,
			itemIndex,
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(fx.getNode(), error as Error, { itemIndex });
}
