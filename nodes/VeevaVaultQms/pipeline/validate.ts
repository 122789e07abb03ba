import type { ColumnRule, Row } from '../operations/types';

/** What Vault would refuse in this row, in words a Vault admin understands, added to `problems`; empty when fine. */
export function rowProblems(
	row: Row,
	columns: ColumnRule[],
	extra?: { pattern: RegExp; rule: Omit<ColumnRule, 'name'> },
	problems: string[] = [],
	/** columns whose problem is already said (a value that was not found in Vault) */
	skip?: ReadonlySet<string>,
): string[] {
	for (const column of columns) if (!skip?.has(column.name)) checkValue(problems, column, column.name, row[column.name]);
	if (extra) {
		for (const name of Object.keys(row)) {
			if (extra.pattern.test(name) && !skip?.has(name)) checkValue(problems, extra.rule, name, row[name]);
		}
	}
	return problems;
}

/** `name` apart from `rule`: one rule object per column kind, not a copy per value (a copy per value cost ~2 µs each) */
function checkValue(problems: string[], rule: Omit<ColumnRule, 'name'>, name: string, value: string | undefined) {
	if (value === undefined || value === '') {
		if (rule.required) problems.push(`column "${name}" is missing or empty; Vault requires it`);
		return;
	}
	if (value.includes('\r')) {
		problems.push(`column "${name}" contains a carriage return (CR), which Vault's CSV cannot carry; remove it or use a plain line break`);
	}
	if (LONE_SURROGATE.test(value)) {
		problems.push(
			`column "${name}" holds broken text (half of a character pair, e.g. an emoji cut in two), which would reach Vault as "\uFFFD"; fix the source value`,
		);
	}
	if (rule.allowed && !rule.allowed.includes(value)) {
		const near = rule.allowed.find((allowed) => allowed.toLowerCase() === value.trim().toLowerCase());
		problems.push(
			`column "${name}" is "${shorten(value)}"; Vault accepts exactly ${rule.allowed.join(' or ')}` +
				(near ? ` (case-sensitive: write ${near})` : ''),
		);
	}
	if (rule.pattern && !rule.pattern.test(value)) {
		problems.push(`column "${name}" is "${shorten(value)}", which is not ${rule.patternHint ?? 'in the form Vault expects'}`);
	}
	if (rule.maxLength !== undefined && [...value].length > rule.maxLength) {
		problems.push(
			`column "${name}" is ${[...value].length} characters long; Vault accepts values under ${rule.maxLength + 1} characters`,
		);
	}
}

/** Half of a UTF-16 surrogate pair: cannot be written as UTF-8, so it would arrive changed. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function shorten(value: string): string {
	return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}
