import { Container } from '@n8n/di';
import { PollContext, PollTriggerExecutor } from 'n8n-core';
import { Workflow, type IDataObject, type INode, type INodeExecutionData, type INodeParameters, type IRun } from 'n8n-workflow';

import type { Harness } from './engine';
import { makeAdditionalData } from './engine';
import { createNodeTypes, VAULT_TRIGGER_NODE_TYPE } from './nodeTypes';
import type { SandboxClient } from '../sandbox';

export { VAULT_TRIGGER_NODE_TYPE };

const nodeTypes = createNodeTypes();
const TRIGGER_NAME = 'Vault Trigger';

/** What one poll did: the items it emitted (n8n starts a workflow execution with them), or the error n8n records. */
export interface PollOutcome {
	items: INodeExecutionData[];
	/** the error the poll ended with (n8n saves it as a failed execution); none when it emitted or had nothing new */
	error?: Error & { description?: string | null };
	/** the node's static data after the poll, as n8n keeps it for the next one */
	staticData: IDataObject;
}

export interface Poller {
	/** one scheduled poll of the active workflow, through n8n-core's PollTriggerExecutor and PollContext */
	poll(): Promise<PollOutcome>;
	/** the editor's "Fetch Test Event": the workflow run manually from the trigger (n8n-core's WorkflowExecute, manual mode) */
	fetchTestEvent(): Promise<{ run: IRun; items: INodeExecutionData[]; error?: Error & { description?: string | null } }>;
	/** the workflow's static data as stored between polls (a JSON copy, as n8n saves it) */
	readonly staticData: IDataObject;
}

/**
 * An active workflow holding the Veeva Vault QMS Trigger, polled as n8n polls it: each poll builds the
 * workflow from its stored static data, runs n8n-core's PollTriggerExecutor (the poll, then `__emit` with
 * the items or `__emitError` with the error) on n8n-core's PollContext, and stores what the static data
 * holds afterwards, whatever the outcome: n8n keeps an active workflow's static data in memory between
 * polls, failed ones too, so a node that moved its cursor before failing would skip changes here as
 * it would in n8n. The store is a JSON copy, as n8n saves static data to its database.
 */
export function createPoller(harness: Harness, parameters: INodeParameters, options: { credentialId?: string; pollBudgetMs?: number } = {}): Poller {
	const credentialId = options.credentialId ?? [...harness.credentials.store.keys()][0];
	const credential = credentialId ? harness.credentials.store.get(credentialId) : undefined;
	const node: INode = {
		id: 'vault-trigger',
		name: TRIGGER_NAME,
		type: VAULT_TRIGGER_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: credential ? { veevaVaultApi: { id: credential.id, name: credential.name } } : undefined,
	};
	let stored: IDataObject = {};
	let polls = 0;
	const store = (data: IDataObject) => (stored = JSON.parse(JSON.stringify(data)) as IDataObject);
	return {
		get staticData() {
			return stored;
		},
		async poll() {
			const workflow = new Workflow({ id: 'wf-poll', name: 'poll', nodes: [node], connections: {}, active: true, nodeTypes, staticData: JSON.parse(JSON.stringify(stored)), settings: { executionOrder: 'v1' } });
			const outcome: { items: INodeExecutionData[]; error?: PollOutcome['error'] } = { items: [] };
			const context = new PollContext(
				workflow,
				node,
				makeAdditionalData(harness.credentials, `poll-${++polls}`),
				'trigger',
				polls === 1 ? 'activate' : 'update',
				(data) => (outcome.items = data[0] ?? []),
				(error) => (outcome.error = error as PollOutcome['error']),
				undefined,
				undefined,
				undefined,
				options.pollBudgetMs === undefined ? undefined : () => options.pollBudgetMs as number,
			);
			await Container.get(PollTriggerExecutor).create(workflow, node, context, () => true)(false);
			store(workflow.staticData);
			return { ...outcome, staticData: stored };
		},
		async fetchTestEvent() {
			const staticData = JSON.parse(JSON.stringify(stored)) as IDataObject;
			const run = await harness.runWorkflow({ name: 'poll', nodes: [node], connections: {}, staticData }, TRIGGER_NAME);
			store(staticData);
			const last = run.data.resultData.runData[TRIGGER_NAME]?.at(-1);
			return { run, items: last?.data?.main?.[0] ?? [], error: (last?.error ?? undefined) as PollOutcome['error'] };
		},
	};
}

/**
 * The rule every poll keeps: a poll that fails leaves the cursor where it was (n8n keeps the static
 * data of a failed poll, so a cursor moved before the failure would skip changes), and says so. Two
 * failures are tried, each more times than the client retries: a proxy's 500 on `failingPath`, then
 * a query answer that does not add up. The faults are cleared afterwards.
 */
export async function expectFailedPollsKeepTheCursor(poller: Poller, sandbox: SandboxClient, failingPath: string): Promise<void> {
	const before = poller.staticData;
	await sandbox.fault({ kind: 'http500', match: { path: failingPath }, count: 10 });
	const failed = await poller.poll();
	expect(failed.items).toEqual([]);
	expect(failed.error?.message).toMatch(/^Polling Vault failed: /);
	expect(failed.error?.description).toMatch(/was not moved: the next poll reads the same changes again/);
	expect(failed.staticData).toEqual(before);
	await sandbox.clearFaults();
	await sandbox.fault({ kind: 'noData', match: { path: '/query' }, count: 10 });
	expect((await poller.poll()).error?.message).toMatch(/does not add up/);
	expect(poller.staticData).toEqual(before);
	await sandbox.clearFaults();
}
