import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { vqlRecords } from '../read/vqlPages';
import type { VaultClient } from '../transport/client';
import { VaultRequestError } from '../transport/errors';
import type { ExecuteAction, ToNodeError } from './types';

/**
 * VQL → Run Query: one output item per record Vault returns, fields as Vault names them, each
 * paired to the input item whose query it answers; every page is read (next_page, or PAGEOFFSET
 * where Vault gives no next_page: read/vqlPages.ts). A query Vault refuses is that item's error in
 * Vault's words, with the query, and a marker under the position where Vault's message names one.
 */
export async function executeVqlQuery(
	fx: IExecuteFunctions,
	client: VaultClient,
	toError: ToNodeError,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < fx.getInputData().length; itemIndex++) {
		const query = String(fx.getNodeParameter('query', itemIndex, '') ?? '').trim();
		const returnAll = fx.getNodeParameter('returnAll', itemIndex, true) as boolean;
		const limit = returnAll ? Infinity : Math.max(1, Math.floor(Number(fx.getNodeParameter('limit', itemIndex, 50))));
		try {
			if (query === '') throw new VaultRequestError('config', 'The query is empty: enter a VQL statement, e.g. SELECT id FROM user__sys');
			const records = await vqlRecords(client, query, limit);
			for (const record of records) output.push({ json: record as IDataObject, pairedItem: { item: itemIndex } });
		} catch (caught) {
			const error = toError(caught, itemIndex, caught instanceof VaultRequestError && caught.kind === 'vault' ? pointAt(query, caught.message, caught.details.errorType) : undefined);
			if (!fx.continueOnFail()) throw error;
			output.push({ json: { error: error.message, query }, pairedItem: { item: itemIndex } });
		}
	}
	return output;
}

/**
 * Vault's error types for a query it cannot parse: `INCORRECT_QUERY_SYNTAX_ERROR` on Veeva's "Errors"
 * page ("Query string used with VQL has an incorrect query syntax"); a real v25.2 Vault answered
 * `INCORRECT_QUERY_SYNTAX` ("Cannot parse the search phrase ..."). Neither message names a position.
 */
const SYNTAX_ERRORS = new Set(['INCORRECT_QUERY_SYNTAX_ERROR', 'INCORRECT_QUERY_SYNTAX']);

/**
 * The query, for the error's description: with a caret under the position Vault's message names
 * ("... position 23 ..."), if it names one (Vault's messages are not contractual, and its syntax
 * errors name none), else the query alone, and for a syntax error what to check.
 */
export function pointAt(query: string, message: string, errorType?: string): string {
	const plain = SYNTAX_ERRORS.has(errorType ?? '')
		? `Vault could not parse this query (its message names no position): check the VQL syntax, quotes and escapes.\nQuery: ${query}`
		: `Query: ${query}`;
	const match = /position\s+(\d+)/i.exec(message);
	if (!match) return plain;
	const position = Number(match[1]);
	if (position < 1 || position > query.length + 1) return plain;
	// Vault's position is counted from 1 or 0 depending on the message: show the spot, not a claim
	return `Query (Vault points at position ${position}):\n${query}\n${' '.repeat(position - 1)}^`;
}

export const vqlQueryAction: ExecuteAction = {
	resource: 'vql',
	operation: 'query',
	name: 'Run Query',
	action: 'Run VQL query',
	description: 'Read records from Vault with a VQL statement',
	execute: executeVqlQuery,
};
