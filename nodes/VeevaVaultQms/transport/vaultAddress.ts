/**
 * Where the credential points, checked before anything is sent: the one place that decides
 * which Vault a request goes to.
 */

export interface VaultAddress {
	/** `https://myvault.veevavault.com`, or `http://127.0.0.1:8470` for a loopback sandbox */
	origin: string;
	/** host[:port], as Vault's `vaultDNS` login field and the comparison after login want it */
	host: string;
}

export class VaultConfigError extends Error {
	constructor(message: string) {
		super(message);
		// told apart by name (transport/failures.ts, causeNamed): the credential's copy of this module may be another instance
		this.name = 'VaultConfigError';
	}
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
const HOST_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
const CLIENT_ID_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
const API_VERSION_PATTERN = /^v\d{1,2}\.\d{1,2}$/;

export function isLoopbackHost(hostname: string): boolean {
	return LOOPBACK_HOSTS.test(hostname);
}

/**
 * Accepts `myvault.veevavault.com` (https implied), `https://myvault.veevavault.com`, or a
 * full `http://` URL to a loopback host. Refuses paths, user info, queries and other schemes,
 * because any of them could send a session to somewhere other than the Vault named.
 */
export function parseVaultAddress(input: unknown, fieldName = 'Vault DNS'): VaultAddress {
	const raw = typeof input === 'string' ? input.trim() : '';
	if (raw === '') {
		throw new VaultConfigError(
			`${fieldName} is empty: enter your Vault's host name, e.g. myvault.veevavault.com`,
		);
	}
	const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
	// user info may hold a password: never repeat such a value in a message
	if (raw.includes('@')) {
		throw new VaultConfigError(
			`${fieldName} must not contain a user name or password ("...@..."): enter only the host, e.g. myvault.veevavault.com`,
		);
	}
	if (!hasScheme && /[/@?#\\\s]/.test(raw)) {
		throw new VaultConfigError(
			`${fieldName} "${raw}" is not a host name: enter only the host, e.g. myvault.veevavault.com, with no path, user name or spaces`,
		);
	}
	const url = tryUrl(hasScheme ? raw : `https://${raw}`);
	if (!url)
		throw new VaultConfigError(
			`${fieldName} "${raw}" is not a valid host name, e.g. myvault.veevavault.com`,
		);
	const scheme = url.protocol.replace(/:$/, '').toLowerCase();
	if (scheme !== 'https' && scheme !== 'http') {
		throw new VaultConfigError(
			`${fieldName} "${raw}" uses ${scheme}://; Vault is reached over https only`,
		);
	}
	if (scheme === 'http' && !isLoopbackHost(url.hostname)) {
		throw new VaultConfigError(
			`${fieldName} "${raw}" uses plain http to a host that is not this machine; Vault must be reached over https (http is accepted only for a local test Vault on 127.0.0.1 or localhost)`,
		);
	}
	if (url.username !== '' || url.password !== '') {
		throw new VaultConfigError(`${fieldName} must not contain a user name or password`);
	}
	if (
		(url.pathname !== '/' && url.pathname !== '') ||
		url.search !== '' ||
		url.hash !== '' ||
		/[?#]/.test(raw)
	) {
		throw new VaultConfigError(
			`${fieldName} "${raw}" has a path or query; enter only the host, e.g. myvault.veevavault.com`,
		);
	}
	if (!isLoopbackHost(url.hostname) && !HOST_PATTERN.test(url.hostname)) {
		throw new VaultConfigError(`${fieldName} "${raw}" is not a valid host name`);
	}
	return { origin: `${scheme}://${url.host}`.toLowerCase(), host: url.host.toLowerCase() };
}

export function checkClientId(input: unknown): string {
	const clientId = typeof input === 'string' ? input.trim() : '';
	if (!CLIENT_ID_PATTERN.test(clientId)) {
		throw new VaultConfigError(
			'Client ID must be 1 to 100 characters of letters, digits, ".", "_" or "-" (Vault rejects any other client id)',
		);
	}
	return clientId;
}

/**
 * The oldest API version the node speaks: "Prior to v21.3, escape characters were not standardized
 * and may behave differently" (Veeva VQL reference, "Syntax Basics", Special Characters). Every
 * lookup pastes values into VQL string literals escaped as v21.3+ reads them (read/vqlText.ts), so
 * under an older version a quote or backslash in a value could match another user or widen a query.
 */
export const OLDEST_API_VERSION = { major: 21, minor: 3 } as const;

/**
 * The credential's API version, checked: `v{major}.{minor}` (Vault's form, e.g. v25.3) and no
 * older than v21.3 (OLDEST_API_VERSION). Read by the client before a run's first request, by
 * every login (the node's and "Test credential"'s), so an old version sends nothing at all.
 */
export function checkApiVersion(input: unknown): string {
	const version = typeof input === 'string' ? input.trim() : '';
	if (!API_VERSION_PATTERN.test(version)) {
		throw new VaultConfigError(
			`API Version "${String(input)}" is not a Vault API version such as v25.3`,
		);
	}
	const [major, minor] = version.slice(1).split('.').map(Number);
	const { major: oldestMajor, minor: oldestMinor } = OLDEST_API_VERSION;
	if (major < oldestMajor || (major === oldestMajor && minor < oldestMinor)) {
		throw new VaultConfigError(
			`API Version ${version} is older than v${oldestMajor}.${oldestMinor}, the oldest this node works with: Vault standardised how VQL escapes quotes and backslashes in v${oldestMajor}.${oldestMinor}, and the node's lookups rely on it. Set API Version to v${oldestMajor}.${oldestMinor} or later (v25.3 has every operation of this node). Nothing was sent.`,
		);
	}
	return version;
}

/** True when the URL Vault gave for a session's Vault names the same host as the one asked for. */
export function sameVaultHost(vaultUrl: unknown, expectedHost: string): boolean {
	const url = typeof vaultUrl === 'string' ? tryUrl(vaultUrl) : undefined;
	return url !== undefined && url.host.toLowerCase() === expectedHost.toLowerCase();
}

export function tryUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}
