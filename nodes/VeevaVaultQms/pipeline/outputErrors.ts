import type {
	IDataObject,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { itemDetailsOf, LINE_BREAK } from './messages';
import type { ItemOutcome, ItemProblem } from './types';

/**
 * The error items of the output (output.ts holds the rest): rows never sent, a run refused as a
 * whole, and the pairing every item takes. Apart because every output, sent or planned, ends with
 * them.
 */

/**
 * A run refused as a whole (a lookup or member read that failed, the Max Removals rail, no usable
 * row, a credential the node cannot use), under continue on fail: one error item per input item,
 * paired to it, saying the run's reason. Thrown, n8n would pass the input items on unchanged on the
 * success branch (n8n-core workflow-execute, handleNodeExecutionError), so a blocked run would look
 * like one that ran. `wholeRun` tells these apart from an item's own error.
 */
export function refusedRunItems(
	itemCount: number,
	error: NodeApiError | NodeOperationError,
): INodeExecutionData[] {
	const description =
		typeof error.description === 'string' && error.description !== ''
			? error.description.split(LINE_BREAK).join('\n')
			: undefined;
	const common: IDataObject = { wholeRun: true };
	if (description) common.description = description;
	if ('httpCode' in error && error.httpCode) common.httpCode = error.httpCode;
	const perItem = itemDetailsOf(error);
	return Array.from({ length: itemCount }, (_, item) =>
		errorItem({
			itemIndex: item,
			ok: false,
			message: error.message,
			details: { ...common, ...perItem?.get(item) },
		}),
	);
}

/** The error items of rows that were never sent, in item order. */
export function problemItems(problems: ItemProblem[]): INodeExecutionData[] {
	return problems.map((problem) => errorItem(problemOutcome(problem)));
}

export function problemOutcome(problem: ItemProblem): Extract<ItemOutcome, { ok: false }> {
	return {
		itemIndex: problem.itemIndex,
		rowNumber: problem.rowNumber,
		ok: false,
		message: `Not sent to Vault: ${problem.problems.join('; ')}`,
		details: {
			problems: problem.problems,
			...(problem.rowNumber === undefined ? {} : { csvRow: problem.rowNumber }),
		},
	};
}

/**
 * An item for the error output (or the main one, with "continue (regular output)"). It carries
 * no `error` object on purpose: n8n's engine replaces the json of such items with the bare
 * message, and the details (CSV row, batch, attempts, Vault's error type, the row) are what an
 * admin needs to act. n8n routes an item whose json holds only error, message and details to
 * the error output all the same.
 */
export function errorItem(outcome: Extract<ItemOutcome, { ok: false }>): INodeExecutionData {
	return {
		json: { error: outcome.message, details: outcome.details },
		...pairedTo(outcome.itemIndex),
	};
}

/** Rows no input item asked for (a Sync removal: itemIndex -1) pair to none. */
export function pairedTo(itemIndex: number): Pick<INodeExecutionData, 'pairedItem'> {
	return itemIndex < 0 ? {} : { pairedItem: { item: itemIndex } };
}
