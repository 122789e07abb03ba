import type { ICredentialTestRequest } from 'n8n-workflow';

import { VEEVA_OAUTH_LOGIN_HOST } from '../nodes/VeevaVaultQms/transport/login';

/**
 * "Test credential" of the Veeva Vault OAuth2 API credential: Vault's OAuth exchange itself, as the
 * node makes it (transport/login.ts and oauth2Session.ts; Veeva API reference, "OAuth 2.0 / OpenID
 * Connect": POST https://login.veevavault.com/auth/oauth/session/{oauth_oidc_profile_id} with
 * Authorization: Bearer, form vaultDNS and optional client_id, header X-VaultAPI-ClientID). n8n's
 * credentials tester runs a type's own `test` first; without one it answers an OAuth2 credential by
 * its own "is a token stored" check, which the editor can never pass (it sends the token redacted).
 * The request goes through n8n-core's OAuth2 helper, which signs it with the token n8n holds and, for
 * client credentials without one, fetches and stores a token first, as on first use.
 *
 * A test request makes one call, so the Vault session it opens is not ended: Vault ends it once idle
 * for the Vault's session timeout (docs/usage.md, "Test credential").
 *
 * Where the token may go is the node's rule (login.ts, checkOauthLoginHost): Veeva's login host or the
 * Vault's own host, unless "Allow Any OAuth Login Host" is on; an address the node would refuse is
 * replaced by a host under RFC 6761's `.invalid`, which never resolves, over https, so nothing is
 * sent. n8n then says ENOTFOUND (an error thrown in an n8n expression becomes an empty value, in
 * n8n 1.123.81 to 2.41.1 alike, so no words of ours can travel that way): the field's hint says why.
 */

/** the host the exchange is sent to when the OAuth Login Host is one the node would refuse */
export const REFUSED_LOGIN_ORIGIN = 'https://oauth-login-host-not-allowed.invalid';

/** The credential's addresses as vaultAddress.ts reads them (a host, https implied; http only to loopback), in n8n's expression language. */
const ADDRESS_HELPERS = [
	"const trimmed = (value) => String(value ?? '').trim().replace(/\\/+$/, '');",
	'const httpsHost = /^(https:\\/\\/)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\\d{1,5})?$/i;',
	'const loopback = /^http:\\/\\/(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d{1,5})?$/i;',
	'const isAddress = (value) => httpsHost.test(trimmed(value)) || loopback.test(trimmed(value));',
	"const hostOf = (value) => trimmed(value).replace(/^https?:\\/\\//i, '').replace(/:443$/, '').toLowerCase();",
].join(' ');

/** The OAuth Login Host as the exchange's origin when the node would send the token there, else REFUSED_LOGIN_ORIGIN. */
const LOGIN_ORIGIN = `={{ (() => { ${ADDRESS_HELPERS}
const login = trimmed($credentials.oauthLoginHost) || '${VEEVA_OAUTH_LOGIN_HOST}';
const vaultHost = isAddress($credentials.vaultDns) ? hostOf($credentials.vaultDns) : '';
const allowed = isAddress(login) && ($credentials.allowAnyOauthLoginHost === true || hostOf(login) === '${VEEVA_OAUTH_LOGIN_HOST}' || hostOf(login) === vaultHost);
if (!allowed) return '${REFUSED_LOGIN_ORIGIN}';
return /^https?:\\/\\//i.test(login) ? login : 'https://' + login;
})() }}`;

/** The form Vault's exchange takes: vaultDNS, and client_id only when the admin chose to send it. */
const EXCHANGE_FORM = `={{ (() => { ${ADDRESS_HELPERS}
const form = 'vaultDNS=' + encodeURIComponent(hostOf($credentials.vaultDns));
return $credentials.sendClientIdToVault === true ? form + '&client_id=' + encodeURIComponent($credentials.clientId) : form;
})() }}`;

/** A browser-connected credential with no token yet (VeevaVaultOAuth2Api.preAuthentication). */
export const NOT_CONNECTED =
	'Not connected yet: open the credential and click "Connect my account" to sign in at the identity provider, then test again.';

/**
 * n8n 2.41 runs a credential's test on the data the editor sent, where a stored token reads `true`
 * (n8n 2.41.1 credentials-tester.service runRequestTest: getDecrypted answers the sent data): a
 * browser-connected credential cannot be signed there. Client credentials are not affected: n8n
 * fetches a token for them when it holds none it can use.
 */
export const TOKEN_NOT_HANDED =
	'Connected, but this n8n version gives Test credential the stored token only as "connected", not the token itself, so Vault\'s exchange cannot be tried here: run the node once to check it (n8n uses the token there).';

/** What to check when Vault answers the exchange with FAILURE (the token was issued, Vault did not take it). */
export const VAULT_REFUSED_TOKEN =
	'Vault refused the access token the identity provider issued. In Vault (Admin > Settings > OAuth 2.0 / OpenID Connect Profiles) check that the OAuth/OIDC Profile ID names an active profile that trusts this identity provider, that its User ID Type maps the token to an active Vault user (by user name or federated id), and that the Vault DNS is the Vault of that profile. A token connected long ago may have expired: n8n renews it when the node runs, or click "Connect my account" again.';

export const oauth2ExchangeTest: ICredentialTestRequest = {
	request: {
		baseURL: LOGIN_ORIGIN,
		url: "={{ '/auth/oauth/session/' + encodeURIComponent(String($credentials.oauthProfileId ?? '').trim()) }}",
		method: 'POST',
		headers: {
			Accept: 'application/json',
			'Content-Type': 'application/x-www-form-urlencoded',
			'X-VaultAPI-ClientID': "={{ String($credentials.vaultClientId ?? '').trim() }}",
		},
		body: EXCHANGE_FORM,
		json: true,
		// a redirect is not followed (the token reaches no other host): n8n says its HTTP status
		disableFollowRedirect: true,
	},
	rules: [
		{
			type: 'responseSuccessBody',
			properties: { key: 'responseStatus', value: 'FAILURE', message: VAULT_REFUSED_TOKEN },
		},
	],
};
