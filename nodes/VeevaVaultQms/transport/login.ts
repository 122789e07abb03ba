import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { Deadline } from './deadline';
import { receive, safeRequestOptions, type RawAnswer } from './exchange';
import { ExchangeError } from './exchangeErrors';
import { parseJsonObject } from './answer';
import { errorCode, plainHttpAnswer, vaultErrors } from './errors';
import { redactSecrets, secretsOf } from './secrets';
import { checkAllowedDomain } from './sessionBinding';
import {
	checkApiVersion,
	checkClientId,
	parseVaultAddress,
	sameVaultHost,
	tryUrl,
	VaultConfigError,
} from './vaultAddress';

/**
 * The login flow: Vault's /auth with user name and password, the OAuth/OIDC session exchange, or a
 * session id typed into the credential; checked to be a session for the Vault asked for. Sharing
 * logins and sessions between executions is sessions.ts's.
 */

/** A login that did not give a usable session for the Vault asked for. Message is for the user. */
export class VaultLoginError extends Error {
	constructor(
		message: string,
		readonly errorType?: string,
	) {
		super(message);
		this.name = 'VaultLoginError';
	}
}

const LOGIN_FAILURES: Record<string, string> = {
	USERNAME_OR_PASSWORD_INCORRECT:
		'Vault refused the login: the user name or password is wrong. Check both in the credential (the password is case-sensitive).',
	NO_PASSWORD_PROVIDED:
		'Vault refused the login: no password was given. Enter the password in the credential.',
	USER_LOCKED_OUT:
		'Vault refused the login: this user is locked out after too many failed logins. A Vault admin must unlock the user, or wait for the lockout to end.',
	PASSWORD_CHANGE_REQUIRED:
		'Vault refused the login: this user must change their password first. Log in to Vault in a browser, change it, then update the credential.',
	INACTIVE_USER:
		'Vault refused the login: this user is inactive in Vault. A Vault admin must reactivate the user, or use another integration user.',
	API_LIMIT_EXCEEDED:
		"Vault refused the login: too many logins for this user and Vault in the last minute (Vault's login burst limit). Wait a minute and run again; the node reuses its session, so this clears once a login succeeds.",
	INSUFFICIENT_ACCESS: 'Vault refused the login: this user has no API access to the Vault.',
	INVALID_SESSION_ID:
		'Vault refused the login: the OAuth access token or the OAuth/OIDC profile was not accepted. Get a fresh access token and check the profile id.',
};

interface LoginAnswer {
	responseStatus?: string;
	sessionId?: string;
	vaultId?: number | string;
	vaultIds?: Array<{ id?: number | string; name?: string; url?: string }>;
	errors?: Array<{ type?: string; message?: string }>;
}

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

	let url: string;
	let form: Record<string, string>;
	const headers: IDataObject = { Accept: 'application/json', 'X-VaultAPI-ClientID': clientId };
	if (authType === 'oauth' || authType === 'oauth2') {
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
		url = `${loginHost.origin}/auth/oauth/session/${profileId}`;
		// The form's optional client_id is the OAuth client application's id at the authorization
		// server, which Vault uses to introspect the token (Veeva API reference, "OAuth 2.0 / OpenID
		// Connect"); the Vault API client id travels only in X-VaultAPI-ClientID. VAPIL keeps the
		// two apart too (vaultOAuthClientId).
		const oauthClientId = String(credentials.oauthClientId ?? '').trim();
		form = {
			vaultDNS: address.host,
			...(oauthClientId === '' ? {} : { client_id: oauthClientId }),
		};
		if (authType === 'oauth') headers.Authorization = `Bearer ${accessToken}`;
	} else {
		url = `${address.origin}/api/${version}/auth`;
		form = {
			username: String(credentials.username ?? ''),
			password: String(credentials.password ?? ''),
			vaultDNS: address.host,
		};
	}

	// exchange.ts: no redirect followed (a password or token must reach no other host), a deadline, a size cap
	const deadline = new Deadline(LOGIN_DEADLINE_MS);
	const options = safeRequestOptions(
		{
			method: 'POST',
			url,
			headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(form).toString(),
		},
		deadline,
		'now',
	);
	const response = await deadline
		.race(helper.helpers.httpRequest(options) as Promise<RawAnswer>)
		.then(async (sent) => await receive(sent, deadline, url))
		.catch((error: unknown) => {
			throw error instanceof ExchangeError
				? loginExchangeFailure(error, url, authType)
				: unreachable(error, url);
		});

	const answer = parseLoginAnswer(response.statusCode, response.body, address.host);
	if (answer.responseStatus !== 'SUCCESS') {
		const first = vaultErrors(answer.errors)[0];
		const type = first?.type ?? 'UNKNOWN';
		// a refused token is answered like a refused password (the page documents no OAuth failure): said as a token problem
		const tokenRefused =
			(authType === 'oauth' || authType === 'oauth2') && type === 'USERNAME_OR_PASSWORD_INCORRECT';
		const known = LOGIN_FAILURES[tokenRefused ? 'INVALID_SESSION_ID' : type];
		throw new VaultLoginError(
			known ?? `Vault refused the login (${type}): ${first?.message ?? 'no reason given'}`,
			type,
		);
	}
	if (typeof answer.sessionId !== 'string' || answer.sessionId === '') {
		throw new VaultLoginError('Vault answered the login with SUCCESS but without a session id.');
	}
	checkSessionVault(answer, address.host);
	return { sessionId: answer.sessionId };
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

function parseLoginAnswer(statusCode: number, body: unknown, host: string): LoginAnswer {
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
	if (statusCode !== 200) {
		throw new VaultLoginError(
			`Vault login at ${host} failed with HTTP ${statusCode}: something between n8n and Vault (a proxy, the network or a Vault outage) answered instead of Vault. Try again later.`,
			`HTTP_${statusCode}`,
		);
	}
	const parsed = parseJsonObject(text) as LoginAnswer | undefined;
	if (parsed) return parsed;
	throw new VaultLoginError(
		`Vault login at ${host} got an answer that is not Vault's JSON (a web page from a proxy or sign-in portal?). Check the Vault DNS.`,
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

/** Vault's silent fallback: a login "succeeds" into another Vault when the user lacks access. */
function checkSessionVault(answer: LoginAnswer, expectedHost: string) {
	const vaults = Array.isArray(answer.vaultIds) ? answer.vaultIds : [];
	const sessionVault = vaults.find((vault) => String(vault.id) === String(answer.vaultId));
	if (sessionVault && sameVaultHost(sessionVault.url, expectedHost)) return;
	const landedIn = sessionVault
		? `"${sessionVault.name ?? sessionVault.id}" (${hostOf(sessionVault.url)})`
		: `Vault id ${String(answer.vaultId)}, whose address Vault did not list`;
	throw new VaultLoginError(
		`Vault logged this user in to ${landedIn} instead of ${expectedHost}: the user has no access to ${expectedHost}, and Vault fell back to another Vault. Nothing was sent. Give the user access to ${expectedHost}, or correct the Vault DNS.`,
		'WRONG_VAULT',
	);
}

function hostOf(url: unknown): string {
	return tryUrl(String(url))?.host ?? String(url);
}
