import type { IDataObject } from 'n8n-workflow';

import { DEMO_USER, SANDBOX_USERS, type FaultSpec } from '../sandbox';
import { REDIRECT_RELAY_STATE } from '../sandbox/http/transportFaults';
import { everythingVisible, passwordCredential, useSandbox } from '../harness/fixtures';
import type { RunResult } from '../harness/engine';

/**
 * Issue 20, item 1: no request of the node or of "Test credential" follows a redirect. The sandbox's
 * redirect faults answer 302 or 307 with a Location on its second listener (127.0.0.2, another
 * origin), which records everything that reaches it and answers like a Vault that accepts it all.
 * Each test asserts that nothing reached it, and that the error names where the redirect pointed:
 * its origin and path, never its query (a sign-in portal's relay state or token may be in it).
 */
const JOB_STATUS = { resource: 'job', operation: 'getStatus', jobId: '1' };
const RUN_QUERY = { resource: 'vql', operation: 'query', query: 'SELECT id, username__sys FROM user__sys' };
const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const MEMBER = { object: 'quality_event__qdm', recordId: 'OP4000001', userId: 100101, role: 'qa__c' };

describe.each(['redirect302', 'redirect307'] as const)('a %s to another host is never followed', (kind) => {
	const vault = useSandbox();
	const status = kind === 'redirect302' ? 302 : 307;
	/** the error's words for a redirect to the second listener at `path`, its query left out */
	const namesTarget = (path: string) =>
		new RegExp(`answered with a redirect \\(HTTP ${status}\\) to ${escape(vault.sandbox.elsewhereUrl)}${escape(path)}(\\?…)?[;:,. ]`);

	async function armed(path: string, extra: Partial<FaultSpec> = {}) {
		await vault.sandbox.client.fault({ kind, match: { path }, ...extra });
	}

	/** nothing reached the other host; nothing the run shows holds a secret or the Location's query */
	async function expectNothingLeft(result: RunResult | { message: string }, secrets: string[] = []) {
		expect(await vault.sandbox.client.elsewhere()).toEqual([]);
		const visible = 'run' in result ? everythingVisible(result) : result.message;
		for (const secret of [DEMO_USER.password, REDIRECT_RELAY_STATE, ...secrets]) expect(visible).not.toContain(secret);
	}

	const sessionsUsed = async () => [...new Set((await vault.sandbox.client.log()).map((entry) => entry.sessionId).filter((id): id is string => Boolean(id)))];

	it('on the password login (/auth): the run stops, saying the password went nowhere else', async () => {
		await armed('/auth');
		const result = await vault.harness.run({ items: [{}], parameters: JOB_STATUS });
		expect(result.error?.message).toMatch(namesTarget('/api/v25.3/auth'));
		expect(result.error?.message).toMatch(/^The login at 127\.0\.0\.1:\d+ was answered with a redirect .*the password was not sent there.*check the Vault DNS/);
		await expectNothingLeft(result);
		// nothing but the one login was sent, to the Vault
		expect((await vault.sandbox.client.log()).map((entry) => entry.path)).toEqual(['/api/v25.3/auth']);
	});

	it('on the OAuth exchange (/auth/oauth/session/…): the access token goes nowhere else', async () => {
		const { oauth } = SANDBOX_USERS;
		vault.harness.credentials.add(
			passwordCredential(vault.sandbox, { authentication: 'oauth', oauthLoginHost: vault.sandbox.url, oauthProfileId: oauth.profileId, accessToken: oauth.accessToken }, 'oauth'),
		);
		await armed('/auth/oauth/session/');
		const result = await vault.harness.run({ items: [{}], parameters: JOB_STATUS, credentialId: 'oauth' });
		expect(result.error?.message).toMatch(namesTarget(`/auth/oauth/session/${oauth.profileId}`));
		expect(result.error?.message).toMatch(/the access token was not sent there.*check the OAuth Login Host/);
		await expectNothingLeft(result, [oauth.accessToken]);
	});

	it('on a bulk submission (a Manage REMOVE batch): the rows and the session go nowhere else, and nobody is removed', async () => {
		await vault.sandbox.client.seed({ teamMembers: [MEMBER] });
		await armed('manageassignments');
		const items: IDataObject[] = [{ record_id: MEMBER.recordId, user_id: MEMBER.userId, application_role: MEMBER.role, operation: 'REMOVE' }];
		const result = await vault.harness.run({ items, parameters: { ...MANAGE, options: { maxAttempts: 3, retryWaitSeconds: 0.01 } } });
		expect(result.error?.message).toMatch(namesTarget('/api/v25.3/app/quality/qms/teams/vobjects/quality_event__qdm/actions/manageassignments'));
		expect(result.error?.message).toMatch(/the node does not follow redirects/);
		expect(everythingVisible(result)).not.toMatch(/job 777|"jobId":"777"/);
		await expectNothingLeft(result, await sessionsUsed());
		// a redirect is not sent again: it would meet the same redirect
		expect((await vault.sandbox.client.log()).filter((entry) => entry.path.endsWith('manageassignments'))).toHaveLength(1);
		expect((await vault.sandbox.client.state()).teams.quality_event__qdm?.[MEMBER.recordId]).toEqual([{ user_id: MEMBER.userId, application_role: MEMBER.role }]);
	});

	it('on a query (VQL Run Query, /query)', async () => {
		await armed('/query');
		const result = await vault.harness.run({ items: [{}], parameters: RUN_QUERY });
		expect(result.error?.message).toMatch(namesTarget('/api/v25.3/query'));
		expect(result.outputs).toEqual([]);
		await expectNothingLeft(result, await sessionsUsed());
	});

	it("on the credential test's login: the test fails, naming the target, and never says \"Connection successful\"", async () => {
		await armed('/auth');
		const tested = await vault.harness.testCredential('cred-1');
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(namesTarget('/api/v25.3/auth'));
		expect(tested.message).toMatch(/the password was not sent there/);
		expect(tested.message).not.toMatch(/Connection successful/);
		await expectNothingLeft(tested);
	});

	it("on the credential test's Validate Session User: the session goes nowhere else, and the test still ends its session", async () => {
		await armed('/objects/users/me');
		const tested = await vault.harness.testCredential('cred-1');
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(namesTarget('/api/v25.3/objects/users/me'));
		expect(tested.message).not.toMatch(/Connection successful/);
		const sessions = await sessionsUsed();
		expect(sessions).toHaveLength(1);
		await expectNothingLeft(tested, sessions);
		// End Session still went to the Vault: the test leaves no session behind
		expect((await vault.sandbox.client.log()).map((entry) => `${entry.method} ${entry.path}`)).toEqual([
			'POST /api/v25.3/auth',
			'GET /api/v25.3/objects/users/me',
			'DELETE /api/v25.3/session',
		]);
	});
});

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
