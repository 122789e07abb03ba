/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { createHash, randomBytes } from 'node:crypto';

import { ClientOAuth2 } from '@n8n/client-oauth2';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { SANDBOX_OAUTH_CLIENT, SANDBOX_USERS, type RunningSandbox } from '../sandbox';
import type { Harness } from './engine';

/**
 * The Veeva Vault OAuth2 credential against the sandbox's identity provider and Vault, and its
 * "Connect my account": n8n's own OAuth2 client (@n8n/client-oauth2, which n8n's OAuth service uses
 * for the callback) through the authorization-code flow with PKCE, the browser's redirect followed
 * by hand, the token data stored on the credential as n8n's callback stores it.
 */
export function oauth2Credential(sandbox: RunningSandbox, data: ICredentialDataDecryptedObject = {}, id = 'oauth-1') {
	return {
		id,
		name: 'Sandbox Vault OAuth2',
		type: 'veevaVaultOAuth2Api',
		data: {
			grantType: 'pkce',
			authUrl: `${sandbox.url}/oauth2/authorize`,
			accessTokenUrl: `${sandbox.url}/oauth2/token`,
			clientId: SANDBOX_OAUTH_CLIENT.clientId,
			clientSecret: SANDBOX_OAUTH_CLIENT.clientSecret,
			scope: 'openid offline_access',
			authentication: 'header',
			vaultDns: sandbox.url,
			apiVersion: 'v25.3',
			vaultClientId: 'n8n-nodes-veeva-vault-qms',
			oauthProfileId: SANDBOX_USERS.oauth.profileId,
			oauthLoginHost: sandbox.url,
			...data,
		} as ICredentialDataDecryptedObject,
	};
}

const REDIRECT_URI = 'http://localhost:5678/rest/oauth2-credential/callback';

/** "Connect my account" for a stored OAuth2 credential: the code flow with PKCE; the token data is stored on it. */
export async function connectWithPkce(harness: Harness, credentialId: string): Promise<void> {
	const stored = harness.credentials.store.get(credentialId);
	if (!stored) throw new Error(`No credential ${credentialId}`);
	const data = stored.data;
	const verifier = randomBytes(32).toString('base64url');
	const client = new ClientOAuth2({
		clientId: String(data.clientId),
		clientSecret: String(data.clientSecret),
		accessTokenUri: String(data.accessTokenUrl),
		authorizationUri: String(data.authUrl),
		redirectUri: REDIRECT_URI,
		scopes: String(data.scope).split(' '),
		state: 'harness-state',
		authentication: 'header',
		query: { code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' },
	});
	const approval = await fetch(client.code.getUri(), { redirect: 'manual' });
	const callback = approval.headers.get('location');
	if (approval.status !== 302 || !callback) throw new Error(`The sandbox identity provider did not redirect back: HTTP ${approval.status}`);
	const token = await client.code.getToken(callback, { body: { code_verifier: verifier } });
	stored.data = { ...stored.data, oauthTokenData: token.data };
}
