/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * An AI agent end to end in a real n8n (issue 24): n8n's AI Agent with n8n's OpenAI Chat Model,
 * whose credential's Base URL names the sandbox's scripted chat model (test/sandbox/http/chatModel.ts;
 * no real model is reachable here), and the Vault node as its tool (`veevaVaultQmsTool`, the tool
 * variant n8n makes of a `usableAsTool` node). The model calls the tool once with scripted arguments
 * (what the tool's `$fromAI(...)` parameters read), then answers with the tool's result. Two runs with
 * `n8n execute`: as the node ships (Agent Writes: Plan Only), the call returns its dry run and Vault
 * receives no write; with the workflow builder's Agent Writes set to Send to Vault, the row reaches
 * Vault. Then the tool's panel in the editor: the fields shown only on the tool variant.
 *
 * Node types and versions, read in n8n's sources (@n8n/n8n-nodes-langchain as installed): AI Agent
 * `@n8n/n8n-nodes-langchain.agent` 3.1 on n8n 2.x (3 on 1.123.x, which has no 3.1), the tools agent
 * that hands tool calls to the engine (ToolsAgent/V3 runAgent → createEngineRequests); OpenAI Chat
 * Model `lmChatOpenAi` 1.2 (Chat Completions: 1.3 defaults to the Responses API), model by ID; the
 * `openAiApi` credential's Base URL (`url`) is where ChatOpenAI sends POST /chat/completions.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode, IRun } from 'n8n-workflow';
import type { Page } from 'playwright-core';

import type { SandboxClient } from '../sandbox/client';
import { SCRIPTED_MODEL } from '../sandbox/http/chatModel';
import type { ChatRequest } from '../sandbox/state/chatModel';
import { openEditor, stageRecorder, type Check, type Shoot } from './checks';
import { closeChromium, launchChromium, type CommandResult } from './processes';
import { rawOutputRun, START_NODE, VAULT_NODE_TYPE } from './examples';

export interface AgentCheckOptions {
	sandboxUrl: string;
	sandbox: SandboxClient;
	n8nMajor: number;
	runDir: string;
	/** n8n's CLI, as e2e.ts runs it */
	n8n(args: string[]): Promise<CommandResult>;
	/** the sandbox back to the demo Vault */
	resetSandbox(): Promise<void>;
	onProblem(message: string): void;
	log(text: string): void;
}

export const AGENT_NODE = 'AI Agent';
export const TOOL_NODE = 'Vault';
const MODEL_NODE = 'Scripted model';
const MODEL_CREDENTIAL = { id: 'sandbox-chat-model', name: 'Scripted model (sandbox)' };
/** the record and the person the agent is asked about: OP4000008 has no team in the demo Vault */
const RECORD = 'OP4000008';
const USER = '100003';
const ROW = { record_id: RECORD, user_id: USER, application_role: 'qa__c', operation: 'ADD' };
const COLUMNS = Object.keys(ROW);

/** The Vault node as a workflow builder sets it up for an agent: Manage Assignments, each column filled by the model. */
function toolParameters(agentWrites: 'plan' | 'send' | undefined): IDataObject {
	return {
		resource: 'qualityTeam',
		operation: 'manageAssignments',
		objectName: 'quality_event__qdm',
		columns: {
			mappingMode: 'defineBelow',
			value: Object.fromEntries(COLUMNS.map((column) => [column, `={{ $fromAI('${column}', '', 'string') }}`])),
			matchingColumns: [],
			schema: COLUMNS.map((id) => ({ id, displayName: id, required: false, defaultMatch: false, display: true, type: 'string', canBeUsedToMatch: false })),
			attemptToConvertTypes: false,
			convertFieldsToString: true,
		},
		// the sandbox allows one job status call per second
		options: { waitForCompletion: true, pollIntervalSeconds: 1 },
		...(agentWrites ? { agentWrites } : {}),
	};
}

/** Manual trigger → AI Agent, with the scripted model and the Vault node as its tool. */
export function agentWorkflow(id: string, name: string, agentWrites: 'plan' | 'send' | undefined, n8nMajor: number) {
	const node = (nodeName: string, type: string, typeVersion: number, position: [number, number], parameters: IDataObject, extra: Partial<INode> = {}): INode =>
		({ id: `${id}-${nodeName.replace(/\W/g, '')}`, name: nodeName, type, typeVersion, position, parameters, ...extra }) as INode;
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node(START_NODE, 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
			node(AGENT_NODE, '@n8n/n8n-nodes-langchain.agent', n8nMajor >= 2 ? 3.1 : 3, [240, 0], {
				promptType: 'define',
				text: `Add user ${USER} to the Quality Team of Quality Event ${RECORD} as QA (qa__c).`,
				options: {},
			}),
			node(MODEL_NODE, '@n8n/n8n-nodes-langchain.lmChatOpenAi', 1.2, [160, 220], { model: { __rl: true, mode: 'id', value: SCRIPTED_MODEL }, options: {} }, {
				credentials: { openAiApi: MODEL_CREDENTIAL },
			}),
			node(TOOL_NODE, `${VAULT_NODE_TYPE}Tool`, 1, [400, 220], toolParameters(agentWrites), { credentials: { veevaVaultApi: { id: 'vault-sandbox', name: 'Vault (sandbox)' } } }),
		],
		connections: {
			[START_NODE]: { main: [[{ node: AGENT_NODE, type: 'main', index: 0 }]] },
			[MODEL_NODE]: { ai_languageModel: [[{ node: AGENT_NODE, type: 'ai_languageModel', index: 0 }]] },
			[TOOL_NODE]: { ai_tool: [[{ node: AGENT_NODE, type: 'ai_tool', index: 0 }]] },
		},
	};
}

