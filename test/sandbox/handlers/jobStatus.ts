import type { SessionContext } from '../http/apiContext';
import { failure, success, type VaultResponse } from '../http/vaultResponse';

/** GET /api/{version}/services/jobs/{job_id}: Retrieve Job Status, at most once per interval per job. */
export function retrieveJobStatus(context: SessionContext): VaultResponse {
	const { world } = context;
	const jobId = /^\d+$/.test(context.params.jobId) ? Number(context.params.jobId) : NaN;
	const job = world.jobs.get(jobId);
	if (!job || job.vaultId !== context.vault.id) {
		return failure('INSUFFICIENT_ACCESS', `Job ${context.params.jobId} does not exist or you do not have access to it.`);
	}
	if (!world.jobs.acceptStatusCall(job.id, context.now, world.settings.jobStatusMinIntervalMs)) {
		const seconds = world.settings.jobStatusMinIntervalMs / 1000;
		return failure('API_LIMIT_EXCEEDED', `Job status for job ${job.id} may be requested at most once every ${seconds} seconds.`);
	}
	return success({
		data: {
			id: job.id,
			status: job.status,
			method: job.method,
			links: [],
			created_by: job.createdBy,
			created_date: job.createdDate,
			...(job.runStartDate && { run_start_date: job.runStartDate }),
			...(job.runEndDate && { run_end_date: job.runEndDate }),
		},
	});
}
