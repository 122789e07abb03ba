import type { ICredentialDataDecryptedObject, INodeListSearchResult } from 'n8n-workflow';

import { callEditorMethod } from '../harness/editor';
import { createHarness } from '../harness/engine';
import { everythingVisible, useSandbox } from '../harness/fixtures';
import { connectWithPkce, oauth2Credential } from '../harness/oauth2';
import { SANDBOX_OAUTH_CLIENT } from '../sandbox';

const JOB_STATUS = { resource: 'job', operation: 'getStatus', jobId: '1' };
const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const memberItems = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ record_id: `OP${4000001 + (i % 50)}`, user_id: 100001 + i, application_role: 'qa__c', operation: 'ADD' }));

describe('Veeva Vault OAuth2 credential: n8n obtains and renews the token, the node exchanges it for a Vault session', () => {
	const vault = useSandbox();

	/** a harness holding only the OAuth2 credential, connected (PKCE) unless the grant is client credentials */
	async function oauthHarness(data: ICredentialDataDecryptedObject = {}) {
		const harness = createHarness([oauth2Credential(vault.sandbox, data)]);
		if (data.grantType !== 'clientCredentials') await connectWithPkce(harness, 'oauth-1');
		await vault.sandbox.client.clearLog();
		return harness;
	}
	const exchanges = async () => (await vault.sandbox.client.log()).filter((entry) => entry.path.startsWith('/auth/oauth/session/'));
	const storedToken = (harness: ReturnType<typeof createHarness>) =>
		(harness.credentials.store.get('oauth-1')?.data.oauthTokenData as { access_token?: string } | undefined)?.access_token;

	it('exchanges the connected token once and sends Vault the session, never the token', async () => {
		const harness = await oauthHarness();
		const result = await harness.run({ items: [{}, {}], parameters: JOB_STATUS, onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		expect((await exchanges()).map((entry) => entry.responseStatus)).toEqual(['SUCCESS']);
		const { issuedAccessTokens } = await vault.sandbox.client.oauth();
		const apiCalls = (await vault.sandbox.client.log()).filter((entry) => entry.path.startsWith('/api/'));
		expect(apiCalls.length).toBeGreaterThan(0);
		expect(apiCalls.every((entry) => typeof entry.sessionId === 'string' && !issuedAccessTokens.includes(entry.sessionId))).toBe(true);
		expect(apiCalls.every((entry) => entry.clientId === 'n8n-nodes-veeva-vault-qms')).toBe(true);
		expect(everythingVisible(result)).not.toContain(issuedAccessTokens[0]);
	});

	it('client credentials: n8n fetches the first token itself, no browser step', async () => {
		const harness = await oauthHarness({ grantType: 'clientCredentials' });
		const result = await harness.run({ items: [{}], parameters: JOB_STATUS, onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		expect((await vault.sandbox.client.oauth()).grants).toEqual([{ grantType: 'client_credentials', outcome: 'issued' }]);
		expect((await exchanges()).map((entry) => entry.responseStatus)).toEqual(['SUCCESS']);
		expect(storedToken(harness)).toMatch(/^idp-at-/);
	});

	it('client credentials refused by the identity provider: the run says n8n got no token, and sends Vault nothing', async () => {
		const harness = await oauthHarness({ grantType: 'clientCredentials', clientSecret: 'not-the-secret' });
		const result = await harness.run({ items: [{}], parameters: JOB_STATUS });
		expect(result.error?.message).toMatch(/n8n could not add an access token from the identity provider to the Vault exchange/);
		expect(result.error?.message).toMatch(/Access Token URL, Client ID and Client Secret/);
		expect(everythingVisible(result)).not.toContain('not-the-secret');
		expect(await exchanges()).toEqual([]);
	});

	it('survives the token expiring mid-run: one renewal, one new session, every batch sent once', async () => {
		const harness = await oauthHarness();
		const firstToken = storedToken(harness);
		// between batch 2 and 3, "an hour passes": Vault ends the session and the identity provider's token expires
		await vault.sandbox.client.fault({ kind: 'invalidSession', match: { path: 'manageassignments' }, skip: 2, expireAccessTokens: true });
		const result = await harness.run({ items: memberItems(1201), parameters: MANAGE });
		expect(result.error).toBeUndefined();
		const log = await vault.sandbox.client.log();
		const accepted = log.filter((entry) => entry.path.includes('manageassignments') && entry.responseStatus === 'SUCCESS');
		expect(accepted).toHaveLength(3);
		expect(new Set(accepted.map((entry) => entry.body)).size).toBe(3);
		// the exchange with the expired token is refused, n8n renews it with the refresh token, the new one is exchanged once
		expect((await exchanges()).map((entry) => entry.responseStatus)).toEqual(['SUCCESS', 'FAILURE', 'SUCCESS']);
		expect((await vault.sandbox.client.oauth()).grants.map((grant) => grant.grantType)).toEqual(['authorization_code', 'refresh_token']);
		expect(storedToken(harness)).not.toBe(firstToken);
		expect(accepted[2].sessionId).not.toBe(accepted[0].sessionId);
		// neither token reached Vault's API or another host
		const { issuedAccessTokens } = await vault.sandbox.client.oauth();
		expect(issuedAccessTokens).toHaveLength(2);
		expect(log.filter((entry) => entry.path.startsWith('/api/') && issuedAccessTokens.includes(String(entry.sessionId)))).toEqual([]);
		expect(await vault.sandbox.client.elsewhere()).toEqual([]);
	});

	it("sends the Client ID as the exchange's client_id only when asked to, and the Vault API client id as the header", async () => {
		await (await oauthHarness({ vaultClientId: 'acme-qms' })).run({ items: [{}], parameters: JOB_STATUS, onError: 'continueRegularOutput' });
		const [withoutClientId] = await exchanges();
		expect(withoutClientId.clientId).toBe('acme-qms');
		expect(withoutClientId.oauthClientId).toBeUndefined();
		await vault.sandbox.client.reset();
		await (await oauthHarness({ sendClientIdToVault: true })).run({ items: [{}], parameters: JOB_STATUS, onError: 'continueRegularOutput' });
		const [withClientId] = await exchanges();
		expect(withClientId).toMatchObject({ oauthClientId: SANDBOX_OAUTH_CLIENT.clientId, clientId: 'n8n-nodes-veeva-vault-qms' });
	});

	it("fills the editor's pickers through the OAuth2 credential too", async () => {
		const harness = await oauthHarness();
		const list = await callEditorMethod<INodeListSearchResult>(harness, 'listSearch', 'searchTeamObjects', { resource: 'qualityTeam', operation: 'manageAssignments' });
		expect(list.results.map((entry) => entry.value)).toContain('quality_event__qdm');
		expect((await exchanges()).map((entry) => entry.responseStatus)).toEqual(['SUCCESS']);
	});

	it('says in words an admin understands when the identity provider refuses to renew the token', async () => {
		const harness = await oauthHarness();
		await vault.sandbox.client.settings({ oauthRefreshFails: true });
		await vault.sandbox.client.expireAccessTokens();
		const result = await harness.run({ items: memberItems(3), parameters: MANAGE });
		expect(result.error?.message).toMatch(/identity provider refused to renew it \(invalid_grant/);
		expect(result.error?.message).toMatch(/open the credential "Sandbox Vault OAuth2" and connect it again/);
		expect((await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'))).toEqual([]);
		const { issuedAccessTokens } = await vault.sandbox.client.oauth();
		const visible = everythingVisible(result);
		for (const token of issuedAccessTokens) expect(visible).not.toContain(token);
		expect(visible).not.toContain(String(harness.credentials.store.get('oauth-1')?.data.clientSecret));
	});

	it('sends the token to no other host: a redirect from the exchange is refused and nothing reaches it', async () => {
		const harness = await oauthHarness();
		await vault.sandbox.client.fault({ kind: 'redirect307', match: { path: '/auth/oauth/session/' } });
		const result = await harness.run({ items: [{}], parameters: JOB_STATUS });
		expect(result.error?.message).toMatch(/does not follow redirects, so the access token was not sent there/);
		expect(await vault.sandbox.client.elsewhere()).toEqual([]);
		expect((await vault.sandbox.client.log()).filter((entry) => entry.path.startsWith('/api/'))).toEqual([]);
	});

	it('refuses an OAuth Login Host other than Veeva\'s or the Vault\'s own before the token leaves n8n', async () => {
		const harness = await oauthHarness({ oauthLoginHost: vault.sandbox.elsewhereUrl });
		const result = await harness.run({ items: [{}], parameters: JOB_STATUS });
		expect(result.error?.message).toMatch(/the access token was not sent/);
		expect(await vault.sandbox.client.elsewhere()).toEqual([]);
	});

	// n8n tests this credential by its own `test` request (credentials/oauth2TestRequest.ts): the harness
	// follows n8n's credentials tester, where an OAuth2 credential without one gets n8n's "is a token
	// stored" check, which the editor never passes (it sends the token redacted), and a node's testedBy is never called
	describe('Test credential: Vault\'s exchange with the token n8n holds', () => {
		const loginCalls = async () => (await vault.sandbox.client.log()).map((entry) => `${entry.method} ${entry.path} ${entry.responseStatus ?? entry.status}`);

		it('client credentials tested before any use: n8n fetches and stores the token, Vault accepts the exchange', async () => {
			const harness = await oauthHarness({ grantType: 'clientCredentials', sendClientIdToVault: true });
			expect(storedToken(harness)).toBeUndefined();
			expect(await harness.testCredential('oauth-1')).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect((await vault.sandbox.client.oauth()).grants).toEqual([{ grantType: 'client_credentials', outcome: 'issued' }]);
			expect(storedToken(harness)).toMatch(/^idp-at-/);
			expect(await loginCalls()).toEqual(['POST /oauth2/token 200', 'POST /auth/oauth/session/sandbox-oidc SUCCESS']);
			const [exchange] = await exchanges();
			expect(exchange).toMatchObject({ clientId: 'n8n-nodes-veeva-vault-qms', oauthClientId: SANDBOX_OAUTH_CLIENT.clientId });
			expect(exchange.body).toBe(`vaultDNS=${encodeURIComponent(new URL(vault.sandbox.url).host)}&client_id=${SANDBOX_OAUTH_CLIENT.clientId}`);
			// the first run uses the stored token: no second grant
			await harness.run({ items: [{}], parameters: JOB_STATUS, onError: 'continueRegularOutput' });
			expect((await exchanges()).map((entry) => entry.responseStatus)).toEqual(['SUCCESS', 'SUCCESS']);
			expect((await vault.sandbox.client.oauth()).grants).toHaveLength(1);
		});

		it('client credentials with a wrong secret: refused in words, the secret not in them, Vault sent nothing', async () => {
			const harness = await oauthHarness({ grantType: 'clientCredentials', clientSecret: 'not-the-secret' });
			const refused = await harness.testCredential('oauth-1');
			expect(refused).toEqual({ status: 'Error', message: expect.stringMatching(/OAuth2 access token: Client authentication failed/) });
			expect(refused.message).not.toContain('not-the-secret');
			expect(await exchanges()).toEqual([]);
			expect(storedToken(harness)).toBeUndefined();
		});

		it('PKCE connected: the stored token exchanged once, OK; the session is left for Vault to end', async () => {
			const harness = await oauthHarness();
			expect(await harness.testCredential('oauth-1')).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(await loginCalls()).toEqual(['POST /auth/oauth/session/sandbox-oidc SUCCESS']);
			expect((await vault.sandbox.client.oauth()).grants.map((grant) => grant.grantType)).toEqual(['authorization_code']);
		});

		it('PKCE not connected: says to connect, and nothing is sent anywhere', async () => {
			// no token data at all, or an empty one (what n8n 2.40.7 held for a credential never connected: its signer said "Unable to sign without access token")
			for (const data of [{}, { oauthTokenData: {} }] as ICredentialDataDecryptedObject[]) {
				const harness = createHarness([oauth2Credential(vault.sandbox, data)]);
				expect(await harness.testCredential('oauth-1')).toEqual({ status: 'Error', message: expect.stringMatching(/^Not connected yet: open the credential and click "Connect my account"/) });
			}
			expect(await loginCalls()).toEqual([]);
			expect(await vault.sandbox.client.elsewhere()).toEqual([]);
		});

		it("Vault refusing the token (expired, or a profile that does not trust it) is said with what a Vault admin checks", async () => {
			const expired = await oauthHarness();
			await vault.sandbox.client.expireAccessTokens();
			const refusal = await expired.testCredential('oauth-1');
			expect(refusal).toEqual({ status: 'Error', message: expect.stringMatching(/^Vault refused the access token the identity provider issued/) });
			expect(refusal.message).toMatch(/OAuth\/OIDC Profile ID .* User ID Type maps the token to an active Vault user .* Vault DNS/);
			expect(await loginCalls()).toEqual(['POST /auth/oauth/session/sandbox-oidc FAILURE']);
			const wrongProfile = await oauthHarness({ oauthProfileId: 'not-a-profile' });
			expect(await wrongProfile.testCredential('oauth-1')).toEqual(refusal);
			const visible = JSON.stringify(refusal);
			for (const token of (await vault.sandbox.client.oauth()).issuedAccessTokens) expect(visible).not.toContain(token);
		});

		it('an OAuth Login Host the node would refuse gets no token: not the host named, not any other', async () => {
			for (const oauthLoginHost of [vault.sandbox.elsewhereUrl, `${vault.sandbox.url}/path`, 'http://login.example.com']) {
				const harness = await oauthHarness({ grantType: 'clientCredentials', oauthLoginHost });
				expect(await harness.testCredential('oauth-1')).toEqual({ status: 'Error', message: 'ENOTFOUND' });
				expect(await exchanges()).toEqual([]);
			}
			expect(await vault.sandbox.client.elsewhere()).toEqual([]);
			// allowed on purpose, the same host gets it
			const allowed = await oauthHarness({ oauthLoginHost: vault.sandbox.elsewhereUrl, allowAnyOauthLoginHost: true });
			await allowed.testCredential('oauth-1');
			expect((await vault.sandbox.client.elsewhere()).map((request) => request.url)).toEqual(['/auth/oauth/session/sandbox-oidc']);
		});

		it("on n8n 2.41 (the test holds only the editor's data): client credentials still pass, a connected PKCE credential says why it cannot be tried", async () => {
			const clientCredentials = await oauthHarness({ grantType: 'clientCredentials' });
			expect(await clientCredentials.testCredential('oauth-1', '2.41')).toEqual({ status: 'OK', message: 'Connection successful!' });
			// tested again, the stored token reads `true`: n8n fetches another rather than sign with nothing
			expect(await clientCredentials.testCredential('oauth-1', '2.41')).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect((await exchanges()).map((entry) => entry.responseStatus)).toEqual(['SUCCESS', 'SUCCESS']);
			const pkce = await oauthHarness();
			expect(await pkce.testCredential('oauth-1', '2.41')).toEqual({ status: 'Error', message: expect.stringMatching(/^Connected, but this n8n version gives Test credential the stored token only as "connected"/) });
			expect(await pkce.testCredential('oauth-1', '2.40')).toEqual({ status: 'OK', message: 'Connection successful!' });
		});

		it('a redirect from the exchange is not followed: the token reaches no other host', async () => {
			const harness = await oauthHarness();
			await vault.sandbox.client.fault({ kind: 'redirect307', match: { path: '/auth/oauth/session/' } });
			expect(await harness.testCredential('oauth-1')).toEqual({ status: 'Error', message: expect.stringMatching(/Temporary Redirect|307/) });
			expect(await vault.sandbox.client.elsewhere()).toEqual([]);
		});
	});
});
