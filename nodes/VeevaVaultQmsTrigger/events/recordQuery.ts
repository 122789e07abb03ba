import { lookupValueProblem, VAULT_FIELD, vqlString } from '../../VeevaVaultQms/read/vqlText';
import { VaultRequestError } from '../../VeevaVaultQms/transport/errors';

/**
 * The VQL of the Record Created or Updated event, built from names the user picked and values quoted by
 * read/vqlText.ts: nothing typed is pasted into a query.
 */

/** One condition as the panel holds it: a field, an operator, a value and how the value is written. */
export interface PickedCondition {
	field: string;
	operator: string;
	value: string;
	type: string;
}

/**
 * VQL's comparison operators (Veeva VQL reference, "Comparison Operators"; "Terminology":
 * `created_date__v > '2014-12-20'`), by the panel's option values.
 */
export const OPERATORS: Record<string, string> = {
	equal: '=',
	notEqual: '!=',
	greater: '>',
	greaterOrEqual: '>=',
	less: '<',
	lessOrEqual: '<=',
};

/** What the records of a poll are read with. */
export interface RecordQuery {
	object: string;
	/** created_date__v or modified_date__v */
	cursorField: string;
	select: string[];
	/** clauses from the picked conditions, already checked and quoted */
	conditions: string[];
}

/** A setting the query cannot be built from: nothing is sent (the trigger's error, about its settings). */
function refused(message: string): VaultRequestError {
	return new VaultRequestError('config', message);
}

/** A Vault name the user gave, or why it cannot be one. */
export function checkedName(name: string, what: string): string {
	const trimmed = name.trim();
	if (!VAULT_FIELD.test(trimmed))
		throw refused(
			`${what} "${name}" is not a Vault name (lower-case letters, digits and "_", e.g. status__v)`,
		);
	return trimmed;
}

/**
 * A condition as VQL: `field op value`. Text (and Date/DateTime, which VQL writes in quotes: "Data Types &
 * Formats") is quoted and escaped; a number must be one; a boolean is `true` or `false`, lower-case as VQL
 * wants ("Conventions": "Boolean values (true or false) and null must be in lowercase").
 */
export function conditionClause(condition: PickedCondition, index: number): string {
	const where = `Condition ${index + 1}`;
	const field = checkedName(condition.field, `${where}: the field`);
	const operator = OPERATORS[condition.operator];
	if (operator === undefined) throw refused(`${where}: unknown operator "${condition.operator}"`);
	const value = String(condition.value ?? '');
	switch (condition.type) {
		case 'number':
			if (!/^-?\d+(\.\d+)?$/.test(value.trim()))
				throw refused(`${where}: "${value}" is not a number`);
			return `${field} ${operator} ${value.trim()}`;
		case 'boolean':
			if (!/^(true|false)$/i.test(value.trim()))
				throw refused(`${where}: a boolean is true or false, not "${value}"`);
			return `${field} ${operator} ${value.trim().toLowerCase()}`;
		default: {
			const problem = lookupValueProblem(value);
			if (problem) throw refused(`${where}: the value ${problem}`);
			return `${field} ${operator} ${vqlString(value)}`;
		}
	}
}

/** The fields every item carries (id and both record times), then the ones picked, each once. */
export function selectedFields(picked: string): string[] {
	const names = picked
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '')
		.map((name) => checkedName(name, 'The field to return'));
	return [...new Set(['id', 'created_date__v', 'modified_date__v', ...names])];
}

function whereClause(parts: string[]): string {
	return parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '';
}

/**
 * The changes from the cursor on, oldest first: `cursorField >= 'time'` (the boundary itself again, for
 * the records that share its second: cursor.ts skips the ones already emitted), ordered by the cursor
 * field, then id ("primary and secondary sorting": VQL reference, "Result Handling"; "ORDER BY"), so
 * pages and polls go through them in one fixed order. `time` null: from the start (Include Existing).
 */
export function changesQuery(query: RecordQuery, time: string | null): string {
	const from = time === null ? [] : [`${query.cursorField} >= ${vqlString(time)}`];
	return `SELECT ${query.select.join(', ')} FROM ${query.object}${whereClause([...from, ...query.conditions])} ORDER BY ${query.cursorField} ASC, id ASC`;
}

/** The newest matching records first (the start of the cursor, and Fetch Test Event's sample). */
export function newestQuery(query: RecordQuery, pageSize?: number): string {
	const size = pageSize === undefined ? '' : ` PAGESIZE ${pageSize}`;
	return `SELECT ${query.select.join(', ')} FROM ${query.object}${whereClause(query.conditions)} ORDER BY ${query.cursorField} DESC, id DESC${size}`;
}
