import { sleep } from 'n8n-workflow';

/**
 * Pacing: one pacer per Vault and user in this process (pacers.ts), shared by every execution, the
 * editor's list calls and the trigger's polls, spends the Vault's burst budget as Vault's headers
 * report it. Vault counts every call to a Vault in a fixed 5-minute window and, past its burst
 * limit, does not refuse but delays each further answer, other integrations' too, until the window
 * resets (Veeva API reference, "API Rate Limits"; "Response Headers": X-VaultAPI-BurstLimit,
 * X-VaultAPI-BurstLimitRemaining, X-VaultAPI-ResponseDelay). Calls go freely while more than a
 * reserve is left; then one at a time, further and further apart, until an answer shows the
 * window has turned; with no call left, not before the window's latest end. So the process slows
 * down before Vault has to.
 */

/** The longest X-VaultAPI-ResponseDelay honoured before the next call (20× Vault's documented 500 ms). */
export const MAX_RESPONSE_DELAY_MS = 10_000;
/** The share of the Vault's limit left to other integrations and other n8n processes (at least one call). */
export const RESERVE_SHARE = 0.1;
/** At the reserve: the gap before the next call, doubled while the budget stays low. */
export const FIRST_LOW_GAP_MS = 1_000;
/** ...up to this: a window that turned is seen at most this late (a tenth of Vault's 5 minutes). */
export const MAX_LOW_GAP_MS = 30_000;
/** Vault's fixed burst window ("API Rate Limits"): with no call left, the window has turned this long after it was first seen. */
export const BURST_WINDOW_MS = 5 * 60_000;
/** A reading older than this says little: the window may have turned, others may have spent it. */
export const STALE_READING_MS = 60_000;
/** Without a fresh reading one call goes first; the others wait for its answer at most this long. */
const FIRST_CALL_WAIT_MS = 2_000;
/** The longest single sleep of a waiting call: an answer wakes it sooner. */
const WAKE_MS = 250;

/** What the latest answer carrying Vault's rate-limit headers said. */
export interface BurstBudget {
	/** X-VaultAPI-BurstLimit: calls allowed per 5-minute window */
	limit?: number;
	/** X-VaultAPI-BurstLimitRemaining */
	remaining?: number;
	/** X-VaultAPI-ResponseDelay: present once the Vault is past its limit and slowing every call */
	delayMs?: number;
	/**
	 * X-VaultAPI-DailyLimit and X-VaultAPI-DailyLimitRemaining: a 24-hour limit Vault had before
	 * v21.1 (API v14 release notes); today's "API Rate Limits" page lists none. Honoured when sent.
	 */
	dailyLimit?: number;
	dailyRemaining?: number;
}

/** A call let through; handed back with its answer's headers (release). */
export interface PacerTicket {
	readonly seq: number;
}

/** Vault's rate-limit headers of one answer; undefined when it has none (a proxy's page). */
export function readBudget(headers: Record<string, unknown>): BurstBudget | undefined {
	const budget: BurstBudget = {
		limit: numberHeader(headers, 'x-vaultapi-burstlimit'),
		remaining: numberHeader(headers, 'x-vaultapi-burstlimitremaining'),
		delayMs: numberHeader(headers, 'x-vaultapi-responsedelay'),
		dailyLimit: numberHeader(headers, 'x-vaultapi-dailylimit'),
		dailyRemaining: numberHeader(headers, 'x-vaultapi-dailylimitremaining'),
	};
	return Object.values(budget).some((value) => value !== undefined) ? budget : undefined;
}

/** Calls left to others: a tenth of the limit, at least one. */
export function reserveOf(limit: number): number {
	return Math.max(1, Math.ceil(limit * RESERVE_SHARE));
}

/** Whether a reading, less the calls still under way, is at the reserve (or Vault is delaying already). */
export function isLow(budget: BurstBudget, underWay = 0): boolean {
	if ((budget.delayMs ?? 0) > 0) return true;
	const low = (remaining?: number, limit?: number) =>
		remaining !== undefined && remaining - underWay <= reserveOf(limit ?? remaining);
	return low(budget.remaining, budget.limit) || low(budget.dailyRemaining, budget.dailyLimit);
}

/**
 * No call left in the window (X-VaultAPI-BurstLimitRemaining 0) and Vault not yet delaying: the
 * next call would be the one that slows every integration on the Vault. Once Vault delays, it
 * already does: calls then go at the growing gap, not held for the window.
 */
export function isSpent(budget: BurstBudget): boolean {
	return (budget.delayMs ?? 0) <= 0 && budget.remaining !== undefined && budget.remaining <= 0;
}

/** The gap before a call at the reserve: Vault's own delay (capped) or the growing gap, whichever is longer. */
export function lowGapMs(budget: BurstBudget, gapMs: number): number {
	return Math.max(gapMs, Math.min(Math.max(budget.delayMs ?? 0, 0), MAX_RESPONSE_DELAY_MS));
}

