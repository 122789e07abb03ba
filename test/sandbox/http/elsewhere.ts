/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { SandboxWorld } from '../state/world';
import { readBody } from './incoming';

/**
 * The second listener's handler: records every request and answers as a Vault would, with success,
 * so that a client which followed a redirect here would believe it (a login that "succeeds" into
 * the main Vault, a bulk job "accepted" as job 777, an empty query page): the recording, not the
 * answer, is what tests read.
 */
export function elsewhereRequestHandler(world: SandboxWorld) {
	return (request: IncomingMessage, response: ServerResponse): void => {
		readBody(request)
			.then((body) => {
				const headers = Object.fromEntries(
					Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value ?? '')]),
				);
				world.elsewhere.add({ at: Date.now(), method: (request.method ?? 'GET').toUpperCase(), url: request.url ?? '/', headers, body: body.toString('utf8') });
				const vault = world.vaults[0];
				const text = JSON.stringify({
					responseStatus: 'SUCCESS',
					sessionId: 'ELSEWHERE-SESSION-0000000000000000',
					userId: 61001,
					vaultId: vault.id,
					vaultIds: [{ id: vault.id, name: vault.name, url: `${vault.url}/api` }],
					jobId: '777',
					responseDetails: { pagesize: 1000, pageoffset: 0, size: 0, total: 0 },
					data: [],
				});
				response.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
				response.end(text);
			})
			.catch(() => response.destroy());
	};
}
