import { SCRIPTED_MODEL, startSandbox, type RunningSandbox } from '../index';

/**
 * The sandbox's scripted chat model (http/chatModel.ts, state/chatModel.ts), what n8n's OpenAI Chat
 * Model node talks to in test:n8n's agent stage: the scripted tool call first, then words quoting
 * the tool's result; nothing in Vault's request log.
 */
describe('sandbox chat model (OpenAI-compatible, scripted)', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(async () => {
		await sandbox.client.reset();
	});

	const tools = [{ type: 'function', function: { name: 'Vault', description: 'Manage Quality Teams', parameters: { type: 'object', properties: { record_id: { type: 'string' }, user_id: { type: 'string' } } } } }];
	const complete = async (body: Record<string, unknown>) => {
		const response = await fetch(`${sandbox.url}/v1/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer sk-sandbox' }, body: JSON.stringify(body) });
		return { status: response.status, text: await response.text() };
	};

	it('lists its model, makes the scripted tool call, then answers with the tool result; Vault logs none of it', async () => {
		const models = (await (await fetch(`${sandbox.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
		expect(models.data.map((model) => model.id)).toEqual([SCRIPTED_MODEL]);
		await sandbox.client.chatScript({ toolCall: { arguments: { record_id: 'OP4000008', user_id: '100003' } } });
		const user = { role: 'user', content: 'Add 100003 to OP4000008' };
		const first = JSON.parse((await complete({ model: SCRIPTED_MODEL, messages: [user], tools })).text) as { choices: Array<{ message: { tool_calls: Array<{ id: string; function: { name: string; arguments: string } }> }; finish_reason: string }> };
		expect(first.choices[0].finish_reason).toBe('tool_calls');
		const [call] = first.choices[0].message.tool_calls;
		expect(call.function.name).toBe('Vault');
		expect(JSON.parse(call.function.arguments)).toEqual({ record_id: 'OP4000008', user_id: '100003' });

		const second = JSON.parse(
			(await complete({ model: SCRIPTED_MODEL, messages: [user, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: call.id, content: '[{"dryRun":true}]' }], tools })).text,
		) as { choices: Array<{ message: { content: string }; finish_reason: string }> };
		expect(second.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'The Vault tool answered: [{"dryRun":true}]' } });

		const seen = await sandbox.client.chat();
		expect(seen.map((request) => [request.roles.join(','), 'toolCall' in request.answered, request.authorized])).toEqual([
			['user', true, true],
			['user,assistant,tool', false, true],
		]);
		expect(seen[0].tools).toEqual([{ name: 'Vault', parameters: ['record_id', 'user_id'] }]);
		expect(await sandbox.client.log()).toEqual([]);
	});

	it('streams the same answer as chunks when asked to', async () => {
		await sandbox.client.chatScript({ toolCall: { tool: 'Vault', arguments: { user_id: '1' } } });
		const { status, text } = await complete({ model: SCRIPTED_MODEL, stream: true, messages: [{ role: 'user', content: 'hi' }], tools });
		expect(status).toBe(200);
		const events = text.split('\n\n').filter(Boolean);
		expect(events[events.length - 1]).toBe('data: [DONE]');
		const firstChunk = JSON.parse(events[0].replace(/^data: /, '')) as { choices: Array<{ delta: { tool_calls: Array<{ index: number; function: { name: string } }> } }> };
		expect(firstChunk.choices[0].delta.tool_calls[0]).toMatchObject({ index: 0, function: { name: 'Vault' } });
	});

	it('without a script it answers in words, and refuses what it does not serve', async () => {
		const answer = JSON.parse((await complete({ model: SCRIPTED_MODEL, messages: [{ role: 'user', content: 'hi' }], tools })).text) as { choices: Array<{ message: { content: string } }> };
		expect(answer.choices[0].message.content).toMatch(/No tool call is scripted/);
		expect((await fetch(`${sandbox.url}/v1/embeddings`, { method: 'POST', body: '{}' })).status).toBe(404);
	});
});
