import {
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
	type IPollFunctions,
} from 'n8n-workflow';

import { readEnvelope } from './answer';
import { credentialAccessFor, type CredentialAccess } from './credentialAccess';
import { NOT_RESENT, plainHttpAnswer, vaultErrors, VaultRequestError } from './errors';
import { Deadline, ExchangeError, MAX_ANSWER_BYTES, receive, safeRequestOptions } from './exchange';
import { VaultLoginError } from './login';
import { pacerFor } from './pacers';
import type { Pacer } from './pacing';
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
 * failure sorted by whether Vault may have acted (errors.ts).
 */

export const CREDENTIAL_TYPE = 'veevaVaultApi';

/** Where a client runs: an execution, the editor loading a list (object picker, roles, columns), or a trigger's poll. */
export type VaultFunctions = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

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

export interface VaultClientOptions {
	timeoutMs: number;
	maxAttempts: number;
	retryWaitMs: number;
}

const DEFAULT_OPTIONS: VaultClientOptions = {
	timeoutMs: 300_000,
	maxAttempts: 3,
	retryWaitMs: 2_000,
};

/**
 * Bounds on what a user (or a broken Vault) can make one run wait or hold; docs/reliability.md's "Caps" says
 * why each. A request timeout of 30 minutes covers a 1 GB upload at ~0.6 MB/s, and it is each
 * request's wall-clock deadline, not an idle timer (transport/exchange.ts); 10 attempts and 60 s
 * between them are far past any recoverable fault; no answer over 64 MiB is read (exchange.ts,
 * MAX_ANSWER_BYTES, says why that size).
 */
export const CAPS = {
	timeoutMs: 30 * 60_000,
	maxAttempts: 10,
	retryWaitMs: 60_000,
	answerBytes: MAX_ANSWER_BYTES,
} as const;

export function boundedOptions(options: Partial<VaultClientOptions>): VaultClientOptions {
	const merged = { ...DEFAULT_OPTIONS, ...options };
	const within = (value: number, fallback: number, min: number, max: number) =>
		Number.isFinite(value) ? Math.min(Math.max(value, min), max) : fallback;
	return {
		timeoutMs: within(merged.timeoutMs, DEFAULT_OPTIONS.timeoutMs, 1_000, CAPS.timeoutMs),
		maxAttempts: Math.floor(
			within(merged.maxAttempts, DEFAULT_OPTIONS.maxAttempts, 1, CAPS.maxAttempts),
		),
		retryWaitMs: within(merged.retryWaitMs, DEFAULT_OPTIONS.retryWaitMs, 0, CAPS.retryWaitMs),
	};
}

/**
 * The one way this package talks to Vault during an execution. Holds no state beyond the
 * execution: the session lives in the credential, so other executions and workers share it.
 */
export class VaultClient {
	/** this process's pacer for the Vault and user: shared with every other execution, list and poll (pacers.ts) */
	readonly pacer: Pacer;
	readonly options: VaultClientOptions;
	private readonly secrets: string[];
	/** the credential's form as this run read it (formDigest), to notice an edit made while it runs */
	private readonly formAtStart: string;

	private constructor(
		private readonly fx: VaultFunctions,
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
		this.pacer = pacerFor(address.origin, credentials, credentialRef.id);
		// a session issued for another host, user, password, token or version is never sent on:
		// the first request logs in fresh with the form's values, to the host it names
		if (!isSessionBound(credentials)) credentials.sessionSecret = '';
	}

	static async create(
		fx: VaultFunctions,
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
				(caught: unknown) => ({ error: this.asRequestError(caught) }),
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
		const url = request.apiPath
			? `${this.address.origin}${request.path}`
			: `${this.address.origin}/api/${this.apiVersion}${request.path}`;
		// the pacer's wait comes before the request's deadline starts
		const ticket = await this.pacer.acquire();
		const deadline = new Deadline(this.options.timeoutMs);
		const response = await this.exchange(request, url, deadline).catch((error: unknown) => {
			this.pacer.release(ticket);
			throw error;
		});
		this.pacer.release(ticket, (response.headers ?? {}) as Record<string, unknown>);
		const answer = await receive(response, deadline, url);
		return readEnvelope(
			answer.statusCode,
			answer.headers['content-type'] ?? '',
			answer.body,
			this.address.host,
		);
	}

	private async exchange(request: VaultRequest, url: string, deadline: Deadline) {
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
		return await deadline.race(sent);
	}

