import { createHash } from 'node:crypto';

import { SANDBOX_OAUTH_CLIENT, SANDBOX_USERS, startSandbox, type RunningSandbox } from '../index';

/**
 * The sandbox's identity provider (RFC 6749 with RFC 7636 PKCE) and Vault's OAuth session endpoint
 * accepting what it issues: the authorization code's redirect, the three grants, expiry on demand,
 * and a refresh that fails when the setting says so.
 */
describe('sandbox identity provider and the Vault OAuth session endpoint', () => {
	let sandbox: RunningSandbox;
	const basic = `Basic ${Buffer.from(`${SANDBOX_OAUTH_CLIENT.clientId}:${SANDBOX_OAUTH_CLIENT.clientSecret}`).toString('base64')}`;
	const verifier = 'a-code-verifier-of-at-least-forty-three-characters-0123456789';
	const challenge = createHash('sha256').update(verifier).digest('base64url');

	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(async () => {
		await sandbox.client.reset();
	});

	const token = async (form: Record<string, string>, authorization: string | undefined = basic) => {
		const response = await fetch(`${sandbox.url}/oauth2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(authorization ? { Authorization: authorization } : {}) },
			body: new URLSearchParams(form),
		});
		return { status: response.status, json: (await response.json()) as Record<string, string> };
	};
	const codeFor = async (codeChallenge = challenge) => {
		const query = new URLSearchParams({ response_type: 'code', client_id: SANDBOX_OAUTH_CLIENT.clientId, redirect_uri: 'http://localhost:5678/cb', state: 's1', code_challenge: codeChallenge, code_challenge_method: 'S256' });
		const response = await fetch(`${sandbox.url}/oauth2/authorize?${query}`, { redirect: 'manual' });
		expect(response.status).toBe(302);
		const location = new URL(String(response.headers.get('location')));
		expect(location.searchParams.get('state')).toBe('s1');
		return String(location.searchParams.get('code'));
	};
	const exchange = async (accessToken: string) => {
		const response = await fetch(`${sandbox.url}/auth/oauth/session/${SANDBOX_USERS.oauth.profileId}`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ vaultDNS: sandbox.vaults[0].dns }),
		});
		return (await response.json()) as { responseStatus: string; sessionId?: string; errors?: Array<{ type: string }> };
	};

	it('authorization code with PKCE: a code for the redirect, a token for the right verifier only, once', async () => {
		const wrong = await token({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: 'http://localhost:5678/cb', code_verifier: 'not-it' });
		expect(wrong).toEqual({ status: 400, json: expect.objectContaining({ error: 'invalid_grant' }) });
		const code = await codeFor();
		const issued = await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:5678/cb', code_verifier: verifier });
		expect(issued.status).toBe(200);
		expect(issued.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, access_token: expect.stringMatching(/^idp-at-/), refresh_token: expect.stringMatching(/^idp-rt-/) });
		expect((await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:5678/cb', code_verifier: verifier })).json.error).toBe('invalid_grant');
		expect((await exchange(issued.json.access_token)).responseStatus).toBe('SUCCESS');
	});

	it('an expired token is refused by Vault until renewed; a failing refresh is invalid_grant', async () => {
		const issued = await token({ grant_type: 'authorization_code', code: await codeFor(), redirect_uri: 'http://localhost:5678/cb', code_verifier: verifier });
		await sandbox.client.expireAccessTokens();
		expect((await exchange(issued.json.access_token)).errors?.[0].type).toBe('USERNAME_OR_PASSWORD_INCORRECT');
		const renewed = await token({ grant_type: 'refresh_token', refresh_token: issued.json.refresh_token });
		expect((await exchange(renewed.json.access_token)).responseStatus).toBe('SUCCESS');
		await sandbox.client.settings({ oauthRefreshFails: true });
		expect(await token({ grant_type: 'refresh_token', refresh_token: issued.json.refresh_token })).toEqual({ status: 400, json: expect.objectContaining({ error: 'invalid_grant' }) });
		expect((await sandbox.client.oauth()).grants.map((grant) => `${grant.grantType} ${grant.outcome}`)).toEqual([
			'authorization_code issued',
			'refresh_token issued',
			'refresh_token invalid_grant',
		]);
	});

	it('client credentials needs the client secret and gives no refresh token', async () => {
		expect((await token({ grant_type: 'client_credentials' }, '')).status).toBe(401);
		const issued = await token({ grant_type: 'client_credentials', scope: 'openid' });
		expect(issued.json.refresh_token).toBeUndefined();
		expect((await exchange(issued.json.access_token)).responseStatus).toBe('SUCCESS');
		expect((await sandbox.client.log()).find((entry) => entry.path === '/oauth2/token')?.sessionId).toBeUndefined();
	});
});