/**
 * n8n 2.x's Human review on the write tool: the Vault tool connected to a "Human review" node, which
 * is connected to the agent as its tool. n8n makes such a node (`<node>HitlTool`, n8n's
 * tool-generation/hitl-tools.js) of every node with a Send and Wait operation; the Chat node's
 * (`@n8n/n8n-nodes-langchain.chatHitlTool`) needs no credential: it asks in the chat the run came from.
 * Its Message shows the reviewer the tool's name and parameters ($tool.name, $tool.parameters).
 */
export const HUMAN_REVIEW_NODE = 'Human review';
export function humanReviewWorkflow(n8nMajor: number) {
	const workflow = agentWorkflow('vaultAgentReview01', 'AI agent with the Vault tool behind Human review', 'send', n8nMajor);
	const review = { id: 'vaultAgentReview01-HumanReview', name: HUMAN_REVIEW_NODE, type: '@n8n/n8n-nodes-langchain.chatHitlTool', typeVersion: 1.3, position: [400, 440], parameters: {} } as unknown as INode;
	workflow.nodes.forEach((node) => {
		if (node.name === TOOL_NODE) node.position = [400, 660];
	});
	return {
		...workflow,
		nodes: [...workflow.nodes, review],
		connections: {
			...workflow.connections,
			[TOOL_NODE]: { ai_tool: [[{ node: HUMAN_REVIEW_NODE, type: 'ai_tool', index: 0 }]] },
			[HUMAN_REVIEW_NODE]: { ai_tool: [[{ node: AGENT_NODE, type: 'ai_tool', index: 0 }]] },
		},
	};
}

