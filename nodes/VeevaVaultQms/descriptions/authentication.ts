import type { INodeProperties } from 'n8n-workflow';

/**
 * The Authentication parameter that chooses between the package's two credentials, as n8n's nodes
 * with OAuth2 beside another credential do (n8n-nodes-base Github.node.ts: accessToken or oAuth2):
 * each credential in the node's `credentials` is shown for one value (displayOptions; that list
 * stays a literal in the node file, where n8n's lint looks for its testedBy). Its values are
 * transport/credentialAccess.ts's AUTHENTICATION_VALUES; absent, it is the Veeva Vault API
 * credential, so workflows saved before it keep theirs.
 */
export const authenticationField: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'Veeva Vault API',
			value: 'vaultApi',
			description: 'User name and password, a session ID, or an access token you paste',
		},
		{
			name: 'Veeva Vault OAuth2 API',
			value: 'oAuth2',
			description: 'OAuth2 with your identity provider: n8n gets and renews the access token',
		},
	],
	default: 'vaultApi',
};
