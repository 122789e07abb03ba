import {
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestMethods,
} from 'n8n-workflow';

import { readEnvelope } from './answer';
import { boundedOptions, CAPS, type VaultClientOptions } from './clientOptions';
import {
	credentialAccessFor,
	type CredentialAccess,
	type CredentialFunctions,
} from './credentialAccess';
import { NOT_RESENT, VaultRequestError } from './errors';
import { Deadline } from './deadline';
import { receive, safeRequestOptions } from './exchange';
import { asRequestError, sessionFailure, vaultFailure } from './failures';
import { Pacer } from './pacing';
import { redactSecrets, secretsOf } from './secrets';
import { sessionRejected, wasHandedOn } from './sessions';
import { checkAllowedDomain, isSessionBound } from './sessionBinding';
import {
	checkApiVersion,
	checkClientId,
	parseVaultAddress,
	VaultConfigError,
	type VaultAddress,
} from './vaultAddress';

/**
 * The Vault client: one request with the session bound to the credential, a fresh login when Vault
 * says the session expired, pacing by Vault's burst headers, retries where they are safe, and every
 * failure sorted by whether Vault may have acted (errors.ts). Its options and their caps are in
 * clientOptions.ts, the words of each failure in failures.ts.
 */

export interface VaultRequest {
	method: IHttpRequestMethods;
	/** path below /api/{version}, starting with "/"; or, with `apiPath`, a path from /api/ on (a next_page URL Vault gave) */
	path: string;
	apiPath?: boolean;
	body?: string | Buffer;
	contentType?: string;
	accept?: string;
	/**
	 * Send again after a failure whose outcome is unknown (reset, timeout, 5xx, garbled answer):
	 * only where Vault documents that applying the request twice is harmless (a read, Migrate,
	 * additive document role assignment). Failures where Vault did not act (no connection,
	 * INVALID_SESSION_ID, API_LIMIT_EXCEEDED) are sent again whatever this says.
	 */
	retryUnknownOutcome: boolean;
	/** Wait and send again on API_LIMIT_EXCEEDED (default true); job polling handles it itself. */
	retryRateLimit?: boolean;
}

export interface VaultAnswer {
	envelope: IDataObject;
	/** how many times the request was sent; above 1 only for retries the policy allows */
	attempts: number;
	/** why each extra attempt was made, in order */
	retryReasons: string[];
}

/**
 * The one way this package talks to Vault during an execution. Holds no state beyond the
 * execution: the session lives in the credential, so other executions and workers share it.
 */
export class VaultClient {
	readonly pacer = new Pacer();
	readonly options: VaultClientOptions;
	private readonly secrets: string[];
	/** the credential's form as this run read it (formDigest), to notice an edit made while it runs */
	private readonly formAtStart: string;

	private constructor(
		private readonly fx: CredentialFunctions,
		private readonly access: CredentialAccess,
		private readonly credentials: ICredentialDataDecryptedObject,
		private readonly credentialRef: { id: string; name: string },
		readonly address: VaultAddress,
		readonly apiVersion: string,
		options: Partial<VaultClientOptions>,
	) {
		this.options = boundedOptions(options);
		this.secrets = secretsOf(credentials);
		this.formAtStart = access.digest(credentials);
		// a session issued for another host, user, password, token or version is never sent on:
		// the first request logs in fresh with the form's values, to the host it names
		if (!isSessionBound(credentials)) credentials.sessionSecret = '';
	}

	static async create(
		fx: CredentialFunctions,
		options: Partial<VaultClientOptions> = {},
	): Promise<VaultClient> {
		const access = credentialAccessFor(fx);
		const credentials = await access.read(fx);
		const ref = fx.getNode().credentials?.[access.type];
		const checked = checkConfig(credentials);
		if (checked instanceof VaultRequestError) throw checked;
		const { address, version } = checked;
		return new VaultClient(
			fx,
			access,
			{ ...credentials },
			{ id: ref?.id ?? '', name: ref?.name ?? '' },
			address,
			version,
			options,
		);
	}

	/** Masks the credential's secrets in any text about to leave the node. */
	redact(text: string): string {
		return redactSecrets(text, [...this.secrets, ...secretsOf(this.credentials)]);
	}

