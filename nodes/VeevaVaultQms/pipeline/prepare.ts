import type { IDataObject } from 'n8n-workflow';

import {
	csvCellBytes,
	csvHeaderBytes,
	csvRowBytes,
	csvRowOverhead,
	type Row,
} from '../csv/vaultCsv';
import type { BulkOperationSpec, SpecContext } from '../operations/types';
import { mapInto } from './map';
import { fieldNames, nearMissProblems } from './nearMiss';
import { applyLookups, type LookupTables } from './resolve';
import type { ItemProblem, LookupSettings, PlannedRow, RowRules, SourceRow } from './types';
import { normaliseForms, rowProblems } from './validate';

/**
 * The prepare stage: map → near-miss → resolve (the looked-up ids) → normalise → validate, one row
 * at a time or a whole run, each row ready to batch (with its size) or its item's problems.
 */

export interface PreparedRows {
	header: string[];
	headerBytes: number;
	rows: PlannedRow[];
	problems: ItemProblem[];
	/** input fields that were not sent: not a Vault column of this operation, nor a near miss of one */
	ignoredFields: string[];
}

/** The run's looked-up ids (the resolve stage), applied between map and validate. */
export interface Lookups {
	settings: LookupSettings;
	tables: LookupTables;
}

export function rowRules(spec: BulkOperationSpec, context: SpecContext): RowRules {
	const extra = spec.extraColumns;
	const columns = spec.columns(context);
	return {
		columns,
		extra,
		extraMap: extra ? { pattern: extra.pattern, list: extra.rule.list === true } : undefined,
		names: fieldNames(
			columns.map((column) => column.name),
			extra?.pattern,
		),
	};
}

/** One row prepared: the CSV row (with what was looked up and what was tidied), or what is wrong with it. */
export type PreparedRow =
	| { row: Row; lookups?: IDataObject; normalised?: string[]; problems?: undefined }
	| { problems: string[]; row?: Row; unusable?: ReadonlySet<string> };

/**
 * The columns with a problem in the row prepareRow is on: one set, emptied per row and copied only
 * for a row with problems, as a set per row was garbage at every one of a file's million rows.
 */
const columnsWithProblems = new Set<string>();

/**
 * The problems of the row prepareRow is on: one list, emptied per row and copied only for a row
 * with problems (a list and a wrapper per row were garbage at every row of 100,000 items).
 */
const rowProblemList: string[] = [];

/** map → resolve → normalise → validate one row: the CSV row, or the list of what is wrong with it. */
export function prepareRow(fields: IDataObject, rules: RowRules, lookups?: Lookups): PreparedRow {
	const { columns, extra, extraMap } = rules;
	const problems = rowProblemList;
	problems.length = 0;
	const row = mapInto(fields, columns, extraMap, problems);
	nearMissProblems(fields, row, rules.names, problems);
	const { trail, failed } = lookups
		? applyLookups(row, rules, lookups.settings, lookups.tables, problems)
		: NOTHING_LOOKED_UP;
	// after the lookups: a looked-up value is matched in Vault as it came; the id Vault gave has no spaces
	const normalised = normaliseForms(row, columns, failed);
	const unusable = columnsWithProblems;
	// emptied only when it holds something: V8's clear() gives the set a new table and links the old
	// one to it, and the old table, long in the old generation, kept each new one alive into it:
	// ~120 bytes of old generation a row, 73 MB per 600,000 rows (docs/performance.md, "Memory, issue 26")
	if (unusable.size > 0) unusable.clear();
	if (failed) for (const name of failed) unusable.add(name);
	rowProblems(row, columns, extra, problems, failed, unusable);
	if (extra && !hasColumnLike(row, extra.pattern)) {
		problems.push(`no role column has a value: give at least one role column, named ${extra.hint}`);
	}
	if (missesRequired(row, columns, failed))
		problems.push(`the item's fields are ${fieldList(fields)}`);
	const whole = problems.length === 0 ? rules.rowCheck?.(row) : undefined;
	if (whole) problems.push(whole);
	if (problems.length > 0) return { problems: [...problems], row, unusable: new Set(unusable) };
	const prepared: PreparedRow = { row };
	if (trail) prepared.lookups = trail;
	if (normalised) prepared.normalised = normalised;
	return prepared;
}

const NOTHING_LOOKED_UP: { trail?: IDataObject; failed?: Set<string> } = {};

function hasColumnLike(row: Row, pattern: RegExp): boolean {
	for (const name in row) if (pattern.test(name)) return true;
	return false;
}

/** A required column without a value (not one whose lookup failed: that is said already). */
function missesRequired(row: Row, columns: RowRules['columns'], failed?: Set<string>): boolean {
	for (const column of columns)
		if (column.required && !failed?.has(column.name) && (row[column.name] ?? '') === '')
			return true;
	return false;
}

