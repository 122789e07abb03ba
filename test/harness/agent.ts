/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import {
	NodeConnectionTypes,
	type EngineRequest,
	type EngineResponse,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeDescription,
	type IRun,
} from 'n8n-workflow';

import { registerNodeType, VAULT_NODE_TYPE, type Harness } from './engine';
import { VeevaVaultQms } from '../../nodes/VeevaVaultQms/VeevaVaultQms.node';

/**
 * The Vault node run the way n8n runs a node as an AI agent's tool, through n8n-core's real engine.
 *
 * 1. The tool variant. n8n serves a `usableAsTool` node to an agent as the type `<type>Tool`: the
 *    same node object with its description converted (packages/cli/src/node-types.ts,
 *    getByNameAndVersion, and tool-generation/ai-tools.ts, convertNodeToAiTool, in 2.41.1; the same
 *    steps in 1.123.81's load-nodes-and-credentials.ts): name + "Tool", no inputs, one ai_tool
 *    output; Description fields (descriptionType, toolDescription) unless the node has its own
 *    `toolDescription`, as this one has. `toolVariant` does those steps; the Workflow then fills the parameters' defaults
 *    from that description, as n8n does, so the `@tool` fields take part.
 * 2. The agent. The scripted agent stands in for n8n's AI Agent and its model: the calls a model
 *    would make are given (`calls`: the tool's arguments, which `$fromAI(...)` parameters read).
 *    - path 'engine' (AI Agent 3.x, n8n 1.1xx to 2.x): the agent answers with an EngineRequest, one
 *      ExecutionNodeAction per call (@n8n/nodes-langchain utils/agent-execution/createEngineRequests.ts);
 *      n8n-core's WorkflowExecute runs the tool node (requests-response.ts: `rewireOutputLogTo:
 *      ai_tool`, the arguments as the run's inputOverride, which `$fromAI` reads) and resumes the
 *      agent with the results. Here the node's `isToolExecution()` is false.
 *    - path 'subNode' (AI Agent before 3.x, the MCP Server Trigger): the agent asks n8n-core for its
 *      tools (getInputConnectionData → createNodeAsTool: a LangChain tool whose schema is the
 *      `$fromAI` parameters) and invokes them; the node runs in a sub-node context whose
 *      `isToolExecution()` is true.
 */

export const VAULT_TOOL_TYPE = `${VAULT_NODE_TYPE}Tool`;
const AGENT_TYPE = 'test.scriptedAgent';

