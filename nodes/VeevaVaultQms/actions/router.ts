import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from '../pipeline/errors';
import { refusedRunItems } from '../pipeline/outputErrors';
import { VaultClient } from '../transport/client';
import { runBulkOperation } from './bulk';
import { findOperation } from './registry';
import { explainForTheAgent } from './toolMode';

/**
 * The node's execute: the operation the parameters name, looked up in the registry and run.
 * Every operation's errors of one item are that item's error item already (with continue on fail).
 * What is still thrown refuses the run as a whole: without continue on fail it is the node's
 * error; with it (regular or error output), one error item per input item says why. An AI
 * agent gets its details in the message (toolMode.ts).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	try {
		return [await runOperation(this)];
	} catch (caught) {
		const error = explainForTheAgent(this, toNodeError(this, caught));
		if (!this.continueOnFail()) throw error;
		return [refusedRunItems(this.getInputData().length, error)];
	}
}

async function runOperation(fx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const resource = fx.getNodeParameter('resource', 0) as string;
	const operation = fx.getNodeParameter('operation', 0) as string;
	const entry = findOperation(resource, operation);
	if (!entry)
		throw new NodeOperationError(
			fx.getNode(),
			`Unknown operation "${operation}" for resource "${resource}"`,
		);
	if (entry.kind === 'bulk') return await runBulkOperation(fx, entry.spec);
	const client = await VaultClient.create(fx).catch((error: unknown) =>
		Promise.reject(toNodeError(fx, error)),
	);
	return await entry.action.execute(fx, client, (error, itemIndex, description) =>
		toNodeError(fx, error, itemIndex, description),
	);
}
