import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';

import { VaultLoginError } from './errors';
import { redactSecrets, secretsOf } from './secrets';
import { sessionForRun } from './sessions';

/**
 * The OAuth2 credential's session: n8n obtains and renews the identity provider's access token
 * (n8n-core's requestOAuth2 and refreshOAuth2Token), the node exchanges it for a Vault session at
 * Vault's OAuth endpoint (Veeva API reference, "OAuth 2.0 / OpenID Connect": POST
 * https://login.veevavault.com/auth/oauth/session/{profile_id}, Authorization: Bearer, form vaultDNS
 * and optional client_id) through login.ts, with the same checks as every login. The token goes
 * only to the identity provider (n8n's own calls) and to that exchange; Vault's API sees the session.
 */

/** the type name of the Veeva Vault OAuth2 API credential */
export const OIDC_TYPE_NAME = 'veevaVaultOAuth2Api';

type OAuth2Functions = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/**
 * The OAuth2 credential as the Vault form login.ts, sessions.ts and sessionBinding.ts read: the
 * token n8n holds now in place of a pasted one, the Vault API client id under its usual name, the
 * form's client_id only when the admin chose to send it. A session is bound to all of it.
 */
export function vaultFormOf(
	oauth2: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	const token = (oauth2.oauthTokenData as IDataObject | undefined)?.access_token;
	return {
		vaultDns: oauth2.vaultDns,
		apiVersion: oauth2.apiVersion,
		clientId: oauth2.vaultClientId,
		authentication: 'oauth2',
		oauthProfileId: oauth2.oauthProfileId,
		oauthLoginHost: oauth2.oauthLoginHost,
		oauthClientId: oauth2.sendClientIdToVault === true ? oauth2.clientId : '',
		allowAnyOauthLoginHost: oauth2.allowAnyOauthLoginHost,
		accessToken: typeof token === 'string' ? token : '',
		oauthClientSecret: oauth2.clientSecret,
		grantType: oauth2.grantType,
		allowedHttpRequestDomains: oauth2.allowedHttpRequestDomains,
		allowedDomains: oauth2.allowedDomains,
		sessionSecret: '',
		sessionSecretBinding: '',
	};
}

/**
 * What Vault answers a token it does not accept: the reference page documents no failure answer
 * for this endpoint, so every answer that can mean "this token" is taken as one (UNVERIFIED which
 * one an expired token gets): a refused login, INVALID_SESSION_ID, a FAILURE without a type, HTTP 401.
 * A locked, inactive or unknown-to-this-Vault user is not a token problem and is said as it is.
 */
const TOKEN_REFUSALS = new Set([
	'USERNAME_OR_PASSWORD_INCORRECT',
	'INVALID_SESSION_ID',
	'UNKNOWN',
	'HTTP_401',
]);

function isTokenRefusal(error: unknown): error is VaultLoginError {
	return error instanceof VaultLoginError && TOKEN_REFUSALS.has(error.errorType ?? '');
}

/**
 * A Vault session for the OAuth2 credential: the exchange with the token n8n holds; if Vault
 * refuses the token, n8n is told to renew it (Vault answers HTTP 200 with FAILURE, which n8n's own
 * renewal on HTTP 401 never sees) and the exchange is made once more with the new token.
 */
export async function oauth2Session(
	fx: OAuth2Functions,
	form: ICredentialDataDecryptedObject,
	credentialName: string,
): Promise<{ sessionId: string; form: ICredentialDataDecryptedObject }> {
	const helper = signedByN8n(fx);
	const first = await exchange(helper, form);
	if ('sessionId' in first) return { sessionId: first.sessionId, form };
	if (!isTokenRefusal(first.error)) throw first.error;
	await renewToken(fx, form, credentialName);
	const renewed = vaultFormOf(await fx.getCredentials(OIDC_TYPE_NAME));
	const second = await exchange(helper, renewed);
	if ('sessionId' in second) return { sessionId: second.sessionId, form: renewed };
	if (!isTokenRefusal(second.error)) throw second.error;
	throw new VaultLoginError(
		`Vault refused the access token even right after n8n renewed it (${second.error.errorType}). Check that the OAuth/OIDC Profile ID names an active profile that trusts this identity provider, and that its User ID Type maps the token to an active Vault user (by user name or federated id).`,
		second.error.errorType,
	);
}

