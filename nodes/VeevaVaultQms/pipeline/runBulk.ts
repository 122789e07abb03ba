import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { toVaultCsv } from '../csv/vaultCsv';
import type { BulkOperationSpec, SpecContext } from '../operations/types';
import type { VaultClient } from '../transport/client';
import { waitForJobs, type JobResult, type WaitOptions } from '../transport/jobs';
import { planBatches, type Batch } from './batch';
import { buildOutput, dryRunOutput, maybeActed, type SentBatch } from './output';
import { LINE_BREAK, listProblems, rowFailureText } from './outcome';
import { prepareRows, rowRules, whereIs, type ItemProblem, type Lookups, type PreparedRows, type SourceRow } from './prepare';
import { lookupsWanted, resolveLookups, type LookupSettings } from './resolve';
import type { MemberObject } from './teamMembers';
import { membersAbsentBefore, readBack } from './verify';
import { VaultRequestError } from '../transport/errors';
import { sendBatch } from './send';
import { vaultApiError } from './apiError';

export interface BulkSettings {
	spec: BulkOperationSpec;
	context: SpecContext;
	outputMode: 'perItem' | 'perBatch';
	dryRun: boolean;
	attachCsv: boolean;
	rowLimit: number;
	byteLimit: number;
	wait?: WaitOptions;
	continueOnFail: boolean;
	/** the find-by options; all 'id' (or absent) means nothing is looked up */
	lookups?: LookupSettings;
	/** read the teams back after the jobs and mark each row applied (Manage, Sync) */
	verify?: boolean;
	/** where the teams are read back from, with verify */
	member?: MemberObject;
}

/** The whole pipeline for one bulk operation: rows → batches → CSV → Vault → output items. */
export async function runBulk(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	source: SourceRow[],
	settings: BulkSettings,
): Promise<INodeExecutionData[]> {
	const { spec, context } = settings;
	const run = await prepareRun(fx, connect, source, settings);
	const { prepared } = run;
	let client = run.client;
	const plan = planBatches(prepared.rows, {
		rowLimit: settings.rowLimit,
		byteLimit: settings.byteLimit,
		headerBytes: prepared.headerBytes,
		groupBy: spec.groupBy?.(context),
	});
	const problems: ItemProblem[] = [...prepared.problems];
	for (const refused of plan.refused) {
		for (const row of refused.rows) problems.push({ itemIndex: row.itemIndex, rowNumber: row.rowNumber, problems: [refused.reason] });
	}
	problems.sort((a, b) => a.itemIndex - b.itemIndex || (a.rowNumber ?? 0) - (b.rowNumber ?? 0));
	if (problems.length > 0 && !settings.continueOnFail) refuseBadItems(fx, problems);
	const csvOf = (batch: Batch) => toVaultCsv(prepared.header, batch.rows.map((planned) => planned.row));
	if (settings.dryRun) return await dryRunOutput(fx, spec, context, plan.batches, csvOf, problems);

	client ??= await connect();
	// Verify: which REMOVE rows' members are not on the team now, so their items can say so (verify.ts)
	const absentBefore =
		settings.verify && settings.member
			? await membersAbsentBefore(client, settings.member, plan.batches).catch(failedBeforeSending(fx, 'Reading the teams of the REMOVE rows (Verify)'))
			: undefined;
	const sent: SentBatch[] = [];
	for (const batch of plan.batches) {
		const csv = csvOf(batch);
		const outcome = await sendBatch(client, spec, context, batch, csv);
		sent.push({ outcome, csv });
		if (!settings.continueOnFail) stopOnFailure(fx, spec, sent, plan.batches.length);
	}
	const jobIds = sent.map((entry) => entry.outcome.jobId).filter((id): id is string => id !== undefined);
	const jobs: Map<string, JobResult> = settings.wait && jobIds.length > 0 ? await waitForJobs(client, jobIds, settings.wait) : new Map();
	const verified = settings.verify && settings.member ? await readBack(client, settings.member, sent, jobs, absentBefore) : undefined;
	return await buildOutput(fx, settings, sent, plan.batches.length, jobs, problems, client.address.host, verified);
}

/** Fields of the input that did not go to Vault, said once per run beside the output (an n8n execution hint). */
export function hintIgnoredFields(fx: IExecuteFunctions, fields: string[]) {
	if (fields.length === 0 || typeof fx.addExecutionHints !== 'function') return;
	const shown = fields.slice(0, 20).join(', ');
	fx.addExecutionHints({
		message: `Input fields not sent to Vault (not a column of this operation): ${shown}${fields.length > 20 ? ', ...' : ''}`,
		location: 'outputPane',
	});
}

