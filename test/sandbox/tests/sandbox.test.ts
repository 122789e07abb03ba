/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { DEMO_USER, SANDBOX_USERS, startSandbox, type RunningSandbox, type SandboxVault } from '../index';
import { REDIRECT_RELAY_STATE } from '../http/transportFaults';

const V = '/api/v25.3';
const MANAGE = `${V}/app/quality/qms/teams/vobjects/quality_event__qdm/actions/manageassignments`;
const AUDITOR = `${V}/app/quality/qms/auditor_profiles/roles/batch`;
const MIGRATE = `${V}/qms/teams/vobjects/lab_investigation_quality_team_member__v/actions/migration`;
const DOC_ROLES = `${V}/objects/documents/roles/batch`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Envelope = Record<string, any>;

describe('Veeva Vault API sandbox over HTTP', () => {
	let sandbox: RunningSandbox;
	let main: SandboxVault;
	let second: SandboxVault;

	beforeAll(async () => {
		sandbox = await startSandbox({ settings: { jobQueuedMs: 0, jobRunMs: 0 } });
		[main, second] = sandbox.vaults;
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(async () => {
		await sandbox.client.reset();
	});

	interface CallOptions {
		session?: string;
		body?: RequestInit['body'];
		contentType?: string;
		accept?: string;
		headers?: Record<string, string>;
	}

	async function call(vault: SandboxVault, method: string, path: string, init: CallOptions = {}) {
		const headers: Record<string, string> = { ...init.headers };
		if (init.session) headers.Authorization = init.session;
		if (init.contentType) headers['Content-Type'] = init.contentType;
		if (init.accept) headers.Accept = init.accept;
		const response = await fetch(vault.url + path, { method, headers, body: init.body });
		const text = await response.text();
		const json = response.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Envelope) : {};
		return { response, text, json };
	}

	async function login(vault: SandboxVault, user: { username: string; password: string } = DEMO_USER, vaultDns?: string) {
		const form = new URLSearchParams({ username: user.username, password: user.password, ...(vaultDns && { vaultDNS: vaultDns }) });
		return (await call(vault, 'POST', `${V}/auth`, { body: form, contentType: 'application/x-www-form-urlencoded' })).json;
	}

	const csv = (session: string, path: string, body: string, vault = main, accept = 'application/json') =>
		call(vault, 'POST', path, { session, body, contentType: 'text/csv', accept });

	const fileForm = (rows: string, field = 'file') => {
		const form = new FormData();
		form.append(field, new Blob([rows], { type: 'text/csv' }), 'members.csv');
		return form;
	};

	const oauthLogin = (form: Record<string, string>, headers: Record<string, string> = {}) =>
		call(main, 'POST', `/auth/oauth/session/${SANDBOX_USERS.oauth.profileId}`, {
			session: `Bearer ${SANDBOX_USERS.oauth.accessToken}`,
			body: new URLSearchParams(form),
			contentType: 'application/x-www-form-urlencoded',
			headers,
		});

	it('logs in, falls back silently to a Vault the user can reach, and keeps sessions to their Vault', async () => {
		const demo = await login(main, DEMO_USER, second.dns);
		expect(demo).toMatchObject({ responseStatus: 'SUCCESS', vaultId: 1002, userId: 61001 });
		expect(demo.sessionId).toMatch(/^[0-9a-f]{64}$/);
		expect(demo.vaultIds.map((vault: Envelope) => vault.url)).toEqual([`${main.url}/api`, `${second.url}/api`]);

		const fallback = await login(main, SANDBOX_USERS.fallback, second.url);
		expect(fallback).toMatchObject({ responseStatus: 'SUCCESS', vaultId: 1001, vaultIds: [{ id: 1001, url: `${main.url}/api` }] });
		expect((await call(second, 'GET', `${V}/objects/users/me`, { session: fallback.sessionId })).json.errors[0].type).toBe('INVALID_SESSION_ID');
		const me = await call(main, 'GET', `${V}/objects/users/me`, { session: `Bearer ${fallback.sessionId}` });
		expect(me.json.users[0].user).toMatchObject({ user_name__v: SANDBOX_USERS.fallback.username, active__v: true });

		const failures = await Promise.all([
			login(main, { username: DEMO_USER.username, password: 'wrong' }),
			login(main, { username: DEMO_USER.username, password: '' }),
			login(main, SANDBOX_USERS.locked),
			login(main, SANDBOX_USERS.passwordChange),
			login(main, SANDBOX_USERS.inactive),
		]);
		expect(failures.map((answer) => answer.errors[0].type)).toEqual([
			'USERNAME_OR_PASSWORD_INCORRECT',
			'NO_PASSWORD_PROVIDED',
			'USER_LOCKED_OUT',
			'PASSWORD_CHANGE_REQUIRED',
			'INACTIVE_USER',
		]);
		const oauth = await call(main, 'POST', `/auth/oauth/session/${SANDBOX_USERS.oauth.profileId}`, {
			session: `Bearer ${SANDBOX_USERS.oauth.accessToken}`,
			body: new URLSearchParams({ vaultDNS: second.dns }),
			contentType: 'application/x-www-form-urlencoded',
		});
		expect(oauth.json).toMatchObject({ responseStatus: 'SUCCESS', vaultId: 1002 });

		const log = await sandbox.client.log();
		expect(JSON.stringify(log)).not.toContain(DEMO_USER.password);
		expect(JSON.stringify(log)).not.toContain(SANDBOX_USERS.oauth.accessToken);
		expect(log[0].body).toContain('password=***');
		expect((await sandbox.client.state()).logins).toBe(3);
	});

	it('limits logins per user and Vault, and refuses unknown versions, paths and methods', async () => {
		await sandbox.client.settings({ loginLimitPerMinute: 1 });
		expect((await login(main)).responseStatus).toBe('SUCCESS');
		expect((await login(main)).errors[0].type).toBe('API_LIMIT_EXCEEDED');
		expect((await login(second)).responseStatus).toBe('SUCCESS');
		expect((await call(main, 'GET', '/api/v19.1/objects/users/me')).json.errors[0].type).toBe('MALFORMED_URL');
		expect((await call(main, 'GET', `${V}/no/such/thing`)).json.errors[0].type).toBe('MALFORMED_URL');
		expect((await call(main, 'GET', `${V}/auth`)).json.errors[0].type).toBe('METHOD_NOT_SUPPORTED');
		expect((await call(main, 'GET', '/api/')).json.values['v26.2']).toBe(`${main.url}/api/v26.2`);
	});

	it('applies the login burst limit to /auth only: many OAuth logins in a minute all succeed', async () => {
		await sandbox.client.settings({ loginLimitPerMinute: 2 });
		const oauth = await Promise.all(Array.from({ length: 6 }, () => oauthLogin({ vaultDNS: main.dns })));
		expect(oauth.map((answer) => answer.json.responseStatus)).toEqual(Array(6).fill('SUCCESS'));
		expect([(await login(main)).responseStatus, (await login(main)).responseStatus]).toEqual(['SUCCESS', 'SUCCESS']);
		expect((await login(main)).errors[0].type).toBe('API_LIMIT_EXCEEDED');
		expect((await oauthLogin({ vaultDNS: main.dns })).json.responseStatus).toBe('SUCCESS');
	});

	it("logs the OAuth form's client_id apart from the API client id, which comes only from the header", async () => {
		await oauthLogin({ vaultDNS: main.dns, client_id: 'idp-app-0oa1' }, { 'X-VaultAPI-ClientID': 'acme-qms-n8n' });
		await oauthLogin({ vaultDNS: main.dns }, { 'X-VaultAPI-ClientID': 'acme-qms-n8n' });
		await oauthLogin({ vaultDNS: main.dns, client_id: 'acme-qms-n8n' });
		const logged = (await sandbox.client.log()).map((entry) => [entry.clientId, entry.oauthClientId]);
		expect(logged).toEqual([
			['acme-qms-n8n', 'idp-app-0oa1'],
			['acme-qms-n8n', undefined],
			[undefined, 'acme-qms-n8n'],
		]);

		await sandbox.client.settings({ allowedClientIds: ['acme-qms-n8n'] });
		expect((await oauthLogin({ vaultDNS: main.dns, client_id: 'acme-qms-n8n' })).json.errors[0].type).toBe('INSUFFICIENT_ACCESS');
		const viaHeader = await oauthLogin({ vaultDNS: main.dns, client_id: 'idp-app-0oa1' }, { 'X-VaultAPI-ClientID': 'acme-qms-n8n' });
		expect(viaHeader.json.responseStatus).toBe('SUCCESS');
		const form = new URLSearchParams({ username: DEMO_USER.username, password: DEMO_USER.password, client_id: 'acme-qms-n8n' });
		const passwordLogin = await call(main, 'POST', `${V}/auth`, { body: form, contentType: 'application/x-www-form-urlencoded' });
		expect(passwordLogin.json.errors[0].type).toBe('INSUFFICIENT_ACCESS');
		expect((await sandbox.client.log()).every((entry) => entry.path.startsWith('/auth/oauth/') || entry.oauthClientId === undefined)).toBe(true);
	});

	it('expires idle sessions, refreshes them on use, and ends them on request', async () => {
		await sandbox.client.settings({ sessionIdleMs: 400 });
		const { sessionId } = await login(main);
		await sleep(200);
		expect((await call(main, 'POST', `${V}/keep-alive`, { session: sessionId })).json.responseStatus).toBe('SUCCESS');
		await sleep(250);
		expect((await call(main, 'GET', `${V}/objects/users/me`, { session: sessionId })).json.responseStatus).toBe('SUCCESS');
		await sleep(450);
		expect((await call(main, 'GET', `${V}/objects/users/me`, { session: sessionId })).json.errors[0].type).toBe('INVALID_SESSION_ID');

		const other = (await login(main)).sessionId;
		await sandbox.client.expireSessions(other);
		expect((await call(main, 'POST', `${V}/keep-alive`, { session: other })).json.errors[0].type).toBe('INVALID_SESSION_ID');
		const ended = (await login(main)).sessionId;
		await call(main, 'DELETE', `${V}/session`, { session: ended });
		expect((await call(main, 'POST', `${V}/keep-alive`, { session: ended })).json.errors[0].type).toBe('INVALID_SESSION_ID');
		expect((await sandbox.client.state()).sessions).toBe(0);
	});

	it('runs a job QUEUED → RUNNING → finished and refuses status calls faster than allowed', async () => {
		await sandbox.client.settings({ jobQueuedMs: 100, jobRunMs: 300, jobStatusMinIntervalMs: 120 });
		const { sessionId } = await login(main);
		const submitted = await csv(sessionId, MANAGE, 'record_id,user_id,application_role,operation\nOP4000008,100001,qa__c,ADD\n');
		expect(submitted.json).toEqual({ responseStatus: 'SUCCESS', jobId: '243001' });
		const status = async () => (await call(main, 'GET', `${V}/services/jobs/243001`, { session: sessionId })).json;

		expect((await status()).data).toMatchObject({ id: 243001, status: 'QUEUED', method: 'POST', links: [], created_by: 61001 });
		expect((await status()).errors[0].type).toBe('API_LIMIT_EXCEEDED');
		await sleep(130);
		expect((await status()).data.status).toBe('RUNNING');
		expect((await sandbox.client.state()).teams.quality_event__qdm).toEqual({});
		await sleep(300);
		const done = (await status()).data;
		expect(done).toMatchObject({ status: 'SUCCESS', run_start_date: expect.any(String), run_end_date: expect.any(String) });
		expect((await sandbox.client.state()).teams.quality_event__qdm.OP4000008).toEqual([{ user_id: 100001, application_role: 'qa__c' }]);
		expect(await sandbox.client.job(243001)).toMatchObject({ statusCalls: 4, rowCount: 1, vaultId: 1001 });

		const elsewhere = (await login(second)).sessionId;
		expect((await call(second, 'GET', `${V}/services/jobs/243001`, { session: elsewhere })).json.errors[0].type).toBe('INSUFFICIENT_ACCESS');
	});

	it('applies Manage Quality Team rows with partial success; asked for text/csv, labels the JSON answer text/csv', async () => {
		await sandbox.client.settings({ jobQueuedMs: 1000 });
		const { sessionId } = await login(main);
		const body = [
			'record_id,user_id,application_role,operation',
			'OP4000001,100001,record_owner__c,ADD',
			'OP4000001,100002,sme__c,ADD',
			'OP4000001,100013,sme__c,ADD',
			'OP4000001,100003,qa__c,REMOVE',
			'OP4000001,100004,qa__c,Add',
			'NOPE,100004,qa__c,ADD',
			'OP4000001,100002,sme__c,REMOVE',
		].join('\r\n');
		const answer = await csv(sessionId, MANAGE, body, main, 'text/csv');
		expect(answer.response.headers.get('content-type')).toBe('text/csv;charset=UTF-8');
		expect(JSON.parse(answer.text)).toEqual({ responseStatus: 'SUCCESS', jobId: '243001' });
		expect((await sandbox.client.job(243001)).status).toBe('QUEUED');
		await sandbox.client.completeJobs();
		const state = await sandbox.client.state();
		expect(state.teams.quality_event__qdm.OP4000001).toEqual([{ user_id: 100001, application_role: 'record_owner__c' }]);
		expect(state.jobs[0]).toMatchObject({ status: 'ERRORS_ENCOUNTERED', rowCount: 7 });
		expect(state.jobs[0].rowErrors.map((error) => error.row)).toEqual([3, 4, 5, 6]);
		expect((await csv(sessionId, MANAGE.replace('quality_event__qdm', 'product__v'), body)).json.errors[0].type).toBe('INVALID_DATA');
	});

	it('answers Manage Quality Team FAILUREs as JSON too, labelled text/csv when asked for text/csv', async () => {
		const { sessionId } = await login(main);
		const refused = await csv(sessionId, MANAGE, 'record_id,user_id\nOP4000001,100001\n', main, 'text/csv');
		expect(refused.response.headers.get('content-type')).toBe('text/csv;charset=UTF-8');
		expect(JSON.parse(refused.text)).toMatchObject({ responseStatus: 'FAILURE', errors: [{ type: 'INVALID_DATA' }] });
		const expired = await csv('no-such-session', MANAGE, 'record_id,user_id,application_role,operation\n', main, 'text/csv');
		expect(expired.response.headers.get('content-type')).toBe('text/csv;charset=UTF-8');
		expect(JSON.parse(expired.text).errors[0].type).toBe('INVALID_SESSION_ID');
		const asJson = await csv(sessionId, MANAGE, 'record_id,user_id\nOP4000001,100001\n');
		expect(asJson.response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
	});

	it('associates auditor roles, reading the page example with its spaces and a doubled backslash', async () => {
		await sandbox.client.seed({ auditorRoles: ['Back\\slash'] });
		const { sessionId } = await login(main);
		const body = [
			'auditor_role__v.name__v, auditor_profile__v.name__v ',
			'Lead Auditor, AuditorProfile-alex@veepharm.com ',
			'Co-Auditor, AuditorProfile-walter@veepharm.com',
			'"Back\\\\slash",AuditorProfile-user7@veepharm.com',
			'Back\\slash,AuditorProfile-user8@veepharm.com',
			'No Such Role,AuditorProfile-user9@veepharm.com',
		].join('\n');
		const answer = await csv(sessionId, AUDITOR, body);
		expect(answer.json).toEqual({ responseStatus: 'SUCCESS', jobId: 243001 });
		const state = await sandbox.client.state();
		expect(state.auditorRoles).toMatchObject({
			'AuditorProfile-alex@veepharm.com': ['Lead Auditor'],
			'AuditorProfile-walter@veepharm.com': ['Co-Auditor'],
			'AuditorProfile-user7@veepharm.com': ['Back\\slash'],
		});
		expect(state.auditorRoles['AuditorProfile-user8@veepharm.com']).toBeUndefined();
		expect(state.jobs[0].rowErrors.map((error) => error.row)).toEqual([4, 5]);
	});

	it('migrates Quality Team members from the multipart file, skipping duplicates', async () => {
		const { sessionId } = await login(main);
		const rows = [
			'lab_investigation__qdm.name__v,user__sys.global_id__sys,application_role__v.api_name__v',
			'LI-000001,1001_100001,record_owner__c',
			'LI-000001,1001_100001,record_owner__c',
			'LI-000002,1001_100666,sme__c',
			'',
		].join('\n');
		const multipart = await call(main, 'POST', MIGRATE.replace('/teams/', '/teams//'), { session: sessionId, body: fileForm(rows) });
		expect(multipart.json).toEqual({ responseStatus: 'SUCCESS', jobId: 243001 });
		const byUsername = 'lab_investigation__qdm.name__v,user__sys.username__sys,application_role__v.api_name__v\n';
		const byUsernameRows = `${byUsername}LI-000002,user100002@sandbox.veevavault.com,qa__c\n`;
		const second = await call(main, 'POST', MIGRATE, { session: sessionId, body: fileForm(byUsernameRows) });
		expect(second.json.jobId).toBe(243002);
		const state = await sandbox.client.state();
		expect(state.teams.lab_investigation__qdm).toEqual({
			LI0000001: [{ user_id: 100001, application_role: 'record_owner__c' }],
			LI0000002: [{ user_id: 100002, application_role: 'qa__c' }],
		});
		expect(state.jobs.map((job) => job.rowErrors.map((error) => error.row))).toEqual([[3], []]);
		const [logged] = await sandbox.client.log().then((log) => log.filter((entry) => entry.path.includes('migration')));
		expect(logged).toMatchObject({ body: rows, contentType: expect.stringMatching(/^multipart\/form-data/), jobId: 243001 });
		const riskMembers = MIGRATE.replace('lab_investigation_quality', 'risk_event_quality');
		const wrongObject = await call(main, 'POST', riskMembers, { session: sessionId, body: fileForm(rows) });
		expect(wrongObject.json.errors[0].type).toBe('INVALID_DATA');
	});

	// Seed 004's header table says Content-Type text/csv; its body parameter and curl example say multipart `file`.
	it('takes Migrate CSV only as the multipart `file` part (as curl -F sends it too) and refuses a bare text/csv body', async () => {
		const { sessionId } = await login(main);
		const rows = 'lab_investigation__qdm.name__v,user__sys.global_id__sys,application_role__v.api_name__v\nLI-000001,1001_100001,qa__c\n';
		const bare = await csv(sessionId, MIGRATE, rows);
		const loud = expect.stringMatching(/parameter: file\b.*multipart.*bare text\/csv body/);
		expect(bare.json.errors[0]).toEqual({ type: 'PARAMETER_REQUIRED', message: loud });
		const misnamed = await call(main, 'POST', MIGRATE, { session: sessionId, body: fileForm(rows, 'csv') });
		expect(misnamed.json.errors[0]).toEqual({ type: 'PARAMETER_REQUIRED', message: expect.stringMatching(/no part named "file"/) });
		expect((await sandbox.client.state()).jobs).toEqual([]);

		const multipart = await call(main, 'POST', MIGRATE, { session: sessionId, body: fileForm(rows) });
		expect(multipart.json).toEqual({ responseStatus: 'SUCCESS', jobId: 243001 });
		// what the page's curl sends: -H 'Content-Type: text/csv' -F 'file=@…' gives `text/csv; boundary=…`
		const boundary = '------------------------ba1bf830a38a2cf5';
		const part = 'Content-Disposition: attachment; name="file"; filename="m.csv"\r\nContent-Type: application/octet-stream';
		const curlBody = `--${boundary}\r\n${part}\r\n\r\n${rows}\r\n--${boundary}--\r\n`;
		const curl = await call(main, 'POST', MIGRATE, { session: sessionId, body: curlBody, contentType: `text/csv; boundary=${boundary}` });
		expect(curl.json).toEqual({ responseStatus: 'SUCCESS', jobId: 243002 });
		expect((await sandbox.client.log()).filter((entry) => entry.jobId === 243002).map((entry) => entry.body)).toEqual([rows]);
	});

	it('assigns and removes document roles synchronously with per-row answers', async () => {
		const { sessionId } = await login(main);
		const rows = 'id,reviewer__v.users,approver__v.groups\n11,"100001,100002,999",3311301\nDOC-1,100001,\n999999,100001,\n';
		const assign = await csv(sessionId, DOC_ROLES, rows);
		expect(assign.json.data).toEqual([
			{ responseStatus: 'SUCCESS', id: 11, 'reviewer__v.users': [100001, 100002], 'approver__v.groups': [3311301] },
			{ responseStatus: 'FAILURE', id: 'DOC-1', errors: [{ type: 'INVALID_DATA', message: expect.any(String) }] },
			{ responseStatus: 'FAILURE', id: '999999', errors: [{ type: 'INVALID_DATA', message: expect.any(String) }] },
		]);
		const removed = await call(main, 'DELETE', DOC_ROLES, { session: sessionId, body: 'id,reviewer__v.users\n11,100001\n', contentType: 'text/csv' });
		expect(removed.json.data).toEqual([{ responseStatus: 'SUCCESS', id: 11, 'reviewer__v.users': [100001] }]);
		expect((await sandbox.client.state()).documentRoles['11']).toEqual({
			reviewer__v: { users: [100002], groups: [] },
			approver__v: { users: [], groups: [3311301] },
			consumer__v: { users: [], groups: [] },
		});
		const undefinedRole = await csv(sessionId, DOC_ROLES, 'id,owner__v.users\n11,100001\n');
		expect(undefinedRole.json.data[0].responseStatus).toBe('FAILURE');
	});

	it('refuses whole requests over the row or byte limit, empty, without a column, or with a CR in a value', async () => {
		await sandbox.client.settings({ rowLimits: { manage: 2 }, byteLimits: { auditor: 60 } });
		const { sessionId } = await login(main);
		const header = 'record_id,user_id,application_role,operation\n';
		const row = 'OP4000001,100001,qa__c,ADD\n';
		const errorOf = async (path: string, body: string) => {
			const { json } = await csv(sessionId, path, body);
			return `${json.errors[0].type}: ${json.errors[0].message}`;
		};
		expect(await errorOf(MANAGE, header + row.repeat(3))).toMatch(/^INVALID_DATA: .*exceeds the maximum batch size of 2/);
		expect(await errorOf(AUDITOR, 'auditor_profile__v.name__v,auditor_role__v.name__v\n' + 'x,y\n'.repeat(10))).toMatch(/^EXCEEDS_FILE_MAX_SIZE/);
		expect(await errorOf(MANAGE, '')).toMatch(/^PARAMETER_REQUIRED/);
		expect(await errorOf(MANAGE, 'record_id,user_id,operation\nOP4000001,100001,ADD\n')).toMatch(/^INVALID_DATA: .*application_role/);
		expect(await errorOf(MANAGE, header + row + '"OP4000001\r",100001,qa__c,ADD\n')).toMatch(/^INVALID_DATA: Row 2: .*carriage return/);
		expect((await sandbox.client.state()).jobs).toEqual([]);
		expect((await csv(sessionId, MANAGE, (header + row.repeat(2)).replace(/\n/g, '\r\n'))).json.responseStatus).toBe('SUCCESS');
	});

	it("handles the request fully before a phase 'after' fault replaces the answer, and resets sockets", async () => {
		const { sessionId } = await login(main);
		await sandbox.client.faults([
			{ kind: 'http500', phase: 'after', match: { path: 'manageassignments' } },
			{ kind: 'reset', match: { method: 'GET', path: '/users/me' } },
			{ kind: 'html', skip: 1, match: { path: '/keep-alive' } },
		]);
		const faulted = await csv(sessionId, MANAGE, 'record_id,user_id,application_role,operation\nOP4000002,100001,qa__c,ADD\n');
		expect(faulted.response.status).toBe(500);
		expect((await sandbox.client.state()).teams.quality_event__qdm.OP4000002).toEqual([{ user_id: 100001, application_role: 'qa__c' }]);
		await expect(call(main, 'GET', `${V}/objects/users/me`, { session: sessionId })).rejects.toThrow();
		expect((await call(main, 'POST', `${V}/keep-alive`, { session: sessionId })).json.responseStatus).toBe('SUCCESS');
		const proxied = await call(main, 'POST', `${V}/keep-alive`, { session: sessionId });
		expect([proxied.response.status, proxied.response.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
		const log = await sandbox.client.log();
		expect(log.filter((entry) => entry.fault).map((entry) => [entry.fault, entry.status, entry.jobId])).toEqual([
			['http500', 500, 243001],
			['reset', 0, undefined],
			['html', 200, undefined],
		]);
	});

	it('sends burst headers on every API answer and delays answers past the limit', async () => {
		await sandbox.client.settings({ burstLimit: 2, burstDelayMs: 200 });
		const { sessionId } = await login(main);
		const first = await call(main, 'POST', `${V}/keep-alive`, { session: sessionId });
		expect([first.response.headers.get('x-vaultapi-burstlimit'), first.response.headers.get('x-vaultapi-burstlimitremaining')]).toEqual(['2', '0']);
		const started = Date.now();
		const delayed = await call(main, 'POST', `${V}/keep-alive`, { session: sessionId });
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect(delayed.response.headers.get('x-vaultapi-responsedelay')).toBe('200');
		const otherVault = await call(second, 'GET', '/api/');
		expect(otherVault.response.headers.get('x-vaultapi-burstlimitremaining')).toBe('1');

		await sandbox.client.fault({ kind: 'burstDelay', delayMs: 50, match: { path: '/api/' } });
		const fromFault = await call(second, 'GET', '/api/');
		const { headers } = fromFault.response;
		expect([headers.get('x-vaultapi-responsedelay'), headers.get('x-vaultapi-burstlimitremaining')]).toEqual(['50', '0']);
	});

	it('redirects to a second listener that records what reaches it, drips an answer byte by byte, pads one to a size', async () => {
		const { sessionId } = await login(main);
		expect(sandbox.elsewhereUrl).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
		await sandbox.client.faults([
			{ kind: 'redirect307', match: { path: '/keep-alive' } },
			{ kind: 'redirect302', phase: 'after', match: { path: 'manageassignments' } },
		]);
		const redirected = await fetch(`${main.url}${V}/keep-alive?x=1`, { method: 'POST', headers: { Authorization: sessionId }, redirect: 'manual' });
		const location = `${sandbox.elsewhereUrl}${V}/keep-alive?x=1&relay=${REDIRECT_RELAY_STATE}`;
		expect([redirected.status, redirected.headers.get('location'), redirected.headers.get('x-vaultapi-burstlimit')]).toEqual([307, location, null]);
		expect(await sandbox.client.elsewhere()).toEqual([]);
		// followed by hand, it reaches the second listener, which records all of it and answers like a Vault that accepts it
		const followed = await fetch(location, { method: 'POST', headers: { Authorization: sessionId }, body: 'the rows' });
		expect(await followed.json()).toMatchObject({ responseStatus: 'SUCCESS', jobId: '777' });
		expect(await sandbox.client.elsewhere()).toMatchObject([{ method: 'POST', url: `${V}/keep-alive?x=1&relay=${REDIRECT_RELAY_STATE}`, headers: { authorization: sessionId }, body: 'the rows' }]);
		// phase 'after': handled, then redirected
		const after = await fetch(main.url + MANAGE, {
			method: 'POST',
			headers: { Authorization: sessionId, 'Content-Type': 'text/csv' },
			body: 'record_id,user_id,application_role,operation\nOP4000003,100001,qa__c,ADD\n',
			redirect: 'manual',
		});
		expect(after.status).toBe(302);
		expect((await sandbox.client.state()).teams.quality_event__qdm.OP4000003).toEqual([{ user_id: 100001, application_role: 'qa__c' }]);
		await sandbox.client.reset();
		expect(await sandbox.client.elsewhere()).toEqual([]);

		const again = (await login(main)).sessionId as string;
		const plain = await call(main, 'POST', `${V}/keep-alive`, { session: again });
		await sandbox.client.fault({ kind: 'drip', delayMs: 20, match: { path: '/keep-alive' } });
		const dripping = await fetch(`${main.url}${V}/keep-alive`, { method: 'POST', headers: { Authorization: again } });
		const chunks: Uint8Array[] = [];
		for await (const chunk of dripping.body as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
		const dripped = Buffer.concat(chunks).toString('utf8');
		expect(dripped).toBe(plain.text);
		expect(chunks.length).toBeGreaterThan(1);
		const dripEntry = (await sandbox.client.log()).find((entry) => entry.fault === 'drip');
		expect(dripEntry).toMatchObject({ status: 200, responseStatus: 'SUCCESS', dripMs: Buffer.byteLength(plain.text) * 20 });

		await sandbox.client.faults([
			{ kind: 'oversized', bytes: 1000, match: { path: '/keep-alive' } },
			{ kind: 'oversized', bytes: 1000, declareLength: true, match: { path: '/keep-alive' } },
		]);
		for (const declared of [null, '1000']) {
			const big = await call(main, 'POST', `${V}/keep-alive`, { session: again });
			expect([big.text.length, big.json.responseStatus, big.response.headers.get('content-length')]).toEqual([1000, 'SUCCESS', declared]);
		}
	});

	it('rejects unknown client ids when told to, and resets quickly', async () => {
		await sandbox.client.settings({ allowedClientIds: ['good-client'] });
		const refused = await call(main, 'GET', '/api/');
		expect(refused.json.errors[0]).toEqual({ type: 'INSUFFICIENT_ACCESS', message: 'client id not allowed' });
		expect((await call(main, 'GET', '/api/?client_id=good-client')).json.responseStatus).toBe('SUCCESS');
		const resetTimes: number[] = [];
		for (let i = 0; i < 3; i++) {
			const started = Date.now();
			await sandbox.client.reset();
			resetTimes.push(Date.now() - started);
		}
		expect(Math.min(...resetTimes)).toBeLessThan(50);
		expect((await sandbox.client.getSettings()).allowedClientIds).toBeNull();
	});
});
