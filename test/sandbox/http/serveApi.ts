/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { submittedQuery } from '../handlers/query';
import type { SandboxWorld } from '../state/world';
import type { FaultSpec, LogEntry, SandboxVault } from '../types';
import type { Delays } from './delays';
import { dispatchApi } from './dispatchApi';
import { faultAnswer, faultDelayMs, isDelayFault, isQueryFault } from './faultAnswers';
import { authorizationToken, headerValue, loggableBody, mediaType } from './incoming';
import { matchTemplate, routeLabel } from './routes';
import { isDeliveryFault, oversizedPlaceholder, redirectAnswer, sendTransportFault } from './transportFaults';
import type { VaultResponse } from './vaultResponse';

type Answer = VaultResponse & { fromProxy?: boolean };

const isLoginPath = (path: string) => /\/auth$/.test(path) || path.startsWith('/auth/') || path.startsWith('/oauth2/');
const isOauthLoginPath = (path: string) => path.startsWith('/auth/oauth/');

/**
 * One Vault API request, end to end: log it, count it against the burst limit, let a fault
 * replace or delay it (before or after handling), handle it, answer it.
 */
export async function serveApi(
	world: SandboxWorld,
	vault: SandboxVault,
	request: IncomingMessage,
	response: ServerResponse,
	body: Buffer,
	delays: Delays,
): Promise<void> {
	const method = (request.method ?? 'GET').toUpperCase();
	const [path, queryText] = splitUrl(request.url ?? '/');
	const query = Object.fromEntries(new URLSearchParams(queryText));
	// The API client id is the X-VaultAPI-ClientID header or, on ordinary API calls, the client_id query
	// (which wins). A form client_id is never it: on the OAuth login it names the client application at
	// the authorization server (Veeva API reference, "OAuth 2.0 / OpenID Connect"), so it is logged apart.
	const oauthLogin = isOauthLoginPath(path);
	const clientId = (oauthLogin ? undefined : query.client_id) ?? headerValue(request, 'x-vaultapi-clientid');
	const entry = world.log.add({
		at: Date.now(),
		vaultId: vault.id,
		method,
		path,
		query: 'password' in query ? { ...query, password: '***' } : query,
		contentType: headerValue(request, 'content-type'),
		accept: headerValue(request, 'accept'),
		clientId,
		oauthClientId: oauthLogin ? formField(request, body, 'client_id') : undefined,
		sessionId: isLoginPath(path) ? undefined : authorizationToken(request),
		body: loggableBody(body, headerValue(request, 'content-type')),
		vql: method === 'POST' && matchTemplate('/api/:version/query', path) ? submittedQuery(request, body, query) : undefined,
		bodyBytes: body.length,
		status: 0,
	});
	const burst = countBurst(world, vault);
	const taken = world.faults.take(method, path);
	if (taken) entry.fault = taken.kind;
	if (taken?.expireAccessTokens) world.idp.expireAll(Date.now());
	// a query fault bends the handler's answer (handlers/query.ts); the others replace or delay it here
	const bending = taken && isQueryFault(taken.kind) ? taken : undefined;
	const fault = bending ? undefined : taken;
	const handle = (): Answer => {
		const now = Date.now();
		world.jobs.advance(now);
		const handled = dispatchApi({ world, vault, method, path, params: {}, query, request, body, now, fault: bending }, clientId);
		if (handled.jobId !== undefined) entry.jobId = handled.jobId;
		return handled;
	};

	let answer: Answer | undefined;
	if (fault && fault.phase !== 'after') {
		const faulted = await applyFault(fault, world, request, delays, path, queryText);
		if (faulted === 'gone') return;
		answer = faulted;
	}
	answer ??= handle();
	if (fault?.phase === 'after') {
		const faulted = await applyFault(fault, world, request, delays, path, queryText);
		if (faulted === 'gone') return;
		answer = faulted ?? answer;
	}
	const label = routeLabel(method, path);
	if (label && !answer.fromProxy) answer = label(request, answer);

	const headers: Record<string, string> = { ...answer.headers };
	if (!answer.fromProxy) Object.assign(headers, burst.headers);
	if (fault?.kind === 'burstDelay') {
		headers['X-VaultAPI-ResponseDelay'] = String(faultDelayMs(fault, world.settings.burstDelayMs));
		headers['X-VaultAPI-BurstLimitRemaining'] = '0';
	} else if (burst.delayMs > 0 && !answer.fromProxy) {
		await delays.wait(burst.delayMs);
	}
	if (headers['X-VaultAPI-BurstLimitRemaining'] !== undefined) entry.burstRemaining = Number(headers['X-VaultAPI-BurstLimitRemaining']);
	if (headers['X-VaultAPI-ResponseDelay'] !== undefined) entry.responseDelayMs = Number(headers['X-VaultAPI-ResponseDelay']);
	if (fault && isDeliveryFault(fault.kind)) return sendTransportFault(fault, request, response, answer, headers, entry, delays);
	send(request, response, answer, headers, entry);
}

/** 'gone' when the request got no answer; an answer when the fault replaces it; undefined when it only delayed it. */
async function applyFault(
	fault: FaultSpec,
	world: SandboxWorld,
	request: IncomingMessage,
	delays: Delays,
	path: string,
	queryText: string,
): Promise<Answer | 'gone' | undefined> {
	if (fault.kind === 'reset') {
		request.socket.destroy();
		return 'gone';
	}
	if (isQueryFault(fault.kind)) return undefined; // bent by the handler, never here
	// a drip sends the handled answer slowly (sendTransportFault); it replaces nothing
	if (fault.kind === 'drip') return undefined;
	if (fault.kind === 'oversized') return oversizedPlaceholder();
	if (fault.kind === 'redirect302' || fault.kind === 'redirect307') return redirectAnswer(fault.kind, world.elsewhere.url, path, queryText);
	if (!isDelayFault(fault.kind)) return faultAnswer(fault.kind);
	await delays.wait(faultDelayMs(fault, world.settings.burstDelayMs));
	return request.socket.destroyed ? 'gone' : undefined;
}

function countBurst(world: SandboxWorld, vault: SandboxVault): { headers: Record<string, string>; delayMs: number } {
	const { burstLimit, burstWindowMs, burstDelayMs } = world.settings;
	const calls = world.burst.count(String(vault.id), Date.now(), burstWindowMs);
	const headers: Record<string, string> = {
		'X-VaultAPI-BurstLimit': String(burstLimit),
		'X-VaultAPI-BurstLimitRemaining': String(Math.max(0, burstLimit - calls)),
	};
	if (calls <= burstLimit) return { headers, delayMs: 0 };
	return { headers: { ...headers, 'X-VaultAPI-ResponseDelay': String(burstDelayMs) }, delayMs: burstDelayMs };
}

function send(request: IncomingMessage, response: ServerResponse, answer: Answer, headers: Record<string, string>, entry: LogEntry): void {
	entry.status = answer.status;
	entry.responseStatus = answer.responseStatus;
	entry.errorType = answer.errorType;
	if (request.socket.destroyed || response.writableEnded) return;
	response.writeHead(answer.status, { ...headers, 'Content-Type': answer.contentType, 'Content-Length': Buffer.byteLength(answer.body) });
	response.end(answer.body);
}

function splitUrl(url: string): [string, string] {
	const at = url.indexOf('?');
	return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at + 1)];
}

function formField(request: IncomingMessage, body: Buffer, name: string): string | undefined {
	if (mediaType(headerValue(request, 'content-type')) !== 'application/x-www-form-urlencoded') return undefined;
	return new URLSearchParams(body.toString('utf8')).get(name) ?? undefined;
}
