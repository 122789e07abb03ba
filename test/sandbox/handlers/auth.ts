import type { ApiContext } from '../http/apiContext';
import { failure, type VaultResponse } from '../http/vaultResponse';
import { loginLimitReached, loginRefusal, requestedVault, startSession } from './loginSession';

/** POST /api/{version}/auth: user name and password, form-encoded. */
export function authenticate(context: ApiContext): VaultResponse {
	const form = new URLSearchParams(context.body.toString('utf8'));
	const username = form.get('username') ?? '';
	const password = form.get('password') ?? '';
	const vaultDns = form.get('vaultDNS') ?? undefined;
	if (loginLimitReached(context, username, vaultDns)) {
		return failure('API_LIMIT_EXCEEDED', 'Login burst limit exceeded for this user and Vault. Try again in a minute.');
	}
	if (!password) return failure('NO_PASSWORD_PROVIDED', 'No password was provided for the login call.');
	const user = context.world.directory.userByUsername(username);
	if (!user || user.password === undefined || user.password !== password) {
		return failure('USERNAME_OR_PASSWORD_INCORRECT', 'Authentication failed for user: ' + username);
	}
	return loginRefusal(user) ?? startSession(context, user, requestedVault(context, vaultDns));
}
