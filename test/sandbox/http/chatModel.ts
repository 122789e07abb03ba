/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { SandboxWorld } from '../state/world';
import { headerValue } from './incoming';

/**
 * An OpenAI-compatible chat model on every listener, under /v1 (not Vault: nothing here is logged
 * as a Vault request, nor faulted): what n8n's OpenAI Chat Model node calls when its credential's
 * Base URL names `{sandbox}/v1` (LangChain's ChatOpenAI: POST /chat/completions; the credential
 * test and the model list: GET /models). Answers follow OpenAI's chat completions reference
 * (https://platform.openai.com/docs/api-reference/chat): `choices[0].message` with `tool_calls`
 * (finish_reason "tool_calls") or `content` ("stop"); `stream: true` as server-sent chunks.
 * The script and the requests seen: state/chatModel.ts, control `/_sandbox/chat`.
 */
export const CHAT_PREFIX = '/v1';
export const SCRIPTED_MODEL = 'sandbox-scripted-model';

export function serveChatModel(world: SandboxWorld, method: string, url: string, body: Buffer, request: IncomingMessage, response: ServerResponse): void {
	const path = url.split('?')[0].replace(/\/+$/, '');
	const send = (status: number, value: unknown) => {
		const text = JSON.stringify(value);
		response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
		response.end(text);
	};
	if (method === 'GET' && path === `${CHAT_PREFIX}/models`) {
		return send(200, { object: 'list', data: [{ id: SCRIPTED_MODEL, object: 'model', created: 1764979200, owned_by: 'sandbox' }] });
	}
	if (method !== 'POST' || path !== `${CHAT_PREFIX}/chat/completions`) {
		return send(404, { error: { message: `The sandbox's chat model answers GET ${CHAT_PREFIX}/models and POST ${CHAT_PREFIX}/chat/completions, not ${method} ${path}`, type: 'invalid_request_error' } });
	}
	let parsed: Parameters<SandboxWorld['chat']['answer']>[0];
	try {
		parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
	} catch {
		return send(400, { error: { message: 'The body is not JSON', type: 'invalid_request_error' } });
	}
	const authorized = /^Bearer\s+\S+/.test(headerValue(request, 'authorization') ?? '');
	const answer = world.chat.answer(parsed, authorized);
	const model = String(parsed.model ?? SCRIPTED_MODEL);
	const toolCalls = 'toolCall' in answer ? [{ id: answer.id, type: 'function', function: { name: answer.toolCall.name, arguments: JSON.stringify(answer.toolCall.arguments) } }] : undefined;
	const message = toolCalls ? { role: 'assistant', content: null, tool_calls: toolCalls } : { role: 'assistant', content: 'text' in answer ? answer.text : '' };
	const finish = toolCalls ? 'tool_calls' : 'stop';
	const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
	const base = { id: `chatcmpl-${answer.id}`, created: Math.floor(Date.now() / 1000), model };
	if (parsed.stream !== true) return send(200, { ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish }], usage });
	// the same answer as one chunk with the whole delta, then the finish and usage chunks, then [DONE]
	const delta = toolCalls ? { ...message, tool_calls: toolCalls.map((call, index) => ({ index, ...call })) } : message;
	const chunks = [
		{ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] },
		{ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }] },
		{ ...base, object: 'chat.completion.chunk', choices: [], usage },
	];
	response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
	response.end(`${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`);
}
