import { sleep } from 'n8n-workflow';

/**
 * Pacing: Vault's burst budget and response delay, read from its headers, slow the next call.
 */

/** The longest X-VaultAPI-ResponseDelay honoured before the next call (20× Vault's documented 500 ms). */
export const MAX_RESPONSE_DELAY_MS = 10_000;

/** What the latest answer carrying Vault's burst headers said about the Vault's 5-minute budget. */
export interface BurstBudget {
	/** X-VaultAPI-BurstLimit: calls allowed per window */
	limit?: number;
	/** X-VaultAPI-BurstLimitRemaining */
	remaining?: number;
	/** X-VaultAPI-ResponseDelay: present once the Vault is past its limit and slowing every call */
	delayMs?: number;
}

/**
 * Spaces calls by Vault's burst headers. Past its burst limit Vault does not refuse; it slows
 * every answer until the 5-minute window resets. Waiting here first keeps an n8n run from
 * adding to that pile, and leaves headroom for other integrations on the same Vault.
 */
export class Pacer {
	/** total time spent waiting for pacing, for the output's diagnostics */
	waitedMs = 0;
	/** the burst headers of the latest answer that had any (undefined until one had) */
	lastBudget?: BurstBudget;
	private notBefore = 0;

	constructor(
		private readonly reserveShare = 0.1,
		private readonly lowBudgetGapMs = 500,
	) {}

	async beforeRequest(): Promise<void> {
		const wait = this.notBefore - Date.now();
		if (wait > 0) {
			this.waitedMs += wait;
			await sleep(wait);
		}
	}

	/** Reads an answer's burst headers; returns how long the next call will wait (ms). */
	afterResponse(headers: Record<string, unknown>): number {
		const delay = numberHeader(headers, 'x-vaultapi-responsedelay');
		const limit = numberHeader(headers, 'x-vaultapi-burstlimit');
		const remaining = numberHeader(headers, 'x-vaultapi-burstlimitremaining');
		// an answer without them (a proxy's page) says nothing about the budget: keep the last reading
		if (delay !== undefined || limit !== undefined || remaining !== undefined)
			this.lastBudget = { limit, remaining, delayMs: delay };
		let gap = 0;
		// Vault documents a delay of about 500 ms per call past the burst limit (Vault Help, "About
		// API Transaction Limits"); a header asking for more than MAX_RESPONSE_DELAY_MS is honoured
		// only up to it, so a broken or hostile answer cannot stall the run
		if (delay !== undefined && delay > 0) gap = Math.min(delay, MAX_RESPONSE_DELAY_MS);
		else if (
			remaining !== undefined &&
			limit !== undefined &&
			remaining <= limit * this.reserveShare
		) {
			gap = this.lowBudgetGapMs;
		}
		this.notBefore = gap > 0 ? Date.now() + gap : 0;
		return gap;
	}
}

function numberHeader(headers: Record<string, unknown>, name: string): number | undefined {
	const raw = headers[name] ?? headers[name.toLowerCase()];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return raw === undefined || Number.isNaN(value) ? undefined : value;
}
