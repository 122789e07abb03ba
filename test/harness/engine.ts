import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService, ErrorReporter, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	LoggerProxy,
	NodeConnectionTypes,
	Workflow,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeDescription,
	type IRun,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { testCredential, type TesterVersion } from './credentialTest';
import { resumeWaiting, type WaitingRequest } from './waiting';
import { TestCredentialsHelper, type PreAuthWriteBack, type StoredCredential } from './credentialsHelper';
import { createNodeTypes, VAULT_NODE_TYPE } from './nodeTypes';
import { VeevaVaultApi } from '../../credentials/VeevaVaultApi.credentials';
import { VeevaVaultOAuth2Api } from '../../credentials/VeevaVaultOAuth2Api.credentials';
// n8n's own OAuth2 credential type, which the package's OAuth2 credential extends (n8n loads it from n8n-nodes-base)
import { OAuth2Api } from 'n8n-nodes-base/dist/credentials/OAuth2Api.credentials';

export { VAULT_NODE_TYPE };
const SOURCE_NODE_TYPE = 'test.itemsSource';

/** A start node that emits the items a test gives it: stands in for an HR trigger, an LMS, a CSV reader. */
class ItemsSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items Source',
		name: 'itemsSource',
		group: ['trigger'],
		version: 1,
		description: 'Emits the items a test handed to the harness',
		defaults: { name: 'Items Source' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items Key', name: 'itemsKey', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// handed over by reference, as a trigger's output is: not as a node parameter, which n8n
		// deep-copies (the copy of 100k items would be counted against the node in benchmarks)
		// and would evaluate ("=cmd|calc" is data here, not an expression)
		return [itemsByKey.get(this.getNode().parameters.itemsKey as string) ?? []];
	}
}

const itemsByKey = new Map<string, INodeExecutionData[]>();
let itemsCounter = 0;

const extraNodeTypes: Record<string, INodeType> = { [SOURCE_NODE_TYPE]: new ItemsSource() };
const nodeTypes = createNodeTypes(extraNodeTypes);

/** Serves one more node type to every harness (the bench's in-n8n floor); run it with `RunOptions.nodeType`. */
export function registerNodeType(type: string, node: INodeType): void {
	extraNodeTypes[type] = node;
}

/**
 * n8n's filesystem binary-data mode (N8N_DEFAULT_BINARY_DATA_MODE=filesystem), as n8n's start-up
 * sets it up: files stored under `storagePath`, items carry an id instead of base64. Without it
 * the harness keeps binary data in the item (n8n's in-memory mode).
 */
export async function useFilesystemBinaryData(storagePath: string): Promise<BinaryDataService> {
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = storagePath;
	const service = Container.get(BinaryDataService);
	await service.init();
	return service;
}

/** Everything n8n's logger receives during runs, to search for secrets. */
export const capturedLogs: string[] = [];
const capture = (level: string) => (message: string, meta?: object) =>
	capturedLogs.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
const captureLogger = { error: capture('error'), warn: capture('warn'), info: capture('info'), debug: capture('debug') };
LoggerProxy.init(captureLogger as never);
// n8n-core's error reporter logs every node error through its own logger (the console, in
// n8n: the server log): captured here too, so the secrets checks search what n8n would log
(Container.get(ErrorReporter) as unknown as { logger: typeof captureLogger }).logger = captureLogger;

export interface WorkflowData {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	/** the workflow's static data (a polling trigger's cursor); the run writes into this very object */
	staticData?: IDataObject;
}

export interface Harness {
	credentials: TestCredentialsHelper;
	/** the Vault node fed by a source of `items`, as one workflow execution */
	run(options: RunOptions): Promise<RunResult>;
	/** a whole workflow (e.g. from examples/), started at `startNode` */
	runWorkflow(workflow: WorkflowData, startNode: string): Promise<IRun>;
	/** a run of runWorkflow that waits at a Wait node, carried on as n8n does when its form is submitted (waiting.ts) */
	resumeWorkflow(workflow: WorkflowData, waiting: IRun, request: WaitingRequest): Promise<IRun>;
	/** n8n's "Test credential" button, as n8n's CredentialsTester does it */
	testCredential(credentialId: string, tester?: TesterVersion): Promise<{ status: 'OK' | 'Error'; message: string }>;
}

export interface RunOptions {
	items: Array<IDataObject | INodeExecutionData>;
	parameters: INodeParameters;
	credentialId?: string;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	/** the node type run in the Vault node's place (one given to registerNodeType); default the Vault node */
	nodeType?: string;
}

