import type { IDataObject } from 'n8n-workflow';

import { hasPacer, pacerCount, pacerFor, PacerRegistry } from '../../nodes/VeevaVaultQms/transport/pacers';
import { isLow, isSpent, Pacer } from '../../nodes/VeevaVaultQms/transport/pacing';
import { callEditorMethod } from '../harness/editor';
import { passwordCredential, useSandbox } from '../harness/fixtures';
import { createPoller } from '../harness/poll';
import { DEMO_USER, SANDBOX_USERS } from '../sandbox';
import type { LogEntry } from '../sandbox/types';

/**
 * One burst budget per Vault in a process (issue 26). Vault counts every call to a Vault in a fixed
 * 5-minute window and, past its burst limit, delays each further answer, other integrations' too
 * (Veeva API reference, "API Rate Limits"). Executions that run at the same time in one n8n process
 * spend that one budget together: they slow down before Vault has to. The sandbox's window is
 * seconds long here, so a run outlives several windows.
 */
const EXECUTIONS = 20;
const ITEMS = 1000;
const BURST_LIMIT = 30;
const BURST_WINDOW_MS = 2_000;
const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };

/** the sandbox's two inactive row users, replaced by active ones (test/sandbox/README.md) */
const INACTIVE: Record<number, number> = { 100013: 101500, 100666: 101501 };
const recordOf = (execution: number) => `OP${4000001 + execution}`;
const itemsOf = (execution: number, record = recordOf(execution)): IDataObject[] =>
	Array.from({ length: ITEMS }, (_, i) => ({ record_id: record, user_id: INACTIVE[100001 + i] ?? 100001 + i, application_role: 'qa__c', operation: 'ADD' }));
const demoLogin = { authentication: 'password', username: DEMO_USER.username };
/** answers Vault delayed for exceeding its burst limit */
const delayed = (log: LogEntry[]) => log.filter((entry) => (entry.responseDelayMs ?? 0) > 0);

describe('one burst budget per Vault, shared by every execution in the process', () => {
	const vault = useSandbox({ burstLimit: BURST_LIMIT, burstWindowMs: BURST_WINDOW_MS, burstDelayMs: 50, loginLimitPerMinute: 1000 });

	it(`${EXECUTIONS} executions of ${ITEMS} rows at once, a burst limit of ${BURST_LIMIT}: no answer delayed, every row once`, async () => {
		const results = await Promise.all(Array.from({ length: EXECUTIONS }, async (_, e) => await vault.harness.run({ items: itemsOf(e), parameters: MANAGE })));

		for (const result of results) {
			expect(result.error).toBeUndefined();
			expect(result.outputs[0]).toHaveLength(ITEMS);
		}
		const log = await vault.sandbox.client.log();
		// more calls than one window allows: the executions had to wait for Vault's window to turn
		expect(log.length).toBeGreaterThan(BURST_LIMIT);
		expect(delayed(log).length).toBe(0);
		await vault.sandbox.client.completeJobs();
		const state = await vault.sandbox.client.state();
		expect(state.jobs).toHaveLength(EXECUTIONS * 2);
		expect(state.jobs.every((job) => job.status === 'SUCCESS' && job.rowErrors.length === 0)).toBe(true);
		// every row once: each execution's record holds its 1,000 members, and 20,000 rows were sent in all
		for (let e = 0; e < EXECUTIONS; e++) expect(state.teams.quality_event__qdm[recordOf(e)]).toHaveLength(ITEMS);
		expect(state.jobs.reduce((sum, job) => sum + job.rowCount, 0)).toBe(EXECUTIONS * ITEMS);
	});

	it('two Vaults, 20 executions on each at once: a pacer per Vault, neither Vault delays an answer, every row once', async () => {
		const [first, second] = vault.sandbox.vaults;
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { vaultDns: second.url }, 'cred-2'));
		// the two Vaults share the sandbox's records: the second one's executions use records 101 on
		const secondRecord = (e: number) => recordOf(100 + e);
		const runs = Array.from({ length: EXECUTIONS }, (_, e) => [
			vault.harness.run({ items: itemsOf(e), parameters: MANAGE }),
			vault.harness.run({ items: itemsOf(e, secondRecord(e)), parameters: MANAGE, credentialId: 'cred-2' }),
		]).flat();
		for (const result of await Promise.all(runs)) expect([result.error, result.outputs[0]?.length]).toEqual([undefined, ITEMS]);

		const log = await vault.sandbox.client.log();
		for (const { id } of [first, second]) {
			const calls = log.filter((entry) => entry.vaultId === id);
			expect(calls.length).toBeGreaterThan(BURST_LIMIT);
			expect(delayed(calls).length).toBe(0);
		}
		await vault.sandbox.client.completeJobs();
		const { teams } = await vault.sandbox.client.state();
		for (let e = 0; e < EXECUTIONS; e++) {
			expect(teams.quality_event__qdm[recordOf(e)]).toHaveLength(ITEMS);
			expect(teams.quality_event__qdm[secondRecord(e)]).toHaveLength(ITEMS);
		}
		// one pacer each: the same user on two Vaults never shares one
		expect(pacerCount()).toBe(2);
		expect(hasPacer(first.url, demoLogin, 'cred-1') && hasPacer(second.url, demoLogin, 'cred-2')).toBe(true);
	});

	it("an execution, the editor's list calls and the trigger's polls read into one pacer; another user has another", async () => {
		const lastRemaining = async () => (await vault.sandbox.client.log()).filter((entry) => entry.burstRemaining !== undefined).pop()?.burstRemaining;
		const pacer = () => pacerFor(vault.sandbox.url, demoLogin, 'cred-1');

		await vault.harness.run({ items: itemsOf(0).slice(0, 10), parameters: MANAGE });
		expect(pacer().lastBudget?.remaining).toBe(await lastRemaining());
		await callEditorMethod(vault.harness, 'listSearch', 'searchTeamObjects', MANAGE);
		expect(pacer().lastBudget?.remaining).toBe(await lastRemaining());
		const poll = await createPoller(vault.harness, { event: 'recordChanged', objectName: { __rl: true, mode: 'name', value: 'quality_event__qdm' }, on: 'createdOrUpdated', options: {} }).poll();
		expect(poll.error).toBeUndefined();
		expect(pacer().lastBudget?.remaining).toBe(await lastRemaining());
		expect(pacerCount()).toBe(1);

		// the same Vault as another user: a pacer of its own
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { ...SANDBOX_USERS.fallback }, 'cred-fallback'));
		await callEditorMethod(vault.harness, 'listSearch', 'searchTeamObjects', MANAGE, { credentialId: 'cred-fallback' });
		expect(pacerCount()).toBe(2);
		expect(hasPacer(vault.sandbox.url, { authentication: 'password', username: SANDBOX_USERS.fallback.username }, 'cred-fallback')).toBe(true);
	});
});

