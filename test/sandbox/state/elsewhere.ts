import type { ElsewhereRequest } from '../types';

/**
 * What reached the sandbox's second listener, the host the redirect faults point to: a stand-in for
 * a sign-in portal, a hijacked DNS name or a proxy's target. A client that follows no redirect
 * leaves this empty; anything in it is a password, token, session or row that left the Vault.
 */
export class ElsewhereLog {
	/** `http://127.0.0.2:PORT` (or another port of the sandbox's host where 127.0.0.2 cannot be bound); set when it listens */
	url = '';
	private requests: ElsewhereRequest[] = [];

	add(request: ElsewhereRequest): void {
		this.requests.push(request);
	}

	list(): ElsewhereRequest[] {
		return this.requests.map((request) => ({ ...request, headers: { ...request.headers } }));
	}

	clear(): void {
		this.requests = [];
	}
}
