import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { Pacer, STALE_READING_MS } from './pacing';
import { digestOf } from './sessionBinding';

/**
 * The pacers of this process, one per Vault and user: every execution, editor list and trigger poll
 * that talks to the same Vault as the same user waits on the same pacer (pacing.ts), so together
 * they stay within the Vault's burst budget. Module state, as the shared sessions (sessions.ts):
 * n8n loads the node once per process. A pacer is never shared across Vaults or users; its key
 * is a digest, never a secret. Entries of Vaults no longer called are dropped, so what the
 * registry holds stays bounded.
 */

/** A pacer unused this long knows nothing worth keeping (its reading is stale: pacing.ts). */
export const PACER_IDLE_MS = 5 * STALE_READING_MS;
/** At most this many pacers are kept; past it, idle ones go first. */
export const MAX_PACERS = 1000;

/** The pacers by key, dropping idle ones as new ones come. */
export class PacerRegistry {
	private readonly pacers = new Map<string, Pacer>();
	private sweptAt = 0;

	constructor(
		private readonly idleMs = PACER_IDLE_MS,
		private readonly maxPacers = MAX_PACERS,
	) {}

	get size(): number {
		return this.pacers.size;
	}

	/** The pacer for this key (a new one if none is kept); `now` is the clock. */
	pacerFor(key: string, now = Date.now()): Pacer {
		const known = this.pacers.get(key);
		if (known) return known;
		if (now - this.sweptAt >= this.idleMs || this.pacers.size >= this.maxPacers) this.sweep(now);
		const pacer = new Pacer();
		pacer.lastUsedAt = now;
		// every kept pacer is busy (far beyond any real process): this one paces its caller alone
		if (this.pacers.size < this.maxPacers) this.pacers.set(key, pacer);
		return pacer;
	}

	has(key: string): boolean {
		return this.pacers.has(key);
	}

	clear(): void {
		this.pacers.clear();
	}

	/** Drops pacers with nothing under way or waiting and unused for idleMs; the oldest idle ones too while over the cap. */
	private sweep(now: number): void {
		this.sweptAt = now;
		const idle = [...this.pacers].filter(([, pacer]) => pacer.idle);
		for (const [key, pacer] of idle)
			if (now - pacer.lastUsedAt >= this.idleMs) this.pacers.delete(key);
		idle.sort(([, a], [, b]) => a.lastUsedAt - b.lastUsedAt);
		for (const [key] of idle) {
			if (this.pacers.size < this.maxPacers) break;
			this.pacers.delete(key);
		}
	}
}

const registry = new PacerRegistry();

/**
 * Who the calls are made as, on which Vault: the Vault's origin and, for a username and password,
 * the user name; for a session id or an OAuth token (whose user only Vault knows) the n8n
 * credential, by its id or else its content.
 */
export function pacerKey(
	origin: string,
	credentials: ICredentialDataDecryptedObject,
	credentialId: string,
): string {
	if (credentials.authentication === 'password')
		return digestOf(['user', origin, String(credentials.username ?? '')]);
	if (credentialId !== '') return digestOf(['credential', origin, credentialId]);
	return digestOf([
		'content',
		origin,
		credentials.authentication ?? '',
		credentials.sessionToken ?? '',
		credentials.oauthProfileId ?? '',
		credentials.oauthClientId ?? '',
	]);
}

/** The process's pacer for this Vault and user. */
export function pacerFor(
	origin: string,
	credentials: ICredentialDataDecryptedObject,
	credentialId: string,
): Pacer {
	return registry.pacerFor(pacerKey(origin, credentials, credentialId));
}

/** Whether the process keeps a pacer for this Vault and user (tests, diagnostics). */
export function hasPacer(
	origin: string,
	credentials: ICredentialDataDecryptedObject,
	credentialId: string,
): boolean {
	return registry.has(pacerKey(origin, credentials, credentialId));
}

/** How many pacers the process keeps. */
export function pacerCount(): number {
	return registry.size;
}

/** Forgets every pacer (the test harness, when its sandbox Vault starts over with a fresh budget). */
export function forgetPacers(): void {
	registry.clear();
}
