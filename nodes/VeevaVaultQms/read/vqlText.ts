/**
 * VQL text built from values: the one place that quotes, escapes and chunks. Nothing else pastes
 * a value into a query.
 */

/** Vault takes a VQL query of up to 50,000 characters (Veeva API reference, "Submitting a Query": `q`). */
export const MAX_VQL_LENGTH = 50_000;
/**
 * Values per CONTAINS list: each query's answer then fits one page of Vault's default 1,000
 * records (a value may match more than one record, e.g. a shared email), and stays far below the
 * query length limit for values of usual length.
 */
export const VALUES_PER_QUERY = 500;

/** A Vault field or object name (lower-case letters, digits, `_`), or a relationship path of them joined by dots. */
export const VAULT_FIELD = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/**
 * A VQL string literal. Vault's VQL reference: string values are in single quotes, and a quote or
 * backslash inside one is escaped with a backslash (VAULT-API.md: "string literals need their
 * quotes and backslashes escaped"). Line breaks and other control characters cannot be looked up
 * and are refused by the caller (`lookupValueProblem`).
 */
export function vqlString(value: string): string {
	return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Why a value cannot be sent in a VQL literal, or undefined. */
export function lookupValueProblem(value: string): string | undefined {
	for (let index = 0; index < value.length; index++) {
		const code = value.charCodeAt(index);
		if (code < 0x20 || code === 0x7f) return 'holds a line break or another control character';
	}
	if (value.length > 1_500) return `is ${value.length} characters long`;
	return undefined;
}

/** `field CONTAINS ('x', 'y')`, for a short fixed list (e.g. the roles a sync is scoped to). */
export function containsClause(field: string, values: readonly string[]): string {
	if (!VAULT_FIELD.test(field)) throw new Error(`"${field}" is not a Vault field name`);
	return `${field} CONTAINS (${values.map(vqlString).join(', ')})`;
}

/**
 * `SELECT a, b FROM object WHERE [clause AND] field CONTAINS ('x', 'y')`: one query per chunk of
 * values. `andClause` comes from containsClause, never from a value. With `caseInsensitive` the
 * field is written `CASEINSENSITIVE(field)`, which matches its values in any letter case: "In
 * v14.0+, use the CASEINSENSITIVE() function in the WHERE clause", `WHERE CASEINSENSITIVE({field})
 * {operator} {value}`, for String fields (Veeva VQL reference, "Functions & Options",
 * CASEINSENSITIVE). The page's example uses `=`; CONTAINS as the operator is the reading of its
 * `{operator}` and of the Logical Operators page, whose CONTAINS example wraps the field in a
 * function (`WHERE TONAME(language__v) CONTAINS ('english__c', ...)`).
 */
export function containsQueries(
	select: readonly string[],
	from: string,
	field: string,
	values: Iterable<string>,
	andClause = '',
	caseInsensitive = false,
): string[] {
	for (const name of [...select, from, field]) {
		if (!VAULT_FIELD.test(name)) throw new Error(`"${name}" is not a Vault field or object name`);
	}
	const subject = caseInsensitive ? `CASEINSENSITIVE(${field})` : field;
	const head = `SELECT ${select.join(', ')} FROM ${from} WHERE ${andClause ? `${andClause} AND ` : ''}${subject} CONTAINS (`;
	const tail = ')';
	const queries: string[] = [];
	let parts: string[] = [];
	let length = head.length + tail.length;
	const flush = () => {
		if (parts.length > 0) queries.push(head + parts.join(', ') + tail);
		parts = [];
		length = head.length + tail.length;
	};
	for (const value of values) {
		const literal = vqlString(value);
		if (parts.length >= VALUES_PER_QUERY || length + literal.length + 2 > MAX_VQL_LENGTH) flush();
		if (head.length + tail.length + literal.length > MAX_VQL_LENGTH)
			throw new Error('a value is too long for one VQL query');
		parts.push(literal);
		length += literal.length + 2;
	}
	flush();
	return queries;
}

/** The query's text with its string literals blanked, so a keyword inside a value is not taken for a clause. */
function withoutLiterals(query: string): string {
	// a literal: single quotes, with \x escapes and '' for a quote inside (VQL "Syntax Basics")
	return query.replace(/'(?:[^'\\]|\\[\s\S]|'')*'?/g, "''");
}

/**
 * Whether the query sets where its rows start: PAGEOFFSET (v20.3+), or OFFSET, which older
 * versions use and which a PAGEOFFSET overrides (Veeva VQL reference, "PAGEOFFSET"). Such a query
 * cannot be paged by adding a PAGEOFFSET of the node's own.
 */
export function setsOwnPageOffset(query: string): boolean {
	return /\b(PAGEOFFSET|OFFSET)\b/i.test(withoutLiterals(query));
}

/**
 * The query with `PAGEOFFSET n` at its end, the clause's place ("SELECT id FROM documents PAGESIZE
 * 100 PAGEOFFSET 200": Veeva VQL reference, "PAGEOFFSET"). For query targets Vault answers without
 * next_page (Pagination Best Practices); only for a query without a PAGEOFFSET or OFFSET of its own.
 */
export function withPageOffset(query: string, offset: number): string {
	if (!Number.isSafeInteger(offset) || offset < 0)
		throw new Error(`${offset} is not a page offset`);
	return `${query.trimEnd()} PAGEOFFSET ${offset}`;
}

/** One condition of a record filter: a picked field and the values it must (or must not) have. */
export interface FilterCondition {
	field: string;
	operator: 'in' | 'notIn';
	values: string[];
}

/**
 * A record filter as VQL (the Record Filter option of Remove User From All Teams and Replace User):
 * each condition's field checked to be a Vault name, each value quoted here (vqlString), never text
 * pasted into the query; conditions joined by AND. `in`: `field CONTAINS ('a', 'b')`; `notIn`:
 * `field != 'a' AND field != 'b'` (VQL reference, "Comparison Operators").
 */
export function recordFilterClause(conditions: readonly FilterCondition[]): string {
	const parts = conditions.map(({ field, operator, values }) => {
		if (!VAULT_FIELD.test(field)) throw new Error(`"${field}" is not a Vault field name`);
		if (values.length === 0) throw new Error(`the filter on ${field} has no value`);
		return operator === 'in'
			? containsClause(field, values)
			: values.map((value) => `${field} != ${vqlString(value)}`).join(' AND ');
	});
	return parts.join(' AND ');
}
