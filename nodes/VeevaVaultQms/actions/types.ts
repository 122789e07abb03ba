import type {
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import type { BulkOperationSpec } from '../operations/types';
import type { VaultClient } from '../transport/client';

/** Turns what an action threw into n8n's error for an item (pipeline/errors.ts, toNodeError). */
export type ToNodeError = (
	error: unknown,
	itemIndex: number,
	description?: string,
) => NodeApiError | NodeOperationError;

/**
 * An operation that is not a bulk endpoint (job status, VQL query): its editor words and what it
 * does with the input items, given a client for the credential.
 */
export interface ExecuteAction {
	resource: string;
	operation: string;
	/** UI: the operation's name, its action sentence and description */
	name: string;
	action: string;
	description: string;
	execute(
		fx: IExecuteFunctions,
		client: VaultClient,
		toError: ToNodeError,
	): Promise<INodeExecutionData[]>;
}

/** One entry of the node's registry: a bulk endpoint (a spec the pipeline runs) or an execute-style action. */
export type NodeOperation =
	| { kind: 'bulk'; spec: BulkOperationSpec }
	| { kind: 'execute'; action: ExecuteAction };
