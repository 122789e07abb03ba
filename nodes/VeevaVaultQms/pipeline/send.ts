import type { IDataObject } from 'n8n-workflow';

import type { BulkOperationSpec, SpecContext } from '../operations/types';
import type { VaultClient } from '../transport/client';
import { VaultRequestError } from '../transport/errors';
import { rowAnswerOf } from './messages';
import type { Batch, BatchOutcome } from './types';

/**
 * The send stage: one batch's CSV to Vault as the spec says (body, path, accept, resend policy), and
 * Vault's answer read into a job id or a result per row.
 */

/** Sends one batch's CSV and reads Vault's answer into a job id or per-row results. */
export async function sendBatch(
	client: VaultClient,
	spec: BulkOperationSpec,
	context: SpecContext,
	batch: Batch,
	csv: string,
): Promise<BatchOutcome> {
	const { body, contentType } = encodeBody(spec, csv);
	const sentAt = new Date().toISOString();
	const sent = await client
		.request({
			method: spec.method,
			path: spec.path(context),
			body,
			contentType,
			accept: spec.accept,
			// sent again after an unknown outcome only where Vault documents a repeat as harmless
			// (the spec's `resend`, docs/reliability.md, "Resend policy")
			retryUnknownOutcome: spec.resend.safe,
		})
		.then(
			(answer) => ({ answer }),
			(error: unknown) => ({ error }),
		);
	if ('error' in sent) {
		if (!(sent.error instanceof VaultRequestError)) throw sent.error;
		// a path Vault does not have: the spec says what that likely means (Manage: the other Quality application)
		const hint =
			sent.error.details.errorType === 'MALFORMED_URL'
				? spec.missingPathHint?.(context)
				: undefined;
		if (hint) sent.error.message = `${sent.error.message}. ${hint}`;
		return {
			batch,
			attempts: sent.error.details.attempts ?? 1,
			retryReasons: [],
			sentAt,
			error: sent.error,
		};
	}
	const { envelope, attempts, retryReasons } = sent.answer;
	if (spec.answer === 'job') {
		const jobId = readJobId(envelope);
		if (jobId === undefined) {
			const error = new VaultRequestError(
				'garbled',
				'Vault answered SUCCESS without a job id: the batch was probably accepted; check the jobs in Vault before sending it again',
			);
			return { batch, attempts, retryReasons, sentAt, error };
		}
		return { batch, attempts, retryReasons, sentAt, jobId };
	}
	return {
		batch,
		attempts,
		retryReasons,
		sentAt,
		rowResults: matchRowResults(batch, envelope, rowAnswerOf(spec)),
	};
}

/** Vault's pages show `jobId` as a number and as a string, and one says `job_id`: take them all. */
export function readJobId(envelope: IDataObject): string | undefined {
	const data = (envelope.data ?? {}) as IDataObject;
	for (const candidate of [envelope.jobId, envelope.job_id, data.jobId, data.job_id, data.id]) {
		if (
			(typeof candidate === 'number' && Number.isSafeInteger(candidate)) ||
			(typeof candidate === 'string' && /^\d+$/.test(candidate))
		) {
			return String(candidate);
		}
	}
	return undefined;
}

function encodeBody(
	spec: BulkOperationSpec,
	csv: string,
): { body: string | Buffer; contentType: string } {
	if (spec.body === 'csv') return { body: csv, contentType: 'text/csv' };
	// Migrate's page sends the CSV as a multipart `file` field. A Buffer, not a stream, so the
	// body can be sent again after a fresh login.
	const boundary = `----n8nVaultBoundary${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
	const body = Buffer.concat([
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${spec.fileName ?? 'batch.csv'}"\r\nContent-Type: text/csv\r\n\r\n`,
		),
		Buffer.from(csv, 'utf8'),
		Buffer.from(`\r\n--${boundary}--\r\n`),
	]);
	return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Pairs Vault's per-row answers with the rows sent. Vault answers in order; a row whose
 * answer names another row (another document, by the spec's `rowAnswer` key) is matched by that
 * key instead, and a row left without an answer is said to have none, rather than being taken for
 * a success.
 */
function matchRowResults(
	batch: Batch,
	envelope: IDataObject,
	{ key, noun }: { key: string; noun: string },
): IDataObject[] {
	const results = Array.isArray(envelope.data) ? (envelope.data as IDataObject[]) : [];
	const used = new Set<number>();
	return batch.rows.map((planned, index) => {
		const id = planned.row[key];
		let at = results[index] && String(results[index][key]) === id && !used.has(index) ? index : -1;
		if (at < 0) at = results.findIndex((result, i) => !used.has(i) && String(result[key]) === id);
		if (at < 0) {
			return {
				responseStatus: 'FAILURE',
				[key]: id,
				errors: [
					{ type: 'NO_RESULT', message: `Vault returned no result for this ${noun} in its answer` },
				],
			};
		}
		used.add(at);
		return results[at];
	});
}
