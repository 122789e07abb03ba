import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * The items of one output as the rows of one table (issue 27). n8n's Table view makes a column of
 * every key any item has and shows a red `undefined` in the cells of the items that lack it
 * (editor-ui RunDataTable.vue, convertToTable), and one run mixes kinds of items (rows or batches,
 * Sync's changes, plan lines and summary, errors). So every item on one output carries the same
 * keys in the same order (as they first appear, the error's after the first item's own), null where it has no value.
 * Under "continue (using error output)" an error item keeps only `error` and `details`: that is the
 * shape n8n moves to the error output, where those items are a table of their own.
 * The items are built in output.ts; this only gives them their columns, at the end of a run.
 */

/** the keys n8n reads an error-output item by (n8n-core workflow-execute, handleNodeErrorOutput) */
const ERROR_ITEM_KEYS = ['error', 'message', 'details'];

export function asOneTable(
	fx: IExecuteFunctions,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	const errorOutput = fx.getNode().onError === 'continueErrorOutput';
	const rows = errorOutput ? items.filter((item) => !isErrorOutputItem(item)) : items;
	const columns = columnsOf(rows);
	for (const item of rows) {
		if (!hasColumns(item.json, columns)) item.json = withColumns(item.json, columns);
	}
	return items;
}

/** An item n8n's "continue (using error output)" moves to the error output: `error` set, or json of error, message and details only. */
function isErrorOutputItem(item: INodeExecutionData): boolean {
	return (
		item.error !== undefined ||
		(Boolean(item.json.error) &&
			Object.keys(item.json).every((key) => ERROR_ITEM_KEYS.includes(key)))
	);
}

/**
 * Every key of the items, in the order they first appear, except the error's keys: they follow the
 * first item's own columns, ahead of the keys only later kinds of item have (the summary's counts).
 * n8n's Table view shows at most 40 columns (RunDataTable.vue, MAX_COLUMNS_LIMIT) and a Sync with
 * its options can have more: why a row failed must not be among the columns it hides.
 */
function columnsOf(items: INodeExecutionData[]): string[] {
	const seen = new Set<string>();
	let shape: string[] = [];
	let first: string[] | undefined;
	for (const { json } of items) {
		// most items have the keys of the item before: compared, not added again (about 5 times faster on 100,000 rows)
		if (sameKeys(json, shape)) continue;
		shape = Object.keys(json);
		first ??= shape.filter((key) => !ERROR_ITEM_KEYS.includes(key));
		for (const key of shape) seen.add(key);
	}
	const errorKeys = ERROR_ITEM_KEYS.filter((key) => seen.has(key));
	const lead = first ?? [];
	const rest = [...seen].filter((key) => !lead.includes(key) && !errorKeys.includes(key));
	return [...lead, ...errorKeys, ...rest];
}

/** Whether the object has exactly these keys, in this order. */
function sameKeys(json: IDataObject, keys: string[]): boolean {
	let index = 0;
	for (const key in json) if (key !== keys[index++]) return false;
	return index === keys.length;
}

/** Whether the object has exactly these keys, in this order, none undefined. */
function hasColumns(json: IDataObject, columns: string[]): boolean {
	let index = 0;
	for (const key in json) {
		if (key !== columns[index++] || json[key] === undefined) return false;
	}
	return index === columns.length;
}

function withColumns(json: IDataObject, columns: string[]): IDataObject {
	const shaped: IDataObject = {};
	for (const key of columns) shaped[key] = json[key] ?? null;
	return shaped;
}
