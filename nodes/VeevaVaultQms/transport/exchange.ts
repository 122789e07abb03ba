/**
 * How every request of this package leaves n8n and how its answer comes back: the one place that
 * builds request options and reads answers, for the node's requests, its logins (password and
 * OAuth) and "Test credential" alike.
 *
 * - No redirect is followed. n8n's request helpers follow 301/302/303/307/308 to any origin and put
 *   the Authorization header back on the next hop (a 307 or 308 re-sends the body too), and
 *   "Allowed HTTP Request Domains" does not stop it: a password, token, session or batch of rows
 *   would go wherever a proxy, a sign-in portal or a hijacked DNS name points. A 3xx answer is an
 *   error naming where it pointed (RFC 9110, 15.4: a redirect asks the client to go elsewhere; the
 *   request was not carried out where it was sent).
 * - Every request has a wall-clock deadline. axios' `timeout`, all n8n passes on, is an idle timer
 *   (each byte resets it; a byte every 400 ms held a 1 s timeout open for 26 s), and once an answer
 *   is streamed it does not apply at all.
 * - No answer larger than MAX_ANSWER_BYTES is read (n8n's helpers set axios' maxContentLength to
 *   Infinity, and the options offer no way to change it).
 *
 * What reaches axios, read in n8n-core 2.41.1 / @n8n/backend-network (http/axios/request.js and
 * legacy.js): `disableFollowRedirect` → `maxRedirects: 0` (and no manual SSRF-guard redirect loop,
 * which runs only when maxRedirects is not 0); `encoding: 'stream'` → `responseType: 'stream'`, so
 * this module reads the body itself, counting bytes, against the deadline; `abortSignal` →
 * `signal`, which aborts the socket in any phase. The legacy `request` helper (all a credential
 * test has) takes `followRedirect: false` and `followAllRedirects: false` (→ `maxRedirects: 0`) and
 * `useStream`, but no signal: there the deadline abandons the request and discards a late answer.
 *
 * Beside it: deadline.ts (the deadline, and freeing an answer left unread), exchangeErrors.ts (why
 * an exchange failed, and how a redirect's target is shown).
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { discardBody, isStream, type Deadline } from './deadline';
import { redirectError, tooLargeError } from './exchangeErrors';

/**
 * The largest answer read, 64 MiB. Vault documents no answer size; the largest answers these calls
 * get are VQL pages of at most 1,000 rows (Veeva API reference, "Pagination Best Practices": page
 * size default and maximum 1,000 for objects, 200 for documents) and the Assign / Remove Users and
 * Groups on Documents answers of at most 1,000 rows of ids. 64 MiB allows 64 KiB a row of a full
 * page: 60 times more than a row of the fields this node reads (ids, names, emails), room for a
 * Run Query that selects long text fields, and still a bound on what a broken Vault or a proxy can
 * make n8n hold in memory (CAPS.answerBytes).
 */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

type RequestBasics = Pick<IHttpRequestOptions, 'method' | 'url' | 'headers' | 'body'>;

/**
 * The options of every request: no redirect followed (nor credentials sent on one, should a
 * helper follow it anyway), the body as a stream for `receive`, any HTTP status returned rather
 * than thrown, `timeout` as axios' idle timer, and the deadline's signal. `armed: 'now'` starts the
 * deadline at once; `'whenSent'` when n8n sends the request (see armWhenSent).
 */
export function safeRequestOptions(
	basics: RequestBasics,
	deadline: Deadline,
	armed: 'now' | 'whenSent',
): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		...basics,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		encoding: 'stream',
		json: false,
		timeout: deadline.ms,
	};
	if (armed === 'now') options.abortSignal = deadline.arm();
	else armWhenSent(options, deadline);
	return options;
}

/**
 * n8n-core's httpRequestWithAuthentication (2.41.1, request-helpers/authentication.js) replaces
 * `abortSignal` with the execution's cancel signal, then may log in (preAuthentication) before the
 * request leaves. So the signal is an accessor: it keeps what n8n assigns (Stop still cancels) and,
 * when read to send the request (by the credential's `authenticate`, which copies the options, or
 * by n8n's request builder), starts the deadline and hands on both signals as one.
 */
