import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { parseJsonObject } from '../transport/answer';
import { Deadline } from '../transport/deadline';
import { receive, safeRequestOptions } from '../transport/exchange';
import { LOGIN_DEADLINE_MS } from '../transport/login';
import { vaultFormOf } from '../transport/oauth2Session';
import { redactSecrets } from '../transport/secrets';
import { tryUrl } from '../transport/vaultAddress';
import { legacyHttp, veevaVaultApiTest } from './credentialTest';

/**
 * "Test credential" of the OAuth2 credential: the token n8n holds (for client credentials without
 * one yet, a token fetched for the test alone), exchanged at Vault's OAuth endpoint for a fresh
 * session, Validate Session User on it, then End Session: the same steps as the other credential's
 * OAuth mode (credentialTest.ts). A test has no way to renew a stored token: a refused one is said so.
 */
export async function veevaVaultOAuth2ApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const form = vaultFormOf(data);
	if (form.accessToken === '' && data.grantType === 'clientCredentials') {
		const fetched = await clientCredentialsToken(this, data).catch((error: Error) => error);
		if (fetched instanceof Error)
			return {
				status: 'Error',
				message: redactSecrets(
					fetched.message,
					[String(data.clientSecret ?? '')].filter((secret) => secret.length >= 4),
				),
			};
		form.accessToken = fetched;
	}
	if (form.accessToken === '') {
		return {
			status: 'Error',
			message:
				'Not connected yet: click "Connect my account" to sign in at the identity provider, then test again.',
		};
	}
	return await veevaVaultApiTest.call(this, {
		...credential,
		data: { ...form, authentication: 'oauth' },
	});
}

/**
 * A client credentials grant at the Access Token URL (RFC 6749, 4.4), the client authenticated as
 * the credential's "Authentication" says (HTTP Basic, or in the body), with no redirect followed.
 * The token serves this test only; n8n fetches and stores its own when the node first runs.
 */
async function clientCredentialsToken(
	fx: ICredentialTestFunctions,
	data: ICredentialDataDecryptedObject,
): Promise<string> {
	const url = String(data.accessTokenUrl ?? '');
	const host = tryUrl(url)?.host;
	if (!host || !/^https?:$/.test(tryUrl(url)?.protocol ?? ''))
		throw new Error(`The Access Token URL "${url}" is not an http(s) address.`);
	const form = new URLSearchParams({
		grant_type: 'client_credentials',
		...(data.scope ? { scope: String(data.scope) } : {}),
	});
	const headers: Record<string, string> = {
		'Content-Type': 'application/x-www-form-urlencoded',
		Accept: 'application/json',
	};
	if (data.authentication === 'body') {
		form.set('client_id', String(data.clientId ?? ''));
		form.set('client_secret', String(data.clientSecret ?? ''));
	} else {
		headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(String(data.clientId ?? ''))}:${encodeURIComponent(String(data.clientSecret ?? ''))}`).toString('base64')}`;
	}
	const deadline = new Deadline(LOGIN_DEADLINE_MS);
	const answer = await deadline
		.race(
			legacyHttp(fx).helpers.httpRequest(
				safeRequestOptions(
					{ method: 'POST', url, headers, body: form.toString() },
					deadline,
					'now',
				),
			),
		)
		.then(async (sent) => await receive(sent, deadline, url))
		.catch((error: Error) => {
			throw new Error(
				`The identity provider at ${host} did not give an access token (${error.message}): check the Access Token URL.`,
			);
		});
	const body = parseJsonObject(answer.body);
	if (
		answer.statusCode === 200 &&
		typeof body?.access_token === 'string' &&
		body.access_token !== ''
	)
		return body.access_token;
	const said = body?.error
		? `${String(body.error)}${body.error_description ? `: ${String(body.error_description)}` : ''}`
		: `HTTP ${answer.statusCode}`;
	throw new Error(
		`The identity provider at ${host} refused the client credentials (${said}): check the Client ID, Client Secret and Access Token URL.`,
	);
}
