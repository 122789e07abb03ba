import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RowSource, SourceRow } from '../pipeline/types';

/**
 * The input items as a row source: each item's json ("Map Automatically") or its evaluated
 * columns ("Map Each Column Manually"), read once and kept, so the source can be replayed.
 */
export function itemsSource(
	fx: IExecuteFunctions,
	itemCount: number,
	objectProblems: Map<number, string>,
): RowSource {
	let rows: SourceRow[] | undefined;
	return {
		// the items are in memory already: a run that needs every row keeps them, none reads them twice
		streamed: false,
		forEach: async (onRow) => {
			rows ??= readSourceRows(fx, itemCount, objectProblems);
			for (const row of rows) {
				// a promise only where the reader asks to wait: no pause per row otherwise
				const pending = onRow(row);
				if (pending) await pending;
			}
		},
	};
}

/** The fields each item contributes: its json ("Map Automatically") or its evaluated columns. */
function readSourceRows(
	fx: IExecuteFunctions,
	itemCount: number,
	objectProblems: Map<number, string>,
): SourceRow[] {
	const mode = fx.getNodeParameter('columns.mappingMode', 0, 'autoMapInputData') as string;
	const items = fx.getInputData();
	const columns = mode === 'defineBelow' ? columnReaders(fx) : undefined;
	const rows: SourceRow[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const problem = objectProblems.get(itemIndex);
		if (problem) {
			rows.push({ itemIndex, fields: {}, problems: [problem] });
			continue;
		}
		if (!columns) {
			rows.push({ itemIndex, fields: items[itemIndex].json });
			continue;
		}
		try {
			rows.push({ itemIndex, fields: columns(itemIndex, items[itemIndex].json) });
		} catch (error) {
			// an expression that fails for this item (a missing node, a syntax error) is this item's problem alone
			const description = (error as { description?: unknown }).description;
			rows.push({
				itemIndex,
				fields: {},
				problems: [
					`a column's expression failed: ${(error as Error).message}${typeof description === 'string' && description ? ` (${description})` : ''}`,
				],
			});
		}
	}
	return rows;
}

/** `={{ $json.field }}`, `={{ $json["field"] }}` or `={{ $json['field'] }}`: the field's name */
const PLAIN_FIELD =
	/^=\{\{\s*\$json(?:\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\])\s*\}\}$/;

/**
 * "Map Each Column Manually": each column's value per item. A column that only picks a field of the
 * item (what dragging a field onto it writes) is read straight from the item; n8n's expression
 * engine would return the same value at some hundred times the cost. Any other expression is
 * evaluated by n8n, all columns of an item in one call, once per item.
 */
function columnReaders(
	fx: IExecuteFunctions,
): (itemIndex: number, json: IDataObject) => IDataObject {
	const raw = ((fx.getNode().parameters.columns as IDataObject | undefined)?.value ??
		{}) as IDataObject;
	const plain: Array<[string, string]> = [];
	const literal: Array<[string, unknown]> = [];
	let evaluated = false;
	for (const [column, value] of Object.entries(raw)) {
		const match = typeof value === 'string' ? PLAIN_FIELD.exec(value) : null;
		if (match) plain.push([column, match[1] ?? match[2] ?? match[3]]);
		else if (typeof value === 'string' && value.startsWith('=')) evaluated = true;
		else literal.push([column, value]);
	}
	return (itemIndex, json) => {
		// skipValidation: the column rules (validate.ts) check every value, with the same words whether the
		// column picks a field or computes one; n8n's type check would refuse "add" before they could say why
		const fields: IDataObject = evaluated
			? {
					...((fx.getNodeParameter(
						'columns.value',
						itemIndex,
						{},
						{ skipValidation: true },
					) as IDataObject) ?? {}),
				}
			: {};
		for (const [column, field] of plain) fields[column] = json[field];
		if (!evaluated)
			for (const [column, value] of literal) fields[column] = value as IDataObject[string];
		return fields;
	};
}
