import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/**
 * The node's two credentials and the Authentication parameter that chooses between them, as n8n's
 * nodes with OAuth2 beside another credential do (Salesforce, GitHub: a credential per value, shown
 * by displayOptions). Its values are transport/credentialAccess.ts's AUTHENTICATION_VALUES; absent,
 * it is the Veeva Vault API credential, so workflows saved before it keep theirs.
 */
export const vaultCredentials: INodeCredentialDescription[] = [
	{ name: 'veevaVaultApi', required: true, testedBy: 'veevaVaultApiTest', displayOptions: { show: { authentication: ['vaultApi'] } } },
	{ name: 'veevaVaultOAuth2Api', required: true, testedBy: 'veevaVaultOAuth2ApiTest', displayOptions: { show: { authentication: ['oAuth2'] } } },
];

export const authenticationField: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'Veeva Vault API', value: 'vaultApi', description: 'User name and password, a session ID, or an access token you paste' },
		{ name: 'Veeva Vault OAuth2 API', value: 'oAuth2', description: 'OAuth2 with your identity provider: n8n gets and renews the access token' },
	],
	default: 'vaultApi',
};
