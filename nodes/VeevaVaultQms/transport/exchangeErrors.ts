/**
 * Why an exchange failed before its answer could be read as Vault's (a redirect, an answer over the
 * cap, the deadline), in the words every caller shares; each caller says who answered and what it
 * means (client.ts through failures.ts, login.ts, the credential tests). Apart from exchange.ts so
 * that the errors and how a redirect's target is shown read on their own.
 */

/** Why an exchange failed before the answer could be read as Vault's. */
export type ExchangeFailureReason = 'deadline' | 'tooLarge' | 'redirect';

/**
 * A failed exchange. `message` is the part every caller shares ("answered with a redirect (HTTP
 * 307) to https://sso.example.com/login?…"); each caller says who answered and what it means.
 */
export class ExchangeError extends Error {
	constructor(
		readonly reason: ExchangeFailureReason,
		message: string,
		readonly details: {
			limitMs?: number;
			maxBytes?: number;
			status?: number;
			targetHost?: string;
		} = {},
	) {
		super(message);
		this.name = 'ExchangeError';
	}
}

/**
 * Where a redirect pointed, as shown in an error: scheme, host and path, never the query or
 * fragment (a sign-in portal's Location can carry a relay state, an authorization code or a token,
 * and errors end up in execution logs), nor any user info; "?…" says a query was left out.
 */
export function shownTarget(
	location: string | undefined,
	requestUrl: string,
): { shown: string; host: string } {
	if (!location) return { shown: 'no address (the answer named none)', host: 'no other host' };
	let url: URL;
	try {
		url = new URL(location, requestUrl);
	} catch {
		return { shown: 'an address that is not a valid URL', host: 'no other host' };
	}
	const path = url.pathname.length > 120 ? `${url.pathname.slice(0, 120)}…` : url.pathname;
	return {
		shown: `${url.protocol}//${url.host}${path}${url.search || url.hash ? '?…' : ''}`,
		host: url.host,
	};
}

export function redirectError(
	status: number,
	location: string | undefined,
	requestUrl: string,
): ExchangeError {
	const target = shownTarget(location, requestUrl);
	return new ExchangeError(
		'redirect',
		`answered with a redirect (HTTP ${status}) to ${target.shown}`,
		{ status, targetHost: target.host },
	);
}

export function tooLargeError(maxBytes: number): ExchangeError {
	const megabytes = Math.round(maxBytes / (1024 * 1024));
	return new ExchangeError(
		'tooLarge',
		`sent an answer larger than the ${megabytes} MB cap on one answer (${maxBytes.toLocaleString('en-US')} bytes); it was not read`,
		{
			maxBytes,
		},
	);
}
