import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { apiVersionField, vaultApplicationField, vaultDnsField } from './vaultFields';

import { VEEVA_OAUTH_LOGIN_HOST } from '../nodes/VeevaVaultQms/transport/login';
import { sessionForRun } from '../nodes/VeevaVaultQms/transport/sessions';
import { sessionBinding, sessionMayTravel } from '../nodes/VeevaVaultQms/transport/sessionBinding';

export class VeevaVaultApi implements ICredentialType {
	name = 'veevaVaultApi';

	displayName = 'Veeva Vault API';

	icon: Icon = {
		light: 'file:../nodes/VeevaVaultQms/veevaVault.svg',
		dark: 'file:../nodes/VeevaVaultQms/veevaVault.dark.svg',
	};

	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-veeva-vault-qms#the-credential-veeva-vault-api';

	properties: INodeProperties[] = [
		vaultDnsField,
		apiVersionField,
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: 'n8n-nodes-veeva-vault-qms',
			description:
				'Sent as X-VaultAPI-ClientID on every call so Vault admins can see and allow this integration. 1-100 letters, digits, ".", "_" or "-".',
		},
		vaultApplicationField,
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			default: 'password',
			options: [
				{
					name: 'Username & Password',
					value: 'password',
					description: 'Log in with a Vault user (an integration user is best)',
				},
				{
					name: 'Session ID',
					value: 'sessionId',
					description: 'Use a session obtained elsewhere, as it is',
				},
				{
					name: 'OAuth 2.0 / OpenID Connect',
					value: 'oauth',
					description: "Exchange an access token for a session at Vault's OAuth endpoint",
				},
			],
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. integration.user@example.com',
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
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
			description: 'An access token from your identity provider for the OAuth/OIDC profile',
			displayOptions: { show: { authentication: ['oauth'] } },
		},
		{
			displayName: 'OAuth Login Host',
			name: 'oauthLoginHost',
			type: 'string',
			default: VEEVA_OAUTH_LOGIN_HOST,
			description: `Where the access token is exchanged for a session: Veeva's login host (${VEEVA_OAUTH_LOGIN_HOST}) or your Vault's own host`,
			displayOptions: { show: { authentication: ['oauth'] } },
		},
		{
			displayName: 'OAuth Client ID',
			name: 'oauthClientId',
			type: 'string',
			default: '',
			description:
				'Optional. The id of the client application at your authorization server, which Vault uses to check the access token. Not the Client ID above (that one is sent only as X-VaultAPI-ClientID).',
			displayOptions: { show: { authentication: ['oauth'] } },
		},
		{
			displayName: 'Allow Any OAuth Login Host',
			name: 'allowAnyOauthLoginHost',
			type: 'boolean',
			default: false,
			description:
				"Whether to send the access token to an OAuth Login Host other than Veeva's or your Vault's own",
			displayOptions: { show: { authentication: ['oauth'] } },
		},
		{
			// password: n8n blanks only password fields in what it sends the editor; a session is a
			// live login to Vault and must not reach the browser
			displayName: 'Session',
			name: 'sessionSecret',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			// what the session was issued for (transport/sessionBinding.ts): a change to the form
			// means a fresh login to the host named, never the old session sent on
			displayName: 'Session Issued For',
			name: 'sessionSecretBinding',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	/**
	 * A session for what the form says (a login, or the one this process got moments ago for the same
	 * form and Vault has not rejected); stored with what it was issued for.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const { sessionId } = await sessionForRun.call(this, credentials);
		return {
			sessionSecret: sessionId,
			sessionSecretBinding: sessionBinding(credentials, sessionId),
		};
	}

	/**
	 * The client id on every request, and the session only where it may go: issued for what the
	 * form says now, to the Vault it came from. A function, not n8n's generic form: n8n would
	 * evaluate the generic form's expressions on every request (~0.35 ms each).
	 */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const headers: IDataObject = {
			...requestOptions.headers,
			'X-VaultAPI-ClientID': String(credentials.clientId ?? ''),
		};
		if (sessionMayTravel(credentials, requestOptions.url, requestOptions.baseURL))
			headers.Authorization = String(credentials.sessionSecret);
		return { ...requestOptions, headers };
	};
}
