import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_USERS, type LogEntry } from '../sandbox';
import { everythingVisible, passwordCredential, useSandbox } from '../harness/fixtures';

/**
 * Issue 20, item 5: a broken Vault cannot hold a request past its deadline, nor make the node read
 * an answer of any size. The sandbox's `drip` fault sends the (handled) answer one byte every
 * delayMs: each byte resets an idle timer, so only a wall-clock deadline ends it. Its log entry
 * says how long the whole drip would take (`dripMs`); each test asserts the run ended before that,
 * a comparison with the fault's own length, not a benchmark. `oversized` answers a valid SUCCESS
 * envelope padded to a given length.
 */
const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const JOB_STATUS = { resource: 'job', operation: 'getStatus', jobId: '1' };
const RUN_QUERY = { resource: 'vql', operation: 'query', query: 'SELECT id FROM user__sys' };
/** CAPS.answerBytes: 64 MiB */
const CAP = 64 * 1024 * 1024;
/** the login's own deadline (transport/login.ts), which the run's request timeout does not shorten */
const LOGIN_DEADLINE_MS = 60_000;

const dripEntry = (log: LogEntry[], fragment: string) => log.find((entry) => entry.fault === 'drip' && entry.path.includes(fragment));

describe('the request deadline and the answer size cap', () => {
	const vault = useSandbox();

	async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
		const started = Date.now();
		const value = await work();
		return { value, ms: Date.now() - started };
	}

	it('ends a dripping answer to a bulk submission at the 1 s request timeout, long before the drip would end', async () => {
		await vault.sandbox.client.fault({ kind: 'drip', match: { path: 'manageassignments' }, delayMs: 400 });
		const items: IDataObject[] = [{ record_id: 'OP4000001', user_id: 100101, application_role: 'qa__c', operation: 'ADD' }];
		const { value: result, ms } = await timed(() =>
			vault.harness.run({ items, parameters: { ...MANAGE, options: { requestTimeoutSeconds: 1, maxAttempts: 3, retryWaitSeconds: 0.01 } } }),
		);
		const entry = dripEntry(await vault.sandbox.client.log(), 'manageassignments');
		expect(result.error?.message).toMatch(/did not answer in time \(the request timeout is 1 s\); Vault may or may not have received the request/);
		// Vault did act (the sandbox handles a drip's request first): the batch is not sent again, and the item says Vault may have applied it
		expect(result.error?.description).toMatch(/Vault may have applied this batch/);
		expect(entry?.dripMs).toBeGreaterThan(10_000);
		expect(ms).toBeLessThan(entry?.dripMs as number);
	});

	it('ends a dripping read the same way, and sends a read again (a read may be repeated)', async () => {
		await vault.sandbox.client.fault({ kind: 'drip', match: { path: '/query' }, delayMs: 400, count: 2 });
		const parameters = {
			resource: 'qualityTeam',
			operation: 'syncMembers',
			objectName: 'quality_event__qdm',
			options: { requestTimeoutSeconds: 1, maxAttempts: 2, retryWaitSeconds: 0.01 },
		};
		const { value: result, ms } = await timed(() =>
			vault.harness.run({ items: [{ record_id: 'OP4000001', user_id: 100101, application_role: 'qa__c' }], parameters }),
		);
		const log = await vault.sandbox.client.log();
		const drips = log.filter((entry) => entry.fault === 'drip');
		expect(drips).toHaveLength(2);
		expect(`${result.error?.message} ${result.error?.description}`).toMatch(/did not answer in time/);
		expect(ms).toBeLessThan(drips[0].dripMs as number);
	});

	it(
		"ends a dripping login at the login's own deadline, in a run, in an OAuth exchange and in the credential test, long before the drip would end",
		async () => {
			const { oauth } = SANDBOX_USERS;
			vault.harness.credentials.add(
				passwordCredential(vault.sandbox, { authentication: 'oauth', oauthLoginHost: vault.sandbox.url, oauthProfileId: oauth.profileId, accessToken: oauth.accessToken }, 'oauth'),
			);
			// another client id: the same form as cred-1 would share cred-1's login in flight (transport/sessions.ts)
			vault.harness.credentials.add(passwordCredential(vault.sandbox, { clientId: 'deadline-test' }, 'tested'));
			// one byte a second: a login answer of ~300 bytes would take ~5 minutes
			await vault.sandbox.client.faults([
				{ kind: 'drip', match: { path: '/auth' }, delayMs: 1_000, count: 3 },
			]);
			const [run, oauthRun, tested] = await Promise.all([
				timed(() => vault.harness.run({ items: [{}], parameters: { ...JOB_STATUS } })),
				timed(() => vault.harness.run({ items: [{}], parameters: JOB_STATUS, credentialId: 'oauth' })),
				timed(() => vault.harness.testCredential('tested')),
			]);
			const log = await vault.sandbox.client.log();
			const drips = log.filter((entry) => entry.fault === 'drip');
			expect(drips.map((entry) => entry.path).sort()).toEqual(['/api/v25.3/auth', '/api/v25.3/auth', `/auth/oauth/session/${oauth.profileId}`]);
			const shortestDrip = Math.min(...drips.map((entry) => entry.dripMs as number));
			expect(shortestDrip).toBeGreaterThan(2 * LOGIN_DEADLINE_MS);
			expect(run.value.error?.message).toMatch(/^The login at 127\.0\.0\.1:\d+ did not answer in time \(within 60 s\)/);
			expect(oauthRun.value.error?.message).toMatch(/^The login at 127\.0\.0\.1:\d+ did not answer in time \(within 60 s\)/);
			expect(tested.value).toEqual({ status: 'Error', message: expect.stringMatching(/^The login at 127\.0\.0\.1:\d+ did not answer in time \(within 60 s\)/) });
			for (const { ms } of [run, oauthRun, tested]) expect(ms).toBeLessThan(shortestDrip);
			// nothing else was sent on a login that never finished
			expect(log.filter((entry) => !entry.path.includes('auth'))).toEqual([]);
		},
		3 * LOGIN_DEADLINE_MS,
	);

	it('refuses an answer over the 64 MB cap, chunked or with its length declared, and reads one of exactly 64 MB', async () => {
		for (const declareLength of [false, true]) {
			await vault.sandbox.client.fault({ kind: 'oversized', match: { path: '/query' }, bytes: CAP + 1, declareLength });
			const result = await vault.harness.run({ items: [{}], parameters: RUN_QUERY });
			expect(result.error?.message).toMatch(/^127\.0\.0\.1:\d+ sent an answer larger than the 64 MB cap on one answer \(67,108,864 bytes\); it was not read/);
			expect(result.outputs).toEqual([]);
		}
		// a query is a read and may be sent again, but an oversized answer is not: it would come back the same
		expect((await vault.sandbox.client.log()).filter((entry) => entry.path.endsWith('/query'))).toHaveLength(2);

		await vault.sandbox.client.fault({ kind: 'oversized', match: { path: '/query' }, bytes: CAP });
		const atCap = await vault.harness.run({ items: [{}], parameters: RUN_QUERY });
		expect(atCap.error).toBeUndefined();
		expect(atCap.outputs).toEqual([[]]);
	});

	it('refuses a login answer over the cap, in a run and in the credential test', async () => {
		await vault.sandbox.client.faults([{ kind: 'oversized', match: { path: '/auth' }, bytes: CAP + 1, count: 2 }]);
		const result = await vault.harness.run({ items: [{}], parameters: JOB_STATUS });
		expect(result.error?.message).toMatch(/^The login at 127\.0\.0\.1:\d+ sent an answer larger than the 64 MB cap on one answer \(67,108,864 bytes\)/);
		expect(everythingVisible(result)).not.toContain(SANDBOX_USERS.demo.password);
		const tested = await vault.harness.testCredential('cred-1');
		expect(tested).toEqual({ status: 'Error', message: expect.stringMatching(/^The login at 127\.0\.0\.1:\d+ sent an answer larger than the 64 MB cap/) });
	});
});
