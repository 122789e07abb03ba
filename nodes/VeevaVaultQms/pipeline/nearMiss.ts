import type { IDataObject } from 'n8n-workflow';

import type { Row } from '../csv/vaultCsv';

/**
 * Input fields that look like a Vault column but are not named exactly so. Vault never sees them
 * ("Map Automatically" sends only exact column names), and for document roles Vault answers
 * SUCCESS regardless, so a misnamed role column would vanish without a word: it is the item's
 * error instead, naming both spellings. Other extra fields are fine and are only listed.
 */
export interface FieldNames {
	columns: string[];
	/** the operation's extra column pattern (document roles: {role}.users / {role}.groups) */
	extra?: RegExp;
	/** per field name: the column it nearly matches, or null; names repeat across items */
	seen: Map<string, string | null>;
	/** fields that were not sent and not an item's error, for the run's hint */
	ignored: Set<string>;
}

export function fieldNames(columns: string[], extra?: RegExp): FieldNames {
	return { columns, extra, seen: new Map(), ignored: new Set() };
}

/** Adds a problem for each field of `fields` that nearly names a column the row lacks. */
export function nearMissProblems(
	fields: IDataObject,
	row: Row,
	names: FieldNames,
	problems: string[],
): void {
	// for-in with an own-key check: the same names as Object.keys, without an array per row
	for (const field in fields) {
		if (!Object.prototype.hasOwnProperty.call(fields, field)) continue;
		if (names.columns.includes(field) || names.extra?.test(field)) continue;
		let near = names.seen.get(field);
		if (near === undefined) {
			near = nearestColumn(field, names);
			names.seen.set(field, near);
		}
		const value = fields[field];
		const missed =
			near !== null &&
			value !== undefined &&
			value !== null &&
			value !== '' &&
			(row[near] === undefined || row[near] === '');
		if (missed) {
			problems.push(
				`field "${field}" looks like the Vault column "${near}" but is not named exactly so, and Vault would never see it; rename it to ${near}`,
			);
		} else if (names.ignored.size < 50) names.ignored.add(field);
	}
}

/** The column a field name nearly matches: same letters in another case, singular for plural, or one or two letters off. */
function nearestColumn(field: string, names: FieldNames): string | null {
	const lower = field.toLowerCase().trim();
	for (const column of names.columns) {
		if (column.toLowerCase() === lower) return column;
		if (column.length >= 6 && editDistance(column, lower) <= 2) return column;
	}
	if (names.extra) {
		if (names.extra.test(lower)) return lower;
		const plural = lower.replace(/\.(user|group)$/, '.$1s');
		if (names.extra.test(plural)) return plural;
	}
	return null;
}

/** Levenshtein distance, stopping early past 2. */
function editDistance(a: string, b: string): number {
	if (Math.abs(a.length - b.length) > 2) return 3;
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		let best = i;
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(
				previous[j] + 1,
				current[j - 1] + 1,
				previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
			);
			best = Math.min(best, current[j]);
		}
		if (best > 2) return 3;
		previous = current;
	}
	return previous[b.length];
}
