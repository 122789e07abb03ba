/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { FaultKind, FaultSpec, LogEntry, QueryFaultKind } from '../types';
import type { Delays } from './delays';
import type { VaultResponse } from './vaultResponse';

/**
 * Faults of the way an answer travels rather than of what Vault says: a redirect to another origin
 * (what a hijacked DNS name, a proxy or a sign-in portal in front of Vault can answer), an answer that
 * drips, an answer too large to be one of Vault's. Vault documents none of these answers for its API;
 * they stand for what can stand between a client and Vault.
 */
export type TransportFaultKind = Extract<FaultKind, 'redirect302' | 'redirect307' | 'drip' | 'oversized'>;

/** The faults `sendTransportFault` writes the answer of (a redirect is an ordinary answer). */
export function isDeliveryFault(kind: FaultKind | QueryFaultKind): kind is 'drip' | 'oversized' {
	return kind === 'drip' || kind === 'oversized';
}

/** What a client that followed the redirect would have carried along in the Location's query: never to be repeated in an error. */
export const REDIRECT_RELAY_STATE = 'SANDBOX-RELAY-STATE-0f9c';

export const DRIP_DEFAULT_DELAY_MS = 400;
export const OVERSIZED_DEFAULT_BYTES = 80_000_000;

/**
 * A redirect to the same path and query on the second listener, plus a relay-state parameter as a
 * sign-in portal adds. 302 lets a client re-send a POST as GET; 307 says to re-send the same method
 * and body (RFC 9110, 15.4.3 and 15.4.8).
 */
export function redirectAnswer(kind: 'redirect302' | 'redirect307', elsewhereUrl: string, path: string, queryText: string): VaultResponse & { fromProxy: true } {
	const location = `${elsewhereUrl}${path}?${queryText === '' ? '' : `${queryText}&`}relay=${REDIRECT_RELAY_STATE}`;
	const status = kind === 'redirect302' ? 302 : 307;
	return {
		status,
		contentType: 'text/html; charset=utf-8',
		body: `<html><body>Moved: <a href="${location}">${location}</a></body></html>`,
		headers: { Location: location },
		fromProxy: true,
	};
}

/** The placeholder answer of an 'oversized' fault; its body is written by `sendTransportFault`. */
export function oversizedPlaceholder(): VaultResponse & { fromProxy: false } {
	return { status: 200, contentType: 'application/json;charset=UTF-8', body: '', fromProxy: false };
}

/**
 * Writes the answer as the fault says: 'drip' one byte of the (handled) answer every delayMs after
 * the headers, 'oversized' a valid SUCCESS envelope padded to exactly `bytes` bytes. Either stops
 * as soon as the client goes away.
 */
export async function sendTransportFault(
	fault: FaultSpec,
	request: IncomingMessage,
	response: ServerResponse,
	answer: VaultResponse,
	headers: Record<string, string>,
	entry: LogEntry,
	delays: Delays,
): Promise<void> {
	entry.status = answer.status;
	entry.responseStatus = fault.kind === 'oversized' ? 'SUCCESS' : answer.responseStatus;
	entry.errorType = answer.errorType;
	const gone = () => request.socket.destroyed || response.destroyed;
	if (gone()) return;
	if (fault.kind === 'drip') {
		const body = Buffer.from(answer.body, 'utf8');
		const delayMs = fault.delayMs ?? DRIP_DEFAULT_DELAY_MS;
		entry.dripMs = body.length * delayMs;
		response.writeHead(answer.status, { ...headers, 'Content-Type': answer.contentType, 'Content-Length': body.length });
		response.flushHeaders();
		for (const byte of body) {
			await delays.wait(delayMs);
			if (gone()) return;
			response.write(Buffer.of(byte));
		}
		response.end();
		return;
	}
	const bytes = fault.bytes ?? OVERSIZED_DEFAULT_BYTES;
	const head = Buffer.from('{"responseStatus":"SUCCESS","responseDetails":{"pagesize":1000,"pageoffset":0,"size":0,"total":0},"data":[],"padding":"');
	const tail = Buffer.from('"}');
	const padding = Math.max(0, bytes - head.length - tail.length);
	response.writeHead(200, { ...headers, 'Content-Type': answer.contentType, ...(fault.declareLength ? { 'Content-Length': head.length + padding + tail.length } : {}) });
	if (!(await write(response, head))) return;
	const chunk = Buffer.alloc(1 << 20, 'x');
	for (let left = padding; left > 0; left -= chunk.length) {
		if (gone() || !(await write(response, left >= chunk.length ? chunk : chunk.subarray(0, left)))) return;
	}
	response.end(tail);
}

/** Writes a chunk, waiting for the socket to drain; false when the client went away instead. */
function write(response: ServerResponse, chunk: Buffer): Promise<boolean> {
	if (response.write(chunk)) return Promise.resolve(true);
	return new Promise((resolve) => {
		const done = (drained: boolean) => {
			response.off('drain', onDrain);
			response.off('close', onClose);
			resolve(drained);
		};
		const onDrain = () => done(true);
		const onClose = () => done(false);
		response.once('drain', onDrain);
		response.once('close', onClose);
	});
}
