import { randomUUID } from 'node:crypto';

import type { Row } from '../vql/tables';

/** A query's result set, kept for its next_page / previous_page URLs. */
export interface QueryResultSet {
	/** opaque, a UUID like the page's example (`/api/v20.3/query/c2b58293-1606-4c99-925d-b9b89e83670e?...`) */
	id: string;
	vaultId: number;
	userId: number;
	query: string;
	fields: string[];
	/** the matching rows as they were when the query ran */
	rows: readonly Row[];
	pagesize: number;
	usedAt: number;
}

/**
 * "The next_page and previous_page endpoints remain active for 72 hours from either the original query
 * or the last pagination call, whichever is more recent" (Veeva VQL reference, "Pagination Best
 * Practices"); in the sandbox also until reset. The page ties them to no session, and 72 hours outlive
 * any session (48 h at most), so a set belongs to its Vault and user, not to the session that ran it.
 */
const PAGE_URL_LIFETIME_MS = 72 * 60 * 60 * 1000;

export class QueryResults {
	private sets = new Map<string, QueryResultSet>();

	add(set: Omit<QueryResultSet, 'id'>): QueryResultSet {
		const stored = { id: randomUUID(), ...set };
		this.sets.set(stored.id, stored);
		return stored;
	}

	/** The set if it is alive and this Vault's user ran it; using it restarts its 72 hours. */
	use(id: string, vaultId: number, userId: number, now: number): QueryResultSet | undefined {
		const set = this.sets.get(id);
		if (!set) return undefined;
		if (now - set.usedAt > PAGE_URL_LIFETIME_MS) {
			this.sets.delete(id);
			return undefined;
		}
		if (set.vaultId !== vaultId || set.userId !== userId) return undefined;
		set.usedAt = now;
		return set;
	}

	clear(): void {
		this.sets.clear();
	}
}