export interface RunResult {
	run: IRun;
	/** the Vault node's outputs: [main] or [main, error] with continueErrorOutput */
	outputs: INodeExecutionData[][];
	/** the error that stopped the Vault node, if any */
	error?: Error & { description?: string | null; context?: IDataObject };
}

/** `writeBack`: how the credentials helper stores a new session, as n8n 2.x (default) or 1.123.81 does. */
export function createHarness(credentials: StoredCredential[], writeBack: PreAuthWriteBack = 'merge'): Harness {
	const types = { veevaVaultApi: new VeevaVaultApi(), veevaVaultOAuth2Api: new VeevaVaultOAuth2Api(), oAuth2Api: new OAuth2Api() };
	const helper = new TestCredentialsHelper(types, writeBack);
	for (const credential of credentials) helper.add(credential);
	return {
		credentials: helper,
		run: async (options) => await runVaultNode(helper, options),
		runWorkflow: async (workflow, startNode) => await executeWorkflow(helper, workflow, startNode),
		resumeWorkflow: async (workflow, waiting, request) => {
			// n8n carries on the stored execution; here a new id (nothing of this package reads it)
			const executionId = String(++executionCounter);
			return await resumeWaiting(workflowOf(workflow), waiting, makeAdditionalData(helper, executionId, hooksOf(workflow, executionId)), request);
		},
		testCredential: async (credentialId, tester) => await testCredential(helper, credentialId, makeAdditionalData(helper, 'credential-test'), tester),
	};
}

async function runVaultNode(helper: TestCredentialsHelper, options: RunOptions): Promise<RunResult> {
	const credential = helper.store.get(options.credentialId ?? [...helper.store.keys()][0]);
	const items = options.items.map((item) => ('json' in item && typeof item.json === 'object' ? item : { json: item })) as INodeExecutionData[];
	const itemsKey = String(++itemsCounter);
	itemsByKey.set(itemsKey, items);
	const nodes: INode[] = [
		{ id: 'source', name: 'Source', type: SOURCE_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: { itemsKey } },
		{
			id: 'vault',
			name: 'Vault',
			type: options.nodeType ?? VAULT_NODE_TYPE,
			typeVersion: 1,
			position: [200, 0],
			// the node's Authentication names the credential it uses (the OAuth2 one: 'oAuth2')
			parameters: credential?.type === 'veevaVaultOAuth2Api' ? { authentication: 'oAuth2', ...options.parameters } : options.parameters,
			credentials: credential ? { [credential.type]: { id: credential.id, name: credential.name } } : undefined,
			onError: options.onError,
		},
	];
	const connections = { Source: { main: [[{ node: 'Vault', type: NodeConnectionTypes.Main, index: 0 }]] } };
	const run = await executeWorkflow(helper, { nodes, connections }, 'Source').finally(() => itemsByKey.delete(itemsKey));
	const vaultRuns = run.data.resultData.runData.Vault ?? [];
	const last = vaultRuns[vaultRuns.length - 1];
	return {
		run,
		outputs: (last?.data?.main ?? []).map((output) => output ?? []),
		error: (last?.error ?? undefined) as RunResult['error'],
	};
}

let executionCounter = 0;

function workflowOf(data: WorkflowData): Workflow {
	return new Workflow({
		id: 'wf-test',
		name: data.name ?? 'test',
		nodes: data.nodes,
		connections: data.connections,
		active: false,
		nodeTypes,
		staticData: data.staticData,
		settings: { executionOrder: 'v1' },
	});
}

function hooksOf(data: WorkflowData, executionId: string): ExecutionLifecycleHooks {
	return new ExecutionLifecycleHooks('manual', executionId, {
		id: 'wf-test',
		name: data.name ?? 'test',
		nodes: data.nodes,
		connections: data.connections,
		active: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
}

async function executeWorkflow(helper: TestCredentialsHelper, data: WorkflowData, startNodeName: string): Promise<IRun> {
	const workflow = workflowOf(data);
	const executionId = String(++executionCounter);
	const hooks = hooksOf(data, executionId);
	const startNode = workflow.getNode(startNodeName);
	if (!startNode) throw new Error(`No node named ${startNodeName}`);
	return await new WorkflowExecute(makeAdditionalData(helper, executionId, hooks), 'manual').run({ workflow, startNode });
}

export function makeAdditionalData(
	helper: TestCredentialsHelper,
	executionId: string,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const base = 'http://localhost:5678';
	return {
		credentialsHelper: helper,
		hooks,
		executionId,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		currentNodeExecutionIndex: 0,
		variables: {},
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
}
