import { ExchangeError } from './exchangeErrors';

/**
 * A request's wall-clock deadline (exchange.ts says why axios' timeout is not one), and the freeing
 * of an answer left unread: what the deadline does to a late answer and receive to a refused one.
 * Apart from exchange.ts because the login and the credential tests arm and race deadlines of
 * their own.
 */

/**
 * A request's wall-clock deadline. It starts when armed: at once for a login or the credential
 * test, and when n8n sends the request for the node's requests (`armWhenSent`), so that a login
 * n8n runs first (preAuthentication, which has a deadline of its own) does not eat into it.
 * AbortSignal.timeout's timer does not keep the process alive.
 */
export class Deadline {
	private readonly expiry = new AbortController();
	private armed = false;

	constructor(readonly ms: number) {}

	/** Starts the clock (once) and returns the signal that aborts when it runs out. */
	arm(): AbortSignal {
		if (!this.armed) {
			this.armed = true;
			AbortSignal.timeout(this.ms).addEventListener('abort', () => this.expiry.abort(), {
				once: true,
			});
		}
		return this.expiry.signal;
	}

	get expired(): boolean {
		return this.expiry.signal.aborted;
	}

	error(): ExchangeError {
		return new ExchangeError('deadline', 'did not answer in time', { limitMs: this.ms });
	}

	/**
	 * The request's answer, unless the deadline (once armed) runs out first. Where the signal did
	 * not reach the socket (the legacy helper), the request is left behind: its answer, if one comes,
	 * is discarded unread.
	 */
	async race<T>(request: Promise<T>): Promise<T> {
		const signal = this.expiry.signal;
		const abandon = () => {
			request.then(
				(late) => discardBody((late as { body?: unknown })?.body),
				() => undefined,
			);
		};
		if (signal.aborted) {
			abandon();
			throw this.error();
		}
		return await new Promise<T>((resolve, reject) => {
			const onExpiry = () => {
				abandon();
				reject(this.error());
			};
			signal.addEventListener('abort', onExpiry, { once: true });
			request.then(
				(value) => {
					signal.removeEventListener('abort', onExpiry);
					resolve(value);
				},
				(error: unknown) => {
					signal.removeEventListener('abort', onExpiry);
					reject(this.expired ? this.error() : error);
				},
			);
		});
	}
}

interface BodyStream {
	on(event: string, listener: (...args: unknown[]) => void): unknown;
	off(event: string, listener: (...args: unknown[]) => void): unknown;
	destroy(error?: Error): unknown;
}

export function isStream(body: unknown): body is BodyStream {
	return (
		typeof (body as BodyStream)?.on === 'function' &&
		typeof (body as BodyStream)?.destroy === 'function'
	);
}

/** Frees the socket of an answer that will not be read (a late error of the destroyed stream is no one's concern). */
export function discardBody(body: unknown): void {
	if (!isStream(body)) return;
	body.on('error', () => undefined);
	body.destroy();
}