/** n8n's conversion of a usableAsTool node into its tool variant (see above), on the same object. */
export function toolVariant(base: INodeType): INodeType {
	const description: INodeTypeDescription = {
		...base.description,
		name: `${base.description.name}Tool`,
		displayName: `${base.description.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
	};
	delete description.usableAsTool;
	// n8n adds its own Description fields to a node without a toolDescription (after any callout; this node has none)
	if (!description.properties.some((property) => property.name === 'toolDescription')) {
		description.properties = [
			{ displayName: 'Tool Description', name: 'descriptionType', type: 'options', noDataExpression: true, default: 'auto', options: [{ name: 'Set Automatically', value: 'auto' }, { name: 'Set Manually', value: 'manual' }] },
			{ displayName: 'Description', name: 'toolDescription', type: 'string', default: base.description.description, required: true, displayOptions: { show: { descriptionType: ['manual'] } } },
			...description.properties,
		];
	}
	return Object.create(base, { description: { value: description } }) as INodeType;
}

/** What one tool call gave the agent: the items' json, or the error n8n handed back in their place. */
export interface ToolCallResult {
	id: string;
	output: IDataObject[];
	error?: string;
}

const scripts = new Map<string, { calls: IDataObject[]; path: 'engine' | 'subNode' }>();
let scriptCounter = 0;

class ScriptedAgent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Scripted Agent',
		name: 'scriptedAgent',
		group: ['transform'],
		version: 1,
		description: "Calls its tools as a model's answers would, and outputs what they returned",
		defaults: { name: 'Agent' },
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tools' }],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Script Key', name: 'scriptKey', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions, response?: EngineResponse): Promise<INodeExecutionData[][] | EngineRequest> {
		const script = scripts.get(this.getNode().parameters.scriptKey as string);
		if (!script) throw new Error('no script');
		if (script.path === 'subNode') return [[{ json: (await invokeTools(this, script.calls)) as unknown as IDataObject }]];
		// the engine hands every node an EngineResponse, empty before any tool ran
		if (!response || response.actionResponses.length === 0) {
			const actions = script.calls.map((input, index) => ({
				actionType: 'ExecutionNodeAction' as const,
				nodeName: 'Vault',
				input,
				type: NodeConnectionTypes.AiTool,
				id: `call_${index + 1}`,
				metadata: { itemIndex: 0 },
			}));
			return { actions, metadata: {} };
		}
		const calls: ToolCallResult[] = response.actionResponses.map(({ action, data }) => ({
			id: action.id,
			output: (data.data?.[NodeConnectionTypes.AiTool]?.[0] ?? []).map((item) => item.json),
			error: data.error?.message,
		}));
		return [[{ json: { calls: calls as unknown as IDataObject[] } }]];
	}
}

/** The sub-node path: n8n-core's LangChain tool for the Vault node (what the model is told of it), invoked once per call; its answer is the JSON the model reads. */
async function invokeTools(fx: IExecuteFunctions, calls: IDataObject[]): Promise<{ calls: ToolCallResult[]; tool: { name: string; description: string } }> {
	const tools = (await fx.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Array<{ name: string; description: string; invoke(args: IDataObject): Promise<string> }>;
	const results: ToolCallResult[] = [];
	for (const [index, args] of calls.entries()) {
		const id = `call_${index + 1}`;
		try {
			results.push({ id, output: JSON.parse(await tools[0].invoke(args)) as IDataObject[] });
		} catch (error) {
			results.push({ id, output: [], error: (error as Error).message });
		}
	}
	return { calls: results, tool: { name: tools[0].name, description: tools[0].description } };
}

registerNodeType(VAULT_TOOL_TYPE, toolVariant(new VeevaVaultQms()));
registerNodeType(AGENT_TYPE, new ScriptedAgent());

export interface AgentRunOptions {
	/** the Vault tool node's parameters, as the workflow builder set them (`$fromAI(...)` where the model fills one) */
	parameters: INodeParameters;
	/** the tool's arguments of each call the model makes */
	calls: IDataObject[];
	path?: 'engine' | 'subNode';
	credentialId?: string;
}

export interface AgentRunResult {
	run: IRun;
	calls: ToolCallResult[];
	/** the sub-node path: the tool's name and description as the model is told them */
	tool?: { name: string; description: string };
	/** the error that stopped the run, if any */
	error?: Error;
}

/** A workflow of Manual Trigger → scripted agent, with the Vault node as its tool, run once. */
export async function runAsAgentTool(harness: Harness, options: AgentRunOptions): Promise<AgentRunResult> {
	const scriptKey = String(++scriptCounter);
	scripts.set(scriptKey, { calls: options.calls, path: options.path ?? 'engine' });
	const credential = harness.credentials.store.get(options.credentialId ?? [...harness.credentials.store.keys()][0]);
	const nodes: INode[] = [
		{ id: 'trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'agent', name: 'Agent', type: AGENT_TYPE, typeVersion: 1, position: [200, 0], parameters: { scriptKey } },
		{
			id: 'vault',
			name: 'Vault',
			type: VAULT_TOOL_TYPE,
			typeVersion: 1,
			position: [200, 200],
			parameters: options.parameters,
			credentials: credential ? { veevaVaultApi: { id: credential.id, name: credential.name } } : undefined,
		},
	];
	const connections = {
		Start: { main: [[{ node: 'Agent', type: NodeConnectionTypes.Main, index: 0 }]] },
		Vault: { [NodeConnectionTypes.AiTool]: [[{ node: 'Agent', type: NodeConnectionTypes.AiTool, index: 0 }]] },
	};
	const run = await harness.runWorkflow({ nodes, connections }, 'Start').finally(() => scripts.delete(scriptKey));
	const agentRun = run.data.resultData.runData.Agent?.at(-1);
	const answer = agentRun?.data?.main?.[0]?.[0]?.json ?? {};
	return { run, calls: (answer.calls ?? []) as unknown as ToolCallResult[], tool: answer.tool as AgentRunResult['tool'], error: run.data.resultData.error ?? undefined };
}
