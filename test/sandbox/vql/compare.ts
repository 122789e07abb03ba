import type { ComparisonOperator, Literal, OrderKey } from './parser';

/** A field's value in a row (as vql/tables.ts keeps it). */
type Value = string | number | string[] | null | undefined;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * A literal as the value it compares to. Dates and DateTimes are quoted strings in UTC: `'2016-01-16'`
 * stands for midnight of that day, `'2016-01-15T07:30:00.000Z'` for that instant, and "the zeros may be
 * any number" of fraction digits (Veeva VQL reference, "Data Types & Formats"); both become the
 * `YYYY-MM-DDTHH:MM:SS.SSSZ` form the DateTime fields answer, so they compare as text. A number literal
 * compares by value; any other string by its exact text.
 */
export function literalValue(literal: Literal): string | number {
	if (literal.kind === 'number') return Number(literal.value);
	if (DATE.test(literal.value)) return `${literal.value}T00:00:00.000Z`;
	if (DATE_TIME.test(literal.value) && !Number.isNaN(Date.parse(literal.value))) return new Date(literal.value).toISOString();
	return literal.value;
}

/** Whether a literal is a Date or DateTime (compared by scanning the rows, not through the exact-text index). */
export function isDateLiteral(literal: Literal): boolean {
	return literal.kind === 'string' && (DATE.test(literal.value) || DATE_TIME.test(literal.value));
}

/** -1, 0 or 1; numbers by value, text by code units (Vault documents no collation). */
function compare(a: string | number, b: string | number): number {
	if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
	const left = String(a);
	const right = String(b);
	return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * `field op literal` for one row. A list (a picklist) matches when one of its values does. Null: "Vault
 * considers fields with null values in inequalities" (VQL reference, "Result Handling": `country__v !=
 * 'Canada'` returns rows where it is null), so null matches `!=` and nothing else.
 */
export function matchesComparison(value: Value, operator: ComparisonOperator, literal: Literal): boolean {
	if (value === null || value === undefined) return operator === '!=';
	const wanted = literalValue(literal);
	const test = (one: string | number): boolean => {
		const order = compare(typeof wanted === 'number' && typeof one === 'string' && one !== '' && !Number.isNaN(Number(one)) ? Number(one) : one, wanted);
		switch (operator) {
			case '=':
				return order === 0;
			case '!=':
				return order !== 0;
			case '<':
				return order < 0;
			case '>':
				return order > 0;
			case '<=':
				return order <= 0;
			case '>=':
				return order >= 0;
		}
	};
	return Array.isArray(value) ? (operator === '!=' ? value.every(test) : value.some(test)) : test(value);
}

/**
 * Rows in ORDER BY order, primary key first, then the next ("The API supports primary and secondary
 * sorting of fields in ascending/descending order": VQL reference, "Result Handling"). Null sorts first
 * ascending and last descending, as for "raw objects and other query targets"; rows equal on every key
 * keep their table order (Array.prototype.sort is stable).
 */
export function orderRows<T extends Record<string, Value>>(rows: T[], keys: readonly OrderKey[]): T[] {
	if (keys.length === 0) return rows;
	const sortable = (value: Value): string | number | null => (value === null || value === undefined ? null : Array.isArray(value) ? value.join(',') : value);
	return [...rows].sort((a, b) => {
		for (const key of keys) {
			const left = sortable(a[key.field.text]);
			const right = sortable(b[key.field.text]);
			const order = left === right ? 0 : left === null ? -1 : right === null ? 1 : compare(left, right);
			if (order !== 0) return key.descending ? -order : order;
		}
		return 0;
	});
}
