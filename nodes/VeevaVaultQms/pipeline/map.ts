import type { IDataObject } from 'n8n-workflow';

import type { Row } from '../csv/vaultCsv';
import type { ColumnRule } from '../operations/types';

/**
 * The map stage: an item's fields (or its evaluated columns) turned into a CSV row of text cells,
 * taking only the operation's columns; what cannot be a cell is the row's problem.
 */

export interface MappedRow {
	row: Row;
	problems: string[];
}

/**
 * Turns one item's fields into a CSV row. `fields` holds the input item's json for "Map
 * Automatically", or the evaluated column expressions for "Map Each Column Manually"; only
 * columns the operation knows are taken, so stray fields never reach Vault.
 */
export function mapRow(
	fields: IDataObject,
	columns: ColumnRule[],
	extraRule?: ExtraColumns,
): MappedRow {
	const problems: string[] = [];
	return { row: mapInto(fields, columns, extraRule, problems), problems };
}

/** mapRow's row, its problems added to `problems`: the prepare stage's form, no object per row around them. */
export function mapInto(
	fields: IDataObject,
	columns: ColumnRule[],
	extraRule: ExtraColumns | undefined,
	problems: string[],
): Row {
	const row: Row = {};
	for (const column of columns)
		convertInto(row, problems, column.name, fields[column.name], column.list === true);
	if (extraRule) {
		for (const name of Object.keys(fields)) {
			if (extraRule.pattern.test(name))
				convertInto(row, problems, name, fields[name], extraRule.list);
		}
	}
	return row;
}

export interface ExtraColumns {
	pattern: RegExp;
	list: boolean;
}

function convertInto(row: Row, problems: string[], name: string, value: unknown, list: boolean) {
	const converted = toCell(value, list);
	if (typeof converted === 'string') {
		if (converted !== '') row[name] = converted;
	} else {
		problems.push(`column "${name}" ${converted.problem}`);
	}
}

/** a list with spaces or empty parts, to tidy; a tidy one ("1,2,3") is taken as it is */
const UNTIDY_LIST = /\s|,,|^,|,$/;

/** A field value as CSV text, or why it cannot be one. Empty string stands for "no value". */
export function toCell(value: unknown, list: boolean): string | { problem: string } {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') {
		if (!list || !UNTIDY_LIST.test(value)) return value;
		return value
			.split(',')
			.map((part) => part.trim())
			.filter(Boolean)
			.join(',');
	}
	if (typeof value === 'number') {
		return Number.isFinite(value)
			? String(value)
			: { problem: `is the number ${String(value)}, which Vault cannot store` };
	}
	if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	if (Array.isArray(value)) {
		if (!list) return { problem: 'holds a list; give a single text value' };
		const parts: string[] = [];
		for (const element of value) {
			const cell = toCell(element, false);
			if (typeof cell !== 'string')
				return {
					problem: `holds a list with an element that ${cell.problem.replace(/^is /, 'is ')}`,
				};
			if (cell.trim() !== '') parts.push(cell.trim());
		}
		return parts.join(',');
	}
	if (value instanceof Date)
		return Number.isNaN(value.getTime()) ? { problem: 'is an invalid date' } : value.toISOString();
	return {
		problem: 'holds an object; give a text value (pick the field you mean with an expression)',
	};
}
