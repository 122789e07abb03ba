import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { loginOnce } from './login';
import { digestOf, SESSION_FIELDS } from './sessionBinding';

/**
 * Sessions shared within this process: logins in flight shared by the executions that need one at
 * the same moment, and the session logged in with last, handed to executions that find theirs
 * expired a moment later. Keys are digests of the credential's content, never its secrets.
 */

/**
 * Logins in flight in this process, keyed by a digest of the credential's content (never the
 * password or token themselves), so executions that need a session at the same moment (a burst
 * of webhook calls, many items on a worker) share one login instead of each spending one of
 * Vault's few logins per minute. An entry lives only until its login settles: no session is kept
 * here between executions; it lives in the credential.
 */
const loginsInFlight = new Map<string, Promise<{ sessionId: string }>>();

/** Logs in as the credential says and returns the session, refusing a session for another Vault. */
export async function loginToVault(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ sessionId: string }> {
	const key = credentialKey(credentials);
	const inFlight = loginsInFlight.get(key);
	if (inFlight) return { ...(await inFlight) };
	const started = loginOnce(this, credentials);
	loginsInFlight.set(key, started);
	try {
		return { ...(await started) };
	} finally {
		loginsInFlight.delete(key);
	}
}

/** The credential's content as a key: a digest of the fields a session is issued for (never the password or token). */
function credentialKey(credentials: ICredentialDataDecryptedObject): string {
	return digestOf(SESSION_FIELDS.map((name) => credentials[name] ?? null));
}

/**
 * The session this process logged in with last, per credential content, for a short while. An
 * execution reads the credential once, when it starts: after Vault expires the session, every
 * execution under way (20 webhook runs on a worker) finds its copy rejected and needs a new one,
 * one after another, not at the same moment the in-flight sharing covers. The first logs in; the
 * others take its session instead of each spending one of Vault's few logins per minute. A
 * session Vault rejected is dropped from here (`sessionRejected`), so it is never handed out again;
 * "Test credential" always logs in fresh (loginToVault).
 */
const recentSessions = new Map<string, { sessionId: string; at: number }>();
/** digests of sessions handed to a later execution rather than logged in for it */
const handedOn = new Set<string>();
const REUSE_MS = 120_000;
const MAX_KEPT = 1000;

/** A session for a run: the one this process obtained moments ago for the same credential, if Vault has not rejected it; else a login. */
export async function sessionForRun(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ sessionId: string }> {
	const key = credentialKey(credentials);
	const recent = recentSessions.get(key);
	if (recent && Date.now() - recent.at < REUSE_MS) {
		if (handedOn.size >= MAX_KEPT) handedOn.clear();
		handedOn.add(digestOf([recent.sessionId]));
		return { sessionId: recent.sessionId };
	}
	const session = await loginToVault.call(this, credentials);
	if (recentSessions.size >= MAX_KEPT) recentSessions.clear();
	recentSessions.set(key, { sessionId: session.sessionId, at: Date.now() });
	return session;
}

/** Forgets every session kept for reuse (the test harness, when its sandbox Vault starts over and every session with it). */
export function forgetRecentSessions(): void {
	recentSessions.clear();
}

/** Whether this session came from an earlier login of this process (sessionForRun), not a login of its own. */
export function wasHandedOn(sessionId: unknown): boolean {
	return typeof sessionId === 'string' && sessionId !== '' && handedOn.has(digestOf([sessionId]));
}

/** Vault said this session is no longer valid: it is not handed to another execution. */
export function sessionRejected(sessionId: unknown): void {
	if (typeof sessionId !== 'string' || sessionId === '') return;
	for (const [key, recent] of recentSessions)
		if (recent.sessionId === sessionId) recentSessions.delete(key);
}