/** The two agent runs; the plan workflow's file, for the editor's check of the tool's panel. */
export async function runAgentChecks(options: AgentCheckOptions): Promise<{ checks: number; summary: string; workflowFiles: { plan: string; send: string } }> {
	let checks = 0;
	const check: Check = (ok, what) => {
		checks++;
		if (!ok) options.onProblem(`AI agent: ${what}`);
		return ok;
	};
	const credentialFile = join(options.runDir, 'credentials-chat-model.json');
	writeFileSync(credentialFile, JSON.stringify([{ ...MODEL_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-sandbox-not-a-key', url: `${options.sandboxUrl}/v1` } }], null, 2), { mode: 0o600 });
	await mustSucceed(options, 'n8n import:credentials (the scripted model)', ['import:credentials', `--input=${credentialFile}`]);
	options.log(`imported an OpenAI credential "${MODEL_CREDENTIAL.name}" whose Base URL is ${options.sandboxUrl}/v1 (the sandbox's scripted chat model)`);
	const files = { plan: '', send: '' };
	const said: string[] = [];
	for (const [mode, agentWrites] of [['plan', undefined], ['send', 'send']] as const) {
		const workflow = agentWorkflow(`vaultAgent${mode === 'plan' ? 'Plan' : 'Send'}01`, `AI agent with the Vault tool (${mode === 'plan' ? 'as shipped: Plan Only' : 'Agent Writes: Send to Vault'})`, agentWrites, options.n8nMajor);
		files[mode] = join(options.runDir, `agent-${mode}-workflow.json`);
		writeFileSync(files[mode], JSON.stringify(workflow, null, 2));
		await mustSucceed(options, `n8n import:workflow (agent, ${mode})`, ['import:workflow', `--input=${files[mode]}`]);
		said.push(await agentRun(options, workflow.id, mode, check).catch((error: Error) => (check(false, `${mode} run: ${error.message.split('\n')[0]}`), `${mode}: failed`)));
	}
	return { checks, summary: said.join('; '), workflowFiles: files };
}

async function mustSucceed(options: AgentCheckOptions, what: string, args: string[]): Promise<void> {
	const result = await options.n8n(args);
	if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}): ${(result.stderr || result.stdout).slice(-1500)}`);
}

/** One `n8n execute` of an agent workflow, and what the model, the tool, Vault and the agent's answer show. */
async function agentRun(options: AgentCheckOptions, workflowId: string, mode: 'plan' | 'send', check: Check): Promise<string> {
	options.log(`\n--- AI agent, ${mode === 'plan' ? 'the tool as shipped (Agent Writes: Plan Only)' : 'the builder set Agent Writes to Send to Vault'}: n8n execute --id=${workflowId}`);
	await options.resetSandbox();
	await options.sandbox.chatScript({ toolCall: { arguments: ROW } });
	await options.sandbox.clearLog();
	const result = await options.n8n(['execute', `--id=${workflowId}`, '--rawOutput']);
	const { run, error } = rawOutputRun<IRun>(result.stdout);
	const chat = await options.sandbox.chat();
	const vaultCalls = await options.sandbox.log();
	await options.sandbox.completeJobs();
	const team = ((await options.sandbox.state()).teams.quality_event__qdm?.[RECORD] ?? []).map((member) => `${member.user_id} ${member.application_role}`);
	const runData = run?.data.resultData.runData ?? {};
	const toolRuns = runData[TOOL_NODE] ?? [];
	const toolItems = toolRuns.flatMap((task) => [...(task.data?.ai_tool?.[0] ?? []), ...(task.data?.main?.[0] ?? [])]).map((item) => item.json);
	const answer = String(runData[AGENT_NODE]?.at(-1)?.data?.main?.[0]?.[0]?.json?.output ?? '');
	const writes = vaultCalls.filter((entry) => entry.path.endsWith('/actions/manageassignments'));

	options.log(`n8n execute exit ${result.code}, status ${run?.status ?? `no run data (${error})`}; nodes run: ${Object.keys(runData).join(', ')}`);
	for (const request of chat) options.log(`  model <- ${describeChat(request)}`);
	options.log(`  the Vault tool ran ${toolRuns.length} time(s) (${toolRuns.map((task) => Object.keys(task.data ?? {}).join('+')).join(', ')}); its items: ${JSON.stringify(toolItems).slice(0, 600)}`);
	options.log(`  sandbox (Vault) saw ${vaultCalls.length} request(s): ${vaultCalls.map((entry) => `${entry.method} ${entry.path} ${entry.responseStatus ?? entry.status}`).join(', ') || 'none'}`);
	options.log(`  ${RECORD}'s Quality Team after the run: ${JSON.stringify(team)}`);
	options.log(`  the agent answered: ${answer.slice(0, 400)}`);

	check(result.code === 0 && run?.status === 'success', `${mode}: n8n execute did not succeed (exit ${result.code}, status ${run?.status}): ${run?.data.resultData.error?.message ?? error ?? result.stderr.slice(-800)}`);
	check(chat.length === 2 && 'toolCall' in chat[0].answered && 'text' in chat[1].answered, `${mode}: the model was not asked twice (tool call, then the answer): ${chat.map(describeChat).join(' | ')}`);
	const offered = chat[0]?.tools.find((tool) => COLUMNS.every((column) => tool.parameters.includes(column)));
	check(offered !== undefined, `${mode}: the model was not offered the Vault tool with its $fromAI parameters ${COLUMNS.join(', ')} (offered: ${JSON.stringify(chat[0]?.tools)})`);
	check(toolRuns.length === 1, `${mode}: the agent's call did not reach the Vault node once (runs: ${toolRuns.length})`);
	check(chat[1]?.toolResults.some((text) => text.includes(mode === 'plan' ? 'Nothing was sent to Vault' : 'jobId')) === true, `${mode}: the tool result the model read is not the ${mode === 'plan' ? 'plan' : 'job'}: ${JSON.stringify(chat[1]?.toolResults).slice(0, 400)}`);
	check(answer.startsWith('The Vault tool answered:'), `${mode}: the agent's output is not the model's final answer: ${answer.slice(0, 200)}`);
	if (mode === 'plan') {
		check(toolItems.some((json) => json.dryRun === true && String(json.csv ?? '').includes(`${RECORD},${USER},qa__c,ADD`)), `plan: the tool did not return the dry run of the row (${JSON.stringify(toolItems).slice(0, 300)})`);
		check(writes.length === 0, `plan: the agent's call sent ${writes.length} write(s) to Vault`);
		check(!team.includes(`${USER} qa__c`), `plan: ${USER} is on ${RECORD}'s team after a plan`);
	} else {
		check(writes.length === 1 && (writes[0].body ?? '').includes(`${RECORD},${USER},qa__c,ADD`), `send: Vault did not receive the row once (${writes.map((entry) => entry.body).join(' | ')})`);
		check(team.includes(`${USER} qa__c`), `send: ${USER} is not on ${RECORD}'s team after the write (${JSON.stringify(team)})`);
	}
	return `${mode === 'plan' ? 'as shipped (Plan Only)' : 'Agent Writes: Send to Vault'}: the model's call ran the Vault tool ${toolRuns.length} time(s); writes sent to Vault: ${writes.length}; ${USER} on ${RECORD}'s team: ${team.includes(`${USER} qa__c`) ? 'yes' : 'no'}`;
}

function describeChat(request: ChatRequest): string {
	const said = 'toolCall' in request.answered ? `calls ${request.answered.toolCall.name}(${JSON.stringify(request.answered.toolCall.arguments)})` : `answers "${request.answered.text.slice(0, 120)}…"`;
	return `${request.roles.join(',')} (tools: ${request.tools.map((tool) => tool.name).join(', ')}; ${request.authorized ? 'with' : 'WITHOUT'} its key) -> ${said}`;
}

/**
 * The tool's panel in the editor: the agent workflow (Agent Writes: Send to Vault) imported from its
 * file, the Vault tool opened: its Description for the model, Agent Writes and Allow Agent Removals
 * show (descriptions/toolFields.ts, n8n's `@tool` display option). The plain node's panel shows none
 * of them: editor.ts checks that per operation.
 */
export async function runToolPanelChecks(options: {
	baseUrl: string;
	owner: { email: string; password: string };
	workflowFiles: { plan: string; send: string };
	sandbox: SandboxClient;
	resetSandbox(): Promise<void>;
	screenshots: string;
	/** the Human review step (tool variants of Send and Wait nodes) exists from n8n 2.x on */
	n8nMajor: number;
	runDir: string;
	onProblem(message: string): void;
	log(text: string): void;
}): Promise<{ checks: number; screenshots: string[] }> {
	const { result, check, shoot } = stageRecorder(options.screenshots, 'the Vault tool in the editor: ', options.onProblem);
	const browser = await launchChromium();
	try {
		const { page } = await openEditor(browser, options.baseUrl, options.owner);
		await toolPanel(page, { ...options, workflowFile: options.workflowFiles.send }, check, shoot).catch(async (error: Error) => {
			check(false, error.message.split('\n')[0]);
			await shoot(page, 'failed-agent-tool-panel').catch(() => undefined);
		});
		await runInEditor(page, options, check, shoot).catch(async (error: Error) => {
			check(false, `the plan run from the editor: ${error.message.split('\n')[0]}`);
			await shoot(page, 'failed-agent-run').catch(() => undefined);
		});
		if (options.n8nMajor >= 2)
			await humanReview(page, options, check, shoot).catch(async (error: Error) => {
				check(false, `Human review: ${error.message.split('\n')[0]}`);
				await shoot(page, 'failed-agent-human-review').catch(() => undefined);
			});
	} finally {
		await closeChromium(browser);
	}
	return result;
}

const testId = (id: string) => `[data-test-id="${id}"]`;

async function toolPanel(page: Page, options: { baseUrl: string; workflowFile: string; log(text: string): void }, check: Check, shoot: Shoot): Promise<void> {
	await page.goto(`${options.baseUrl}/workflow/new`);
	await page.locator(testId('canvas-add-button')).waitFor();
	await page.locator(testId('workflow-import-input')).setInputFiles(options.workflowFile);
	const node = page.locator(testId('canvas-node')).filter({ hasText: TOOL_NODE }).first();
	await node.waitFor();
	await page.waitForTimeout(1000);
	const canvas = await shoot(page, 'agent-workflow');
	await node.dblclick();
	const ndv = page.locator(testId('ndv'));
	// the first: the Operation field (the column mapping has an "operation" column too)
	await ndv.locator(testId('parameter-input-operation')).first().waitFor();
	const shown = async (name: string) =>
		await ndv.locator(testId(`parameter-input-${name}`)).first().waitFor({ timeout: 5000 }).then(() => true, () => false);
	const fields = { toolDescription: await shown('toolDescription'), agentWrites: await shown('agentWrites'), agentRemovals: await shown('agentRemovals') };
	// a chosen option shows as an input's value, which innerText leaves out
	const values = await ndv.locator('input, textarea').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value));
	const text = `${await ndv.innerText()} ${values.join(' ')}`.replace(/\s+/g, ' ');
	check(fields.toolDescription && fields.agentWrites && fields.agentRemovals, `the tool's panel lacks a tool-only field: ${JSON.stringify(fields)}`);
	check(text.includes('Send to Vault'), 'the tool\'s panel does not show Agent Writes set to "Send to Vault"');
	check(text.includes('Adds people to or removes them from the Quality Team'), "the tool's Description is not the words written for the model (descriptions/toolFields.ts)");
	const panel = await shoot(page, 'agent-tool-panel');
	options.log(`the agent workflow imported in the editor -> ${canvas}; the Vault tool's panel: ${JSON.stringify(fields)}, Agent Writes "Send to Vault", the Description for the model -> ${panel}`);
	await page.keyboard.press('Escape');
}

