import { sleep, type IDataObject } from 'n8n-workflow';

import type { VaultClient } from './client';
import { VaultRequestError } from './errors';
import type { BurstBudget } from './pacing';
import { isLoopbackHost } from './vaultAddress';

/**
 * Retrieve Job Status (`GET /api/{version}/services/jobs/{job_id}`) may be called at most once
 * every 10 seconds per job id; a sooner call gets API_LIMIT_EXCEEDED (Veeva API reference,
 * "Retrieve Job Status").
 */
export const JOB_STATUS_WINDOW_MS = 10_000;

/** The shortest poll interval allowed against a loopback (test) Vault; any other host gets JOB_STATUS_WINDOW_MS. */
export const LOOPBACK_MIN_POLL_MS = 100;

/**
 * Vault counts every call against a per-Vault 5-minute burst budget and, past it, delays every
 * call of every integration on that Vault by about 500 ms (Vault Help, "About API Transaction
 * Limits"; headers X-VaultAPI-BurstLimit / -BurstLimitRemaining / -ResponseDelay). Under this
 * share of the budget left, the waiter stretches its poll interval in proportion, at most
 * MAX_STRETCH times.
 */
export const LOW_BUDGET_SHARE = 0.25;
export const MAX_STRETCH = 6;

/**
 * Status values of a job still under way (Veeva API reference, "Retrieve Job Status": SCHEDULED,
 * QUEUED, QUEUEING, RUNNING). Every other status ends the wait with Vault's own word for it: the
 * page lists SUCCESS, ERRORS_ENCOUNTERED, CANCELLED, TIMEOUT, COMPLETED_DUE_TO_INACTIVITY and
 * MISSED_SCHEDULE, and Retrieve Job Histories documents failed_to_run as well; a status no page
 * lists must not keep the node polling until its timeout.
 */
export const UNFINISHED_JOB_STATUSES = new Set(['SCHEDULED', 'QUEUED', 'QUEUEING', 'RUNNING']);

/** Whether a job status Vault gave means the job has ended (any status but the four under way). */
export function isFinishedStatus(status: string): boolean {
	return !UNFINISHED_JOB_STATUSES.has(status.toUpperCase());
}

export interface WaitOptions {
	/** asked-for time between status calls of the job waited on; see pollIntervalFor */
	intervalMs: number;
	timeoutMs: number;
}

export type JobResult = { status: IDataObject } | { error: VaultRequestError };

/** A job id as Vault gives it (number or string) checked to be digits, so it cannot steer the path. */
export function checkJobId(raw: unknown): string {
	const text =
		typeof raw === 'number' && Number.isSafeInteger(raw)
			? String(raw)
			: typeof raw === 'string'
				? raw.trim()
				: '';
	if (!/^\d{1,19}$/.test(text)) {
		throw new VaultRequestError(
			'config',
			`Job ID "${String(raw)}" is not a Vault job id: it must be a whole number such as 243001`,
		);
	}
	return text;
}

/**
 * One Retrieve Job Status call. API_LIMIT_EXCEEDED is not retried here (the client's retry waits
 * seconds, inside Vault's 10-second window, and would be refused again): it comes back as a
 * `rateLimited` error for the caller to retry when the window allows.
 */
export async function fetchJobStatus(client: VaultClient, jobId: string): Promise<IDataObject> {
	const answer = await client.request({
		method: 'GET',
		path: `/services/jobs/${jobId}`,
		retryUnknownOutcome: true,
		retryRateLimit: false,
	});
	const data = (answer.envelope.data ?? {}) as IDataObject;
	// an answer without a status says nothing about the job: an error for it, not "still running"
	if (typeof data.status !== 'string' || data.status.trim() === '') {
		throw new VaultRequestError(
			'garbled',
			`Vault's answer about job ${jobId} has no status; the job's outcome is unknown. Look it up in Vault (Admin > Operations > Job Status).`,
		);
	}
	return {
		jobId,
		status: data.status,
		finished: isFinishedStatus(data.status),
		method: data.method,
		createdBy: data.created_by,
		createdDate: data.created_date,
		runStartDate: data.run_start_date,
		runEndDate: data.run_end_date,
		links: data.links,
	};
}

type Polled =
	| { status: IDataObject; answeredAt: number }
	| { error: VaultRequestError; answeredAt: number };

async function poll(client: VaultClient, jobId: string): Promise<Polled> {
	return await fetchJobStatus(client, jobId).then(
		(status) => ({ status, answeredAt: Date.now() }),
		(error: unknown) => {
			if (!(error instanceof VaultRequestError)) throw error;
			return { error, answeredAt: Date.now() };
		},
	);
}

/** Sleeps until the clock reads `at` (a timer may fire a little early). */
async function sleepUntil(at: number): Promise<void> {
	for (let wait = at - Date.now(); wait > 0; wait = at - Date.now()) await sleep(wait);
}

/**
 * The status of each job id, asking Vault once per distinct id. A call Vault refuses for pace is
 * asked again no sooner than 10 seconds after that refusal came back (so at least 10 s after
 * Vault saw it), up to the client's Max Attempts; other jobs are asked meanwhile. With
 * `stopAtFirstError`, a job that fails for good drops the jobs after it (in the given order)
 * that were not asked yet: the caller stops at the first failed item anyway.
 */
