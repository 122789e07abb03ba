import type { IDataObject } from 'n8n-workflow';

import type { BulkOperationSpec, TeamColumns } from '../operations/types';
import { vaultErrors } from '../transport/errors';
import type { BatchOutcome, PlannedRow } from './types';

/**
 * The pipeline's words: how a row, a list of problems, a batch whose fate is unknown and a row
 * Vault refused are said to an admin. Text only; the items and errors that carry it are built in
 * the output*.ts modules and errors.ts.
 */

/**
 * Lines of an error description. n8n's editor shows a description as HTML, where a newline is a
 * space and a list of items would run together as one paragraph: each line ends in <br>, and keeps
 * its newline for logs and the CLI.
 */
export const LINE_BREAK = '<br>\n';

/** A message that lists many items stays readable: one line each, the first few, then a count. */
export function listProblems(lines: string[], most = 20): string {
	const shown = lines.slice(0, most);
	const more = lines.length - shown.length;
	return shown.join(LINE_BREAK) + (more > 0 ? `${LINE_BREAK}... and ${more} more` : '');
}

/**
 * What a run refused as a whole adds for each input item, e.g. the item's own problems when no
 * row was usable. Kept beside the error (not in its context, which n8n shows and logs) for the
 * one place that turns a refused run into error items under continue on fail (outputErrors.ts,
 * `refusedRunItems`); held only as long as the error object lives.
 */
const refusalItemDetails = new WeakMap<object, Map<number, IDataObject>>();

export function withItemDetails<E extends object>(error: E, details: Map<number, IDataObject>): E {
	refusalItemDetails.set(error, details);
	return error;
}

export function itemDetailsOf(error: object): Map<number, IDataObject> | undefined {
	return refusalItemDetails.get(error);
}

/** How a spec's per-row answer names its rows (the spec's `rowAnswer`; any other: by `id`, as "row"). */
export function rowAnswerOf(spec: BulkOperationSpec): { key: string; noun: string } {
	return spec.rowAnswer ?? { key: 'id', noun: 'row' };
}

/** A row Vault refused (a per-row answer: the document role endpoints), in Vault's words. */
export function rowFailureText(
	result: Record<string, unknown>,
	{ key, noun }: { key: string; noun: string },
): string {
	const errors = vaultErrors(result.errors);
	const reasons = errors
		.map((error) => `${error.type ?? 'ERROR'}: ${error.message ?? 'no reason given'}`)
		.join('; ');
	return `Vault refused ${noun} ${String(result[key])} (${reasons || 'no reason given'})`;
}

/** The order of every list of rows and problems shown to a user: by input item, then by CSV row. */
export const byItemThenRow = (
	a: { itemIndex: number; rowNumber?: number },
	b: { itemIndex: number; rowNumber?: number },
): number => a.itemIndex - b.itemIndex || (a.rowNumber ?? 0) - (b.rowNumber ?? 0);

/** "Item 3", or "Item 0, CSV row 17" for a row of a file */
export function whereIs(row: { itemIndex: number; rowNumber?: number }): string {
	return row.rowNumber === undefined
		? `Item ${row.itemIndex}`
		: `Item ${row.itemIndex}, CSV row ${row.rowNumber}`;
}

/**
 * What an admin is told when a batch's fate is unknown. Where a repeat is not documented as
 * harmless (the spec's `resend`), the batch was sent once only and the items say so, with the
 * time and batch, so the admin can find the job in Vault before re-running anything.
 */
export function maybeActed(spec: BulkOperationSpec, outcome: BatchOutcome): string {
	const when = `batch ${outcome.batch.number}, first sent at ${outcome.sentAt}`;
	if (!spec.resend.safe) {
		return `Vault may have applied this batch (${when}); it was not sent again, because Vault does not document a repeated ${spec.requestName ?? spec.name} request as harmless. Check ${spec.resend.check} before re-running these items.`;
	}
	return `Vault may or may not have acted on this batch (${when}, ${outcome.attempts} attempt(s)); check ${spec.resend.check} before sending these rows again.`;
}

export const NOT_APPLIED =
	"Vault did not apply this row. Vault gives its reason only in the job's results, emailed to the integration user and shown in Vault's notifications.";

/** A REMOVE row whose member was not on the team when the batch was sent: what happened, in words. */
export function nothingToRemove(planned: PlannedRow, columns: TeamColumns): string {
	const [user, record, role] = [
		planned.row[columns.user],
		planned.row[columns.record],
		planned.row[columns.role],
	];
	return `User ${user} was not on the team of record ${record} as ${role} when the batch was sent; nothing to remove. Vault counts such a row as an error of the job.`;
}
