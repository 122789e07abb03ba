import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { Deadline } from './deadline';
import { receive, safeRequestOptions, type RawAnswer } from './exchange';
import { ExchangeError } from './exchangeErrors';
import { errorCode, plainHttpAnswer, VaultLoginError } from './errors';
import { parseLoginAnswer, sessionOf } from './loginAnswer';
import { redactSecrets, secretsOf } from './secrets';
import { checkAllowedDomain } from './sessionBinding';
import {
	checkApiVersion,
	checkClientId,
	parseVaultAddress,
	tryUrl,
	VaultConfigError,
	type VaultAddress,
} from './vaultAddress';

/**
 * The login flow: Vault's /auth with user name and password, the OAuth/OIDC session exchange, or a
 * session id typed into the credential; checked to be a session for the Vault asked for. Sharing
 * logins and sessions between executions is sessions.ts's; reading the login's answer is
 * loginAnswer.ts's.
 */

/** 'oauth2': the OAuth2 credential, whose access token n8n adds to the exchange itself (oauth2Session.ts) */
export type VaultAuthType = 'password' | 'sessionId' | 'oauth' | 'oauth2';

/**
 * A login's own wall-clock deadline, whatever the run's request timeout: Vault delays /auth answers
 * from half its login burst limit on (VAULT-API.md, "Login limits"), and a login stands before
 * every request of a run. "Test credential" gives its other calls the same.
 */
export const LOGIN_DEADLINE_MS = 60_000;

/** Veeva's OAuth login host (Veeva API reference, "OAuth 2.0 / OpenID Connect": POST https://login.veevavault.com/auth/oauth/session/{profile_id}). */
export const VEEVA_OAUTH_LOGIN_HOST = 'login.veevavault.com';

/**
 * One login as the credential says: the session, or a VaultLoginError in words an admin can act on
 * (never a secret). A session for another Vault is refused. Shared between callers by sessions.ts.
 */
export async function loginOnce(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ sessionId: string }> {
	const secrets = secretsOf(credentials);
	const outcome = await login(helper, credentials).then(
		(session) => ({ session }),
		(error: unknown) => ({ error }),
	);
	if ('session' in outcome) return outcome.session;
	const { error } = outcome;
	const message =
		error instanceof VaultLoginError || error instanceof VaultConfigError
			? error.message
			: `Vault login failed: ${(error as Error)?.message}`;
	throw new VaultLoginError(redactSecrets(message, secrets), (error as VaultLoginError)?.errorType);
}

async function login(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
	const address = parseVaultAddress(credentials.vaultDns);
	const version = checkApiVersion(credentials.apiVersion);
	const clientId = checkClientId(credentials.clientId);
	const authType = (credentials.authentication ?? 'password') as VaultAuthType;
	checkAllowedDomain(credentials, address.origin);

	if (authType === 'sessionId') {
		const sessionId = String(credentials.sessionToken ?? '').trim();
		if (sessionId === '') {
			throw new VaultLoginError(
				'The credential uses "Session ID" authentication but no session id was entered.',
			);
		}
		return { sessionId };
	}
	const request = loginRequest(credentials, address, version, authType);
	const response = await sendLogin(helper, request, clientId, authType);
	const answer = parseLoginAnswer(response.statusCode, response.body, address.host);
	return {
		sessionId: sessionOf(answer, address.host, authType === 'oauth' || authType === 'oauth2'),
	};
}

/** Where a login goes and what it sends beside the form and the client id. */
interface LoginRequest {
	url: string;
	form: Record<string, string>;
	headers: IDataObject;
}

/** Vault's /auth with user name and password, or the OAuth/OIDC session exchange at its login host. */
function loginRequest(
	credentials: ICredentialDataDecryptedObject,
	address: VaultAddress,
	version: string,
	authType: VaultAuthType,
): LoginRequest {
	if (authType !== 'oauth' && authType !== 'oauth2')
		return {
			url: `${address.origin}/api/${version}/auth`,
			form: {
				username: String(credentials.username ?? ''),
				password: String(credentials.password ?? ''),
				vaultDNS: address.host,
			},
			headers: {},
		};
	const loginHost = checkOauthLoginHost(credentials, address.host);
	checkAllowedDomain(credentials, loginHost.origin);
	const profileId = String(credentials.oauthProfileId ?? '').trim();
	if (!/^[A-Za-z0-9._-]+$/.test(profileId)) {
		throw new VaultLoginError(
			'OAuth/OIDC Profile ID is empty or holds characters other than letters, digits, ".", "_" and "-".',
		);
	}
	const accessToken = String(credentials.accessToken ?? '').trim();
	if (accessToken === '' && authType === 'oauth')
		throw new VaultLoginError('The OAuth access token is empty.');
	// The form's optional client_id is the OAuth client application's id at the authorization
	// server, which Vault uses to introspect the token (Veeva API reference, "OAuth 2.0 / OpenID
	// Connect"); the Vault API client id travels only in X-VaultAPI-ClientID. VAPIL keeps the
	// two apart too (vaultOAuthClientId).
	const oauthClientId = String(credentials.oauthClientId ?? '').trim();
	return {
		url: `${loginHost.origin}/auth/oauth/session/${profileId}`,
		form: {
			vaultDNS: address.host,
			...(oauthClientId === '' ? {} : { client_id: oauthClientId }),
		},
		headers: authType === 'oauth' ? { Authorization: `Bearer ${accessToken}` } : {},
	};
}