export async function getJobStatuses(
	client: VaultClient,
	jobIds: string[],
	options: { stopAtFirstError: boolean },
): Promise<Map<string, JobResult>> {
	type Ask = { jobId: string; order: number; notBefore: number; attempts: number };
	const results = new Map<string, JobResult>();
	let fresh: Ask[] = [...new Set(jobIds)].map((jobId, order) => ({
		jobId,
		order,
		notBefore: 0,
		attempts: 0,
	}));
	// refused calls, due in the order they were refused: each one's window ends 10 s after its answer
	let retries: Ask[] = [];
	let nextFresh = 0;
	while (nextFresh < fresh.length || retries.length > 0) {
		const retryDue =
			retries.length > 0 && (retries[0].notBefore <= Date.now() || nextFresh >= fresh.length);
		const next = retryDue ? (retries.shift() as Ask) : fresh[nextFresh++];
		await sleepUntil(next.notBefore);
		next.attempts++;
		const polled = await poll(client, next.jobId);
		if ('status' in polled) {
			results.set(next.jobId, { status: polled.status });
			continue;
		}
		if (polled.error.kind === 'rateLimited') {
			if (next.attempts < client.options.maxAttempts) {
				retries.push({ ...next, notBefore: polled.answeredAt + JOB_STATUS_WINDOW_MS });
				continue;
			}
			polled.error.details.attempts = next.attempts;
		}
		results.set(next.jobId, { error: polled.error });
		if (options.stopAtFirstError) {
			fresh = fresh
				.slice(0, nextFresh)
				.concat(fresh.slice(nextFresh).filter((ask) => ask.order < next.order));
			retries = retries.filter((ask) => ask.order < next.order);
		}
	}
	return results;
}

/**
 * The poll interval used against this Vault: what was asked, but never under Vault's
 * 10-seconds-per-job rule unless the Vault is on this machine (the sandbox, whose window a test
 * sets). Not a number: 10 s.
 */
export function pollIntervalFor(vaultHostname: string, requestedMs: number): number {
	if (!Number.isFinite(requestedMs)) return JOB_STATUS_WINDOW_MS;
	return Math.max(
		requestedMs,
		isLoopbackHost(vaultHostname) ? LOOPBACK_MIN_POLL_MS : JOB_STATUS_WINDOW_MS,
	);
}

/** How many times the interval is stretched for the burst budget the latest answer reported (1 = not). */
export function stretchForBudget(budget: BurstBudget | undefined): number {
	if (!budget) return 1;
	if (budget.delayMs !== undefined && budget.delayMs > 0) return MAX_STRETCH;
	if (budget.limit === undefined || budget.remaining === undefined || budget.limit <= 0) return 1;
	const share = Math.max(0, budget.remaining) / budget.limit;
	return share >= LOW_BUDGET_SHARE ? 1 : Math.min(MAX_STRETCH, LOW_BUDGET_SHARE / share);
}

/**
 * Waits for jobs, in the order given (oldest first), spending about one status call per job plus
 * one per interval, whatever order Vault finishes them in: only the oldest unfinished job is
 * polled, once per interval; when it finishes, the next one is asked at once (it was never asked,
 * so Vault's per-job window allows it), and so on. While Vault's burst budget is low the interval
 * is stretched (every status result then carries `waitSlowedForBurstLimit`). When the next poll
 * would fall after the timeout, every job never asked is asked once, and jobs still unfinished
 * carry their last status seen with `waitTimedOut`.
 */
export async function waitForJobs(
	client: VaultClient,
	jobIds: string[],
	options: WaitOptions,
): Promise<Map<string, JobResult>> {
	const ids = [...new Set(jobIds)];
	const results = new Map<string, JobResult>();
	const answeredAt = new Map<string, number>();
	const baseMs = pollIntervalFor(new URL(client.address.origin).hostname, options.intervalMs);
	const deadline =
		Date.now() + (Number.isFinite(options.timeoutMs) ? Math.max(0, options.timeoutMs) : 0);
	let intervalMs = baseMs;
	let slowdown: IDataObject | undefined;

	/** asks once; true when the job needs no more asking (finished, or failed for good) */
	const ask = async (jobId: string): Promise<boolean> => {
		const polled = await poll(client, jobId);
		answeredAt.set(jobId, polled.answeredAt);
		const stretch = stretchForBudget(client.pacer.lastBudget);
		intervalMs = Math.round(baseMs * stretch);
		if (stretch > 1) {
			const { limit, remaining, delayMs } = client.pacer.lastBudget ?? {};
			slowdown = {
				longestPollIntervalSeconds: Math.max(
					intervalMs / 1000,
					Number(slowdown?.longestPollIntervalSeconds ?? 0),
				),
				...(limit === undefined ? {} : { burstLimit: limit }),
				...(remaining === undefined ? {} : { burstRemaining: remaining }),
				...(delayMs === undefined ? {} : { responseDelayMs: delayMs }),
			};
		}
		if ('status' in polled) {
			results.set(jobId, { status: polled.status });
			return polled.status.finished === true;
		}
		// Vault did not look: ask again next interval (never sooner than Vault's window on a real Vault)
		if (polled.error.kind === 'rateLimited') return false;
		results.set(jobId, { error: polled.error });
		return true;
	};

	let head = 0;
	while (head < ids.length) {
		const last = answeredAt.get(ids[head]);
		const at = last === undefined ? Date.now() : last + intervalMs;
		if (at > deadline) break;
		await sleepUntil(at);
		if (await ask(ids[head])) head++;
	}
	for (const jobId of ids.slice(head)) {
		// a job never asked may have finished meanwhile (Vault need not finish jobs in order): one last look
		if (!answeredAt.has(jobId) && (await ask(jobId))) continue;
		const result = results.get(jobId);
		if (result && 'error' in result) continue;
		const status = result?.status ?? { jobId };
		results.set(jobId, { status: { ...status, finished: false, waitTimedOut: true } });
	}
	if (slowdown) {
		for (const result of results.values())
			if ('status' in result) result.status.waitSlowedForBurstLimit = { ...slowdown };
	}
	return results;
}
