import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { plainHttpAnswer, vaultErrors, VaultRequestError, type VaultLoginError } from './errors';
import { ExchangeError } from './exchangeErrors';

/**
 * Every way a request can fail, as a VaultRequestError in words a Vault admin can act on, sorted by
 * whether Vault may have acted (errors.ts holds the kinds). Apart from client.ts, which decides
 * what to do about a failure (log in again, wait, resend, stop), because what a failure is called
 * does not depend on the client's state.
 */

/** Where a request went and how long it could take, for the words of its failure. */
export interface FailureContext {
	host: string;
	timeoutMs: number;
	/** masks the credential's secrets in text about to leave the node */
	redact: (text: string) => string;
}

/** Whatever a request threw, as a VaultRequestError that says whether Vault may have acted. */
export function asRequestError(caught: unknown, at: FailureContext): VaultRequestError {
	if (caught instanceof VaultRequestError) return caught;
	if (caught instanceof ExchangeError) return exchangeFailure(caught, at);
	const cause = (caught as { cause?: unknown })?.cause ?? caught;
	// by name along the cause chain, not instanceof: n8n 1.123 wraps what the credential's preAuthentication
	// throws in a NodeApiError, and the credential's copy of errors.ts (VaultLoginError's module) may be
	// another module instance than the node's, so a refused login read as a broken connection (retried,
	// "may or may not have received")
	const login = causeNamed(caught, 'VaultLoginError') as VaultLoginError | undefined;
	if (login)
		return new VaultRequestError('login', at.redact(login.message), {
			errorType: login.errorType,
		});
	// n8n 1.123.81 hands the node a NodeApiError with neither the login error as cause nor as errorResponse
	// (seen in test:n8n): only its message is left, and a message in the login's own words (loginAnswer.ts)
	// is a refused login
	const message = String((caught as { message?: unknown })?.message ?? '');
	if (message.startsWith('Vault refused the login'))
		return new VaultRequestError('login', at.redact(message));
	const config = causeNamed(caught, 'VaultConfigError');
	if (config) return new VaultRequestError('config', config.message);
	return networkFailure(cause, at.host, at.timeoutMs, at.redact);
}

/** What a refused exchange means for this request, in words for a Vault admin. */
function exchangeFailure(error: ExchangeError, at: FailureContext): VaultRequestError {
	const host = at.host;
	switch (error.reason) {
		case 'deadline':
			return timedOut(host, at.timeoutMs);
		case 'tooLarge':
			return new VaultRequestError(
				'tooLarge',
				`${host} ${error.message} (Vault's answers to these calls are far smaller: a proxy or a broken Vault in the way?); Vault may or may not have acted on the request`,
			);
		case 'redirect':
			return new VaultRequestError(
				'redirect',
				at.redact(
					`${host} ${error.message}; the node does not follow redirects, so nothing was sent to ${error.details.targetHost}: check the Vault DNS, and any proxy or sign-in portal between n8n and Vault`,
				),
				{ httpCode: error.details.status },
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
export function vaultFailure(envelope: IDataObject): VaultRequestError | undefined {
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

export function sessionFailure(
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

/** The request deadline ran out (deadline.ts), or axios' idle timer, which fires no later. */
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
