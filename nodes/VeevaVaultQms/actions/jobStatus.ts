import { deepCopy, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { describeJob } from '../pipeline/outputJobs';
import { asOneTable } from '../pipeline/outputTable';
import { checkJobId, getJobStatuses } from '../transport/jobs';
import type { ExecuteAction, ToNodeError } from './types';

/**
 * Job → Get Status for every input item. Vault allows one status call per job every 10 seconds
 * (Veeva API reference, "Retrieve Job Status"), and a chain such as Manage → Get Status hands on
 * one item per row, all naming the same job: so Vault is asked once per distinct job id and every
 * item of that job gets the answer. Each output item is paired to its own input item; a bad job
 * id, or a job Vault would not report, is that item's error (`toError` makes it n8n's kind), kept
 * in the output with "continue on fail" and thrown at the first such item without.
 */
export async function executeJobStatus(
	fx: IExecuteFunctions,
	client: VaultClient,
	toError: ToNodeError,
): Promise<INodeExecutionData[]> {
	const continueOnFail = fx.continueOnFail();
	const itemCount = fx.getInputData().length;
	const perItem: Array<{ jobId: string } | { error: unknown }> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			perItem.push({ jobId: checkJobId(fx.getNodeParameter('jobId', itemIndex)) });
		} catch (error) {
			// without "continue on fail" a bad id stops the node before anything is sent
			if (!continueOnFail) throw toError(error, itemIndex);
			perItem.push({ error });
		}
	}
	const jobIds = perItem.flatMap((entry) => ('jobId' in entry ? [entry.jobId] : []));
	const statuses = await getJobStatuses(client, jobIds, { stopAtFirstError: !continueOnFail });
	const output: INodeExecutionData[] = [];
	perItem.forEach((entry, itemIndex) => {
		const result = 'jobId' in entry ? statuses.get(entry.jobId) : entry;
		if (result && 'status' in result) {
			const status = deepCopy(result.status);
			output.push({
				json: { ...status, ...describeJob(String(status.jobId ?? ''), status) },
				pairedItem: { item: itemIndex },
			});
			return;
		}
		const error = toError(
			result?.error ?? new Error('The job status was not asked for'),
			itemIndex,
		);
		if (!continueOnFail) throw error;
		// no `error` on the item: n8n-core would replace its json with the bare message (normalizeNodeErrors), and it could not be a row of the table below
		output.push({ json: { error: error.message }, pairedItem: { item: itemIndex } });
	});
	return asOneTable(fx, output);
}

export const jobStatusAction: ExecuteAction = {
	resource: 'job',
	operation: 'getStatus',
	name: 'Get Status',
	action: 'Get job status',
	description: 'Retrieve the status of a Vault job by its ID',
	execute: executeJobStatus,
};