/**
 * The agent workflow as shipped (Plan Only) run with the editor's Execute workflow button (in queue
 * mode: on the worker): the agent finishes, the tool's dry run is what the model read, Vault gets no write.
 */
async function runInEditor(
	page: Page,
	options: { baseUrl: string; workflowFiles: { plan: string }; sandbox: SandboxClient; resetSandbox(): Promise<void>; log(text: string): void },
	check: Check,
	shoot: Shoot,
): Promise<void> {
	await options.resetSandbox();
	await options.sandbox.chatScript({ toolCall: { arguments: ROW } });
	await options.sandbox.clearLog();
	await page.goto(`${options.baseUrl}/workflow/new`);
	await page.locator(testId('canvas-add-button')).waitFor();
	await page.locator(testId('workflow-import-input')).setInputFiles(options.workflowFiles.plan);
	const agent = page.locator(testId('canvas-node')).filter({ hasText: AGENT_NODE }).first();
	await agent.waitFor();
	await page.waitForTimeout(1000);
	await page.locator(testId('execute-workflow-button')).first().click();
	const finished = await agent.locator(testId('canvas-node-status-success')).waitFor({ timeout: 120_000 }).then(() => true, () => false);
	await page.waitForTimeout(1500);
	const file = await shoot(page, 'agent-run-plan');
	const chat = await options.sandbox.chat();
	const writes = (await options.sandbox.log()).filter((entry) => entry.path.endsWith('/actions/manageassignments'));
	check(finished, 'the AI Agent did not finish successfully when run from the editor');
	check(chat.length === 2 && chat[1].toolResults.some((text) => text.includes('Nothing was sent to Vault')), `run from the editor: the model did not read the tool's plan (${chat.map(describeChat).join(' | ')})`);
	check(writes.length === 0, `run from the editor: ${writes.length} write(s) reached Vault from a plan`);
	options.log(`the agent workflow as shipped, run with Execute workflow in the editor: AI Agent ${finished ? 'succeeded' : 'did NOT succeed'}; the model asked ${chat.length} time(s), the second time with the tool's plan; writes to Vault: ${writes.length} -> ${file}`);
}

