import type { IDataObject } from 'n8n-workflow';

import type { JobResult } from '../transport/jobs';

/**
 * A job's fields on an output item: its state and a line for people, from Retrieve Job Status'
 * answer. Apart from output.ts because Job → Get Status (actions/jobStatus.ts) shows jobs too, with
 * no row items around them.
 */

/**
 * A job's `state` for a workflow to branch on, and a line for people, from Retrieve Job Status'
 * answer (`status`: SCHEDULED, QUEUED, RUNNING, SUCCESS, ERRORS_ENCOUNTERED, ...; `finished` set here).
 */
export function describeJob(
	jobId: string,
	status: IDataObject,
): { state: string; summary: string } {
	const vaultStatus = String(status.status ?? 'unknown');
	if (status.finished === true) {
		const more =
			vaultStatus === 'SUCCESS'
				? ''
				: '; see the job in Vault (Admin > Operations > Job Status) for the rows it did not apply';
		return { state: 'finished', summary: `Job ${jobId} finished: ${vaultStatus}${more}` };
	}
	if (status.waitTimedOut === true)
		return {
			state: 'waitTimedOut',
			summary: `Job ${jobId} was ${vaultStatus} when the wait ended; the job Get Status operation says how it ends`,
		};
	return { state: 'running', summary: `Job ${jobId} is ${vaultStatus}: not finished yet` };
}

/**
 * A job's fields on its items: Vault's job id, a `state` a workflow can branch on, a one-line
 * `summary` for people, and the status Vault gave when it was asked (Retrieve Job Status).
 * Vault's answer to a bulk request is only `{"responseStatus":"SUCCESS","jobId":...}` (the
 * endpoints' pages): the job is submitted, and nothing more is known until its status is read.
 */
export function jobFields(jobId: string, result: JobResult | undefined): IDataObject {
	if (!result) {
		return {
			jobId,
			state: 'submitted',
			summary: `Vault accepted the batch as job ${jobId}; not waited for: the job Get Status operation, or the Wait for Completion option, says how it ended`,
		};
	}
	if ('error' in result) {
		return {
			jobId,
			state: 'submitted',
			summary: `Vault accepted the batch as job ${jobId}; its status could not be read: ${result.error.message}`,
			statusError: result.error.message,
		};
	}
	const status = { ...result.status };
	delete status.jobId;
	return { jobId, ...describeJob(jobId, status), ...status };
}
