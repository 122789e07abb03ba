import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { VEEVA_OAUTH_LOGIN_HOST } from '../nodes/VeevaVaultQms/transport/login';
import { vaultFormOf } from '../nodes/VeevaVaultQms/transport/oauth2Session';
import { NOT_CONNECTED, oauth2ExchangeTest, TOKEN_NOT_HANDED } from './oauth2TestRequest';
import { apiVersionField, vaultApplicationField, vaultDnsField } from './vaultFields';

/**
 * Veeva Vault through OAuth 2.0 / OpenID Connect, with the access token n8n obtains and renews
 * (n8n's OAuth2 credential: authorization code with PKCE, or client credentials). The node
 * exchanges the token for a Vault session at Vault's OAuth endpoint (transport/oauth2Session.ts,
 * Veeva API reference "OAuth 2.0 / OpenID Connect"); the session stays in the run and is never
 * sent to another host. Vault needs an OAuth 2.0 / OpenID Connect profile whose User ID Type maps
 * the token to a Vault user (Vault Help, "Configuring OAuth 2.0 / OpenID Connect Profiles").
 */
export class VeevaVaultOAuth2Api implements ICredentialType {
	name = 'veevaVaultOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Veeva Vault OAuth2 API';

	icon: Icon = {
		light: 'file:../nodes/VeevaVaultQms/veevaVault.svg',
		dark: 'file:../nodes/VeevaVaultQms/veevaVault.dark.svg',
	};

	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-veeva-vault-qms#the-credential-veeva-vault-oauth2-api';

	// Test credential: Vault's exchange with the token n8n holds (oauth2TestRequest.ts)
	test: ICredentialTestRequest = oauth2ExchangeTest;

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{ name: 'Authorization Code with PKCE', value: 'pkce' },
				{ name: 'Client Credentials', value: 'clientCredentials' },
			],
			default: 'pkce',
			description:
				'PKCE: a person connects once in the browser. Client Credentials: an integration client with no browser step.',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.okta.com/oauth2/default/v1/authorize',
			displayOptions: { show: { grantType: ['pkce'] } },
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.okta.com/oauth2/default/v1/token',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: '',
			placeholder: 'e.g. openid offline_access',
			description:
				'Space-separated. Many identity providers give a refresh token (needed to renew access without you) only with offline_access.',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		vaultDnsField,
		apiVersionField,
		vaultApplicationField,
		{
			displayName: 'Vault API Client ID',
			name: 'vaultClientId',
			type: 'string',
			default: 'n8n-nodes-veeva-vault-qms',
			description:
				'Sent as X-VaultAPI-ClientID on every Vault call so Vault admins can see and allow this integration. 1-100 letters, digits, ".", "_" or "-". Not the Client ID above.',
		},
		{
			displayName: 'OAuth/OIDC Profile ID',
			name: 'oauthProfileId',
			type: 'string',
			default: '',
			required: true,
			description:
				'The ID of the OAuth 2.0 / OpenID Connect profile in Vault (Admin > Settings) that trusts this identity provider',
		},
		{
			displayName: 'OAuth Login Host',
			name: 'oauthLoginHost',
			type: 'string',
			default: VEEVA_OAUTH_LOGIN_HOST,
			description: `Where the access token is exchanged for a Vault session: Veeva's login host (${VEEVA_OAUTH_LOGIN_HOST}) or your Vault's own host`,
			hint: 'Any other host gets no token: Test credential then answers ENOTFOUND, and the node refuses to run, unless "Allow Any OAuth Login Host" is on.',
		},
		{
			displayName: 'Send Client ID to Vault',
			name: 'sendClientIdToVault',
			type: 'boolean',
			default: false,
			description:
				'Whether to send the Client ID above with the exchange, for Vault to use when it checks the token at the identity provider (Veeva API reference, "OAuth 2.0 / OpenID Connect": client_id)',
		},
		{
			displayName: 'Allow Any OAuth Login Host',
			name: 'allowAnyOauthLoginHost',
			type: 'boolean',
			default: false,
			description:
				"Whether to send the access token to an OAuth Login Host other than Veeva's or your Vault's own",
		},
	];

	/**
	 * n8n-core's OAuth2 helper (n8n 2.x) calls this before it signs a request with the token it holds.
	 * A browser-connected credential that was never connected holds no access token; n8n would then
	 * fail with "Unable to sign without access token" or "Cannot read properties of undefined (reading
	 * 'accessToken')" (it says "not connected" only for its own authorizationCode grant). Said here
	 * instead, for Test credential and runs alike; and so is n8n 2.41's test, which holds only the
	 * editor's `oauthTokenData: true` for a connected one (oauth2TestRequest.ts, TOKEN_NOT_HANDED).
	 */
	async preAuthentication(credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		if (credentials.grantType === 'clientCredentials') return {};
		if (credentials.oauthTokenData === true) throw new Error(TOKEN_NOT_HANDED);
		// the token as the node reads it (oauth2Session.ts): '' unless a non-empty string
		if (vaultFormOf(credentials).accessToken === '') throw new Error(NOT_CONNECTED);
		return {};
	}
}