function armWhenSent(options: IHttpRequestOptions, deadline: Deadline): void {
	let cancel: AbortSignal | undefined;
	let combined: AbortSignal | undefined;
	Object.defineProperty(options, 'abortSignal', {
		enumerable: true,
		configurable: true,
		get: (): AbortSignal => {
			const expiry = deadline.arm();
			if (!cancel) return expiry;
			combined ??=
				typeof AbortSignal.any === 'function' ? AbortSignal.any([cancel, expiry]) : expiry;
			return combined;
		},
		set: (signal: unknown) => {
			cancel = signal instanceof AbortSignal ? signal : undefined;
			combined = undefined;
		},
	});
}

/** An answer as n8n's helpers return it with `returnFullResponse` (the legacy helper: the same fields). */
export interface RawAnswer {
	statusCode: number;
	headers?: unknown;
	body?: unknown;
}

/** An answer read in full: under the size cap, within the deadline, not a redirect. */
export interface ReadAnswer {
	statusCode: number;
	headers: Record<string, string>;
	body: string;
}

/**
 * Reads an answer: a redirect is refused unread (naming where it pointed), an answer that says or
 * turns out to be larger than `maxBytes` is refused, and reading stops when the deadline runs out.
 * `requestUrl` resolves a relative Location.
 */
export async function receive(
	answer: RawAnswer,
	deadline: Deadline,
	requestUrl: string,
	maxBytes = MAX_ANSWER_BYTES,
): Promise<ReadAnswer> {
	const statusCode = Number(answer.statusCode);
	const headers = plainHeaders(answer.headers);
	if (statusCode >= 300 && statusCode < 400) {
		discardBody(answer.body);
		throw redirectError(statusCode, headers.location, requestUrl);
	}
	const declared = Number(headers['content-length']);
	if (Number.isFinite(declared) && declared > maxBytes) {
		discardBody(answer.body);
		throw tooLargeError(maxBytes);
	}
	const body = await readCapped(answer.body, deadline, maxBytes);
	return { statusCode, headers, body: body.toString('utf8') };
}

/** The body's bytes, refused past `maxBytes`, abandoned when the deadline runs out. */
async function readCapped(body: unknown, deadline: Deadline, maxBytes: number): Promise<Buffer> {
	if (!isStream(body)) {
		// a helper that buffered the answer after all (a test double, an evaluation mock)
		const bytes = Buffer.isBuffer(body)
			? body
			: Buffer.from(
					typeof body === 'string'
						? body
						: body === undefined || body === null
							? ''
							: JSON.stringify(body),
					'utf8',
				);
		if (bytes.length > maxBytes) throw tooLargeError(maxBytes);
		return bytes;
	}
	const expiry = deadline.arm();
	return await new Promise<Buffer>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const settle = (error?: Error) => {
			expiry.removeEventListener('abort', onExpiry);
			body.off('data', onData);
			body.off('end', onEnd);
			body.off('error', onError);
			if (error) {
				discardBody(body);
				reject(error);
			} else resolve(Buffer.concat(chunks, size));
		};
		const onExpiry = () => settle(deadline.error());
		const onData = (chunk: unknown) => {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'utf8');
			size += bytes.length;
			if (size > maxBytes) settle(tooLargeError(maxBytes));
			else chunks.push(bytes);
		};
		const onEnd = () => settle();
		const onError = (error: unknown) =>
			settle(deadline.expired ? deadline.error() : (error as Error));
		if (expiry.aborted) return onExpiry();
		expiry.addEventListener('abort', onExpiry, { once: true });
		body.on('data', onData);
		body.on('end', onEnd);
		body.on('error', onError);
	});
}

/** Header names in lower case, values as text (axios gives AxiosHeaders, the legacy helper a plain object). */
function plainHeaders(headers: unknown): Record<string, string> {
	const plain: Record<string, string> = {};
	if (!headers || typeof headers !== 'object') return plain;
	for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
		if (value === undefined || value === null || typeof value === 'function') continue;
		plain[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return plain;
}
