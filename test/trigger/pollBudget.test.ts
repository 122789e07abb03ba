import type { INodeParameters } from 'n8n-workflow';

import { useSandbox } from '../harness/fixtures';
import { createPoller } from '../harness/poll';
import type { LogEntry } from '../sandbox';

/**
 * The poll budget: every poll of the trigger goes through the action node's Vault client, so it reuses the
 * credential's session and the process's one pacer for this Vault and user (transport/pacers.ts), which
 * spends Vault's burst budget as X-VaultAPI-BurstLimitRemaining reports it and holds calls back near the
 * limit rather than letting Vault delay them (Veeva, "API Rate Limits"); it retries what is safe to send
 * again, and refuses redirects. Here against a sandbox whose burst limit is small (BURST_LIMIT calls in a
 * window of BURST_WINDOW_MS, where Vault's is 5 minutes), polled back to back.
 */
const BURST_LIMIT = 12;
const BURST_WINDOW_MS = 2_000;
const OBJECT = 'quality_event__qdm';
const BASE = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
const at = (second: number) => new Date(BASE + second * 1000).toISOString();
const parameters: INodeParameters = { event: 'teamChanged', objectName: { __rl: true, mode: 'name', value: OBJECT }, options: {} };

describe('Veeva Vault QMS Trigger: the poll budget', () => {
	const context = useSandbox({ burstLimit: BURST_LIMIT, burstWindowMs: BURST_WINDOW_MS, burstDelayMs: 200 });

	it('polls back to back at a small burst limit share one budget: they slow down before Vault has to, and log in once', async () => {
		const poller = createPoller(context.harness, parameters);
		const calls: LogEntry[] = [];
		for (let n = 0; n < 8; n++) {
			await context.sandbox.client.changeTeams([{ object: OBJECT, recordId: `OP4${String(n + 1).padStart(6, '0')}`, userId: 100001 + n, role: 'qa__c', at: at(n) }]);
			await context.sandbox.client.clearLog();
			const polled = await poller.poll();
			expect(polled.error).toBeUndefined();
			expect(polled.items.length).toBeLessThanOrEqual(1);
			calls.push(...(await context.sandbox.client.log()).filter((entry) => !entry.path.endsWith('/auth')));
		}
		// 8 polls of 4 calls each (definitions, member object metadata, adds by VQL, Vault's deletions) are past the limit
		expect(calls.length).toBeGreaterThan(BURST_LIMIT);
		// ... yet Vault never had to delay an answer: the pacer, carried from poll to poll, held calls back first
		expect(calls.filter((entry) => entry.responseDelayMs !== undefined)).toEqual([]);
		const heldBack = calls.slice(1).filter((entry, n) => entry.at - calls[n].at >= 900);
		expect(heldBack.length).toBeGreaterThan(0);
		// the polls' calls all went on one session: one login for eight polls
		const state = await context.sandbox.client.state();
		expect(state.logins).toBe(1);
		expect(new Set(calls.map((entry) => entry.sessionId)).size).toBe(1);
	});

	it('a poll logs in again once when Vault has ended the session, retries a call that failed on the way, and refuses a redirect', async () => {
		const poller = createPoller(context.harness, parameters);
		await poller.poll();
		await context.sandbox.client.changeTeams([{ object: OBJECT, recordId: 'OP4000001', userId: 100001, role: 'qa__c', at: at(1) }]);
		await context.sandbox.client.expireSessions();
		await context.sandbox.client.clearLog();
		// the adds' query fails once on the way (a proxy's 500): a read, sent again
		await context.sandbox.client.fault({ kind: 'http500', match: { path: '/query' }, count: 1 });
		const retried = await poller.poll();
		expect(retried.error).toBeUndefined();
		expect(retried.items.map((item) => item.json.change)).toEqual(['added']);
		expect((await context.sandbox.client.state()).logins).toBe(2);
		const log = await context.sandbox.client.log();
		expect(log.filter((entry) => entry.path.endsWith('/query')).map((entry) => entry.status)).toEqual([500, 200]);
		expect(log.filter((entry) => entry.errorType === 'INVALID_SESSION_ID')).toHaveLength(1);

		await context.sandbox.client.changeTeams([{ object: OBJECT, recordId: 'OP4000001', userId: 100001, role: 'qa__c', at: at(2), kind: 'remove' }]);
		const before = poller.staticData;
		await context.sandbox.client.fault({ kind: 'redirect307', match: { path: '/objects/deletions/' }, count: 1 });
		const refused = await poller.poll();
		expect(refused.error?.message).toMatch(/redirect/i);
		expect(refused.staticData).toEqual(before);
		expect(await context.sandbox.client.elsewhere()).toEqual([]);
		expect((await poller.poll()).items.map((item) => item.json.change)).toEqual(['removed']);
	});
});
