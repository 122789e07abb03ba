import { Papa } from './papaparse';

/** One CSV row as Vault receives it: Vault column name → text value. */
export type Row = Record<string, string>;

const NEWLINE = '\r\n';

/**
 * Vault's CSV: RFC 4180 quoting by papaparse, plus Vault's own rule that a backslash must be
 * doubled to stand for one. CR inside a value is refused earlier, at validation, because
 * Vault cannot carry it. Values starting with =, +, - or @ are sent as they are: Vault stores
 * text, and rewriting them would change the data.
 */
export function toVaultCsv(header: readonly string[], rows: readonly Row[]): string {
	// papaparse reads the rows by column name (a missing column is an empty value); only a batch
	// holding a backslash is copied, to double them
	const escape = holdsBackslash(header, rows);
	const data = escape
		? rows.map((row) => header.map((column) => escapeBackslashes(row[column] ?? '')))
		: rows;
	return (
		Papa.unparse(
			{ fields: [...header], data: data as unknown[] },
			{ newline: NEWLINE, quotes: false, escapeFormulae: false },
		) + NEWLINE
	);
}

/** Plain loops: a closure per row (header.some inside rows.some) was ~100 bytes of garbage a row. */
function holdsBackslash(header: readonly string[], rows: readonly Row[]): boolean {
	for (const row of rows) for (const column of header) if (row[column]?.includes('\\')) return true;
	return false;
}

export function escapeBackslashes(value: string): string {
	return value.includes('\\') ? value.replace(/\\/g, '\\\\') : value;
}

/**
 * Bytes one row adds to a batch's CSV, never less than what toVaultCsv writes: the UTF-8
 * value, doubled backslashes, and for a value that needs quoting its quotes and doubled
 * quotes; plus separators and the line end.
 */
export function csvRowBytes(header: readonly string[], row: Row): number {
	let bytes = csvRowOverhead(header.length);
	for (const column of header) bytes += csvFieldBytes(row[column] ?? '');
	return bytes;
}

/** The bytes of a row's values alone: csvRowBytes less separators and line end, for any header holding the row's columns. */
export function csvCellBytes(row: Row): number {
	let bytes = 0;
	for (const value of Object.values(row)) bytes += csvFieldBytes(value);
	return bytes;
}

/** Separators and line end of one row under a header of `columns` columns. */
export function csvRowOverhead(columns: number): number {
	return NEWLINE.length + columns - 1;
}

export function csvHeaderBytes(header: readonly string[]): number {
	return csvRowBytes(header, Object.fromEntries(header.map((name) => [name, name])));
}

const NEEDS_QUOTES = /[",\n\r]|^\s|\s$/;

function csvFieldBytes(value: string): number {
	let bytes = Buffer.byteLength(value, 'utf8');
	if (value.includes('\\')) bytes += value.split('\\').length - 1;
	if (NEEDS_QUOTES.test(value)) bytes += 2 + value.split('"').length - 1;
	return bytes;
}
