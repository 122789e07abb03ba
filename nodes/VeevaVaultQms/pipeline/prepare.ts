import type { IDataObject } from 'n8n-workflow';

import { csvHeaderBytes, csvRowBytes } from '../csv/vaultCsv';
import type { BulkOperationSpec, SpecContext } from '../operations/types';
import type { PlannedRow } from './batch';
import { mapRow } from './map';
import { rowProblems } from './validate';

export interface SourceRow {
	itemIndex: number;
	/** the item's json ("Map Automatically") or its evaluated columns ("Map Each Column Below") */
	fields: IDataObject;
	/** problems found before mapping (e.g. the item's object name) */
	problems?: string[];
	/** the row's number in a CSV file input (header = row 1) */
	rowNumber?: number;
}

export interface ItemProblem {
	itemIndex: number;
	rowNumber?: number;
	problems: string[];
}

/** "Item 3", or "Item 0, CSV row 17" for a row of a file */
export function whereIs(row: { itemIndex: number; rowNumber?: number }): string {
	return row.rowNumber === undefined ? `Item ${row.itemIndex}` : `Item ${row.itemIndex}, CSV row ${row.rowNumber}`;
}

export interface PreparedRows {
	header: string[];
	headerBytes: number;
	rows: PlannedRow[];
	problems: ItemProblem[];
}

/** map → validate → measure: every row either ready to batch, or its item's list of problems. */
export function prepareRows(source: SourceRow[], spec: BulkOperationSpec, context: SpecContext): PreparedRows {
	const columns = spec.columns(context);
	const extra = spec.extraColumns;
	const extraMap = extra ? { pattern: extra.pattern, list: extra.rule.list === true } : undefined;
	const good: Array<{ itemIndex: number; rowNumber?: number; row: PlannedRow['row'] }> = [];
	const problems: ItemProblem[] = [];
	const extraNames = new Set<string>();
	for (const { itemIndex, rowNumber, fields, problems: early } of source) {
		if (early && early.length > 0) {
			problems.push({ itemIndex, rowNumber, problems: early });
			continue;
		}
		const mapped = mapRow(fields, columns, extraMap);
		const found = [...mapped.problems, ...rowProblems(mapped.row, columns, extra)];
		if (extra && !Object.keys(mapped.row).some((name) => extra.pattern.test(name))) {
			found.push(`no role column has a value: give at least one column named ${extra.hint}`);
		}
		if (found.length > 0) {
			problems.push({ itemIndex, rowNumber, problems: found });
			continue;
		}
		if (extra) for (const name of Object.keys(mapped.row)) if (extra.pattern.test(name)) extraNames.add(name);
		good.push({ itemIndex, rowNumber, row: mapped.row });
	}
	const header = [...columns.map((column) => column.name), ...[...extraNames].sort()];
	const rows = good.map(({ itemIndex, rowNumber, row }) => ({ itemIndex, rowNumber, row, bytes: csvRowBytes(header, row) }));
	return { header, headerBytes: csvHeaderBytes(header), rows, problems };
}
