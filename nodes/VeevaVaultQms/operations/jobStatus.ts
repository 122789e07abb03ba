import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { VaultRequestError } from '../transport/errors';

export const jobStatusFields: INodeProperties[] = [
	{
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '243001',
		description: 'The job ID Vault returned for a bulk request, e.g. from a previous run of this node',
		displayOptions: { show: { resource: ['job'], operation: ['getStatus'] } },
	},
];

export const FINISHED_JOB_STATUSES = new Set([
	'SUCCESS',
	'ERRORS_ENCOUNTERED',
	'CANCELLED',
	'TIMEOUT',
	'COMPLETED_DUE_TO_INACTIVITY',
	'MISSED_SCHEDULE',
]);

/** A job id as Vault gives it (number or string) checked to be digits, so it cannot steer the path. */
export function checkJobId(raw: unknown): string {
	const text = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (!/^\d{1,19}$/.test(text)) {
		throw new VaultRequestError('config', `Job ID "${String(raw)}" is not a Vault job id: it must be a whole number such as 243001`);
	}
	return text;
}

export async function fetchJobStatus(
	client: VaultClient,
	jobId: string,
	options: { retryRateLimit?: boolean } = {},
): Promise<IDataObject> {
	const answer = await client.request({
		method: 'GET',
		path: `/services/jobs/${jobId}`,
		retryUnknownOutcome: true,
		retryRateLimit: options.retryRateLimit,
	});
	const data = (answer.envelope.data ?? {}) as IDataObject;
	return {
		jobId,
		status: data.status,
		finished: FINISHED_JOB_STATUSES.has(String(data.status)),
		method: data.method,
		createdBy: data.created_by,
		createdDate: data.created_date,
		runStartDate: data.run_start_date,
		runEndDate: data.run_end_date,
		links: data.links,
	};
}

export async function executeJobStatus(
	fx: IExecuteFunctions,
	client: VaultClient,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const jobId = checkJobId(fx.getNodeParameter('jobId', itemIndex));
	return { json: await fetchJobStatus(client, jobId), pairedItem: { item: itemIndex } };
}
