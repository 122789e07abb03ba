import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { vqlPages, vqlRecords } from '../read/vqlPages';
import type { VaultClient } from '../transport/client';
import { VaultRequestError } from '../transport/errors';
import { agentRowCap } from './toolMode';
import type { ExecuteAction, ToNodeError } from './types';

/**
 * VQL → Run Query: one output item per record Vault returns, fields as Vault names them, each
 * paired to the input item whose query it answers; every page is read (next_page, or PAGEOFFSET
 * where Vault gives no next_page: read/vqlPages.ts). A query Vault refuses is that item's error in
 * Vault's words, with the query, and a marker under the position where Vault's message names one.
 * For an AI agent: the fields the query names (as Vault answers them), at most the node's Max Rows
 * for the Agent, and a last item saying when more rows exist (toolMode.ts).
 */
export async function executeVqlQuery(
	fx: IExecuteFunctions,
	client: VaultClient,
	toError: ToNodeError,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const agentCap = agentRowCap(fx);
	for (let itemIndex = 0; itemIndex < fx.getInputData().length; itemIndex++) {
		const query = String(fx.getNodeParameter('query', itemIndex, '') ?? '').trim();
		const returnAll = fx.getNodeParameter('returnAll', itemIndex, true) as boolean;
		const limit = returnAll
			? Infinity
			: Math.max(1, Math.floor(Number(fx.getNodeParameter('limit', itemIndex, 50))));
		try {
			if (query === '')
				throw new VaultRequestError(
					'config',
					'The query is empty: enter a VQL statement, e.g. SELECT id FROM user__sys',
				);
			if (agentCap !== undefined) {
				output.push(
					...(await forTheAgent(client, query, Math.min(limit, agentCap))).map((json) => ({
						json,
						pairedItem: { item: itemIndex },
					})),
				);
				continue;
			}
			const records = await vqlRecords(client, query, limit);
			for (const record of records)
				output.push({ json: record as IDataObject, pairedItem: { item: itemIndex } });
		} catch (caught) {
			const error = toError(
				caught,
				itemIndex,
				caught instanceof VaultRequestError && caught.kind === 'vault'
					? pointAt(query, caught.message, caught.details.errorType)
					: undefined,
			);
			if (!fx.continueOnFail()) throw error;
			// only error, message and details: n8n routes such an item to the error output under
			// "continue (using error output)" (n8n-core workflow-execute, handleNodeErrorOutput)
			output.push({
				json: { error: error.message, details: { query } },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return output;
}

/**
 * An agent's answer: at most `cap` records, and when the query matches more (responseDetails.total,
 * Veeva API reference "Submitting a Query"), a last item that says so. No page past the cap is read.
 */
async function forTheAgent(
	client: VaultClient,
	query: string,
	cap: number,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	let total = 0;
	for await (const page of vqlPages(client, query)) {
		total = page.total;
		records.push(...page.records.slice(0, cap - records.length));
		if (records.length >= cap) break;
	}
	if (records.length < cap || total <= records.length) return records;
	const note = `More rows exist: the query matches ${total} records and only the first ${records.length} are returned. Narrow the WHERE clause (or select fewer fields) rather than asking for the rest.`;
	return [
		...records,
		{ moreRowsExist: true, rowsReturned: records.length, rowsMatching: total, note },
	];
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
