import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { loginToVault, parseJsonObject } from '../transport/login';
import { redactSecrets, secretsOf } from '../transport/secrets';
import { checkApiVersion, parseVaultAddress } from '../transport/vaultAddress';

/**
 * "Test credential": always a fresh login with what is on the form, never the stored session
 * (which may have been issued for another user, password or Vault), then Vault's Validate Session
 * User on that session, then End Session so the test leaves no session behind. n8n runs a
 * credential's declarative `test` request with the stored session and no login, so this
 * credential has none and is tested by the node (`testedBy`).
 */
export async function veevaVaultApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const form: ICredentialDataDecryptedObject = { ...(credential.data ?? {}), sessionSecret: '', sessionSecretBinding: '' };
	const secrets = secretsOf(credential.data);
	const http = legacyHttp(this);
	try {
		const { sessionId } = await loginToVault.call(http, form);
		secrets.push(sessionId);
		const base = `${parseVaultAddress(form.vaultDns).origin}/api/${checkApiVersion(form.apiVersion)}`;
		const headers = { Authorization: sessionId, 'X-VaultAPI-ClientID': String(form.clientId ?? ''), Accept: 'application/json' };
		// Validate Session User: GET /api/{version}/objects/users/me (Veeva API reference, "Validate Session User")
		const me = await http.helpers.httpRequest({ method: 'GET', url: `${base}/objects/users/me`, headers });
		const answer = parseJsonObject(typeof me.body === 'string' ? me.body : JSON.stringify(me.body ?? ''));
		// End Session: DELETE /api/{version}/session (Veeva API reference, "End Session"); a session id
		// typed into the form is the user's own and is left alone
		if (form.authentication !== 'sessionId') await http.helpers.httpRequest({ method: 'DELETE', url: `${base}/session`, headers }).catch(() => undefined);
		if (me.statusCode !== 200 || answer?.responseStatus !== 'SUCCESS') {
			const errors = (answer?.errors as Array<{ type?: string; message?: string }> | undefined) ?? [];
			const reason = errors[0] ? `${errors[0].type ?? 'ERROR'}: ${errors[0].message ?? ''}` : `HTTP ${me.statusCode}`;
			return { status: 'Error', message: redactSecrets(`Logged in, but Vault did not accept the session (${reason}): check the user's API access`, secrets) };
		}
		return { status: 'OK', message: 'Connection successful: logged in and Vault accepted the session' };
	} catch (error) {
		return { status: 'Error', message: redactSecrets(String((error as Error)?.message ?? error), secrets) };
	}
}

/** n8n gives a credential test only the legacy `request` helper; login speaks IHttpRequestOptions. */
function legacyHttp(fx: ICredentialTestFunctions): IHttpRequestHelper & {
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<{ statusCode: number; body: unknown }> };
} {
	return {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				const response = (await fx.helpers.request({
					method: options.method ?? 'GET',
					uri: options.url,
					headers: options.headers,
					body: options.body,
					timeout: options.timeout ?? 60_000,
					json: false,
					simple: false,
					resolveWithFullResponse: true,
				})) as { statusCode: number; body: unknown };
				return { statusCode: response.statusCode, body: response.body };
			},
		},
	};
}
