import { SANDBOX_USERS } from '../seedData';
import type { ApiContext } from '../http/apiContext';
import { authorizationToken } from '../http/incoming';
import { failure, type VaultResponse } from '../http/vaultResponse';
import { loginRefusal, requestedVault, startSession } from './loginSession';

/**
 * POST /auth/oauth/session/{profile_id}: `Authorization: Bearer {access_token}`, form `vaultDNS` and
 * optional `client_id` (the client application's id at the authorization server, used to introspect
 * the token; not the API client id: Veeva API reference, "OAuth 2.0 / OpenID Connect"). The sandbox
 * knows one token, so it needs no introspection and only logs that client_id.
 * An unknown profile or token is answered USERNAME_OR_PASSWORD_INCORRECT, as a failed login.
 * No login burst limit: it applies to username/password /auth calls only, not to SAML/SSO or OAuth
 * logins (Vault Help, "About API Transaction Limits").
 */
export function oauthSession(context: ApiContext): VaultResponse {
	const form = new URLSearchParams(context.body.toString('utf8'));
	const vaultDns = form.get('vaultDNS') ?? undefined;
	const { oauth } = SANDBOX_USERS;
	const token = authorizationToken(context.request);
	// the fixed token (a pasted one), or one the sandbox's identity provider issued and that has not expired
	// (state/authorizationServer.ts); an expired one is refused as an unknown one: the page documents no
	// failure answer for this endpoint, so which error type Vault gives an expired token is UNVERIFIED
	const tokenAccepted = token === oauth.accessToken || context.world.idp.isLive(token, context.now);
	if (context.params.profileId !== oauth.profileId || !tokenAccepted) {
		return failure('USERNAME_OR_PASSWORD_INCORRECT', 'OAuth authentication failed: unknown profile or access token.');
	}
	const user = context.world.directory.userByUsername(oauth.username);
	if (!user) return failure('USERNAME_OR_PASSWORD_INCORRECT', 'OAuth authentication failed: no user for this token.');
	return loginRefusal(user) ?? startSession(context, user, requestedVault(context, vaultDns));
}
