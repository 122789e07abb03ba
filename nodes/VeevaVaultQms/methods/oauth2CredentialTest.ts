import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { vaultFormOf } from '../transport/oauth2Session';
import { veevaVaultApiTest } from './credentialTest';

/**
 * "Test credential" of the OAuth2 credential: the token n8n holds, exchanged at Vault's OAuth
 * endpoint for a fresh session, Validate Session User on it, then End Session: the same steps
 * as the other credential's OAuth mode (credentialTest.ts), with the token n8n obtained. A test
 * has no way to renew the token: a refused one is said so.
 */
export async function veevaVaultOAuth2ApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const form = vaultFormOf(data);
	if (form.accessToken === '') {
		return {
			status: 'Error',
			message:
				data.grantType === 'clientCredentials'
					? 'No access token yet: n8n fetches the first one when the node first runs with this credential. Run the node once, then test again.'
					: 'Not connected yet: click "Connect my account" to sign in at the identity provider, then test again.',
		};
	}
	return await veevaVaultApiTest.call(this, { ...credential, data: { ...form, authentication: 'oauth' } });
}
