import { createHash, createHmac } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { parseVaultAddress, tryUrl, VaultConfigError } from './vaultAddress';

/**
 * Everything a Vault session was issued for: the one list of session fields. A change to any of
 * them (another host, API version, authentication type, user, password, token, OAuth profile or
 * login host) means the stored session is not the one the form describes: the next call logs in
 * fresh, to the host named. Logins and sessions shared in this process are keyed by them too
 * (sessions.ts).
 */
export const SESSION_FIELDS = [
	'vaultDns',
	'apiVersion',
	'clientId',
	'authentication',
	'username',
	'password',
	'sessionToken',
	'oauthProfileId',
	'accessToken',
	'oauthLoginHost',
	'oauthClientId',
	'allowAnyOauthLoginHost',
] as const;

/**
 * The binding stored beside a session: an HMAC over the fields above, keyed by the session id
 * itself, so the stored value reveals nothing about the password or token without the session.
 */
export function sessionBinding(
	credentials: ICredentialDataDecryptedObject,
	sessionId: string,
): string {
	const fields = SESSION_FIELDS.map((name) => {
		const value = credentials[name];
		if (name !== 'vaultDns') return value === undefined || value === null ? '' : String(value);
		try {
			return parseVaultAddress(value).origin;
		} catch {
			return String(value ?? '');
		}
	});
	return createHmac('sha256', sessionId).update(JSON.stringify(fields)).digest('hex');
}

/**
 * The last answer of isSessionBound per credential object, with the values it was given: every
 * request asks it (the credential's `authenticate`), and an HMAC and a URL parse per request cost
 * more than comparing the dozen values it depends on. Any change to one of them asks again.
 */
const lastAnswers = new WeakMap<object, { values: unknown[]; bound: boolean }>();

/** True when the credential holds a session issued for exactly what its form says now. */
export function isSessionBound(credentials: ICredentialDataDecryptedObject): boolean {
	const sessionId = credentials.sessionSecret;
	if (typeof sessionId !== 'string' || sessionId === '') return false;
	const values = [sessionId, credentials.sessionSecretBinding];
	for (const name of SESSION_FIELDS) values.push(credentials[name]);
	const last = lastAnswers.get(credentials);
	if (last && last.values.every((value, index) => value === values[index])) return last.bound;
	const bound = credentials.sessionSecretBinding === sessionBinding(credentials, sessionId);
	lastAnswers.set(credentials, { values, bound });
	return bound;
}

/**
 * Whether the stored session may go on this request: only a session issued for what the form
 * says now, and only to the Vault it was issued by. Anything else goes without a session; Vault
 * answers INVALID_SESSION_ID and the node logs in again with the form's values.
 */
export function sessionMayTravel(
	credentials: ICredentialDataDecryptedObject,
	url: string | undefined,
	baseURL?: string,
): boolean {
	if (!isSessionBound(credentials) || url === undefined) return false;
	try {
		const target = new URL(url, baseURL);
		return target.origin.toLowerCase() === parseVaultAddress(credentials.vaultDns).origin;
	} catch {
		return false;
	}
}

/**
 * A digest of what an admin edits on the credential's form: the fields a session is bound to and
 * n8n's Allowed HTTP Request Domains. Two copies of a credential with the same digest were filled
 * in the same; no password or token can be read back from it.
 */
export function formDigest(credentials: ICredentialDataDecryptedObject): string {
	const fields = [...SESSION_FIELDS, 'allowedHttpRequestDomains', 'allowedDomains'];
	return digestOf(
		fields.map((name) =>
			credentials[name] === undefined || credentials[name] === null
				? ''
				: String(credentials[name]),
		),
	);
}

/** A one-way digest to key or compare by, so no password or token is kept as a key or value. */
export function digestOf(values: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/**
 * n8n's "Allowed HTTP Request Domains" on the credential (n8n adds it to credentials with an
 * `authenticate`): with "Specific Domains", every host this credential talks to (the Vault, the
 * OAuth login host) must be on the list, so whoever may edit the credential but not read its
 * password cannot point it, and the password, at another host. Same matching as n8n's
 * isDomainAllowed: exact host, or `*.example.com` for subdomains only.
 */
export function checkAllowedDomain(credentials: ICredentialDataDecryptedObject, url: string): void {
	if (credentials.allowedHttpRequestDomains !== 'domains') return;
	const hostname = tryUrl(url)
		?.hostname.toLowerCase()
		.replace(/^\[|\]$/g, '');
	const allowed = String(credentials.allowedDomains ?? '')
		.split(',')
		.map((domain) => domain.trim().toLowerCase().replace(/\.$/, ''))
		.filter(Boolean);
	const ok =
		hostname !== undefined &&
		allowed.some((domain) =>
			domain.startsWith('*.')
				? domain.length > 2 && hostname.endsWith(domain.slice(1))
				: hostname === domain,
		);
	if (!ok) {
		throw new VaultConfigError(
			`The credential's Allowed HTTP Request Domains does not include ${hostname ?? url}: nothing was sent there. Add the host to the list, or correct the Vault DNS / OAuth Login Host.`,
		);
	}
}
