import type { Row } from '../csv/vaultCsv';
import type { ColumnRule } from '../operations/types';

/**
 * The validate stage: what Vault would refuse in a row, said before anything is sent, and the blank
 * space around ids and names tidied (and said).
 */

/** What Vault would refuse in this row, in words a Vault admin understands, added to `problems`; empty when fine. */
export function rowProblems(
	row: Row,
	columns: ColumnRule[],
	extra?: { pattern: RegExp; rule: Omit<ColumnRule, 'name'> },
	problems: string[] = [],
	/** columns whose problem is already said (a value that was not found in Vault) */
	skip?: ReadonlySet<string>,
	/** filled with the columns that have a problem here (Sync tells from them which record a bad row is about) */
	bad?: Set<string>,
): string[] {
	for (const column of columns) {
		if (!skip?.has(column.name) && !checkValue(problems, column, column.name, row[column.name]))
			bad?.add(column.name);
	}
	if (extra) {
		for (const name of Object.keys(row)) {
			if (
				extra.pattern.test(name) &&
				!skip?.has(name) &&
				!checkValue(problems, extra.rule, name, row[name])
			)
				bad?.add(name);
		}
	}
	return problems;
}

/**
 * Blank space around an id or a Vault name (a column with a `form`) is not part of it: removed, and
 * said in the returned notes, which the row's output item carries. Columns in `skip` (a value that
 * was not found in Vault) are left as they came.
 */
export function normaliseForms(
	row: Row,
	columns: ColumnRule[],
	skip?: ReadonlySet<string>,
): string[] | undefined {
	let notes: string[] | undefined;
	for (const column of columns) {
		const value = row[column.name];
		if (!column.form || value === undefined || skip?.has(column.name)) continue;
		const trimmed = value.trim();
		if (trimmed === value) continue;
		if (trimmed === '') delete row[column.name];
		else row[column.name] = trimmed;
		(notes ??= []).push(
			`${column.name} ${JSON.stringify(value)} was read as ${JSON.stringify(trimmed)} (spaces around it removed)`,
		);
	}
	return notes;
}

/**
 * `name` apart from `rule`: one rule object per column kind, not a copy per value (a copy per value
 * cost ~2 µs each). False when the value has a problem; one problem per value where one explains it.
 */
function checkValue(
	problems: string[],
	rule: Omit<ColumnRule, 'name'>,
	name: string,
	value: string | undefined,
): boolean {
	if (value === undefined || value === '') {
		if (rule.required) problems.push(`column "${name}" is missing or empty; Vault requires it`);
		return !rule.required;
	}
	const before = problems.length;
	if (value.includes('\r')) {
		problems.push(
			`column "${name}" contains a carriage return (CR), which Vault's CSV cannot carry; remove it or use a plain line break`,
		);
	}
	if (LONE_SURROGATE.test(value)) {
		problems.push(
			`column "${name}" holds broken text (half of a character pair, e.g. an emoji cut in two), which would reach Vault as "\uFFFD"; fix the source value`,
		);
	}
	if (rule.form && problems.length === before && !rule.form.pattern.test(value)) {
		const suggestion = rule.form.suggest(value);
		problems.push(
			`column "${name}" is "${shorten(value)}", which is not ${rule.form.hint}${suggestion ? `; ${suggestion}` : ''}`,
		);
	}
	if (rule.allowed && !rule.allowed.includes(value)) {
		const near = rule.allowed.find(
			(allowed) => allowed.toLowerCase() === value.trim().toLowerCase(),
		);
		problems.push(
			`column "${name}" is "${shorten(value)}"; Vault accepts exactly ${rule.allowed.join(' or ')}` +
				(near ? ` (case-sensitive: write ${near})` : ''),
		);
	}
	if (rule.pattern && !rule.pattern.test(value)) {
		problems.push(
			`column "${name}" is "${shorten(value)}", which is not ${rule.patternHint ?? 'in the form Vault expects'}`,
		);
	}
	if (rule.maxLength !== undefined && [...value].length > rule.maxLength) {
		problems.push(
			`column "${name}" is ${[...value].length} characters long; Vault accepts values under ${rule.maxLength + 1} characters`,
		);
	}
	return problems.length === before;
}

/** Half of a UTF-16 surrogate pair: cannot be written as UTF-8, so it would arrive changed. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function shorten(value: string): string {
	return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}
