import { sleep, type IDataObject } from 'n8n-workflow';

import { fetchJobStatus } from '../operations/jobStatus';
import type { VaultClient } from './client';
import { VaultRequestError } from './errors';

export interface WaitOptions {
	/** at least Vault's once-per-10-seconds-per-job rule against a real Vault */
	intervalMs: number;
	timeoutMs: number;
}

export type JobResult = { status: IDataObject } | { error: VaultRequestError };

/**
 * Polls every job until it finishes or the wait times out, calling each job's status no more
 * often than `intervalMs`. A status call Vault refuses for pace (API_LIMIT_EXCEEDED) is simply
 * tried again one interval later.
 */
export async function waitForJobs(client: VaultClient, jobIds: string[], options: WaitOptions): Promise<Map<string, JobResult>> {
	const results = new Map<string, JobResult>();
	const nextPollAt = new Map(jobIds.map((id) => [id, Date.now()]));
	const deadline = Date.now() + options.timeoutMs;
	while (nextPollAt.size > 0) {
		for (const [jobId, at] of [...nextPollAt]) {
			if (at > Date.now()) continue;
			const polled = await fetchJobStatus(client, jobId, { retryRateLimit: false }).then(
				(status) => ({ status }),
				(error: unknown) => ({ error }),
			);
			nextPollAt.set(jobId, Date.now() + options.intervalMs);
			if ('status' in polled) {
				results.set(jobId, { status: polled.status });
				if (polled.status.finished === true) nextPollAt.delete(jobId);
				continue;
			}
			if (!(polled.error instanceof VaultRequestError)) throw polled.error;
			if (polled.error.kind === 'rateLimited') continue;
			results.set(jobId, { error: polled.error });
			nextPollAt.delete(jobId);
		}
		if (nextPollAt.size === 0) break;
		const soonest = Math.min(...nextPollAt.values());
		if (soonest > deadline) {
			for (const jobId of nextPollAt.keys()) {
				const last = results.get(jobId);
				const status = last && 'status' in last ? last.status : { jobId };
				results.set(jobId, { status: { ...status, finished: false, waitTimedOut: true } });
			}
			break;
		}
		await sleep(Math.max(0, soonest - Date.now()));
	}
	return results;
}