/** The Human review workflow imported in the editor: the canvas, and the review step's panel with the Message the reviewer gets. */
async function humanReview(page: Page, options: { baseUrl: string; runDir: string; n8nMajor: number; log(text: string): void }, check: Check, shoot: Shoot): Promise<void> {
	const file = join(options.runDir, 'agent-human-review-workflow.json');
	writeFileSync(file, JSON.stringify(humanReviewWorkflow(options.n8nMajor), null, 2));
	await page.goto(`${options.baseUrl}/workflow/new`);
	await page.locator(testId('canvas-add-button')).waitFor();
	await page.locator(testId('workflow-import-input')).setInputFiles(file);
	const node = page.locator(testId('canvas-node')).filter({ hasText: HUMAN_REVIEW_NODE }).first();
	const shown = await node.waitFor({ timeout: 15_000 }).then(() => true, () => false);
	await page.waitForTimeout(1000);
	const canvas = await shoot(page, 'agent-human-review-workflow');
	check(shown, `the Human review node (chatHitlTool) is not on the canvas (see ${canvas})`);
	if (!shown) return;
	await node.dblclick();
	const ndv = page.locator(testId('ndv'));
	await ndv.locator(testId('parameter-input-message')).first().waitFor();
	const values = await ndv.locator('input, textarea, .cm-content').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value?: string; textContent?: string }).value ?? input.textContent ?? ''));
	const text = `${await ndv.innerText()} ${values.join(' ')}`.replace(/\s+/g, ' ');
	const panel = await shoot(page, 'agent-human-review-panel');
	check(text.includes('$tool.parameters'), `the Human review panel does not show the Message with the tool's parameters (see ${panel})`);
	options.log(`n8n's Human review on the Vault tool (Vault tool → Human review (chatHitlTool) → AI Agent) -> ${canvas}; its panel, the Message the reviewer gets -> ${panel}`);
	await page.keyboard.press('Escape');
}
