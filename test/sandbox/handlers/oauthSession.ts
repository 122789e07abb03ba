import { SANDBOX_USERS } from '../seedData';
import type { ApiContext } from '../http/apiContext';
import { authorizationToken } from '../http/incoming';
import { failure, type VaultResponse } from '../http/vaultResponse';
import { loginLimitReached, loginRefusal, requestedVault, startSession } from './loginSession';

/**
 * POST /auth/oauth/session/{profile_id}: `Authorization: Bearer {access_token}`, form `vaultDNS`.
 * An unknown profile or token is answered USERNAME_OR_PASSWORD_INCORRECT, as a failed login.
 */
export function oauthSession(context: ApiContext): VaultResponse {
	const form = new URLSearchParams(context.body.toString('utf8'));
	const vaultDns = form.get('vaultDNS') ?? undefined;
	const { oauth } = SANDBOX_USERS;
	if (context.params.profileId !== oauth.profileId || authorizationToken(context.request) !== oauth.accessToken) {
		return failure('USERNAME_OR_PASSWORD_INCORRECT', 'OAuth authentication failed: unknown profile or access token.');
	}
	if (loginLimitReached(context, oauth.username, vaultDns)) {
		return failure('API_LIMIT_EXCEEDED', 'Login burst limit exceeded for this user and Vault. Try again in a minute.');
	}
	const user = context.world.directory.userByUsername(oauth.username);
	if (!user) return failure('USERNAME_OR_PASSWORD_INCORRECT', 'OAuth authentication failed: no user for this token.');
	return loginRefusal(user) ?? startSession(context, user, requestedVault(context, vaultDns));
}
