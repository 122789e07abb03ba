/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import type { SandboxWorld } from '../state/world';
import type { SandboxVault } from '../types';
import { CHAT_PREFIX, serveChatModel } from './chatModel';
import { CONTROL_PREFIX, serveControl } from './control';
import type { Delays } from './delays';
import { readBody } from './incoming';
import { serveApi } from './serveApi';

export interface Listener {
	server: Server;
	port: number;
	sockets: Set<Socket>;
}

/** Starts one HTTP listener; its handler is looked up per request, so it can be wired once the port is known. */
type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export async function listen(host: string, port: number, currentHandler: () => RequestHandler): Promise<Listener> {
	const sockets = new Set<Socket>();
	const server = createServer((request, response) => currentHandler()(request, response));
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	return { server, port: (server.address() as AddressInfo).port, sockets };
}

/** The request handler of one Vault's listener. */
export function vaultRequestHandler(world: SandboxWorld, vault: SandboxVault, delays: Delays): RequestHandler {
	return (request: IncomingMessage, response: ServerResponse): void => {
		readBody(request)
			.then((body) => {
				const url = request.url ?? '/';
				const method = (request.method ?? 'GET').toUpperCase();
				if (url === CONTROL_PREFIX || url.startsWith(`${CONTROL_PREFIX}/`)) return serveControl(world, method, url, body, response);
				// the scripted chat model an AI agent's tests talk to (http/chatModel.ts): not Vault, so not in its request log
				if (url.startsWith(`${CHAT_PREFIX}/`)) return serveChatModel(world, method, url, body, request, response);
				return serveApi(world, vault, request, response, body, delays);
			})
			.catch((error: unknown) => {
				console.error('[sandbox] request failed:', error);
				if (response.headersSent || request.socket.destroyed) return;
				const text = JSON.stringify({ responseStatus: 'EXCEPTION', errors: [{ type: 'UNEXPECTED_ERROR', message: 'Sandbox error: ' + String(error) }] });
				response.writeHead(500, { 'Content-Type': 'application/json' });
				response.end(text);
			});
	};
}

export async function closeListener(listener: Listener): Promise<void> {
	for (const socket of listener.sockets) socket.destroy();
	await new Promise<void>((resolve) => listener.server.close(() => resolve()));
}