	private asRequestError(caught: unknown): VaultRequestError {
		if (caught instanceof VaultRequestError) return caught;
		if (caught instanceof ExchangeError) return this.exchangeFailure(caught);
		const cause = (caught as { cause?: unknown })?.cause ?? caught;
		// by name along the cause chain, not instanceof: n8n 1.123 wraps what the credential's preAuthentication
		// throws in a NodeApiError, and the credential's copy of login.ts may be another module instance than the
		// node's, so a refused login read as a broken connection (retried, "may or may not have received")
		const login = causeNamed(caught, 'VaultLoginError') as VaultLoginError | undefined;
		if (login)
			return new VaultRequestError('login', this.redact(login.message), {
				errorType: login.errorType,
			});
		// n8n 1.123.81 hands the node a NodeApiError with neither the login error as cause nor as errorResponse
		// (seen in test:n8n): only its message is left, and a message of login.ts's own words is a refused login
		const message = String((caught as { message?: unknown })?.message ?? '');
		if (message.startsWith('Vault refused the login'))
			return new VaultRequestError('login', this.redact(message));
		const config = causeNamed(caught, 'VaultConfigError');
		if (config) return new VaultRequestError('config', config.message);
		return networkFailure(cause, this.address.host, this.options.timeoutMs, (text) =>
			this.redact(text),
		);
	}

	/** What a refused exchange means for this request, in words for a Vault admin. */
	private exchangeFailure(error: ExchangeError): VaultRequestError {
		const host = this.address.host;
		switch (error.reason) {
			case 'deadline':
				return timedOut(host, this.options.timeoutMs);
			case 'tooLarge':
				return new VaultRequestError(
					'tooLarge',
					`${host} ${error.message} (Vault's answers to these calls are far smaller: a proxy or a broken Vault in the way?); Vault may or may not have acted on the request`,
				);
			case 'redirect':
				return new VaultRequestError(
					'redirect',
					this.redact(
						`${host} ${error.message}; the node does not follow redirects, so nothing was sent to ${error.details.targetHost}: check the Vault DNS, and any proxy or sign-in portal between n8n and Vault`,
					),
					{ httpCode: error.details.status },
				);
		}
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

/** The first error of this name in the chain of causes (at most a few deep), whatever realm it was made in. */
function causeNamed(error: unknown, name: string): Error | undefined {
	// n8n-workflow's NodeError keeps an Error as `cause`, anything else (an error of another realm too) as `errorResponse`
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const link = current as { name?: unknown; cause?: unknown; errorResponse?: unknown };
		if (link.name === name) return current as Error;
		current = link.cause ?? link.errorResponse;
	}
	return undefined;
}

/** Vault's FAILURE envelope (HTTP 200) as an error; undefined for SUCCESS and WARNING. */
function vaultFailure(envelope: IDataObject): VaultRequestError | undefined {
	if (envelope.responseStatus !== 'FAILURE' && envelope.responseStatus !== 'EXCEPTION')
		return undefined;
	const errors = vaultErrors(envelope.errors);
	const type = errors[0]?.type ?? String(envelope.type ?? 'UNKNOWN');
	const vaultMessage =
		errors
			.map((error) => error.message)
			.filter(Boolean)
			.join('; ') || String(envelope.message ?? '');
	return new VaultRequestError(
		'vault',
		`Vault refused the request (${type}): ${vaultMessage || 'no reason given'}`,
		{
			errorType: type,
			vaultMessage,
		},
	);
}

function sessionFailure(
	credentials: ICredentialDataDecryptedObject,
	attempts: number,
): VaultRequestError {
	const message =
		credentials.authentication === 'sessionId'
			? 'Vault says the session id in the credential is no longer valid (expired, ended or for another Vault). Get a new session id, or switch the credential to Username & Password or OAuth so the node can log in again by itself.'
			: 'Vault rejected a brand-new session at once (INVALID_SESSION_ID right after logging in again). Stopped instead of logging in again and again; check that the user is active and may use the API.';
	return new VaultRequestError('sessionExpired', message, {
		errorType: 'INVALID_SESSION_ID',
		attempts,
	});
}

/** The request deadline ran out (exchange.ts), or axios' idle timer, which fires no later. */
function timedOut(host: string, timeoutMs: number): VaultRequestError {
	return new VaultRequestError(
		'noAnswer',
		`${host} did not answer in time (the request timeout is ${timeoutMs / 1000} s); Vault may or may not have received the request`,
	);
}

const UNREACHABLE_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

function networkFailure(
	cause: unknown,
	host: string,
	timeoutMs: number,
	redact: (text: string) => string,
): VaultRequestError {
	const code = String((cause as { code?: unknown })?.code ?? '');
	const message = redact(String((cause as { message?: unknown })?.message ?? cause));
	if (UNREACHABLE_CODES.has(code)) {
		return new VaultRequestError(
			'unreachable',
			`Could not connect to ${host} (${code}): check the Vault DNS and the network`,
		);
	}
	const plainHttp = plainHttpAnswer(host, cause);
	if (plainHttp) return new VaultRequestError('config', plainHttp);
	if (TIMEOUT_CODES.has(code) || /timeout/i.test(message)) return timedOut(host, timeoutMs);
	return new VaultRequestError(
		'noAnswer',
		`The connection to ${host} broke before Vault answered (${code || message}); Vault may or may not have received the request`,
	);
}
