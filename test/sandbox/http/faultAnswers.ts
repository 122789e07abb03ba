import type { FaultKind, FaultSpec, QueryFaultKind } from '../types';
import type { TransportFaultKind } from './transportFaults';
import { failure, type VaultResponse } from './vaultResponse';

const PROXY_LOGIN_PAGE = `<!DOCTYPE html>
<html><head><title>Sign in - Corporate Proxy</title></head>
<body><h1>Sign in to continue</h1>
<form method="post" action="/login"><input name="user"><input name="pass" type="password"><button>Sign in</button></form>
</body></html>
`;

const QUERY_FAULTS: ReadonlySet<string> = new Set<QueryFaultKind>(['noData', 'shortOfTotal', 'emptyPageThenNext', 'nextPageLoop', 'shrinkingPages', 'foreignMembers']);

/** Faults that bend a VQL answer: the query handlers apply them (handlers/query.ts), not the pipeline. */
export function isQueryFault(kind: FaultKind | QueryFaultKind): kind is QueryFaultKind {
	return QUERY_FAULTS.has(kind);
}

/** Faults that delay the answer instead of replacing it. */
export function isDelayFault(kind: FaultKind | QueryFaultKind): kind is 'slow' | 'burstDelay' {
	return kind === 'slow' || kind === 'burstDelay';
}

export function faultDelayMs(spec: FaultSpec, burstDelayMs: number): number {
	return spec.delayMs ?? (spec.kind === 'slow' ? 30_000 : burstDelayMs);
}

/**
 * What a replacing fault answers. http500 and html come from something between the client and
 * Vault, so they carry no Vault headers.
 */
export function faultAnswer(kind: Exclude<FaultKind, 'slow' | 'burstDelay' | 'reset' | TransportFaultKind>): VaultResponse & { fromProxy: boolean } {
	switch (kind) {
		case 'http500':
			return { status: 500, contentType: 'text/plain; charset=utf-8', body: 'Internal Server Error', fromProxy: true };
		case 'html':
			return { status: 200, contentType: 'text/html; charset=utf-8', body: PROXY_LOGIN_PAGE, fromProxy: true };
		case 'malformedJson':
			return { status: 200, contentType: 'application/json;charset=UTF-8', body: '{"responseStatus":"SUCC', fromProxy: false };
		case 'apiLimit':
			return { ...failure('API_LIMIT_EXCEEDED', 'API limit exceeded. Try again later.'), fromProxy: false };
		case 'invalidSession':
			return { ...failure('INVALID_SESSION_ID', 'Invalid or expired session ID.'), fromProxy: false };
	}
}