/** The login sent as exchange.ts sends every request: no redirect followed (a password or token must reach no other host), a deadline, a size cap. */
async function sendLogin(
	helper: IHttpRequestHelper,
	{ url, form, headers }: LoginRequest,
	clientId: string,
	authType: VaultAuthType,
) {
	const deadline = new Deadline(LOGIN_DEADLINE_MS);
	const options = safeRequestOptions(
		{
			method: 'POST',
			url,
			headers: {
				Accept: 'application/json',
				'X-VaultAPI-ClientID': clientId,
				...headers,
				'Content-Type': 'application/x-www-form-urlencoded',
			},
			body: new URLSearchParams(form).toString(),
		},
		deadline,
		'now',
	);
	return await deadline
		.race(helper.helpers.httpRequest(options) as Promise<RawAnswer>)
		.then(async (sent) => await receive(sent, deadline, url))
		.catch((error: unknown) => {
			throw error instanceof ExchangeError
				? loginExchangeFailure(error, url, authType)
				: unreachable(error, url);
		});
}

/**
 * The access token may be exchanged only at Veeva's login host or the Vault's own host, unless the
 * user explicitly allows another (an identity set-up Veeva documents elsewhere, a test Vault):
 * a token must not be handed to a host typed by mistake.
 */
function checkOauthLoginHost(credentials: ICredentialDataDecryptedObject, vaultHost: string) {
	const loginHost = parseVaultAddress(
		credentials.oauthLoginHost || VEEVA_OAUTH_LOGIN_HOST,
		'OAuth Login Host',
	);
	if (credentials.allowAnyOauthLoginHost === true) return loginHost;
	if (loginHost.host === VEEVA_OAUTH_LOGIN_HOST || loginHost.host === vaultHost) return loginHost;
	throw new VaultConfigError(
		`OAuth Login Host ${loginHost.host} is neither Veeva's login host (${VEEVA_OAUTH_LOGIN_HOST}) nor this Vault (${vaultHost}); the access token was not sent. Correct it, or turn on "Allow Any OAuth Login Host" if your Vault really uses another.`,
	);
}

const UNREACHABLE = new Set([
	'ENOTFOUND',
	'EAI_AGAIN',
	'ECONNREFUSED',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
]);

/** A login that reached no server says which host it tried, in the test and in a run alike. */
function unreachable(error: unknown, url: string): unknown {
	const code = errorCode(error);
	const host = tryUrl(url)?.host ?? url;
	const plainHttp = plainHttpAnswer(host, error);
	if (plainHttp) return new VaultLoginError(plainHttp, 'NOT_HTTPS');
	if (!UNREACHABLE.has(code)) return error;
	return new VaultLoginError(
		`Could not reach ${host} to log in (${code}): check the Vault DNS${/\/auth\/oauth\//.test(url) ? ' and the OAuth Login Host' : ''} and the network. Nothing was sent.`,
		code,
	);
}

/** A login refused before its answer could be read: said so, with what was (not) sent where. */
function loginExchangeFailure(
	error: ExchangeError,
	url: string,
	authType: VaultAuthType,
): VaultLoginError {
	const host = tryUrl(url)?.host ?? url;
	const oauth = authType === 'oauth' || authType === 'oauth2';
	const fix = oauth ? 'check the OAuth Login Host' : 'check the Vault DNS';
	switch (error.reason) {
		case 'redirect':
			return new VaultLoginError(
				`The login at ${host} was ${error.message}; the node does not follow redirects, so ${oauth ? 'the access token' : 'the password'} was not sent there (nothing reached ${error.details.targetHost}): ${fix}.`,
			);
		case 'deadline':
			return new VaultLoginError(
				`The login at ${host} did not answer in time (within ${LOGIN_DEADLINE_MS / 1000} s): ${fix} and the network, then try again.`,
			);
		case 'tooLarge':
			return new VaultLoginError(
				`The login at ${host} ${error.message} (a Vault login answer is a few hundred bytes): ${fix}.`,
			);
	}
}
