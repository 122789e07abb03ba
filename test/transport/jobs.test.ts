import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { JOB_STATUS_WINDOW_MS, LOOPBACK_MIN_POLL_MS, MAX_STRETCH, pollIntervalFor, stretchForBudget } from '../../nodes/VeevaVaultQms/transport/jobs';
import { VAULT_NODE_TYPE } from '../harness/engine';
import { jsonOf, pairedOf, useSandbox } from '../harness/fixtures';
import type { JobInfo, LogEntry } from '../sandbox';

const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const GET_STATUS = { resource: 'job', operation: 'getStatus', jobId: '={{ $json.jobId }}' };
const CREDENTIALS = { veevaVaultApi: { id: 'cred-1', name: 'Sandbox Vault' } };
const memberItems = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ record_id: `OP${4000001 + i}`, user_id: 100001 + i, application_role: 'qa__c', operation: 'ADD' }));

const statusCalls = (log: LogEntry[]) => log.filter((entry) => entry.path.includes('/services/jobs/'));
const jobOf = (entry: LogEntry) => entry.path.split('/').pop() as string;

/** Manual Trigger → Edit Fields (rows) → Split Out → Vault Manage → Vault Get Status `{{ $json.jobId }}`, as a user builds it. */
function manageThenGetStatus(rows: IDataObject[], manageOptions: IDataObject = {}) {
	const node = (name: string, type: string, typeVersion: number, parameters: IDataObject, x: number): INode => ({
		id: name,
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters: parameters as INode['parameters'],
		...(type === VAULT_NODE_TYPE ? { credentials: CREDENTIALS } : {}),
	});
	const nodes = [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, {}, 0),
		node('Rows', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ rows }), options: {} }, 200),
		node('One item per row', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'rows', options: {} }, 400),
		node('Manage', VAULT_NODE_TYPE, 1, { ...MANAGE, options: manageOptions }, 600),
		node('Get Status', VAULT_NODE_TYPE, 1, GET_STATUS, 800),
	];
	const next = (to: string) => ({ main: [[{ node: to, type: 'main' as const, index: 0 }]] });
	const connections = { Start: next('Rows'), Rows: next('One item per row'), 'One item per row': next('Manage'), Manage: next('Get Status') };
	return { nodes, connections };
}