async function exchange(
	helper: IHttpRequestHelper,
	form: ICredentialDataDecryptedObject,
): Promise<{ sessionId: string } | { error: unknown }> {
	return await sessionForRun.call(helper, form).then(
		(session) => ({ sessionId: session.sessionId }),
		(error: unknown) => ({ error }),
	);
}

/**
 * The exchange sent through n8n's OAuth2 request helper, which adds `Authorization: Bearer` with
 * the token it holds (and fetches a first one for client credentials): the token is put on no
 * request but this one. `tokenType: 'bearer'` keeps it in the header whatever token_type the
 * identity provider named (client-oauth2 puts any other type in the URL).
 */
function signedByN8n(fx: OAuth2Functions): IHttpRequestHelper {
	const httpRequest = async (options: IHttpRequestOptions) =>
		await (fx as IExecuteFunctions).helpers.httpRequestWithAuthentication
			.call(fx as IExecuteFunctions, OIDC_TYPE_NAME, options, { oauth2: { tokenType: 'bearer' } })
			.catch((error: unknown) => {
				throw tokenUnavailable(error);
			});
	return { helpers: { httpRequest } } as unknown as IHttpRequestHelper;
}

/** A network failure goes on to login.ts as it is (it names the host); n8n failing to get a token is said as such. */
function tokenUnavailable(error: unknown): unknown {
	const cause = (error as { cause?: unknown })?.cause ?? error;
	if ((cause as { code?: unknown })?.code !== undefined) return cause;
	const message = String((error as Error)?.message ?? error);
	return new VaultLoginError(
		`n8n could not add an access token from the identity provider to the Vault exchange (${message}). Connect the credential again, or check its Access Token URL, Client ID and Client Secret.`,
		'TOKEN_UNAVAILABLE',
	);
}

/** Asks n8n to renew the token (refresh token, or a new client-credentials grant) and stores it; a refusal said for an admin. */
async function renewToken(
	fx: OAuth2Functions,
	form: ICredentialDataDecryptedObject,
	credentialName: string,
): Promise<void> {
	const refused = await (fx as IExecuteFunctions).helpers.refreshOAuth2Token
		.call(fx as IExecuteFunctions, OIDC_TYPE_NAME, { tokenType: 'bearer' })
		.then(
			() => undefined,
			(error: unknown) => error ?? new Error('no reason given'),
		);
	if (refused === undefined) return;
	const fix =
		form.grantType === 'clientCredentials'
			? "check the credential's Client ID, Client Secret and Access Token URL, and that the client may still use the client credentials grant"
			: `open the credential "${credentialName}" and connect it again (Connect my account); the refresh token has expired or was revoked`;
	throw new VaultLoginError(
		redactSecrets(
			`Vault no longer accepts the access token, and the identity provider refused to renew it (${renewalRefusal(refused)}): ${fix}. The request that needed a new Vault session was not sent.`,
			secretsOf(form),
		),
		'TOKEN_RENEWAL_FAILED',
	);
}

/** The identity provider's words (RFC 6749, 5.2: error, error_description), as n8n's helpers hand them on. */
function renewalRefusal(error: unknown): string {
	const body = ((error as { body?: unknown })?.body ??
		(error as { cause?: { body?: unknown } })?.cause?.body) as IDataObject | undefined;
	if (body?.error)
		return `${String(body.error)}${body.error_description ? `: ${String(body.error_description)}` : ''}`;
	const message = String((error as Error)?.message ?? error);
	// n8n 2.x says an invalid_grant answer as "The credential … needs to be reconnected." (n8n-core, request-helpers/oauth.js)
	return /needs to be reconnected/.test(message) ? 'invalid_grant' : message;
}
