import type { ApiContext } from '../http/apiContext';
import { headerValue } from '../http/incoming';
import { json, type VaultResponse } from '../http/vaultResponse';
import { SANDBOX_OAUTH_CLIENT } from '../state/authorizationServer';

/**
 * The sandbox's identity provider (the authorization server a Vault OAuth 2.0 / OIDC profile
 * trusts), at /oauth2/authorize and /oauth2/token on each listener: enough of RFC 6749 and RFC 7636
 * for n8n's OAuth2 credential to connect (authorization code with PKCE) or fetch tokens (client
 * credentials), and renew them. Settings: `oauthTokenLifetimeS` (expires_in), `oauthRefreshFails`.
 */

/**
 * GET /oauth2/authorize (RFC 6749, 4.1.1): the sandbox's user approves at once, and the browser is
 * sent back to redirect_uri with a code and the state. A wrong client or a missing redirect_uri is a
 * page, not a redirect (RFC 6749, 4.1.2.1: never redirect to an unverified URI).
 */
export function authorizeEndpoint(context: ApiContext): VaultResponse {
	const { query } = context;
	const redirectUri = query.redirect_uri ?? '';
	if (query.client_id !== SANDBOX_OAUTH_CLIENT.clientId || !/^https?:\/\//.test(redirectUri)) {
		return page(400, 'Unknown client_id or missing redirect_uri: the sandbox identity provider knows one client, SANDBOX_OAUTH_CLIENT.');
	}
	const target = new URL(redirectUri);
	if (query.response_type !== 'code') {
		target.searchParams.set('error', 'unsupported_response_type');
	} else {
		const code = context.world.idp.authorize(redirectUri, query.scope ?? '', query.code_challenge, query.code_challenge_method);
		target.searchParams.set('code', code);
	}
	if (query.state !== undefined) target.searchParams.set('state', query.state);
	return { status: 302, contentType: 'text/plain', body: '', headers: { Location: target.toString() } };
}

/**
 * POST /oauth2/token (RFC 6749, 3.2): client authentication by HTTP Basic or client_id and
 * client_secret in the form (2.3.1); a public PKCE client may send client_id alone for the code and
 * refresh grants (RFC 7636). Answers JSON, errors as RFC 6749, 5.2 (400, or 401 for a bad client).
 */
export function tokenEndpoint(context: ApiContext): VaultResponse {
	const form = new URLSearchParams(context.body.toString('utf8'));
	const client = clientOf(headerValue(context.request, 'authorization'), form);
	const publicClientAllowed = form.get('grant_type') !== 'client_credentials' && client.secret === undefined;
	if (client.id !== SANDBOX_OAUTH_CLIENT.clientId || (!publicClientAllowed && client.secret !== SANDBOX_OAUTH_CLIENT.clientSecret)) {
		return oauthJson(401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
	}
	const { oauthTokenLifetimeS, oauthRefreshFails } = context.world.settings;
	const answer = context.world.idp.token(form, context.now, oauthTokenLifetimeS, oauthRefreshFails);
	if ('error' in answer) return oauthJson(answer.status, { error: answer.error, error_description: answer.error_description });
	return oauthJson(200, { ...answer });
}

function clientOf(authorization: string | undefined, form: URLSearchParams): { id?: string; secret?: string } {
	const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '')?.[1];
	if (basic) {
		const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
		return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
	}
	return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

/** RFC 6749, 5.1: the answer must not be cached. */
function oauthJson(status: number, body: Record<string, unknown>): VaultResponse {
	return { ...json(status, body), headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' } };
}

function page(status: number, text: string): VaultResponse {
	return { status, contentType: 'text/plain;charset=UTF-8', body: text };
}