export class Pacer {
	/** the latest reading taken (undefined until an answer carried the headers) */
	lastBudget?: BurstBudget;
	/** when a call last went or came back: idle pacers are dropped (pacers.ts) */
	lastUsedAt = Date.now();
	private readingAt = 0;
	/** calls let through so far; those numbered above readingSeq went after the reading came */
	private sent = 0;
	private readingSeq = 0;
	private underWay = 0;
	private waiting = 0;
	private lastSentAt = 0;
	private lastAnswerAt = 0;
	private lowGap = FIRST_LOW_GAP_MS;
	/** the latest call let through at the reserve: its answer, still low, doubles the gap */
	private lowSeq = 0;
	/** when the current window was first seen (a first reading, or one showing the window turned) */
	private windowSeenAt = 0;
	private wake?: { promise: Promise<void>; resolve: () => void };

	/** No call under way or waiting. */
	get idle(): boolean {
		return this.underWay === 0 && this.waiting === 0;
	}

	/** Waits until a call may go; hand the ticket back with release(). */
	async acquire(): Promise<PacerTicket> {
		this.waiting++;
		try {
			for (let wait = this.waitMs(Date.now()); wait > 0; wait = this.waitMs(Date.now()))
				await Promise.race([sleep(Math.min(wait, WAKE_MS)), this.nextAnswer()]);
		} finally {
			this.waiting--;
		}
		const seq = ++this.sent;
		if (this.lastBudget && isLow(this.lastBudget, this.underWay)) this.lowSeq = seq;
		this.underWay++;
		this.lastSentAt = this.lastUsedAt = Date.now();
		return { seq };
	}

	/** The call is answered (with these headers) or failed (none); waiting calls look again. */
	release(ticket: PacerTicket, headers?: Record<string, unknown>): void {
		this.underWay = Math.max(0, this.underWay - 1);
		this.lastAnswerAt = this.lastUsedAt = Date.now();
		const budget = headers === undefined ? undefined : readBudget(headers);
		if (budget) this.take(budget, ticket.seq);
		const wake = this.wake;
		this.wake = undefined;
		wake?.resolve();
	}

	/** 0 when a call may go now; else about how long until it may. */
	private waitMs(now: number): number {
		const budget = this.lastBudget;
		if (!budget || now - this.readingAt >= STALE_READING_MS) {
			// nothing known (a first call, a Vault or proxy that sends no headers): one call asks first
			if (this.underWay === 0 || now - this.lastAnswerAt < STALE_READING_MS) return 0;
			return this.lastSentAt + FIRST_CALL_WAIT_MS - now;
		}
		if (!isLow(budget, this.underWay)) return 0;
		// at the reserve: one call at a time; one that takes long (an upload) holds the others no longer than the longest gap
		if (this.underWay > 0) return this.lastSentAt + MAX_LOW_GAP_MS - now;
		// no call left: Vault's window, fixed at 5 minutes, has turned 5 minutes after it was first seen at the latest
		if (isSpent(budget)) return this.windowSeenAt + BURST_WINDOW_MS - now;
		return Math.max(this.lastAnswerAt, this.lastSentAt) + lowGapMs(budget, this.lowGap) - now;
	}

	/**
	 * Takes an answer's reading when it is news: from a call sent after the current reading came
	 * (Vault counted it later: the window may have turned), or lower than the current one. A higher
	 * count from a call sent before is an older count arriving late, and is left.
	 */
	private take(budget: BurstBudget, seq: number): void {
		const current = this.lastBudget;
		const later = current === undefined || seq > this.readingSeq;
		const lower =
			current !== undefined &&
			((budget.remaining ?? Infinity) < (current.remaining ?? Infinity) ||
				(budget.dailyRemaining ?? Infinity) < (current.dailyRemaining ?? Infinity) ||
				(budget.delayMs ?? 0) > 0);
		if (!later && !lower) return;
		const now = Date.now();
		const turned =
			current === undefined ||
			now - this.readingAt >= STALE_READING_MS ||
			(budget.remaining ?? 0) > (current.remaining ?? Infinity);
		if (turned) this.windowSeenAt = now;
		if (!isLow(budget)) this.lowGap = FIRST_LOW_GAP_MS;
		else if (seq === this.lowSeq) this.lowGap = Math.min(this.lowGap * 2, MAX_LOW_GAP_MS);
		this.lastBudget = budget;
		this.readingAt = now;
		this.readingSeq = this.sent;
	}

	private async nextAnswer(): Promise<void> {
		if (!this.wake) {
			let resolve = () => {};
			const promise = new Promise<void>((done) => (resolve = done));
			this.wake = { promise, resolve };
		}
		return await this.wake.promise;
	}
}

function numberHeader(headers: Record<string, unknown>, name: string): number | undefined {
	// over HTTP/2 header names arrive lower-case, as n8n's helpers hand them over anyway
	const raw = headers[name] ?? findHeader(headers, name);
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return raw === undefined || raw === null || raw === '' || Number.isNaN(value) ? undefined : value;
}

function findHeader(headers: Record<string, unknown>, name: string): unknown {
	for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return headers[key];
	return undefined;
}