/**
 * map → resolve → validate for a whole run, the front of every bulk pipeline (Sync's too): the
 * find-by lookups first when an option asks for them (reads are allowed in a dry run too: it shows
 * the CSV with the ids Vault would get), then the rows, then the hint of fields not sent.
 */
export async function prepareRun(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	source: SourceRow[],
	settings: BulkSettings,
): Promise<{ prepared: PreparedRows; client?: VaultClient }> {
	const { spec, context } = settings;
	let client: VaultClient | undefined;
	let lookups: Lookups | undefined;
	if (lookupsWanted(settings.lookups)) {
		client = await connect();
		const what = `Looking up ${lookupWords(settings.lookups)} in Vault`;
		const tables = await resolveLookups(client, source, rowRules(spec, context), settings.lookups, context.objectName).catch(failedBeforeSending(fx, what));
		lookups = { settings: settings.lookups, tables };
	}
	const prepared = prepareRows(source, spec, context, lookups);
	hintIgnoredFields(fx, prepared.ignoredFields);
	return { prepared, client };
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

function lookupWords(settings: LookupSettings): string {
	const words = [settings.user !== 'id' ? 'users' : '', settings.group !== 'id' ? 'groups' : '', settings.record !== 'id' ? 'records' : ''];
	return words.filter(Boolean).join(' and ');
}

/** Without "continue on fail", bad items stop the node before anything is sent, every one listed. */
export function refuseBadItems(fx: IExecuteFunctions, problems: ItemProblem[]): never {
	const lines = problems.map((problem) => `${whereIs(problem)}: ${problem.problems.join('; ')}`);
	throw new NodeOperationError(fx.getNode(), `${problems.length} item(s) cannot be sent to Vault, so nothing was sent`, {
		description: listProblems(lines),
		itemIndex: problems[0].itemIndex,
	});
}

/** Without "continue on fail": stop at the first batch or row Vault refused, naming what it did accept. */
export function stopOnFailure(fx: IExecuteFunctions, spec: BulkOperationSpec, sent: SentBatch[], batchCount: number) {
	const last = sent[sent.length - 1].outcome;
	const failedRows = (last.rowResults ?? [])
		.map((result, index) => ({ result, planned: last.batch.rows[index] }))
		.filter(({ result }) => result.responseStatus !== 'SUCCESS');
	if (!last.error && failedRows.length === 0) return;

	const accepted = sent.slice(0, -1).map(({ outcome }) =>
		outcome.jobId ? `batch ${outcome.batch.number} (job ${outcome.jobId})` : `batch ${outcome.batch.number}`,
	);
	const acceptedText = accepted.length > 0 ? `Vault already accepted ${accepted.join(', ')}.` : 'No earlier batch was sent.';
	const notSent = batchCount - last.batch.number;
	const notSentText = notSent > 0 ? ` The remaining ${notSent} batch(es) were not sent.` : '';
	if (last.error?.kind === 'login' && sent.length === 1) {
		// the credential could not log in: about the credential, not a batch or an item
		throw vaultApiError(fx.getNode(), last.error.message, { description: 'Nothing was sent to Vault: no session could be had with this credential.' });
	}
	if (last.error) {
		const items = [...new Set(last.batch.rows.map((row) => row.itemIndex))].filter((item) => item >= 0);
		throw vaultApiError(fx.getNode(), `Batch ${last.batch.number} of ${batchCount} failed: ${last.error.message}`, {
			description: `${acceptedText}${notSentText} Items in the failed batch: ${items.length > 20 ? `${items.slice(0, 20).join(', ')} and ${items.length - 20} more` : items.join(', ')}.${
				last.error.outcomeUnknown ? ` ${maybeActed(spec, last)}` : ''
			}`,
			itemIndex: items[0],
		});
	}
	const lines = failedRows.map(({ result, planned }) => `${whereIs(planned)}: ${rowFailureText(result)}`);
	throw new NodeApiError(fx.getNode(), { message: 'Vault refused rows' } as JsonObject, {
		message: `Vault refused ${failedRows.length} of ${last.batch.rows.length} row(s) in batch ${last.batch.number} of ${batchCount}; it applied the others`,
		description: `${listProblems(lines)}${LINE_BREAK}${acceptedText}${notSentText}`,
		itemIndex: failedRows[0].planned.itemIndex,
	});
}
