import type { INodeProperties } from 'n8n-workflow';

/** Job → Get Status: the job id (actions/jobStatus.ts). */
export const jobStatusFields: INodeProperties[] = [
	{
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 243001',
		description:
			'The job ID Vault returned for a bulk request, e.g. from a previous run of this node. Items naming the same job share one status call (Vault allows one per job every 10 seconds).',
		displayOptions: { show: { resource: ['job'], operation: ['getStatus'] } },
	},
];
