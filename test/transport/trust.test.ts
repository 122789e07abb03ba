/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { VeevaVaultApi } from '../../credentials/VeevaVaultApi.credentials';
import { sessionBinding } from '../../nodes/VeevaVaultQms/transport/sessionBinding';
import { DEMO_USER, SANDBOX_USERS } from '../sandbox';
import { everythingVisible, jsonOf, passwordCredential, useSandbox } from '../harness/fixtures';

const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const MANAGE_ROW = { record_id: 'OP4000008', user_id: 100001, application_role: 'record_owner__c', operation: 'ADD' };
const FALLBACK_USER_ID = 61005;
const DEMO_USER_ID = 61001;

/**
 * What a Vault admin's review asks of the credential and the resend rules (issue 13). Each
 * "edit" below does what saving the credential form in n8n does: the typed fields change, the
 * hidden session fields keep what is stored (n8n keeps redacted fields as they were).
 */
describe('trust: the stored session follows the credential form', () => {
	const vault = useSandbox();
	const stored = () => vault.harness.credentials.store.get('cred-1')!.data;
	const edit = (fields: ICredentialDataDecryptedObject) => Object.assign(stored(), fields);
	const manage = async (credentialId?: string) => await vault.harness.run({ items: [MANAGE_ROW], parameters: MANAGE, credentialId });
	const log = async () => await vault.sandbox.client.log();

	beforeEach(async () => {
		await vault.sandbox.client.seed({ records: [{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' }] });
	});

	it('stores the session with what it was issued for, and never a password', async () => {
		await manage();
		const { sessionSecret: sessionId, sessionSecretBinding: sessionFor } = stored();
		const form = await vault.harness.credentials.getDecrypted(undefined, { id: 'cred-1', name: 'Sandbox Vault' }, 'veevaVaultApi');
		expect(sessionFor).toBe(sessionBinding(form, sessionId as string));
		expect(sessionFor).not.toBe(sessionBinding({ ...form, password: 'other' }, sessionId as string));
		expect(String(sessionFor)).not.toContain(DEMO_USER.password);
	});

	it('a password changed to a wrong one: the test fails and the next run logs in and fails, the old session unused', async () => {
		await manage();
		const oldSession = stored().sessionSecret;
		edit({ password: 'Changed-But-Wrong-9' });
		await vault.sandbox.client.clearLog();
		const tested = await vault.harness.testCredential('cred-1');
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(/user name or password is wrong/);
		const run = await manage();
		expect(run.error?.message).toMatch(/user name or password is wrong/);
		// a login failure is about the credential, not a batch or an item
		expect(run.error?.message).not.toMatch(/^Batch|\[item/);
		const entries = await log();
		expect(entries.filter((entry) => entry.sessionId === oldSession)).toEqual([]);
		expect(entries.filter((entry) => entry.path.includes('manageassignments'))).toEqual([]);
		expect(everythingVisible(run)).not.toContain('Changed-But-Wrong-9');
	});

	it('a password corrected after the session expired: the test and the next run pass', async () => {
		await manage();
		edit({ password: 'Changed-But-Wrong-9' });
		await vault.sandbox.client.expireSessions();
		edit({ password: DEMO_USER.password });
		expect(await vault.harness.testCredential('cred-1')).toMatchObject({ status: 'OK' });
		await vault.sandbox.client.clearLog();
		const run = await manage();
		expect(run.error).toBeUndefined();
		// the form is back to what the session was issued for, and that session did expire: since issue 22 (item 4) the
		// run's first call is the read of the Quality Team definitions, which meets the expiry, logs in again and is resent;
		// the batch then goes on the new session at its first attempt
		const expired = (await log()).filter((entry) => entry.errorType === 'INVALID_SESSION_ID');
		expect(expired.map((entry) => entry.path)).toEqual([expect.stringMatching(/\/configuration\/Qualityteam$/)]);
		expect(jsonOf(run.outputs[0])[0]).toMatchObject({ attempts: 1 });
	});

	it('the user changed to another: the test and the next job are that user, not the old session', async () => {
		await manage();
		const oldSession = stored().sessionSecret;
		edit({ username: SANDBOX_USERS.fallback.username, password: SANDBOX_USERS.fallback.password });
		await vault.sandbox.client.clearLog();
		expect(await vault.harness.testCredential('cred-1')).toMatchObject({ status: 'OK' });
		const run = await manage();
		expect(run.error).toBeUndefined();
		const job = await vault.sandbox.client.job(String(jsonOf(run.outputs[0])[0].jobId));
		expect(job.createdBy).toBe(FALLBACK_USER_ID);
		expect((await log()).filter((entry) => entry.sessionId === oldSession)).toEqual([]);
	});

	it('the test always logs in fresh and ends the session it made', async () => {
		await manage();
		await vault.sandbox.client.clearLog();
		expect(await vault.harness.testCredential('cred-1')).toMatchObject({ status: 'OK' });
		const entries = await log();
		expect(entries.map((entry) => `${entry.method} ${entry.path.replace(/^\/api\/v[\d.]+/, '')}`)).toEqual([
			'POST /auth',
			'GET /objects/users/me',
			'DELETE /session',
		]);
		expect(entries[1].sessionId).not.toBe(stored().sessionSecret);
	});

	it('the Vault DNS changed: the old session never reaches the new host; a fresh login there, attempts 1', async () => {
		const [first, second] = vault.sandbox.vaults;
		const firstRun = await manage();
		expect(jsonOf(firstRun.outputs[0])[0].jobId).toBeDefined();
		const oldSession = stored().sessionSecret;
		edit({ vaultDns: second.url });
		await vault.sandbox.client.clearLog();
		await vault.harness.run({ items: [{}], parameters: { resource: 'job', operation: 'getStatus', jobId: '1' }, onError: 'continueRegularOutput' });
		const entries = await log();
		expect(entries.filter((entry) => entry.vaultId === first.id)).toEqual([]);
		expect(entries.filter((entry) => entry.sessionId === oldSession)).toEqual([]);
		expect(entries[0]).toMatchObject({ vaultId: second.id, path: expect.stringMatching(/\/auth$/) });
		expect(entries.filter((entry) => entry.path.endsWith('/auth'))).toHaveLength(1);
		expect(stored().sessionSecret).not.toBe(oldSession);
	});

	it('authenticate sends the session only to the Vault it was issued by, and only while the form is unchanged', async () => {
		const credentials: ICredentialDataDecryptedObject = { ...passwordCredential(vault.sandbox).data, clientId: 'c', apiVersion: 'v25.3', sessionSecret: 'S'.repeat(40) };
		credentials.sessionSecretBinding = sessionBinding(credentials, credentials.sessionSecret as string);
		const authenticate = new VeevaVaultApi().authenticate as (c: ICredentialDataDecryptedObject, r: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
		const headers = async (url: string, data = credentials) => (await authenticate(data, { url })).headers ?? {};
		expect(await headers(`${vault.sandbox.url}/api/v25.3/objects/users/me`)).toMatchObject({ Authorization: credentials.sessionSecret });
		expect(await headers(`${vault.sandbox.vaults[1].url}/api/v25.3/objects/users/me`)).not.toHaveProperty('Authorization');
		expect(await headers('https://elsewhere.example.com/api')).not.toHaveProperty('Authorization');
		expect(await headers(`${vault.sandbox.url}/api`, { ...credentials, password: 'other' })).not.toHaveProperty('Authorization');
		expect(await headers(`${vault.sandbox.url}/api`, { ...credentials, sessionSecretBinding: '' })).not.toHaveProperty('Authorization');
	});

	it('the same credential object edited between requests is checked again (the answer per object is kept only while nothing it depends on changed)', async () => {
		const credentials: ICredentialDataDecryptedObject = { ...passwordCredential(vault.sandbox).data, clientId: 'c', apiVersion: 'v25.3', sessionSecret: 'S'.repeat(40) };
		credentials.sessionSecretBinding = sessionBinding(credentials, credentials.sessionSecret as string);
		const authenticate = new VeevaVaultApi().authenticate as (c: ICredentialDataDecryptedObject, r: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
		const headers = async () => (await authenticate(credentials, { url: `${vault.sandbox.url}/api/v25.3/objects/users/me` })).headers ?? {};
		expect(await headers()).toMatchObject({ Authorization: credentials.sessionSecret });
		credentials.password = 'other';
		expect(await headers()).not.toHaveProperty('Authorization');
		credentials.password = passwordCredential(vault.sandbox).data.password;
		expect(await headers()).toMatchObject({ Authorization: credentials.sessionSecret });
		credentials.sessionSecret = 'T'.repeat(40);
		expect(await headers()).not.toHaveProperty('Authorization');
		credentials.vaultDns = vault.sandbox.vaults[1].url;
		credentials.sessionSecretBinding = sessionBinding(credentials, credentials.sessionSecret as string);
		expect(await headers()).not.toHaveProperty('Authorization');
	});

	it("honours n8n's Allowed HTTP Request Domains: a host not listed gets nothing, not even a login", async () => {
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { allowedHttpRequestDomains: 'domains', allowedDomains: 'myvault.veevavault.com' }, 'restricted'));
		const run = await manage('restricted');
		expect(run.error?.message).toMatch(/Allowed HTTP Request Domains does not include 127\.0\.0\.1/);
		expect(await log()).toEqual([]);
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { allowedHttpRequestDomains: 'domains', allowedDomains: '127.0.0.1' }, 'allowed'));
		expect((await manage('allowed')).error).toBeUndefined();
	});
});

describe('trust: OAuth login', () => {
	const vault = useSandbox();
	const { oauth } = SANDBOX_USERS;
	const oauthCredential = (data: ICredentialDataDecryptedObject, id: string) =>
		passwordCredential(vault.sandbox, { authentication: 'oauth', oauthLoginHost: vault.sandbox.url, oauthProfileId: oauth.profileId, accessToken: oauth.accessToken, ...data }, id);
	const status = async (credentialId: string) =>
		await vault.harness.run({ items: [{}], parameters: { resource: 'job', operation: 'getStatus', jobId: '1' }, credentialId, onError: 'continueRegularOutput' });
	const oauthLogins = async () => (await vault.sandbox.client.log()).filter((entry) => entry.path.startsWith('/auth/oauth/session/'));

	it('carries the OAuth client id only when set, and never the API client id', async () => {
		vault.harness.credentials.add(oauthCredential({ clientId: 'my-api-client' }, 'without'));
		vault.harness.credentials.add(oauthCredential({ clientId: 'my-api-client', oauthClientId: 'okta-app-0oa1' }, 'with'));
		await status('without');
		await status('with');
		const logins = await oauthLogins();
		expect(logins.map((entry) => entry.oauthClientId)).toEqual([undefined, 'okta-app-0oa1']);
		expect(logins.map((entry) => entry.clientId)).toEqual(['my-api-client', 'my-api-client']);
	});

	it("sends the access token only to Veeva's login host or the Vault's own, unless allowed", async () => {
		vault.harness.credentials.add(oauthCredential({ oauthLoginHost: vault.sandbox.vaults[1].url }, 'other'));
		const refused = await status('other');
		expect(refused.error?.message ?? String(jsonOf(refused.outputs[0])[0].error)).toMatch(/neither Veeva's login host .* nor this Vault/);
		expect(await vault.sandbox.client.log()).toEqual([]);
		vault.harness.credentials.add(oauthCredential({ oauthLoginHost: vault.sandbox.vaults[1].url, allowAnyOauthLoginHost: true }, 'allowed'));
		await status('allowed');
		expect(await oauthLogins()).toHaveLength(1);
	});
});

describe('trust: answers read by their body, resends only where Vault says a repeat is harmless', () => {
	const vault = useSandbox();
	const submissions = async (fragment: string) => (await vault.sandbox.client.log()).filter((entry) => entry.method !== 'GET' && entry.path.includes(fragment));

	beforeEach(async () => {
		await vault.sandbox.client.seed({
			records: [
				{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' },
				{ object: 'lab_investigation__qdm', id: 'LI0000001', name: 'LI-000001' },
			],
		});
	});

	it('a JSON answer labelled text/csv gives the job id, with one submission', async () => {
		const run = await vault.harness.run({ items: [MANAGE_ROW], parameters: MANAGE });
		expect(run.error).toBeUndefined();
		expect(jsonOf(run.outputs[0])[0]).toMatchObject({ jobId: expect.stringMatching(/^\d+$/), attempts: 1 });
		const sent = await submissions('manageassignments');
		expect(sent).toHaveLength(1);
		expect(sent[0].accept).toBe('text/csv');
		const job = await vault.sandbox.client.job(String(jsonOf(run.outputs[0])[0].jobId));
		expect(job.createdBy).toBe(DEMO_USER_ID);
	});

	it.each([
		['Manage', MANAGE, [MANAGE_ROW], 'manageassignments', /Quality Teams/],
		[
			'Auditor Roles',
			{ resource: 'auditor', operation: 'associateRoles' },
			[{ 'auditor_profile__v.name__v': 'AuditorProfile-alex@veepharm.com', 'auditor_role__v.name__v': 'Lead Auditor' }],
			'auditor_profiles',
			/Auditor Profiles' roles/,
		],
	] as const)('an unknown outcome on %s sends the batch once and tells its items so', async (_name, parameters, items, fragment, check) => {
		await vault.sandbox.client.fault({ kind: 'reset', phase: 'after', match: { path: fragment } });
		const run = await vault.harness.run({ items: [...items], parameters, onError: 'continueErrorOutput' });
		expect(await submissions(fragment)).toHaveLength(1);
		const errors = jsonOf(run.outputs[1] ?? []);
		expect(errors).toHaveLength(items.length);
		expect(String(errors[0].error)).toMatch(/Vault may have applied this batch \(batch 1, first sent at \d{4}-\d\d-\d\dT[\d:.]+Z\); it was not sent again/);
		expect(String(errors[0].error)).toMatch(check);
		expect(errors[0].details).toMatchObject({ outcomeUnknown: true, resentAfterUnknownOutcome: false, attempts: 1 });

		await vault.sandbox.client.clearLog();
		await vault.sandbox.client.fault({ kind: 'reset', phase: 'after', match: { path: fragment } });
		const stopped = await vault.harness.run({ items: [...items], parameters });
		expect(stopped.error?.description).toMatch(/not sent again/);
		expect(await submissions(fragment)).toHaveLength(1);
	});

	it('an unknown outcome on Migrate, whose duplicates Vault skips, is sent again', async () => {
		await vault.sandbox.client.fault({ kind: 'reset', phase: 'after', match: { path: '/migration' } });
		const run = await vault.harness.run({
			items: [{ 'lab_investigation__qdm.name__v': 'LI-000001', 'user__sys.global_id__sys': '1001_100001', 'application_role__v.api_name__v': 'qa__c' }],
			parameters: {
				resource: 'qualityTeam',
				operation: 'migrateMembers',
				objectName: 'lab_investigation_quality_team_member__v',
				recordColumn: 'lab_investigation__qdm.name__v',
			},
		});
		expect(run.error).toBeUndefined();
		expect(await submissions('/migration')).toHaveLength(2);
		expect(jsonOf(run.outputs[0])[0]).toMatchObject({ attempts: 2 });
	});
});

describe('trust: one login per process after Vault expires a session', () => {
	const vault = useSandbox();
	/** n8n's request helper as a credential's preAuthentication gets it, over real HTTP */
	const http = {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				const response = await fetch(options.url, { method: options.method, headers: options.headers as Record<string, string>, body: options.body as string });
				return { statusCode: response.status, body: await response.text() };
			},
		},
	};
	const preAuthentication = async (data: ICredentialDataDecryptedObject) => await new VeevaVaultApi().preAuthentication.call(http as never, data);

	it('executions that each find their copy of the session rejected, one after another, share the first new one; a rejected session is never handed on', async () => {
		const form = { apiVersion: 'v25.3', clientId: 'n8n-nodes-veeva-vault-qms', ...passwordCredential(vault.sandbox, {}, 'reuse').data } as ICredentialDataDecryptedObject;
		// Vault expired the stored session: each execution under way clears its copy and asks for one, in turn
		const first = await preAuthentication({ ...form, sessionSecret: '' });
		for (let execution = 0; execution < 5; execution++) expect((await preAuthentication({ ...form, sessionSecret: '' })).sessionSecret).toBe(first.sessionSecret);
		expect((await vault.sandbox.client.state()).logins).toBe(1);
		// Vault rejects that one too: the next execution logs in, and the others take its session
		const { sessionRejected } = await import('../../nodes/VeevaVaultQms/transport/sessions');
		sessionRejected(first.sessionSecret);
		const second = await preAuthentication({ ...form, sessionSecret: '' });
		expect(second.sessionSecret).not.toBe(first.sessionSecret);
		expect((await preAuthentication({ ...form, sessionSecret: '' })).sessionSecret).toBe(second.sessionSecret);
		expect((await vault.sandbox.client.state()).logins).toBe(2);
		// another password is another credential: its own login
		await preAuthentication({ ...form, password: 'wrong-password', sessionSecret: '' }).catch(() => undefined);
		expect((await vault.sandbox.client.state()).logins).toBe(2);
	});

	it('a run whose session Vault rejects logs in again once and sends once', async () => {
		await vault.harness.run({ items: [MANAGE_ROW], parameters: MANAGE });
		await vault.sandbox.client.expireSessions();
		const runs = await Promise.all([0, 1, 2].map(async (index) => await vault.harness.run({ items: [{ ...MANAGE_ROW, record_id: `OP400002${index}` }], parameters: MANAGE })));
		for (const run of runs) expect(run.error).toBeUndefined();
		const accepted = (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments') && entry.responseStatus === 'SUCCESS');
		expect(accepted).toHaveLength(4);
	});
});

describe('trust: a kept session Vault expired too', () => {
	const vault = useSandbox();

	it('is replaced by a fresh login, and the run goes on (bench:n8n queue mode, 2 workers, after expiry)', async () => {
		const { sessionRejected } = await import('../../nodes/VeevaVaultQms/transport/sessions');
		expect((await vault.harness.run({ items: [MANAGE_ROW], parameters: MANAGE })).error).toBeUndefined();
		const stored = vault.harness.credentials.store.get('cred-1')?.data.sessionSecret;
		// another execution of this process logged in again in the meantime: its session is the one kept for reuse
		sessionRejected(stored);
		const http = {
			helpers: {
				httpRequest: async (options: IHttpRequestOptions) => {
					const response = await fetch(options.url, { method: options.method, headers: options.headers as Record<string, string>, body: options.body as string });
					return { statusCode: response.status, body: await response.text() };
				},
			},
		};
		const data = vault.harness.credentials.store.get('cred-1')!.data;
		const other = await new VeevaVaultApi().preAuthentication.call(http as never, { apiVersion: 'v25.3', clientId: 'n8n-nodes-veeva-vault-qms', ...data, sessionSecret: '' });
		expect(other.sessionSecret).not.toBe(stored);
		// then Vault expires every session: the stored one, and the one kept for reuse
		await vault.sandbox.client.expireSessions();
		const logins = (await vault.sandbox.client.state()).logins;
		const run = await vault.harness.run({ items: [{ ...MANAGE_ROW, record_id: 'OP4000010' }], parameters: MANAGE });
		expect(run.error).toBeUndefined();
		expect((await vault.sandbox.client.state()).logins).toBe(logins + 1);
	});
});

/**
 * n8n 1.123.81 writes the execution's whole starting copy of the credential back when a login
 * happens mid-run; n8n 2.41.1 merges the new session into what is stored (N8N-NOTES.md). The
 * harness's credentials helper behaves as either; in both, an admin's edit made while a run waits
 * is kept, and the run does not log in again with the settings from before the edit.
 */
describe.each(['startingCopy', 'merge'] as const)('trust: a credential edited while a run waits (n8n writing back as %s)', (writeBack) => {
	const vault = useSandbox();

	it('is never reverted: the run stops before logging in again with the old settings, and says why', async () => {
		const { createHarness } = await import('../harness/engine');
		const harness = createHarness([passwordCredential(vault.sandbox)], writeBack);
		const stored = () => harness.credentials.store.get('cred-1')!.data;
		const [production, validation] = vault.sandbox.vaults;
		await vault.sandbox.client.seed({ records: [{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' }] });
		await vault.sandbox.client.settings({ jobQueuedMs: 0, jobRunMs: 3_000, jobStatusMinIntervalMs: 100 });
		const running = harness.run({
			items: [MANAGE_ROW],
			parameters: { ...MANAGE, options: { waitForCompletion: true, pollIntervalSeconds: 0.1, waitTimeoutMinutes: 0.2 } },
			onError: 'continueRegularOutput',
		});
		// once the run waits on its job, the admin re-points the credential to Validation, and Vault ends the session
		const statusCalls = async () => (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('/services/jobs/')).length;
		while ((await statusCalls()) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
		Object.assign(stored(), { vaultDns: validation.url });
		await vault.sandbox.client.expireSessions();
		const loginsAtEdit = (await vault.sandbox.client.state()).logins;
		const run = await running;

		expect(stored().vaultDns).toBe(validation.url);
		expect((await vault.sandbox.client.state()).logins).toBe(loginsAtEdit);
		const [item] = jsonOf(run.outputs[0]);
		expect(JSON.stringify(item)).toMatch(/The credential was edited while this run was going/);
		expect((await vault.sandbox.client.log()).filter((entry) => entry.vaultId === validation.id)).toEqual([]);
		expect(production.id).not.toBe(validation.id);
	});
});
