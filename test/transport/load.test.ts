/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { IDataObject } from 'n8n-workflow';

import { useSandbox } from '../harness/fixtures';

/**
 * Load: 50 executions at once, 1,000 items each, against one Vault, sharing one credential as
 * queue-mode workers do. All finish, nothing is lost, logins stay few, and together they keep
 * within Vault's burst budget (one pacer per Vault and user in the process: transport/pacers.ts),
 * over a window of seconds here (Vault's is 5 minutes).
 */
const EXECUTIONS = 50;
const ITEMS = 1000;
const BURST_LIMIT = 30;
const BURST_DELAY_MS = 100;
const INACTIVE: Record<number, number> = { 100013: 101500, 100666: 101501 };

describe('load', () => {
	const vault = useSandbox({ burstLimit: BURST_LIMIT, burstWindowMs: 2_000, burstDelayMs: BURST_DELAY_MS });

	it(`runs ${EXECUTIONS} executions of ${ITEMS} items at once: nothing lost, one login, no answer Vault had to delay`, async () => {
		const record = (execution: number) => `OP${4000001 + execution}`;
		const itemsOf = (execution: number): IDataObject[] =>
			Array.from({ length: ITEMS }, (_, i) => ({
				record_id: record(execution),
				user_id: INACTIVE[100001 + i] ?? 100001 + i,
				application_role: 'qa__c',
				operation: 'ADD',
			}));
		const results = await Promise.all(
			Array.from({ length: EXECUTIONS }, async (_, execution) => await vault.harness.run({ items: itemsOf(execution), parameters: { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' } })),
		);

		// all finish, every item answered with its job
		for (const result of results) {
			expect(result.error).toBeUndefined();
			expect(result.outputs[0]).toHaveLength(ITEMS);
			expect(result.outputs[0].every((item) => typeof item.json.jobId === 'string')).toBe(true);
		}
		await vault.sandbox.client.completeJobs();
		const state = await vault.sandbox.client.state();
		// nothing lost: every execution's record holds its 1,000 members
		for (let execution = 0; execution < EXECUTIONS; execution++) {
			expect(state.teams.quality_event__qdm[record(execution)]).toHaveLength(ITEMS);
		}
		expect(state.jobs).toHaveLength(EXECUTIONS * 2);
		expect(state.jobs.every((job) => job.status === 'SUCCESS')).toBe(true);
		// the session is shared through the credential: simultaneous logins are one
		expect(state.logins).toBe(1);

		// the budget shared: no answer past Vault's burst limit, though 100 submissions needed several windows of 30 calls
		const log = await vault.sandbox.client.log();
		expect(log.filter((entry) => entry.path.includes('manageassignments'))).toHaveLength(EXECUTIONS * 2);
		expect(log.filter((entry) => entry.responseDelayMs !== undefined)).toHaveLength(0);
		process.stdout.write(
			`load: ${EXECUTIONS} executions x ${ITEMS} items, ${state.logins} login(s), ${log.length} calls, none delayed\n`,
		);
	});
});
