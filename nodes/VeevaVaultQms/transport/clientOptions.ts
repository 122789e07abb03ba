import { MAX_ANSWER_BYTES } from './exchange';

/**
 * The client's options (request timeout, attempts, wait between them) and the caps that bound them
 * whatever a user enters. Apart from client.ts because the node's settings (actions/parameters.ts)
 * read them without a client.
 */

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
 * request's wall-clock deadline, not an idle timer (transport/deadline.ts); 10 attempts and 60 s
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
