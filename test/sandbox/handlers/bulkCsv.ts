/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { TextDecoder } from 'node:util';

import { readVaultCsv, type CsvRow, type CsvTable } from '../csv/vaultCsv';
import type { ApiContext, SessionContext } from '../http/apiContext';
import { failure, type VaultResponse } from '../http/vaultResponse';
import type { BulkKind, JobInfo, RowError } from '../types';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function isResponse<T extends object>(value: T | VaultResponse): value is VaultResponse {
	return 'contentType' in value && 'status' in value;
}

/**
 * A bulk endpoint's CSV as Vault checks it before accepting it: present, within the byte limit,
 * UTF-8, readable CSV, with the required columns and within the row limit.
 */
export function readBulkCsv(context: ApiContext, kind: BulkKind, csv: Buffer, requiredHeaders: string[]): CsvTable | VaultResponse {
	const { rowLimits, byteLimits } = context.world.settings;
	if (csv.length === 0) return failure('PARAMETER_REQUIRED', 'The request body is empty: send the CSV input.');
	if (csv.length > byteLimits[kind]) {
		return failure('EXCEEDS_FILE_MAX_SIZE', `The CSV input is ${csv.length} bytes, larger than the maximum file size of ${byteLimits[kind]} bytes.`);
	}
	let text: string;
	try {
		text = utf8.decode(csv);
	} catch {
		return failure('INVALID_DATA', 'The CSV input is not UTF-8 encoded.');
	}
	const read = readVaultCsv(text);
	if ('problem' in read) return failure('INVALID_DATA', read.problem);
	const missing = requiredHeaders.filter((header) => !read.table.headers.includes(header));
	if (missing.length > 0) return failure('INVALID_DATA', `Missing required column(s): ${missing.join(', ')}.`);
	if (read.table.rows.length === 0) return failure('INVALID_DATA', 'The CSV input has a header but no rows.');
	if (read.table.rows.length > rowLimits[kind]) {
		return failure('INVALID_DATA', `The number of rows (${read.table.rows.length}) exceeds the maximum batch size of ${rowLimits[kind]}.`);
	}
	return read.table;
}

/** Refuses a body that is not sent as one of the given media types. */
export function requireContentType(context: ApiContext, allowed: string[]): VaultResponse | undefined {
	const type = (context.request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (allowed.includes(type)) return undefined;
	return failure('INVALID_DATA', `Content-Type "${type || '(none)'}" is not supported here; send ${allowed.join(' or ')}.`);
}

/**
 * Queues a job for the table. Rows that could not be read are its row errors at once; the others
 * go through `applyRow` when the job finishes, which returns why a row failed, if it did.
 */
export function startBulkJob(context: SessionContext, table: CsvTable, applyRow: (row: CsvRow) => string | undefined): JobInfo {
	const { world } = context;
	const unreadable: RowError[] = table.rows.filter((row) => row.error).map((row) => ({ row: row.number, message: row.error ?? '' }));
	const readable = table.rows.filter((row) => !row.error);
	const apply = (): RowError[] =>
		readable.flatMap((row) => {
			const message = applyRow(row);
			return message === undefined ? [] : [{ row: row.number, message }];
		});
	const { jobQueuedMs, jobRunMs, jobScheduling, jobsEndAs } = world.settings;
	const job = {
		endsAs: jobsEndAs ?? undefined,
		vaultId: context.vault.id,
		method: context.method,
		path: context.path,
		createdBy: context.session.userId,
		rowCount: table.rows.length,
		rowErrors: unreadable,
		apply,
	};
	return world.jobs.create(job, context.now, jobQueuedMs, jobRunMs, jobScheduling);
}
