/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_USER, SANDBOX_USERS } from '../sandbox';
import { everythingVisible, passwordCredential, useSandbox } from '../harness/fixtures';

const JOB_STATUS = { resource: 'job', operation: 'getStatus', jobId: '1' };

describe('Veeva Vault API credential, through the engine and the sandbox', () => {
	const vault = useSandbox();

	const authCalls = async () => (await vault.sandbox.client.log()).filter((entry) => entry.path.endsWith('/auth'));

	it('logs in once and sends the session and client id on every call', async () => {
		const result = await vault.harness.run({ items: [{}, {}], parameters: JOB_STATUS, onError: 'continueRegularOutput' });
		const log = await vault.sandbox.client.log();
		const jobCalls = log.filter((entry) => entry.path.includes('/services/jobs/'));
		expect(await authCalls()).toHaveLength(1);
		// two items of one job: Vault is asked once (at most once per 10 s per job) and both get the answer
		expect(jobCalls).toHaveLength(1);
		const stored = vault.harness.credentials.store.get('cred-1')?.data.sessionSecret;
		expect(typeof stored).toBe('string');
		expect(jobCalls.every((entry) => entry.sessionId === stored && entry.clientId === 'n8n-nodes-veeva-vault-qms')).toBe(true);
		expect(result.outputs[0]).toHaveLength(2);
	});

	it('shares one session across two executions: one /auth in the log', async () => {
		await vault.harness.run({ items: [{}], parameters: JOB_STATUS, onError: 'continueRegularOutput' });
		await vault.harness.run({ items: [{}], parameters: JOB_STATUS, onError: 'continueRegularOutput' });
		expect(await authCalls()).toHaveLength(1);
		expect((await vault.sandbox.client.state()).logins).toBe(1);
	});

	it('answers an expired session with exactly one new login and one retry', async () => {
		await vault.harness.run({ items: [{}], parameters: JOB_STATUS, onError: 'continueRegularOutput' });
		const firstSession = vault.harness.credentials.store.get('cred-1')?.data.sessionSecret;
		await vault.sandbox.client.expireSessions();
		await vault.sandbox.client.clearLog();
		await vault.harness.run({ items: [{}], parameters: JOB_STATUS, onError: 'continueRegularOutput' });
		const log = await vault.sandbox.client.log();
		expect(log.map((entry) => `${entry.path.replace(/^\/api\/v[\d.]+/, '')} ${entry.errorType ?? entry.responseStatus}`)).toEqual([
			'/services/jobs/1 INVALID_SESSION_ID',
			'/auth SUCCESS',
			expect.stringMatching(/^\/services\/jobs\/1 /),
		]);
		const secondSession = vault.harness.credentials.store.get('cred-1')?.data.sessionSecret;
		expect(secondSession).not.toBe(firstSession);
		expect(log[2].sessionId).toBe(secondSession);
	});

	it('stops with a clear error when even a fresh session is refused at once, instead of looping', async () => {
		await vault.sandbox.client.fault({ kind: 'invalidSession', count: 5, match: { path: '/services/jobs/' } });
		const result = await vault.harness.run({ items: [{}], parameters: JOB_STATUS });
		expect(result.error?.message).toMatch(/brand-new session at once/);
		expect(await authCalls()).toHaveLength(2);
	});

	it("refuses Vault's silent fallback into another Vault and sends nothing there", async () => {
		const harness = vault.harness;
		harness.credentials.add(
			passwordCredential(vault.sandbox, { vaultDns: vault.sandbox.vaults[1].url, ...SANDBOX_USERS.fallback }, 'fallback'),
		);
		const result = await harness.run({ items: [{}], parameters: JOB_STATUS, credentialId: 'fallback' });
		expect(result.error?.message).toContain(`instead of ${vault.sandbox.vaults[1].dns}`);
		expect(result.error?.message).toContain(vault.sandbox.vaults[0].dns);
		const log = await vault.sandbox.client.log();
		expect(log.filter((entry) => !entry.path.endsWith('/auth'))).toEqual([]);
	});

	it.each([
		['wrongPassword', /user name or password is wrong/],
		['locked', /locked out/],
		['passwordChange', /must change their password/],
		['inactive', /inactive in Vault/],
	] as const)('says why a login failed: %s', async (who, message) => {
		const user = who === 'wrongPassword' ? { username: DEMO_USER.username, password: 'not-the-password' } : SANDBOX_USERS[who];
		vault.harness.credentials.add(passwordCredential(vault.sandbox, user, who));
		const result = await vault.harness.run({ items: [{}], parameters: JOB_STATUS, credentialId: who });
		expect(result.error?.message).toMatch(message);
		expect(everythingVisible(result)).not.toContain(user.password);
	});

	it('says so when the login burst limit is hit', async () => {
		await vault.sandbox.client.settings({ loginLimitPerMinute: 0 });
		const result = await vault.harness.run({ items: [{}], parameters: JOB_STATUS });
		expect(result.error?.message).toMatch(/login burst limit.*Wait a minute/);
	});

	it('logs in with OAuth 2.0 / OIDC and with a given session id', async () => {
		const { oauth } = SANDBOX_USERS;
		vault.harness.credentials.add(
			passwordCredential(
				vault.sandbox,
				{ authentication: 'oauth', oauthLoginHost: vault.sandbox.url, oauthProfileId: oauth.profileId, accessToken: oauth.accessToken },
				'oauth',
			),
		);
		const viaOauth = await vault.harness.run({ items: [{}], parameters: JOB_STATUS, credentialId: 'oauth', onError: 'continueRegularOutput' });
		const session = vault.harness.credentials.store.get('oauth')?.data.sessionSecret as string;
		expect(session).toMatch(/\w{16,}/);
		expect(everythingVisible(viaOauth)).not.toContain(oauth.accessToken);

		vault.harness.credentials.add(passwordCredential(vault.sandbox, { authentication: 'sessionId', sessionToken: session }, 'given'));
		await vault.harness.run({ items: [{}], parameters: JOB_STATUS, credentialId: 'given', onError: 'continueRegularOutput' });
		const log = await vault.sandbox.client.log();
		expect(log.filter((entry) => entry.path.includes('/services/jobs/')).map((entry) => entry.sessionId)).toEqual([session, session]);
		await vault.sandbox.client.expireSessions();
		const expired = await vault.harness.run({ items: [{}], parameters: JOB_STATUS, credentialId: 'given' });
		expect(expired.error?.message).toMatch(/session id in the credential is no longer valid/);
		expect(everythingVisible(expired)).not.toContain(session);
	});

	it('passes the credential test with a good login and fails it with a bad one', async () => {
		expect(await vault.harness.testCredential('cred-1')).toEqual({ status: 'OK', message: 'Connection successful: logged in and Vault accepted the session' });
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { password: 'wrong-password' }, 'bad'));
		const failed = await vault.harness.testCredential('bad');
		expect(failed.status).toBe('Error');
		expect(failed.message).toMatch(/user name or password is wrong/);
		expect(failed.message).not.toContain('wrong-password');
	});

	it('names the host a login could not reach, in the credential test and in a run', async () => {
		const closed = await new Promise<number>((resolve) => {
			const server = createServer().listen(0, '127.0.0.1', () => {
				const { port } = server.address() as AddressInfo;
				server.close(() => resolve(port));
			});
		});
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { vaultDns: `http://127.0.0.1:${closed}` }, 'closed'));
		const tested = await vault.harness.testCredential('closed');
		expect(tested).toEqual({ status: 'Error', message: `Could not reach 127.0.0.1:${closed} to log in (ECONNREFUSED): check the Vault DNS and the network. Nothing was sent.` });
		const run = await vault.harness.run({ items: [{}], parameters: JOB_STATUS, credentialId: 'closed' });
		expect(run.error?.message).toContain(`Could not reach 127.0.0.1:${closed} to log in (ECONNREFUSED)`);
		// a Vault URL copied from the browser: the test says what to fix, as a run does
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { vaultDns: 'https://myvault.veevavault.com/ui/#home' }, 'browser'));
		const copied = await vault.harness.testCredential('browser');
		expect(copied).toMatchObject({ status: 'Error', message: expect.stringMatching(/"https:\/\/myvault\.veevavault\.com\/ui\/#home" has a path or query; enter only the host, e.g\. myvault\.veevavault\.com/) });
		expect((await vault.sandbox.client.log()).filter((entry) => entry.path.endsWith('/auth'))).toHaveLength(0);
	});

	it('says the sandbox does not speak HTTPS when its address is typed with https://, in the test and in a run', async () => {
		// the sandbox serves plain http: OpenSSL's "wrong version number" is said in words a user can act on
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { vaultDns: vault.sandbox.url.replace('http://', 'https://') }, 'https'));
		const host = vault.sandbox.url.replace('http://', '');
		const tested = await vault.harness.testCredential('https');
		expect(tested).toEqual({ status: 'Error', message: expect.stringContaining(`${host} does not speak HTTPS`) });
		expect(tested.message).toMatch(/enter its address with http:\/\//);
		const run = await vault.harness.run({ items: [{}], parameters: JOB_STATUS, credentialId: 'https' });
		expect(run.error?.message).toContain(`${host} does not speak HTTPS`);
		expect(run.error?.message).not.toMatch(/wrong version number|EPROTO/);
	});

	it('refuses plain http to a host that is not this machine, and an invalid client id, before sending', async () => {
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { vaultDns: 'http://myvault.veevavault.com' }, 'http'));
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { clientId: 'bad client/id' }, 'client'));
		const http = await vault.harness.run({ items: [{}], parameters: JOB_STATUS, credentialId: 'http' });
		expect(http.error?.message).toMatch(/plain http to a host that is not this machine/);
		const client = await vault.harness.run({ items: [{}], parameters: JOB_STATUS, credentialId: 'client' });
		expect(client.error?.message).toMatch(/Client ID must be 1 to 100 characters/);
		expect(await vault.sandbox.client.log()).toEqual([]);
	});

	it('leaks no password, session id or access token into outputs, errors or logs on any path', async () => {
		const texts: string[] = [];
		const run = async (credentialId?: string, onError?: 'continueRegularOutput') =>
			texts.push(everythingVisible(await vault.harness.run({ items: [{}, { x: 1 }], parameters: JOB_STATUS, credentialId, onError })));
		await run(undefined, 'continueRegularOutput');
		await vault.sandbox.client.fault({ kind: 'html', match: { path: '/services/jobs/' } });
		await run();
		await vault.sandbox.client.fault({ kind: 'malformedJson', match: { path: '/services/jobs/' } });
		await run();
		await vault.sandbox.client.expireSessions();
		await run();
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { password: 'Secret-But-Wrong-1' }, 'wrong'));
		await run('wrong');
		const session = vault.harness.credentials.store.get('cred-1')?.data.sessionSecret as string;
		const all = texts.join('\n');
		expect(session.length).toBeGreaterThan(8);
		for (const secret of [DEMO_USER.password, 'Secret-But-Wrong-1', session]) expect(all).not.toContain(secret);
	});
});
