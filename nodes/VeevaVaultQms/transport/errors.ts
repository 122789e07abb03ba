/**
 * What can go wrong on one Vault call, sorted by what it means for the rows in it:
 * whether Vault may have acted on the request decides whether sending it again is safe.
 */
export type FailureKind =
	| 'config' // the credential or a parameter is unusable; nothing sent
	| 'login' // no session could be had; nothing sent
	| 'vault' // Vault answered FAILURE: it did not act on the request
	| 'sessionExpired' // INVALID_SESSION_ID even after a fresh login; nothing done
	| 'rateLimited' // API_LIMIT_EXCEEDED after every retry; nothing done
	| 'unreachable' // no connection; nothing sent
	| 'noAnswer' // connection reset or timed out: Vault may or may not have acted
	| 'httpStatus' // a non-200 answer from something between n8n and Vault
	| 'notVault' // a web page (proxy or sign-in portal) instead of Vault's API
	| 'redirect' // a 3xx, never followed: the request was not carried out where it was sent (RFC 9110, 15.4)
	| 'tooLarge' // an answer over CAPS.answerBytes, not read: Vault may have acted
	| 'garbled'; // a 200 whose body is not readable JSON or CSV: Vault may have acted

export const OUTCOME_UNKNOWN: ReadonlySet<FailureKind> = new Set([
	'noAnswer',
	'httpStatus',
	'garbled',
	'tooLarge',
]);

/** Outcome unknown, yet not worth sending again: the same request meets the same answer (an oversized one). */
export const NOT_RESENT: ReadonlySet<FailureKind> = new Set(['tooLarge']);

export class VaultRequestError extends Error {
	constructor(
		readonly kind: FailureKind,
		message: string,
		readonly details: {
			errorType?: string;
			vaultMessage?: string;
			httpCode?: number;
			attempts?: number;
			description?: string;
		} = {},
	) {
		super(message);
		this.name = 'VaultRequestError';
	}

	/** True when Vault may have acted on the request although the call failed. */
	get outcomeUnknown(): boolean {
		return OUTCOME_UNKNOWN.has(this.kind);
	}
}

/**
 * A login that did not give a usable session for the Vault asked for (login.ts, loginAnswer.ts,
 * oauth2Session.ts). Message is for the user. Told apart by name where it may come from another
 * module instance (failures.ts, causeNamed).
 */
export class VaultLoginError extends Error {
	constructor(
		message: string,
		readonly errorType?: string,
	) {
		super(message);
		this.name = 'VaultLoginError';
	}
}

/**
 * An https:// address whose server answered in plain HTTP: OpenSSL's "wrong version number"
 * (Node's EPROTO / ERR_SSL_WRONG_VERSION_NUMBER), said in words an admin can act on. Undefined for
 * any other failure.
 */
export function plainHttpAnswer(host: string, cause: unknown): string | undefined {
	const code = errorCode(cause);
	const message = String((cause as { message?: unknown })?.message ?? '');
	if (
		code !== 'ERR_SSL_WRONG_VERSION_NUMBER' &&
		!(code === 'EPROTO' && /wrong version number/i.test(message))
	)
		return undefined;
	return `${host} does not speak HTTPS (it answered the secure handshake in plain HTTP). A Vault always uses https; for a test Vault on this machine, such as the sandbox, enter its address with http://. Nothing was sent.`;
}

/** A network error's code (ECONNREFUSED, EPROTO, ...), its own or its cause's; '' when it has none. */
export function errorCode(cause: unknown): string {
	return String(
		(cause as { code?: unknown })?.code ??
			(cause as { cause?: { code?: unknown } })?.cause?.code ??
			'',
	);
}

/** One entry of Vault's `errors` list (Veeva API reference, "Errors": a type and a message). */
export interface VaultErrorEntry {
	type?: string;
	message?: string;
}

/** Vault's `errors` list of an answer, as entries; empty when the answer has none (or not a list). */
export function vaultErrors(errors: unknown): VaultErrorEntry[] {
	return Array.isArray(errors) ? (errors as VaultErrorEntry[]) : [];
}
