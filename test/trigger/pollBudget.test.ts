import type { INodeParameters } from 'n8n-workflow';

import { useSandbox } from '../harness/fixtures';
import { createPoller } from '../harness/poll';
import type { LogEntry } from '../sandbox';

/**
 * The poll budget: every poll of the trigger goes through the action node's Vault client, so it reuses the
 * credential's session, paces itself by Vault's burst headers (X-VaultAPI-BurstLimitRemaining: spacing once
 * the remaining budget is within 10 % of the limit; X-VaultAPI-ResponseDelay: waiting as Vault asks once past
 * it: Vault Help, "About API Transaction Limits"), retries what is safe to send again, and refuses redirects.
 * Here against a sandbox whose burst limit is small (BURST_LIMIT calls a minute), polled back to back.
 */
const BURST_LIMIT = 12;
const RESERVE_GAP_MS = 500;
const OBJECT = 'quality_event__qdm';
const BASE = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
const at = (second: number) => new Date(BASE + second * 1000).toISOString();
const parameters: INodeParameters = { event: 'teamChanged', objectName: { __rl: true, mode: 'name', value: OBJECT }, options: {} };

/** How long the client had to wait after this answer before its next call (pacing.ts's rule). */
const gapAfter = (entry: LogEntry) => entry.responseDelayMs ?? ((entry.burstRemaining ?? BURST_LIMIT) <= BURST_LIMIT * 0.1 ? RESERVE_GAP_MS : 0);

describe('Veeva Vault QMS Trigger: the poll budget', () => {
	const context = useSandbox({ burstLimit: BURST_LIMIT, burstWindowMs: 60_000, burstDelayMs: 200 });

	it('polls at a small burst limit slow down as Vault\'s headers say, and many polls log in once', async () => {
		const poller = createPoller(context.harness, parameters);
		const polls: LogEntry[][] = [];
		for (let n = 0; n < 8; n++) {
			await context.sandbox.client.changeTeams([{ object: OBJECT, recordId: `OP4${String(n + 1).padStart(6, '0')}`, userId: 100001 + n, role: 'qa__c', at: at(n) }]);
			await context.sandbox.client.clearLog();
			const polled = await poller.poll();
			expect(polled.error).toBeUndefined();
			polls.push((await context.sandbox.client.log()).filter((entry) => !entry.path.endsWith('/auth')));
		}
		// 8 polls of 4 calls each (definitions, member object metadata, adds by VQL, Vault's deletions) are past the limit
		expect(polls.flat().length).toBeGreaterThan(BURST_LIMIT);
		expect(polls.flat().some((entry) => entry.responseDelayMs !== undefined)).toBe(true);
		// within a poll, every call after an answer that said "slow down" waited at least as long as it said
		let paced = 0;
		for (const calls of polls) {
			for (let n = 1; n < calls.length; n++) {
				const gap = gapAfter(calls[n - 1]);
				if (gap > 0) paced++;
				expect(calls[n].at - calls[n - 1].at).toBeGreaterThanOrEqual(gap - 5);
			}
		}
		expect(paced).toBeGreaterThan(5);
		// the polls' calls all went on one session: one login for eight polls
		const state = await context.sandbox.client.state();
		expect(state.logins).toBe(1);
		expect(new Set(polls.flat().map((entry) => entry.sessionId)).size).toBe(1);
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