describe('the pacer reads the budget in the order Vault counted it', () => {
	const headers = (remaining: number) => ({ 'x-vaultapi-burstlimit': '30', 'x-vaultapi-burstlimitremaining': String(remaining) });

	it('keeps the newer count when an older answer arrives late, and sees the window turn', async () => {
		const pacer = new Pacer();
		const first = await pacer.acquire();
		pacer.release(first, headers(20));
		// two calls at once: the one Vault counted last answers first
		const [older, newer] = [await pacer.acquire(), await pacer.acquire()];
		pacer.release(newer, headers(18));
		pacer.release(older, headers(19));
		expect(pacer.lastBudget?.remaining).toBe(18);
		// a call sent after that answer came: Vault counted it later, so its higher count is a new window
		const later = await pacer.acquire();
		pacer.release(later, headers(29));
		expect(pacer.lastBudget?.remaining).toBe(29);
		// a call that failed without an answer changes nothing
		pacer.release(await pacer.acquire());
		expect(pacer.lastBudget?.remaining).toBe(29);
		expect(pacer.idle).toBe(true);
	});
});

describe('when the pacer holds calls back', () => {
	it('at the reserve (a tenth of the limit, counting calls under way); with no call left, for the window, unless Vault delays already', () => {
		expect(isLow({ limit: 2000, remaining: 201 })).toBe(false);
		expect(isLow({ limit: 2000, remaining: 200 })).toBe(true);
		expect(isLow({ limit: 2000, remaining: 220 }, 20)).toBe(true);
		expect(isLow({ limit: 2000, remaining: 1500, delayMs: 500 })).toBe(true);
		// the daily limit of Vaults before v21.1, when sent
		expect(isLow({ limit: 2000, remaining: 1500, dailyLimit: 100_000, dailyRemaining: 9_000 })).toBe(true);
		expect(isSpent({ limit: 30, remaining: 0 })).toBe(true);
		expect(isSpent({ limit: 30, remaining: 1 })).toBe(false);
		expect(isSpent({ limit: 30, remaining: 0, delayMs: 500 })).toBe(false);
	});
});

describe('the registry of pacers stays bounded', () => {
	it('drops pacers unused for a while, never one in use, and holds no more than its cap', async () => {
		const registry = new PacerRegistry(1_000, 3);
		const busy = registry.pacerFor('a', 0);
		const ticket = await busy.acquire();
		busy.lastUsedAt = 0;
		registry.pacerFor('b', 0);
		registry.pacerFor('c', 0);
		expect(registry.pacerFor('b', 10)).toBe(registry.pacerFor('b', 20));
		// at the cap: the oldest idle one makes room, the busy one stays
		registry.pacerFor('d', 500);
		expect(registry.size).toBe(3);
		expect(registry.has('a')).toBe(true);
		// long after: every idle one is dropped, the busy one kept
		registry.pacerFor('e', 5_000);
		expect(['a', 'b', 'c', 'd', 'e'].filter((key) => registry.has(key))).toEqual(['a', 'e']);
		busy.release(ticket);
		busy.lastUsedAt = 0;
		registry.pacerFor('f', 10_000);
		expect(registry.has('a')).toBe(false);
	});
});
