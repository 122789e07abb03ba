import type { ApiContext } from '../http/apiContext';
import { failure, success, type VaultResponse } from '../http/vaultResponse';
import type { SandboxVault, VaultUser } from '../types';

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The Vault a login asks for: the one whose DNS is `vaultDNS` (a URL or host[:port]; on this machine
 * the port decides), else the Vault of the listener the login arrived on.
 */
export function requestedVault(context: ApiContext, vaultDns: string | undefined): SandboxVault {
	const dns = (vaultDns ?? '').trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
	const [host, port] = splitHostPort(dns);
	const named = context.world.vaults.find((vault) => {
		if (vault.dns === dns) return true;
		const [vaultHost, vaultPort] = splitHostPort(vault.dns);
		return port !== '' && port === vaultPort && LOOPBACK_HOSTS.includes(host) && LOOPBACK_HOSTS.includes(vaultHost);
	});
	return named ?? context.vault;
}

/**
 * Vault's login burst limit, counted per username and requested Vault over one minute; for
 * username/password /auth calls only, not SAML/SSO or OAuth logins (Vault Help, "About API Transaction Limits").
 */
export function loginLimitReached(context: ApiContext, username: string, vaultDns: string | undefined): boolean {
	const vaultId = requestedVault(context, vaultDns).id;
	const attempts = context.world.loginAttempts.count(`${username.toLowerCase()}|${vaultId}`, context.now, 60_000);
	return attempts > context.world.settings.loginLimitPerMinute;
}

/** Why this user may not log in, or undefined. */
export function loginRefusal(user: VaultUser): VaultResponse | undefined {
	if (user.active === false) return failure('INACTIVE_USER', 'User is inactive.');
	if (user.locked) return failure('USER_LOCKED_OUT', 'User is locked out.');
	if (user.passwordChangeRequired) return failure('PASSWORD_CHANGE_REQUIRED', 'User must change their password before logging in.');
	return undefined;
}

/**
 * A session for the requested Vault, or, as Vault silently does, for the first Vault the user can
 * reach when the requested one is not among them.
 */
export function startSession(context: ApiContext, user: VaultUser, requested: SandboxVault): VaultResponse {
	const { world } = context;
	const reachable = world.vaults.filter((vault) => !user.vaultIds || user.vaultIds.includes(vault.id));
	const target = reachable.find((vault) => vault.id === requested.id) ?? reachable[0];
	if (!target) return failure('INSUFFICIENT_ACCESS', 'User has no access to any Vault.');
	const session = world.sessions.create(user.id, target.id, context.now);
	world.logins++;
	return success({
		sessionId: session.id,
		userId: user.id,
		vaultIds: reachable.map((vault) => ({ id: vault.id, name: vault.name, url: `${vault.url}/api` })),
		vaultId: target.id,
	});
}

function splitHostPort(dns: string): [string, string] {
	const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(dns);
	return [match?.[1] ?? dns, match?.[2] ?? ''];
}
