import { parseJsonObject } from './answer';
import { vaultErrors, VaultLoginError } from './errors';
import { sameVaultHost, tryUrl } from './vaultAddress';

/**
 * A login's answer read: Vault's JSON or why it is not, a refusal in words an admin can act on
 * (Veeva API reference, "Errors": the types a refused login answers with), and the session
 * checked to be for the Vault asked for. Apart from login.ts, which builds and sends the login.
 */

/** Vault's login refusals (errors[0].type), said so an admin knows what to change. */
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

/** What /auth and the OAuth session exchange answer (the fields read here). */
export interface LoginAnswer {
	responseStatus?: string;
	sessionId?: string;
	vaultId?: number | string;
	vaultIds?: Array<{ id?: number | string; name?: string; url?: string }>;
	errors?: Array<{ type?: string; message?: string }>;
}

/** The answer's JSON; an HTTP status other than 200, or a body that is not JSON, is said as what it likely is. */
export function parseLoginAnswer(statusCode: number, body: unknown, host: string): LoginAnswer {
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

/** The session of a login Vault accepted, for the Vault asked for; else why not, in an admin's words. */
export function sessionOf(answer: LoginAnswer, host: string, oauth: boolean): string {
	if (answer.responseStatus !== 'SUCCESS') {
		const first = vaultErrors(answer.errors)[0];
		const type = first?.type ?? 'UNKNOWN';
		// a refused token is answered like a refused password (the page documents no OAuth failure): said as a token problem
		const tokenRefused = oauth && type === 'USERNAME_OR_PASSWORD_INCORRECT';
		const known = LOGIN_FAILURES[tokenRefused ? 'INVALID_SESSION_ID' : type];
		throw new VaultLoginError(
			known ?? `Vault refused the login (${type}): ${first?.message ?? 'no reason given'}`,
			type,
		);
	}
	if (typeof answer.sessionId !== 'string' || answer.sessionId === '') {
		throw new VaultLoginError('Vault answered the login with SUCCESS but without a session id.');
	}
	checkSessionVault(answer, host);
	return answer.sessionId;
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
