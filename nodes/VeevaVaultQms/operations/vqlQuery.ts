import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { VaultRequestError } from '../transport/errors';
import { vqlRecords } from '../read/vqlPages';

const SHOW = { show: { resource: ['vql'], operation: ['query'] } };

export const vqlQueryFields: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		placeholder: "e.g. SELECT id, username__sys, email__sys FROM user__sys WHERE status__v = 'active__v'",
		description:
			"A VQL statement (Vault Query Language). Vault answers at most 1,000 records a page; the node reads every page (Vault's next_page links, or PAGEOFFSET where Vault gives none, as for users). A query with its own PAGEOFFSET is refused when Vault gives no next_page.",
		displayOptions: SHOW,
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: true,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: SHOW,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { ...SHOW.show, returnAll: [false] } },
	},
];

/**
 * VQL → Run Query: one output item per record Vault returns, fields as Vault names them, each
 * paired to the input item whose query it answers; every page is read (next_page, or PAGEOFFSET
 * where Vault gives no next_page: read/vqlPages.ts). A query Vault refuses is that item's error in
 * Vault's words, with the query, and a marker under the position where Vault's message names one.
 */
export async function executeVqlQuery(
	fx: IExecuteFunctions,
	client: VaultClient,
	toError: (error: unknown, itemIndex: number, description?: string) => NodeApiError | NodeOperationError,
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