	async request(request: VaultRequest): Promise<VaultAnswer> {
		const retryReasons: string[] = [];
		// a new session can be one another execution of this process obtained moments ago
		// (sessionForRun) that Vault has expired as well: a second new session is a fresh login
		let relogins = 0;
		for (let attempt = 1; ; attempt++) {
			// an empty session means this request logs in first (n8n's preAuthentication)
			if (this.credentials.sessionSecret === '') await this.refuseIfCredentialEdited(attempt);
			const outcome = await this.send(request).then(
				(envelope) => ({ envelope }),
				(caught: unknown) => ({
					error: asRequestError(caught, {
						host: this.address.host,
						timeoutMs: this.options.timeoutMs,
						redact: (text) => this.redact(text),
					}),
				}),
			);
			if ('envelope' in outcome) {
				const failure = vaultFailure(outcome.envelope);
				if (!failure) return { envelope: outcome.envelope, attempts: attempt, retryReasons };
				Object.assign(outcome, { error: failure });
			}
			const error = (outcome as { error: VaultRequestError }).error;
			if (error.details.errorType === 'INVALID_SESSION_ID') {
				// a session from a login of its own that Vault refuses at once ends the run; one handed on
				// from another execution (which Vault may have expired too) is replaced once by a login
				const handedOnSession = wasHandedOn(this.credentials.sessionSecret);
				if (
					this.credentials.authentication === 'sessionId' ||
					relogins >= 2 ||
					(relogins === 1 && !handedOnSession)
				)
					throw sessionFailure(this.credentials, attempt);
				relogins++;
				sessionRejected(this.credentials.sessionSecret);
				this.credentials.sessionSecret = '';
				retryReasons.push('the session had expired: logged in again and resent');
				continue;
			}
			const rateLimited = error.details.errorType === 'API_LIMIT_EXCEEDED';
			const retryable =
				error.kind === 'unreachable' ||
				(rateLimited && error.kind === 'vault' && request.retryRateLimit !== false) ||
				(request.retryUnknownOutcome && error.outcomeUnknown && !NOT_RESENT.has(error.kind));
			if (!retryable || attempt >= this.options.maxAttempts) {
				error.details.attempts = attempt;
				throw rateLimited
					? new VaultRequestError('rateLimited', error.message, error.details)
					: error;
			}
			retryReasons.push(`attempt ${attempt} failed (${error.message}); sent again`);
			await sleep(Math.min(this.options.retryWaitMs * 2 ** (attempt - 1), CAPS.retryWaitMs));
		}
	}

	/**
	 * A login writes the credential back: n8n 1.x (1.123.81) stores this run's whole starting copy of
	 * it with the new session, n8n 2.x merges the session into what is stored. So a login after an
	 * admin edited the credential (another Vault DNS, user or password) would, on 1.x, put the old
	 * settings back, and on either would go on with settings the admin has just replaced. Before
	 * every login the stored credential is read again; if its form changed, the run stops here.
	 * The request that needed the login was not acted on (no session, or Vault refused the old one).
	 */
	private async refuseIfCredentialEdited(attempt: number): Promise<void> {
		const stored = await this.access.read(this.fx).catch(() => undefined);
		if (stored !== undefined && this.access.digest(stored) === this.formAtStart) {
			// the OAuth2 credential's token as n8n holds it now (renewed by another execution, perhaps)
			this.credentials.accessToken = stored.accessToken;
			return;
		}
		throw new VaultRequestError(
			'sessionExpired',
			stored === undefined
				? 'The credential could not be read again before logging in to Vault (deleted or no longer shared while the run went on), so the run stopped before sending anything more.'
				: 'The credential was edited while this run was going (its Vault DNS, user, password or another login setting changed). Logging in again would go on with, and on n8n 1.x write back, the settings from before the edit, so the run stopped before sending anything more. Run it again to use the edited credential.',
			{ errorType: 'CREDENTIAL_CHANGED', attempts: attempt },
		);
	}

	/**
	 * One request, sent as exchange.ts makes every request: no redirect followed, a deadline of the
	 * request timeout from when n8n sends it (after any login n8n runs first), no answer over the cap.
	 */
	private async send(request: VaultRequest): Promise<IDataObject> {
		await this.pacer.beforeRequest();
		const url = request.apiPath
			? `${this.address.origin}${request.path}`
			: `${this.address.origin}/api/${this.apiVersion}${request.path}`;
		const deadline = new Deadline(this.options.timeoutMs);
		const headers = {
			Accept: request.accept ?? 'application/json',
			...(request.contentType ? { 'Content-Type': request.contentType } : {}),
		};
		const options = safeRequestOptions(
			{ method: request.method, url, headers, body: request.body },
			deadline,
			'whenSent',
		);
		const sent = this.access.send(this.fx, this.credentials, this.credentialRef, options);
		const response = await deadline.race(sent);
		this.pacer.afterResponse((response.headers ?? {}) as Record<string, string>);
		const answer = await receive(response, deadline, url);
		return readEnvelope(
			answer.statusCode,
			answer.headers['content-type'] ?? '',
			answer.body,
			this.address.host,
		);
	}
}

function checkConfig(credentials: ICredentialDataDecryptedObject) {
	try {
		checkClientId(credentials.clientId);
		const address = parseVaultAddress(credentials.vaultDns);
		checkAllowedDomain(credentials, address.origin);
		return { address, version: checkApiVersion(credentials.apiVersion) };
	} catch (error) {
		return new VaultRequestError(
			'config',
			error instanceof VaultConfigError ? error.message : String(error),
		);
	}
}
