/**
 * The scripted chat model behind the sandbox's OpenAI-compatible endpoint (http/chatModel.ts): no
 * real model is reachable here, so a test scripts the one tool call the model makes, and the model
 * answers with it; once the conversation holds the tool's result, it answers in words that quote
 * that result. Every request is kept (what n8n's OpenAI Chat Model sent), for the test to read.
 */

/** What the model does when a conversation reaches it. */
export interface ChatScript {
	/** the tool call the model makes on the first turn: its arguments (what `$fromAI(...)` reads); `tool` names it (default: the first tool offered) */
	toolCall?: { tool?: string; arguments: Record<string, unknown> };
}

/** One request to /v1/chat/completions, as the sandbox saw it. */
export interface ChatRequest {
	model: string;
	stream: boolean;
	/** whether an `Authorization: Bearer …` header came (the key itself is not kept) */
	authorized: boolean;
	/** the roles of the messages, in order (system, user, assistant, tool …) */
	roles: string[];
	/** the user's words, the first user message */
	prompt: string;
	/** the names of the tools offered, and each one's parameter names */
	tools: Array<{ name: string; parameters: string[] }>;
	/** the tool results in the conversation (role "tool"), as the model reads them */
	toolResults: string[];
	/** what the model answered: a tool call (its name and arguments) or words */
	answered: { toolCall: { name: string; arguments: Record<string, unknown> } } | { text: string };
}

interface ChatMessage {
	role?: string;
	content?: unknown;
}

interface ChatBody {
	model?: string;
	stream?: boolean;
	messages?: ChatMessage[];
	tools?: Array<{ function?: { name?: string; parameters?: { properties?: Record<string, unknown> } } }>;
}

export class ChatModel {
	private script: ChatScript = {};
	private requests: ChatRequest[] = [];
	private calls = 0;

	setScript(script: ChatScript): void {
		this.script = script;
	}

	list(): ChatRequest[] {
		return this.requests.map((request) => JSON.parse(JSON.stringify(request)) as ChatRequest);
	}

	clear(): void {
		this.script = {};
		this.requests = [];
	}

	/** The model's turn: the scripted tool call while no tool result is in the conversation, else an answer that quotes it. */
	answer(body: ChatBody, authorized: boolean): ChatRequest['answered'] & { id: string } {
		const messages = body.messages ?? [];
		const tools = (body.tools ?? []).map((tool) => ({ name: String(tool.function?.name ?? ''), parameters: Object.keys(tool.function?.parameters?.properties ?? {}) }));
		const toolResults = messages.filter((message) => message.role === 'tool').map((message) => textOf(message.content));
		const call = this.script.toolCall;
		let answered: ChatRequest['answered'];
		if (toolResults.length > 0) answered = { text: `The Vault tool answered: ${toolResults[toolResults.length - 1].slice(0, 1500)}` };
		else if (call && tools.length > 0) answered = { toolCall: { name: call.tool ?? tools[0].name, arguments: call.arguments } };
		else answered = { text: tools.length === 0 ? 'No tool was offered.' : 'No tool call is scripted (POST /_sandbox/chat/script).' };
		this.requests.push({
			model: String(body.model ?? ''),
			stream: body.stream === true,
			authorized,
			roles: messages.map((message) => String(message.role)),
			prompt: textOf(messages.find((message) => message.role === 'user')?.content),
			tools,
			toolResults,
			answered,
		});
		return { ...answered, id: `call_sandbox_${++this.calls}` };
	}
}

/** A message's content as text: a string, or the text parts of a list of parts. */
function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => (part && typeof part === 'object' && 'text' in part ? String((part as { text: unknown }).text) : '')).join('');
	return content === undefined || content === null ? '' : JSON.stringify(content);
}
