import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import type { BulkOperationSpec } from '../operations/types';
import { VaultRequestError } from '../transport/errors';
import {
	LINE_BREAK,
	listProblems,
	maybeActed,
	rowAnswerOf,
	rowFailureText,
	whereIs,
} from './messages';
import type { ItemProblem, SentBatch } from './types';

/**
 * The errors that stop a run: n8n's own kinds, in the pipeline's words (messages.ts). What an item
 * alone suffers is its error item instead (outputErrors.ts).
 */

/**
 * A NodeApiError that keeps our message. n8n swaps any message containing a common network code
 * (ECONNRESET, ENOTFOUND, ...) for its generic text ("The connection to the server was closed
 * unexpectedly..."), which drops what an admin needs: which host, which batch, whether Vault may
 * have acted. The generic text is kept among the error's messages.
 */
export function vaultApiError(
	node: INode,
	message: string,
	options: { description?: string; httpCode?: string; itemIndex?: number; kind?: string } = {},
): NodeApiError {
	const { kind, ...rest } = options;
	const error = new NodeApiError(node, { message, ...(kind ? { kind } : {}) } as JsonObject, {
		message,
		...rest,
	});
	if (error.message !== message) {
		error.messages.push(error.message);
		error.message = message;
	}
	return error;
}

/** Every error leaves the node as n8n's own kind, with its words and never a secret. */
export function toNodeError(
	fx: IExecuteFunctions,
	error: unknown,
	itemIndex?: number,
	description?: string,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof VaultRequestError) {
		if (error.kind === 'config')
			return new NodeOperationError(fx.getNode(), error.message, { itemIndex, description });
		return vaultApiError(fx.getNode(), error.message, {
			kind: error.kind,
			description: description ?? error.details.description,
			httpCode: error.details.httpCode ? String(error.details.httpCode) : undefined,
			itemIndex,
		});
	}
	return new NodeOperationError(fx.getNode(), (error as Error)?.message ?? String(error), {
		itemIndex,
	});
}

/** A read before anything was sent failed: the node's error, saying nothing was sent. */
export function failedBeforeSending(fx: IExecuteFunctions, what: string) {
	return (error: unknown): never => {
		if (!(error instanceof VaultRequestError)) throw error;
		throw vaultApiError(fx.getNode(), `${what} failed, so nothing was sent: ${error.message}`, {
			httpCode: error.details.httpCode ? String(error.details.httpCode) : undefined,
		});
	};
}

/** Without "continue on fail", bad items stop the node before anything is sent, every one listed. */
export function refuseBadItems(fx: IExecuteFunctions, problems: ItemProblem[]): never {
	const lines = problems.map((problem) => `${whereIs(problem)}: ${problem.problems.join('; ')}`);
	throw new NodeOperationError(
		fx.getNode(),
		`${problems.length} item(s) cannot be sent to Vault, so nothing was sent`,
		{
			description: listProblems(lines),
			itemIndex: problems[0].itemIndex,
		},
	);
}

/** Without "continue on fail": stop at the first batch or row Vault refused, naming what it did accept. */
export function stopOnFailure(
	fx: IExecuteFunctions,
	spec: BulkOperationSpec,
	sent: SentBatch[],
	batchCount: number,
) {
	const last = sent[sent.length - 1].outcome;
	const failedRows = (last.rowResults ?? [])
		.map((result, index) => ({ result, planned: last.batch.rows[index] }))
		.filter(({ result }) => result.responseStatus !== 'SUCCESS');
	if (!last.error && failedRows.length === 0) return;

	const accepted = sent
		.slice(0, -1)
		.map(({ outcome }) =>
			outcome.jobId
				? `batch ${outcome.batch.number} (job ${outcome.jobId})`
				: `batch ${outcome.batch.number}`,
		);
	const acceptedText =
		accepted.length > 0
			? `Vault already accepted ${accepted.join(', ')}.`
			: 'No earlier batch was sent.';
	const notSent = batchCount - last.batch.number;
	const notSentText = notSent > 0 ? ` The remaining ${notSent} batch(es) were not sent.` : '';
	if (last.error?.kind === 'login' && sent.length === 1) {
		// the credential could not log in: about the credential, not a batch or an item
		throw vaultApiError(fx.getNode(), last.error.message, {
			description: 'Nothing was sent to Vault: no session could be had with this credential.',
		});
	}
	if (last.error) {
		const items = [...new Set(last.batch.rows.map((row) => row.itemIndex))].filter(
			(item) => item >= 0,
		);
		throw vaultApiError(
			fx.getNode(),
			`Batch ${last.batch.number} of ${batchCount} failed: ${last.error.message}`,
			{
				description: `${acceptedText}${notSentText} Items in the failed batch: ${items.length > 20 ? `${items.slice(0, 20).join(', ')} and ${items.length - 20} more` : items.join(', ')}.${
					last.error.outcomeUnknown ? ` ${maybeActed(spec, last)}` : ''
				}`,
				itemIndex: items[0],
			},
		);
	}
	const lines = failedRows.map(
		({ result, planned }) => `${whereIs(planned)}: ${rowFailureText(result, rowAnswerOf(spec))}`,
	);
	throw new NodeApiError(fx.getNode(), { message: 'Vault refused rows' } as JsonObject, {
		message: `Vault refused ${failedRows.length} of ${last.batch.rows.length} row(s) in batch ${last.batch.number} of ${batchCount}; it applied the others`,
		description: `${listProblems(lines)}${LINE_BREAK}${acceptedText}${notSentText}`,
		itemIndex: failedRows[0].planned.itemIndex,
	});
}
