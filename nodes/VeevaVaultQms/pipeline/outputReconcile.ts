import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { TeamColumns } from '../operations/types';
import { pairedTo, problemItems } from './outputErrors';
import type { ItemProblem, PlanEntry, SourceRow } from './types';

/**
 * Sync's own output items (reconcile.ts): its changes when nothing is sent, its plan's lines and
 * its summary. Apart from output.ts, which builds the items of what was sent, Sync's included.
 */

/**
 * Sync's items beside what it sends (reconcile.ts): with Plan Only or nothing to send, one item per
 * change it would send (`unsent`); then a line per plan entry not sent (unchanged, duplicate, out of
 * scope, held back), the rows not sent, and the summary, paired to every input item.
 */
export function reconcileItems(
	columns: TeamColumns,
	plan: PlanEntry[],
	problems: ItemProblem[],
	summary: IDataObject,
	everyItem: number[],
	unsent: SourceRow[],
): { changeItems: INodeExecutionData[]; items: INodeExecutionData[] } {
	const changeItems: INodeExecutionData[] = unsent.map((row) => ({
		json: {
			...(row.note as IDataObject),
			...pick(row.fields, [columns.record, columns.user, columns.role, columns.operation]),
			...(row.itemIndex < 0 ? {} : { item: row.itemIndex }),
		},
		...pairedTo(row.itemIndex),
	}));
	const planItems: INodeExecutionData[] = plan.map(({ member, change, reason, from }) => ({
		json: {
			change,
			reason,
			[columns.record]: member.recordId,
			[columns.user]: member.userId,
			[columns.role]: member.role,
			...(from ? { item: from.itemIndex } : {}),
			...(from?.lookups ? { lookedUp: from.lookups } : {}),
			...(from?.normalised ? { normalised: from.normalised } : {}),
		},
		...(from ? pairedTo(from.itemIndex) : {}),
	}));
	const summaryItem: INodeExecutionData = {
		json: summary,
		pairedItem: everyItem.map((item) => ({ item })),
	};
	return { changeItems, items: [...planItems, ...problemItems(problems), summaryItem] };
}

/** These fields of an object, in this order; a field it lacks is kept, as undefined. */
function pick(fields: IDataObject, names: string[]): IDataObject {
	const picked: IDataObject = {};
	for (const name of names) picked[name] = fields[name];
	return picked;
}