describe('Job → Get Status asks Vault once per job', () => {
	const vault = useSandbox();

	it('Manage → Get Status over 3 items of one job: one status call, and all 3 items get its status', async () => {
		const run = await vault.harness.runWorkflow(manageThenGetStatus(memberItems(3)), 'Start');
		expect(run.data.resultData.error).toBeUndefined();
		const managed = run.data.resultData.runData.Manage[0].data?.main[0] ?? [];
		const jobIds = new Set(jsonOf(managed).map((json) => json.jobId));
		expect(jobIds.size).toBe(1);
		const [jobId] = jobIds;
		const out = run.data.resultData.runData['Get Status'][0].data?.main[0] ?? [];
		expect(jsonOf(out)).toEqual([0, 1, 2].map(() => expect.objectContaining({ jobId, status: 'SUCCESS', finished: true })));
		expect(pairedOf(out)).toEqual([[0], [1], [2]]);
		const calls = statusCalls(await vault.sandbox.client.log());
		expect(calls.map(jobOf)).toEqual([jobId]);
		expect((await vault.sandbox.client.job(String(jobId))).statusCalls).toBe(1);
	});

	it('asks each distinct job once; a bad id and a job Vault will not report stay their own items errors', async () => {
		const sent = await vault.harness.run({ items: memberItems(2), parameters: { ...MANAGE, options: { batchSize: 1 } } });
		const [first, second] = jsonOf(sent.outputs[0]).map((json) => json.jobId as string);
		expect(first).not.toBe(second);
		await vault.sandbox.client.clearLog();
		const items = [{ jobId: first }, { jobId: second }, { jobId: 'not-a-job' }, { jobId: first }, { jobId: 999999 }, { jobId: Number(second) }];
		const result = await vault.harness.run({ items, parameters: GET_STATUS, onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		const out = result.outputs[0];
		expect(pairedOf(out)).toEqual([[0], [1], [2], [3], [4], [5]]);
		expect(jsonOf(out).map((json) => json.status ?? json.error)).toEqual([
			'SUCCESS',
			'SUCCESS',
			expect.stringMatching(/^Job ID "not-a-job" is not a Vault job id/),
			'SUCCESS',
			expect.stringMatching(/INSUFFICIENT_ACCESS/),
			'SUCCESS',
		]);
		// the error items' jobId is null: every item of the output has every key (pipeline/outputTable.ts)
		expect(jsonOf(out).map((json) => json.jobId)).toEqual([first, second, null, first, null, second]);
		expect(statusCalls(await vault.sandbox.client.log()).map(jobOf)).toEqual([first, second, '999999']);

		const stopped = await vault.harness.run({ items, parameters: GET_STATUS });
		expect(stopped.error?.message).toMatch(/^Job ID "not-a-job" is not a Vault job id/);
	});

	it(
		'never asks the same job twice within 10 s: a job the waiter just polled is refused once, then asked again 10 s later',
		async () => {
			// Manage with Wait for Completion polls the job (accepted), so Get Status right after is refused
			const run = await vault.harness.runWorkflow(manageThenGetStatus(memberItems(3), { waitForCompletion: true, pollIntervalSeconds: 0.1 }), 'Start');
			expect(run.data.resultData.error).toBeUndefined();
			const out = run.data.resultData.runData['Get Status'][0].data?.main[0] ?? [];
			expect(jsonOf(out).map((json) => json.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
			const calls = statusCalls(await vault.sandbox.client.log());
			expect(calls.map((entry) => entry.errorType ?? entry.responseStatus)).toEqual(['SUCCESS', 'API_LIMIT_EXCEEDED', 'SUCCESS']);
			expect(new Set(calls.map(jobOf)).size).toBe(1);
			expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(JOB_STATUS_WINDOW_MS);
			expect(calls[2].at - calls[0].at).toBeGreaterThanOrEqual(JOB_STATUS_WINDOW_MS);
		},
		30_000,
	);
});

describe('Wait for Completion polls the oldest unfinished job only', () => {
	const vault = useSandbox();
	const INTERVAL_MS = 200;

	/** 40 Manage batches of one row each (40 jobs), waited for, with the figures the bound needs. */
	async function waitForFortyJobs(jobScheduling: 'serial' | 'serialNewestFirst') {
		await vault.sandbox.client.settings({ jobScheduling, jobQueuedMs: 0, jobRunMs: 100, jobStatusMinIntervalMs: INTERVAL_MS });
		const started = Date.now();
		const result = await vault.harness.run({
			items: memberItems(40),
			parameters: { ...MANAGE, options: { batchSize: 1, waitForCompletion: true, pollIntervalSeconds: INTERVAL_MS / 1000 } },
		});
		const elapsedMs = Date.now() - started;
		expect(result.error).toBeUndefined();
		const { jobs } = await vault.sandbox.client.state();
		const calls = statusCalls(await vault.sandbox.client.log());
		return { out: result.outputs[0], jobs, calls, elapsedMs };
	}

	function expectFinalStatuses(out: INodeExecutionData[], jobs: JobInfo[]) {
		const finalStatus = new Map(jobs.map((job) => [String(job.id), job.status]));
		expect(out).toHaveLength(40);
		expect(pairedOf(out)).toEqual(Array.from({ length: 40 }, (_, i) => [i]));
		for (const { json } of out) {
			expect(json).toMatchObject({ finished: true, status: finalStatus.get(String(json.jobId)) });
			expect(json.waitTimedOut).toBeUndefined();
		}
		// user 100013 is inactive in the sandbox: that row's job ends ERRORS_ENCOUNTERED, the others SUCCESS
		expect(jobs.filter((job) => job.status !== 'SUCCESS').map((job) => job.status)).toEqual(['ERRORS_ENCOUNTERED']);
	}

	function expectPaced(calls: LogEntry[]) {
		// each job at most once per interval, and Vault never refused a call
		for (const jobId of new Set(calls.map(jobOf))) {
			const times = calls.filter((entry) => jobOf(entry) === jobId).map((entry) => entry.at);
			for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(INTERVAL_MS);
		}
		expect(calls.filter((entry) => entry.errorType !== undefined)).toEqual([]);
	}

	it('40 jobs Vault runs one after another: status calls stay within 2 × (jobs + elapsed ÷ interval)', async () => {
		const { out, jobs, calls, elapsedMs } = await waitForFortyJobs('serial');
		expect(jobs).toHaveLength(40);
		// the sandbox really ran them one after another
		const byId = [...jobs].sort((a, b) => a.id - b.id);
		for (let i = 1; i < byId.length; i++) expect(Date.parse(byId[i].runStartDate ?? '')).toBeGreaterThanOrEqual(Date.parse(byId[i - 1].runEndDate ?? ''));
		expect(calls.length).toBeLessThanOrEqual(2 * (jobs.length + elapsedMs / INTERVAL_MS));
		expectFinalStatuses(out, jobs);
		expectPaced(calls);
	});

	it('40 jobs Vault finishes out of order (newest waiting job first): the same bound holds', async () => {
		const { out, jobs, calls, elapsedMs } = await waitForFortyJobs('serialNewestFirst');
		const finishOrder = [...jobs].sort((a, b) => Date.parse(a.runEndDate ?? '') - Date.parse(b.runEndDate ?? '') || a.id - b.id).map((job) => job.id);
		expect(finishOrder).not.toEqual([...finishOrder].sort((a, b) => a - b));
		expect(calls.length).toBeLessThanOrEqual(2 * (jobs.length + elapsedMs / INTERVAL_MS));
		expectFinalStatuses(out, jobs);
		expectPaced(calls);
	});

	it('stretches the interval while the burst budget is low, and says so on every item', async () => {
		await vault.sandbox.client.settings({
			jobScheduling: 'serial',
			jobQueuedMs: 0,
			jobRunMs: 400,
			jobStatusMinIntervalMs: 100,
			burstLimit: 16,
			burstWindowMs: 600_000,
			burstDelayMs: 20,
		});
		const result = await vault.harness.run({
			items: memberItems(3),
			parameters: { ...MANAGE, options: { batchSize: 1, waitForCompletion: true, pollIntervalSeconds: 0.1 } },
		});
		expect(result.error).toBeUndefined();
		const out = jsonOf(result.outputs[0]);
		expect(out.map((json) => json.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
		for (const json of out) expect(json.waitSlowedForBurstLimit).toMatchObject({ burstLimit: 16, longestPollIntervalSeconds: expect.any(Number) });
		expect((out[0].waitSlowedForBurstLimit as IDataObject).longestPollIntervalSeconds).toBeGreaterThan(0.1);
		// each repeated poll of a job came no sooner than the stretch the previous answer's budget asked for
		const calls = statusCalls(await vault.sandbox.client.log());
		let stretched = 0;
		for (let i = 1; i < calls.length; i++) {
			if (jobOf(calls[i]) !== jobOf(calls[i - 1])) continue;
			const stretch = stretchForBudget({ limit: 16, remaining: calls[i - 1].burstRemaining, delayMs: calls[i - 1].responseDelayMs });
			if (stretch > 1) stretched++;
			expect(calls[i].at - calls[i - 1].at).toBeGreaterThanOrEqual(100 * stretch - 1);
		}
		expect(stretched).toBeGreaterThan(0);
	});

	it('stops at the wait timeout: every job not finished by then says so, with the last status seen', async () => {
		await vault.sandbox.client.settings({ jobScheduling: 'serial', jobQueuedMs: 0, jobRunMs: 5_000, jobStatusMinIntervalMs: 100 });
		const result = await vault.harness.run({
			items: memberItems(3),
			parameters: { ...MANAGE, options: { batchSize: 1, waitForCompletion: true, pollIntervalSeconds: 0.1, waitTimeoutMinutes: 0.005 } },
		});
		expect(result.error).toBeUndefined();
		const out = jsonOf(result.outputs[0]);
		expect(out.map((json) => [json.status, json.finished, json.waitTimedOut])).toEqual([
			['RUNNING', false, true],
			['QUEUED', false, true],
			['QUEUED', false, true],
		]);
	});
});

describe('a job status Vault gives beyond the documented list ends the wait', () => {
	const vault = useSandbox();

	it('jobs ending FAILED_TO_RUN end the wait at once with Vault\'s word, not at the timeout; Get Status says the same', async () => {
		// Retrieve Job Histories documents failed_to_run; only SCHEDULED, QUEUED, QUEUEING and RUNNING mean "under way"
		await vault.sandbox.client.settings({ jobsEndAs: 'FAILED_TO_RUN', jobQueuedMs: 0, jobRunMs: 50, jobStatusMinIntervalMs: 100 });
		const result = await vault.harness.run({
			items: memberItems(2),
			parameters: { ...MANAGE, options: { batchSize: 1, waitForCompletion: true, pollIntervalSeconds: 0.1, waitTimeoutMinutes: 0.5 } },
		});
		expect(result.error).toBeUndefined();
		const out = jsonOf(result.outputs[0]);
		expect(out.map((json) => [json.status, json.finished, json.waitTimedOut, json.state])).toEqual([
			['FAILED_TO_RUN', true, undefined, 'finished'],
			['FAILED_TO_RUN', true, undefined, 'finished'],
		]);
		expect(String(out[0].summary)).toMatch(/^Job \d+ finished: FAILED_TO_RUN; see the job in Vault/);
		// a handful of polls per job (queued, running, ended), not one every 0.1 s for 30 s
		expect(statusCalls(await vault.sandbox.client.log()).length).toBeLessThanOrEqual(2 * 4);
		// nothing was applied: the team is as before
		const { teams } = await vault.sandbox.client.state();
		expect(teams.quality_event__qdm ?? {}).toEqual({});

		await vault.sandbox.client.settings({ jobStatusMinIntervalMs: 0 });
		const status = await vault.harness.run({ items: [{ jobId: out[0].jobId }], parameters: GET_STATUS });
		expect(jsonOf(status.outputs[0])).toEqual([expect.objectContaining({ status: 'FAILED_TO_RUN', finished: true, state: 'finished' })]);
	});
});

describe('poll interval and burst stretch rules', () => {
	it('keeps the interval at 10 s or more against any Vault that is not on this machine', () => {
		expect(pollIntervalFor('myvault.veevavault.com', 100)).toBe(JOB_STATUS_WINDOW_MS);
		expect(pollIntervalFor('myvault.veevavault.com', 30_000)).toBe(30_000);
		expect(pollIntervalFor('127.0.0.1.evil.example', 100)).toBe(JOB_STATUS_WINDOW_MS);
		expect(pollIntervalFor('127.0.0.1', 100)).toBe(100);
		expect(pollIntervalFor('localhost', 1)).toBe(LOOPBACK_MIN_POLL_MS);
		expect(pollIntervalFor('myvault.veevavault.com', Number.NaN)).toBe(JOB_STATUS_WINDOW_MS);
	});

	it('stretches only under 25 % of the burst budget, in proportion, at most 6 times', () => {
		expect(stretchForBudget(undefined)).toBe(1);
		expect(stretchForBudget({ limit: 2000, remaining: 500 })).toBe(1);
		expect(stretchForBudget({ limit: 2000, remaining: 250 })).toBe(2);
		expect(stretchForBudget({ limit: 2000, remaining: 0 })).toBe(MAX_STRETCH);
		expect(stretchForBudget({ limit: 2000, remaining: 1900, delayMs: 500 })).toBe(MAX_STRETCH);
	});
});
