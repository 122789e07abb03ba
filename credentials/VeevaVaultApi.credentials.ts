import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { loginToVault } from '../nodes/VeevaVaultQms/transport/login';

export class VeevaVaultApi implements ICredentialType {
	name = 'veevaVaultApi';

	displayName = 'Veeva Vault API';

	icon: Icon = { light: 'file:../nodes/VeevaVaultQms/veevaVault.svg', dark: 'file:../nodes/VeevaVaultQms/veevaVault.dark.svg' };

	documentationUrl = 'https://developer.veevavault.com/api/';

	properties: INodeProperties[] = [
		{
			displayName: 'Vault DNS',
			name: 'vaultDns',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'myvault.veevavault.com',
			description:
				'Host name of your Vault; https is implied. A full http:// URL is accepted only for a local test Vault (127.0.0.1 or localhost).',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: 'v25.3',
			description: 'Vault API version. v25.3 is the first that has every operation of this node.',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: 'n8n-nodes-veeva-vault-qms',
			description:
				'Sent as X-VaultAPI-ClientID on every call so Vault admins can see and allow this integration. 1-100 letters, digits, ".", "_" or "-".',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			default: 'password',
			options: [
				{ name: 'Username & Password', value: 'password', description: 'Log in with a Vault user (an integration user is best)' },
				{ name: 'Session ID', value: 'sessionId', description: 'Use a session obtained elsewhere, as it is' },
				{ name: 'OAuth 2.0 / OpenID Connect', value: 'oauth', description: "Exchange an access token for a session at Vault's OAuth endpoint" },
			],
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			placeholder: 'integration.user@example.com',
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Session ID',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'A Vault session id. When it expires, runs fail until a new one is entered.',
			displayOptions: { show: { authentication: ['sessionId'] } },
		},
		{
			displayName: 'OAuth/OIDC Profile ID',
			name: 'oauthProfileId',
			type: 'string',
			default: '',
			displayOptions: { show: { authentication: ['oauth'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: "An access token from your identity provider for the OAuth/OIDC profile",
			displayOptions: { show: { authentication: ['oauth'] } },
		},
		{
			displayName: 'OAuth Login Host',
			name: 'oauthLoginHost',
			type: 'string',
			default: 'login.veevavault.com',
			description: "Veeva's login host, where the access token is exchanged for a session",
			displayOptions: { show: { authentication: ['oauth'] } },
		},
		{
			displayName: 'Session',
			name: 'sessionId',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		return await loginToVault.call(this, credentials);
	}

	/**
	 * The session and the client id on every request. A function, not n8n's generic form: n8n
	 * would evaluate the generic form's two expressions on every request (~0.35 ms each, 0.3 s
	 * of CPU for the 400 requests of 100,000 rows); this copies two strings.
	 */
	authenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: {
			...requestOptions.headers,
			Authorization: String(credentials.sessionId ?? ''),
			'X-VaultAPI-ClientID': String(credentials.clientId ?? ''),
		},
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ (/^https?:\\/\\//i.test($credentials.vaultDns.trim()) ? $credentials.vaultDns.trim() : "https://" + $credentials.vaultDns.trim()).replace(/\\/+$/, "") + "/api/" + $credentials.apiVersion }}',
			url: '/objects/users/me',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'responseStatus',
					value: 'FAILURE',
					message: 'Vault did not accept the session: check the Vault DNS, the user and its API access',
				},
			},
		],
	};
}
