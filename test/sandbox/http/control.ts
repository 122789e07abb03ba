/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { ServerResponse } from 'node:http';

import type { ChatScript } from '../state/chatModel';
import { applyRecordChanges, type RecordChange } from '../state/recordTimes';
import { applyTeamChanges, type TeamChange } from '../state/teamChanges';
import type { SandboxWorld } from '../state/world';
import type { FaultSpec, SandboxSeed, SandboxSettingsPatch } from '../types';

export const CONTROL_PREFIX = '/_sandbox';

type ControlAnswer = { status: number; body: unknown };

/** The test-facing control API under /_sandbox/: no auth, JSON in and out, never faulted or logged. */
export function serveControl(world: SandboxWorld, method: string, url: string, body: Buffer, response: ServerResponse): void {
	let answer: ControlAnswer;
	try {
		answer = controlAnswer(world, method, url.split('?')[0].slice(CONTROL_PREFIX.length).replace(/\/+$/, ''), body);
	} catch (error) {
		answer = { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
	}
	const text = JSON.stringify(answer.body);
	response.writeHead(answer.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
	response.end(text);
}

function controlAnswer(world: SandboxWorld, method: string, route: string, body: Buffer): ControlAnswer {
	const ok = { status: 200, body: { ok: true } };
	const now = Date.now();
	const input = <T>(): T => (body.length === 0 ? ({} as T) : (JSON.parse(body.toString('utf8')) as T));
	const jobId = /^\/jobs\/(\d+)$/.exec(route)?.[1];
	const webhook = /^\/webhook\/([A-Za-z0-9_-]{1,100})$/.exec(route)?.[1];
	if (method === 'POST' && webhook !== undefined) {
		// the webhook stand-in records any body, JSON or not, as it came
		const text = body.toString('utf8');
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON: kept as text
		}
		world.webhooks.push({ name: webhook, body: parsed });
		return ok;
	}
	switch (`${method} ${route}`) {
		case 'POST /reset':
			world.reset();
			return ok;
		case 'GET /settings':
			return { status: 200, body: world.settings };
		case 'POST /settings':
			return { status: 200, body: world.updateSettings(input<SandboxSettingsPatch>()) };
		case 'POST /seed':
			world.seed(input<SandboxSeed>());
			return ok;
		case 'POST /records/changes':
			applyRecordChanges(world.directory, input<{ changes: RecordChange[] }>().changes);
			return ok;
		case 'POST /teams/changes':
			applyTeamChanges(world.directory, world.assignments, input<{ changes: TeamChange[] }>().changes);
			return ok;
		case 'POST /faults':
			world.faults.add([input<FaultSpec | FaultSpec[]>()].flat());
			return ok;
		case 'DELETE /faults':
			world.faults.clear();
			return ok;
		case 'POST /sessions/expire':
			world.sessions.expire(input<{ sessionId?: string }>().sessionId);
			return ok;
		case 'GET /log':
			return { status: 200, body: world.log.list() };
		case 'DELETE /log':
			world.log.clear();
			return ok;
		case 'GET /state':
			return { status: 200, body: world.snapshot(now) };
		case 'GET /elsewhere':
			return { status: 200, body: world.elsewhere.list() };
		case 'DELETE /elsewhere':
			world.elsewhere.clear();
			return ok;
		case 'GET /oauth':
			return { status: 200, body: world.idp.summary() };
		case 'POST /oauth/expire':
			world.idp.expireAll(now);
			return ok;
		case 'POST /chat/script':
			world.chat.setScript(input<ChatScript>());
			return ok;
		case 'GET /chat':
			return { status: 200, body: world.chat.list() };
		case 'POST /jobs/complete':
			world.jobs.completeAll(now);
			return ok;
	}
	if (method === 'GET' && jobId !== undefined) {
		world.jobs.advance(now);
		const job = world.jobs.get(Number(jobId));
		return job ? { status: 200, body: job } : { status: 404, body: { error: `no job ${jobId}` } };
	}
	return { status: 404, body: { error: `no control endpoint ${method} ${CONTROL_PREFIX}${route}` } };
}