/** The names of an item's fields, for an error about a missing column: the user sees what there was instead. */
function fieldList(fields: IDataObject): string {
	const names = Object.keys(fields);
	if (names.length === 0) return 'none (the item is empty)';
	const shown = names
		.slice(0, 20)
		.map((name) => `"${name.length > 60 ? `${name.slice(0, 60)}...` : name}"`);
	return `${shown.join(', ')}${names.length > 20 ? ` and ${names.length - 20} more` : ''}`;
}

/** The CSV header: the fixed columns, then the extra columns any row used, sorted. */
export function headerOf(rules: RowRules, extraNames: Iterable<string>): string[] {
	return [...rules.columns.map((column) => column.name), ...[...extraNames].sort()];
}

/**
 * map → validate → measure: every row either ready to batch, or its item's list of problems. One
 * pass: a row's size is its cells' bytes (csvCellBytes) plus the separators and line end, which
 * depend only on how many columns the header has, added once the header is known (the extra
 * columns any row used).
 */
export function prepareRows(
	source: SourceRow[],
	spec: BulkOperationSpec,
	context: SpecContext,
	lookups?: Lookups,
): PreparedRows {
	const rules = rowRules(spec, context);
	const rows: PlannedRow[] = [];
	const problems: ItemProblem[] = [];
	const extraNames = new Set<string>();
	for (const { itemIndex, rowNumber, fields, problems: early, note } of source) {
		if (early && early.length > 0) {
			problems.push({ itemIndex, rowNumber, problems: early });
			continue;
		}
		const prepared = prepareRow(fields, rules, lookups);
		if (prepared.problems) {
			problems.push({
				itemIndex,
				rowNumber,
				problems: prepared.problems,
				row: prepared.row,
				unusable: prepared.unusable,
			});
			continue;
		}
		if (rules.extra)
			for (const name of Object.keys(prepared.row))
				if (rules.extra.pattern.test(name)) extraNames.add(name);
		const planned: PlannedRow = {
			itemIndex,
			rowNumber,
			row: prepared.row,
			bytes: csvCellBytes(prepared.row),
		};
		if (prepared.lookups) planned.lookups = prepared.lookups;
		// the item says what was tidied before sending (an earlier stage's note may say it already)
		if (note || prepared.normalised) planned.note = noteWith(note, prepared.normalised);
		rows.push(planned);
	}
	const header = headerOf(rules, extraNames);
	const overhead = csvRowOverhead(header.length);
	for (const planned of rows) planned.bytes += overhead;
	return {
		header,
		headerBytes: csvHeaderBytes(header),
		rows,
		problems,
		ignoredFields: [...rules.names.ignored],
	};
}

function noteWith(note: IDataObject | undefined, normalised: string[] | undefined) {
	if (!normalised) return note;
	return {
		...note,
		normalised: [...((note?.normalised as string[] | undefined) ?? []), ...normalised],
	};
}

/**
 * Sync's ADD and REMOVE rows (reconcile.ts) entering the plan after validation, so that each row
 * is mapped and validated once: a row for a roster entry was built from values prepareRows mapped
 * and validated already, and goes on as it is; a member read from Vault (a removal no item asked
 * for, itemIndex -1) has not been through a column rule yet and is validated here: a value Vault
 * gives in a form the rules refuse is that row's error, as it was when every row went round twice.
 * `fromVault`: every row holds values read from Vault (Remove User From All Teams, Replace User).
 */
export function prepareReconciled(
	sends: SourceRow[],
	spec: BulkOperationSpec,
	context: SpecContext,
	fromVault = false,
): PreparedRows {
	const rules = rowRules(spec, context);
	const header = headerOf(rules, []);
	const rows: PlannedRow[] = [];
	const problems: ItemProblem[] = [];
	for (const { itemIndex, rowNumber, fields, note } of sends) {
		// fromVault: every row's record and role were read from Vault (Remove Everywhere, Replace), not from an item
		const checked: PreparedRow =
			itemIndex < 0 || fromVault ? prepareRow(fields, rules) : { row: fields as Row };
		if (checked.problems) {
			problems.push({
				itemIndex,
				rowNumber,
				problems: checked.problems,
				row: checked.row,
				unusable: checked.unusable,
			});
			continue;
		}
		const planned: PlannedRow = {
			itemIndex,
			rowNumber,
			row: checked.row,
			bytes: csvRowBytes(header, checked.row),
		};
		if (note || checked.normalised)
			planned.note = checked.normalised ? { ...note, normalised: checked.normalised } : note;
		rows.push(planned);
	}
	return { header, headerBytes: csvHeaderBytes(header), rows, problems, ignoredFields: [] };
}
