import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	LoggerProxy,
	NodeConnectionTypes,
	Workflow,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type INodeTypeDescription,
	type IRun,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { VeevaVaultApi } from '../../credentials/VeevaVaultApi.credentials';
import { VeevaVaultQms } from '../../nodes/VeevaVaultQms/VeevaVaultQms.node';
import { TestCredentialsHelper, type StoredCredential } from './credentialsHelper';

export const VAULT_NODE_TYPE = 'n8n-nodes-veeva-vault-qms.veevaVaultQms';
const SOURCE_NODE_TYPE = 'test.itemsSource';

/** A start node that emits the items a test gives it: stands in for an HR trigger, LMS, CSV reader. */
class ItemsSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items Source',
		name: 'itemsSource',
		group: ['trigger'],
		version: 1,
		description: 'Emits the items given as a parameter',
		defaults: { name: 'Items Source' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getNodeParameter('items', 0) as unknown as INodeExecutionData[];
		return [items];
	}
}

const nodeTypes: INodeTypes = {
	getByName: (type: string) => byType(type),
	getByNameAndVersion: (type: string) => byType(type),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

const vaultNode = new VeevaVaultQms();
const sourceNode = new ItemsSource();
function byType(type: string): INodeType {
	if (type === VAULT_NODE_TYPE) return vaultNode;
	if (type === SOURCE_NODE_TYPE) return sourceNode;
	throw new Error(`Unknown node type ${type}`);
}

/** Everything the node logs during a run, to search for secrets. */
export const capturedLogs: string[] = [];
const capture = (level: string) => (message: string, meta?: object) =>
	capturedLogs.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
LoggerProxy.init({
	error: capture('error'),
	warn: capture('warn'),
	info: capture('info'),
	debug: capture('debug'),
} as never);

export interface Harness {
	credentials: TestCredentialsHelper;
	run(options: RunOptions): Promise<RunResult>;
}

export interface RunOptions {
	items: Array<IDataObject | INodeExecutionData>;
	parameters: INodeParameters;
	credentialId?: string;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
}

export interface RunResult {
	run: IRun;
	/** the Vault node's outputs: [main] or [main, error] with continueErrorOutput */
	outputs: INodeExecutionData[][];
	/** the error that stopped the Vault node, if any */
	error?: Error & { description?: string | null; context?: IDataObject };
}

export function createHarness(credentials: StoredCredential[]): Harness {
	const helper = new TestCredentialsHelper({ veevaVaultApi: new VeevaVaultApi() });
	for (const credential of credentials) helper.add(credential);
	return { credentials: helper, run: async (options) => await runWorkflow(helper, options) };
}

let executionCounter = 0;

async function runWorkflow(helper: TestCredentialsHelper, options: RunOptions): Promise<RunResult> {
	const credentialId = options.credentialId ?? [...helper.store.keys()][0];
	const credential = helper.store.get(credentialId);
	const items = options.items.map((item) => ('json' in item && typeof item.json === 'object' ? item : { json: item }));
	const nodes: INode[] = [
		{
			id: 'source',
			name: 'Source',
			type: SOURCE_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: items as never },
		},
		{
			id: 'vault',
			name: 'Vault',
			type: VAULT_NODE_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters,
			credentials: credential ? { veevaVaultApi: { id: credential.id, name: credential.name } } : undefined,
			onError: options.onError,
		},
	];
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'test',
		nodes,
		connections: { Source: { main: [[{ node: 'Vault', type: NodeConnectionTypes.Main, index: 0 }]] } },
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'wf-test',
		name: 'test',
		nodes,
		connections: workflow.connectionsBySourceNode,
		active: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const additionalData = {
		credentialsHelper: helper,
		hooks,
		executionId,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		currentNodeExecutionIndex: 0,
		variables: {},
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;

	const run = await new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode: nodes[0],
	});
	const vaultRuns = run.data.resultData.runData.Vault ?? [];
	const last = vaultRuns[vaultRuns.length - 1];
	return {
		run,
		outputs: (last?.data?.main ?? []).map((output) => output ?? []),
		error: (last?.error ?? undefined) as RunResult['error'],
	};
}
