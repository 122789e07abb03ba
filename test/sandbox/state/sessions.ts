import { randomBytes } from 'node:crypto';

export interface Session {
	id: string;
	userId: number;
	vaultId: number;
	createdAt: number;
	lastUsedAt: number;
}

/** Vault's hard maximum session lifetime, whatever the idle timeout. */
const MAX_SESSION_MS = 48 * 60 * 60 * 1000;

export class Sessions {
	private live = new Map<string, Session>();

	create(userId: number, vaultId: number, now: number): Session {
		const session = { id: randomBytes(32).toString('hex'), userId, vaultId, createdAt: now, lastUsedAt: now };
		this.live.set(session.id, session);
		return session;
	}

	/** The session if it is alive and belongs to this Vault; using it refreshes its idle time. */
	use(sessionId: string | undefined, vaultId: number, now: number, idleMs: number): Session | undefined {
		const session = sessionId === undefined ? undefined : this.live.get(sessionId);
		if (!session) return undefined;
		if (this.hasLapsed(session, now, idleMs)) {
			this.live.delete(session.id);
			return undefined;
		}
		if (session.vaultId !== vaultId) return undefined;
		session.lastUsedAt = now;
		return session;
	}

	end(sessionId: string): void {
		this.live.delete(sessionId);
	}

	/** Ends one session, or every session when no id is given. */
	expire(sessionId?: string): void {
		if (sessionId === undefined) this.live.clear();
		else this.live.delete(sessionId);
	}

	count(now: number, idleMs: number): number {
		return [...this.live.values()].filter((session) => !this.hasLapsed(session, now, idleMs)).length;
	}

	clear(): void {
		this.live.clear();
	}

	private hasLapsed(session: Session, now: number, idleMs: number): boolean {
		return now - session.lastUsedAt > idleMs || now - session.createdAt > MAX_SESSION_MS;
	}
}
