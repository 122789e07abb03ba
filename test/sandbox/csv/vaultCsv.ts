import Papa from 'papaparse';

export interface CsvRow {
	/** 1-based data row; the header is not counted */
	number: number;
	values: Record<string, string>;
	/** why this row cannot be used (it stays in the batch and becomes a job row error) */
	error?: string;
}

export interface CsvTable {
	headers: string[];
	rows: CsvRow[];
}

export type CsvReadResult = { table: CsvTable } | { problem: string };

/**
 * Reads a CSV body the way Vault does: RFC 4180 quoting (papaparse), CRLF or LF line ends,
 * header names trimmed, TAB allowed in values, a CR inside a value refused for the whole
 * request, and a backslash standing for itself only when doubled.
 */
export function readVaultCsv(text: string): CsvReadResult {
	const withoutBom = text.replace(/^\uFEFF/, '');
	const crRow = rowWithCarriageReturn(withoutBom);
	if (crRow !== undefined) return { problem: `Row ${crRow}: the carriage return character (CR) is not supported inside a value.` };
	const parsed = Papa.parse<string[]>(withoutBom.replace(/\r\n/g, '\n'), { delimiter: ',', newline: '\n', quoteChar: '"', skipEmptyLines: true });
	const quoteError = parsed.errors.find((error) => error.type === 'Quotes');
	if (quoteError) return { problem: `Row ${quoteError.row ?? 0}: ${quoteError.message}.` };
	const [headerRow, ...dataRows] = parsed.data;
	if (!headerRow) return { problem: 'The CSV has no header row.' };
	const headers = headerRow.map((name) => name.trim());
	const duplicate = headers.find((name, index) => headers.indexOf(name) !== index);
	if (duplicate !== undefined) return { problem: `The column "${duplicate}" appears more than once in the header.` };
	return { table: { headers, rows: dataRows.map((fields, index) => toRow(headers, fields, index + 1)) } };
}

function toRow(headers: string[], fields: string[], number: number): CsvRow {
	const values: Record<string, string> = {};
	if (fields.length !== headers.length) {
		return { number, values, error: `Row ${number} has ${fields.length} values but the header has ${headers.length} columns.` };
	}
	for (const [index, header] of headers.entries()) {
		const value = unescapeBackslashes(fields[index]);
		if (value === undefined) return { number, values, error: `Row ${number}, column "${header}": a single backslash; write \\\\ for one backslash.` };
		values[header] = value;
	}
	return { number, values };
}

/** `\\` → `\`; undefined when a backslash stands alone. */
function unescapeBackslashes(value: string): string | undefined {
	if (!value.includes('\\')) return value;
	let result = '';
	for (let i = 0; i < value.length; i++) {
		if (value[i] !== '\\') {
			result += value[i];
			continue;
		}
		if (value[i + 1] !== '\\') return undefined;
		result += '\\';
		i++;
	}
	return result;
}

/**
 * The data row (0 = header) holding a CR that is not part of a CRLF line end, if any. Quotes are
 * tracked so a CRLF inside a quoted value counts as a CR in a value.
 */
function rowWithCarriageReturn(text: string): number | undefined {
	if (!text.includes('\r')) return undefined;
	let inQuotes = false;
	let row = 0;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (char === '"') inQuotes = !inQuotes;
		else if (char === '\r' && (inQuotes || text[i + 1] !== '\n')) return row;
		else if (char === '\n' && !inQuotes) row++;
	}
	return undefined;
}
