import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toVaultCsv } from '../csv/vaultCsv';
import type { VaultClient } from '../transport/client';
import { waitForJobs, type JobResult } from '../transport/jobs';
import { planBatches } from './batch';
import { failedBeforeSending, refuseBadItems, stopOnFailure } from './errors';
import { buildOutput, dryRunOutput } from './output';
import { prepareRows, rowRules, type Lookups, type PreparedRows } from './prepare';
import { lookupsWanted, resolveLookups } from './resolve';
import { sendBatch } from './send';
import type { Batch, BulkSettings, ItemProblem, LookupSettings, SentBatch, SourceRow } from './types';
import { membersAbsentBefore, readBack } from './verify';

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

function lookupWords(settings: LookupSettings): string {
	const words = [settings.user !== 'id' ? 'users' : '', settings.group !== 'id' ? 'groups' : '', settings.record !== 'id' ? 'records' : ''];
	return words.filter(Boolean).join(' and ');
}
