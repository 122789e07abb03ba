import { escapeBackslashes, type Row } from './vaultCsv';

/**
 * Vault's CSV one line at a time, for a batch written as its rows are accepted (a streamed file:
 * pipeline/fileBatch.ts), so that a row's objects are garbage as soon as its line is made instead
 * of living until the batch is sent. Writes exactly what toVaultCsv (papaparse's unparse, quotes
 * only where needed, backslashes doubled for Vault) writes for the same header and rows:
 * test/pipeline/fileBatch.test.ts compares the two. Lines carry no line end: a batch joins them.
 */

/** the characters papaparse's unparse quotes a value for (its BAD_DELIMITERS and the delimiter) */
const QUOTED_FOR = /[\r\n",\uFEFF]/;

/** One value as papaparse's unparse writes it: quoted when it holds a line break, a quote, a comma or a BOM, or begins or ends with a space. */
export function csvCell(value: string): string {
	if (!QUOTED_FOR.test(value) && value[0] !== ' ' && value[value.length - 1] !== ' ') return value;
	return `"${value.replace(/"/g, '""')}"`;
}

/** A header line, as toVaultCsv writes it (names quoted where needed, no backslashes doubled). */
export function csvHeaderLine(header: readonly string[]): string {
	return header.map(csvCell).join(',');
}

/**
 * One row's line under `header`: a missing column is an empty value, a backslash is doubled.
 * Built with join, so the line is one flat string and holds none of the row's values.
 */
export function vaultCsvLine(header: readonly string[], row: Row): string {
	const cells = new Array<string>(header.length);
	for (let at = 0; at < header.length; at++)
		cells[at] = csvCell(escapeBackslashes(row[header[at]] ?? ''));
	return cells.join(',');
}
