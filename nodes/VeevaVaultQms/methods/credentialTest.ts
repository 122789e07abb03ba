import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { Deadline } from '../transport/deadline';
import {
	receive,
	safeRequestOptions,
	type RawAnswer,
	type ReadAnswer,
} from '../transport/exchange';
import { ExchangeError } from '../transport/exchangeErrors';
import { parseJsonObject } from '../transport/answer';
import { vaultErrors } from '../transport/errors';
import { LOGIN_DEADLINE_MS } from '../transport/login';
import { loginToVault } from '../transport/sessions';
import { redactSecrets, secretsOf } from '../transport/secrets';
import { checkApiVersion, parseVaultAddress } from '../transport/vaultAddress';

export type LegacyHttp = IHttpRequestHelper & {
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<RawAnswer> };
};

/**
 * "Test credential": always a fresh login with what is on the form, never the stored session
 * (which may have been issued for another user, password or Vault), then Vault's Validate Session
 * User on that session, then End Session so the test leaves no session behind (whatever Validate
 * Session User answered). n8n runs a credential's declarative `test` request with the stored
 * session and no login, so this credential has none and is tested by the node (`testedBy`). Every
 * call is made as exchange.ts makes them: no redirect followed, a deadline, a size cap.
 */
export async function veevaVaultApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const form: ICredentialDataDecryptedObject = {
		...(credential.data ?? {}),
		sessionSecret: '',
		sessionSecretBinding: '',
	};
	const secrets = secretsOf(credential.data);
	const http = legacyHttp(this);
	let session: { base: string; headers: IDataObject } | undefined;
	try {
		const { sessionId } = await loginToVault.call(http, form);
		secrets.push(sessionId);
		const address = parseVaultAddress(form.vaultDns);
		const base = `${address.origin}/api/${checkApiVersion(form.apiVersion)}`;
		session = {
			base,
			headers: {
				Authorization: sessionId,
				'X-VaultAPI-ClientID': String(form.clientId ?? ''),
				Accept: 'application/json',
			},
		};
		// Validate Session User: GET /api/{version}/objects/users/me (Veeva API reference, "Validate Session User")
		const me = await call(http, 'GET', `${base}/objects/users/me`, session.headers).catch(
			(error: unknown) => {
				throw error instanceof ExchangeError
					? new Error(validateFailure(error, address.host))
					: error;
			},
		);
		const answer = parseJsonObject(me.body);
		if (me.statusCode !== 200 || answer?.responseStatus !== 'SUCCESS') {
			const errors = vaultErrors(answer?.errors);
			const reason = errors[0]
				? `${errors[0].type ?? 'ERROR'}: ${errors[0].message ?? ''}`
				: `HTTP ${me.statusCode}`;
			return {
				status: 'Error',
				message: redactSecrets(
					`Logged in, but Vault did not accept the session (${reason}): check the user's API access`,
					secrets,
				),
			};
		}
		return {
			status: 'OK',
			message: 'Connection successful: logged in and Vault accepted the session',
		};
	} catch (error) {
		return {
			status: 'Error',
			message: redactSecrets(String((error as Error)?.message ?? error), secrets),
		};
	} finally {
		// End Session: DELETE /api/{version}/session (Veeva API reference, "End Session"); a session id
		// typed into the form is the user's own and is left alone
		if (session && form.authentication !== 'sessionId')
			await call(http, 'DELETE', `${session.base}/session`, session.headers).catch(() => undefined);
	}
}

/** One call of the test after its login, with the login's deadline. */
async function call(
	http: LegacyHttp,
	method: IHttpRequestMethods,
	url: string,
	headers: IDataObject,
): Promise<ReadAnswer> {
	const deadline = new Deadline(LOGIN_DEADLINE_MS);
	const sent = await deadline.race(
		http.helpers.httpRequest(safeRequestOptions({ method, url, headers }, deadline, 'now')),
	);
	return await receive(sent, deadline, url);
}

function validateFailure(error: ExchangeError, host: string): string {
	switch (error.reason) {
		case 'redirect':
			return `Logged in, but Validate Session User at ${host} ${error.message}; the node does not follow redirects, so the session was not sent there (nothing reached ${error.details.targetHost}): check the Vault DNS`;
		case 'deadline':
			return `Logged in, but Validate Session User at ${host} did not answer in time (within ${LOGIN_DEADLINE_MS / 1000} s): check the network and try again`;
		case 'tooLarge':
			return `Logged in, but Validate Session User at ${host} ${error.message}: check the Vault DNS`;
	}
}

/**
 * n8n gives a credential test only the legacy `request` helper; login speaks IHttpRequestOptions.
 * The legacy helper follows the redirects of GET and HEAD unless `followRedirect` is false, and
 * those of every method with `followAllRedirects` (@n8n/backend-network, http/axios/legacy.js):
 * both off, axios gets maxRedirects 0. It takes no abort signal: the deadline races it instead
 * (Deadline.race). `useStream` hands the body to exchange.ts's capped reader.
 */
function legacyHttp(fx: ICredentialTestFunctions): LegacyHttp {
	return {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				const response = (await fx.helpers.request({
					method: options.method ?? 'GET',
					uri: options.url,
					headers: options.headers,
					body: options.body,
					timeout: options.timeout ?? LOGIN_DEADLINE_MS,
					json: false,
					simple: false,
					resolveWithFullResponse: true,
					followRedirect: false,
					followAllRedirects: false,
					useStream: true,
				})) as RawAnswer;
				return { statusCode: response.statusCode, headers: response.headers, body: response.body };
			},
		},
	};
}
