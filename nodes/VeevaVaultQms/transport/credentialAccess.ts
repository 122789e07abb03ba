import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';

import type { RawAnswer } from './exchange';
import { OIDC_TYPE_NAME, oauth2Session, vaultFormOf } from './oauth2Session';
import { formDigest, isSessionBound, sessionBinding, sessionMayTravel } from './sessionBinding';

/**
 * Which of the package's two credentials the node uses (its Authentication parameter), and how a
 * request carries that credential's session: the Veeva Vault API credential through n8n's
 * preAuthentication and the credential's `authenticate`; the OAuth2 credential with a session
 * this run got by exchanging n8n's access token (oauth2Session.ts), kept with the run, never stored.
 */

/** Where a credential is read and a client runs: an execution, the editor loading a list (object picker, roles, columns), or a trigger's poll. */
export type CredentialFunctions = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export const API_CREDENTIAL_TYPE = 'veevaVaultApi';

/** The node's Authentication parameter: its values name the credential each one uses. */
export const AUTHENTICATION_VALUES = { api: 'vaultApi', oauth2: 'oAuth2' } as const;

export interface CredentialAccess {
	type: string;
	/** the credential as the Vault form (login.ts, sessionBinding.ts) */
	read(fx: CredentialFunctions): Promise<ICredentialDataDecryptedObject>;
	/** what an admin edits on the form: a change while a run goes on stops it before a new login */
	digest(form: ICredentialDataDecryptedObject): string;
	/** one request with the session (logging in first when the form holds none) */
	send(
		fx: CredentialFunctions,
		form: ICredentialDataDecryptedObject,
		ref: { id: string; name: string },
		options: IHttpRequestOptions,
	): Promise<RawAnswer>;
}

const apiAccess: CredentialAccess = {
	type: API_CREDENTIAL_TYPE,
	read: async (fx) => await fx.getCredentials(API_CREDENTIAL_TYPE),
	digest: formDigest,
	send: async (fx, form, ref, options) =>
		(await (fx as IExecuteFunctions).helpers.httpRequestWithAuthentication.call(
			fx as IExecuteFunctions,
			API_CREDENTIAL_TYPE,
			options,
			{
				credentialsDecrypted: { ...ref, type: API_CREDENTIAL_TYPE, data: form },
			},
		)) as RawAnswer,
};

const oauth2Access: CredentialAccess = {
	type: OIDC_TYPE_NAME,
	read: async (fx) => vaultFormOf(await fx.getCredentials(OIDC_TYPE_NAME)),
	// n8n renews the token by itself: a new token is not an edit of the form
	digest: (form) => formDigest({ ...form, accessToken: '' }),
	send: async (fx, form, ref, options) => {
		if (!isSessionBound(form)) {
			const { sessionId, form: used } = await oauth2Session(fx, form, ref.name);
			Object.assign(form, {
				accessToken: used.accessToken,
				sessionSecret: sessionId,
				sessionSecretBinding: sessionBinding(used, sessionId),
			});
		}
		// the same rule as the API credential's `authenticate`: the session only to the Vault that issued it
		const headers: IDataObject = {
			...options.headers,
			'X-VaultAPI-ClientID': String(form.clientId ?? ''),
		};
		if (sessionMayTravel(form, options.url, options.baseURL))
			headers.Authorization = String(form.sessionSecret);
		options.headers = headers;
		// Stop cancels it, as it does a request n8n authenticates (exchange.ts, armWhenSent)
		if ('getExecutionCancelSignal' in fx) options.abortSignal = fx.getExecutionCancelSignal();
		return (await fx.helpers.httpRequest(options)) as RawAnswer;
	},
};

/** The access of the credential the node's Authentication parameter names (the API credential when it names none). */
export function credentialAccessFor(fx: CredentialFunctions): CredentialAccess {
	const value =
		'getInputData' in fx
			? fx.getNodeParameter('authentication', 0, AUTHENTICATION_VALUES.api)
			: fx.getNodeParameter('authentication', AUTHENTICATION_VALUES.api);
	return value === AUTHENTICATION_VALUES.oauth2 ? oauth2Access : apiAccess;
}
