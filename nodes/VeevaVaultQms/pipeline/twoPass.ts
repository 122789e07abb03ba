import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { Row } from '../csv/vaultCsv';
import type { VaultClient } from '../transport/client';
import { waitForJobs } from '../transport/jobs';
import { refuseBadItems } from './errors';
import { buildOutput, dryRunItem } from './output';
import { problemItems } from './outputErrors';
import { jobFields } from './outputJobs';
import { StreamedContradictions } from './contradictions';
import { FileBatchFiller, type FileBatch } from './fileBatch';
import { planStream, type StreamPlan } from './plan';
import { prepareRow, rowRules } from './prepare';
import { sendInTurn } from './sendLoop';
import { streamedRoleCheck } from './teamChecks';
import type { BulkSettings, RowRules, RowSource, SentBatch } from './types';

/**
 * Two-pass planning over a streamed source (a CSV file), which keeps no more than one batch of rows
 * in memory whatever the file's size. Apart from run.ts, which decides when a run may go this way
 * (per-batch output, no grouping, no lookups, no verify, no reconcile).
 */

/** What the second pass keeps: an output item per batch, not its rows. */
interface SecondPass {
	output: INodeExecutionData[];
	sent: SentBatch[];
	/** each job's output item, to take the job's result after the wait */
	jobItems: Map<string, INodeExecutionData>;
	rowsSeen: number;
	batchesSeen: number;
}

/**
 * Two passes over a streamed source, one output item per batch: pass 1 (plan.ts, planStream)
 * validates and measures every row, so bad rows stop the node before anything is sent (as for
 * items); pass 2 reads the rows again, fills the same batches, sends each (or builds its dry-run
 * item) and keeps its output item, not its rows.
 */
export async function runTwoPass(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	source: RowSource,
	settings: BulkSettings,
): Promise<INodeExecutionData[]> {
	const { rules, early } = await streamedRules(fx, connect, settings);
	const columns = settings.spec.teamColumns;
	const pairs = columns ? new StreamedContradictions(columns) : undefined;
	const plan = await planStream(source.forEach, rules, settings, pairs);
	if (plan.problems.length > 0 && !settings.continueOnFail) refuseBadItems(fx, plan.problems);
	const client = settings.dryRun ? undefined : (early ?? (await connect()));
	const pass = await secondPass(fx, client, settings, source, rules, plan);
	if (client && settings.wait && pass.jobItems.size > 0) {
		const jobs = await waitForJobs(client, [...pass.jobItems.keys()], settings.wait);
		for (const [jobId, item] of pass.jobItems)
			Object.assign(item.json, jobFields(jobId, jobs.get(jobId)));
	}
	return [...pass.output, ...problemItems(plan.problems)];
}

/**
 * The rows' rules, with the roles checked against the object's teams when asked (issue 22, item 4):
 * rows are not kept, so by the roles of any team of the object. The client made for that check is
 * the run's.
 */
async function streamedRules(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	settings: BulkSettings,
): Promise<{ rules: RowRules; early?: VaultClient }> {
	const { spec, context } = settings;
	const rules = rowRules(spec, context);
	const teams =
		!settings.dryRun && settings.checkRoles && spec.teamColumns ? settings.teams : undefined;
	if (!teams || !spec.teamColumns) return { rules };
	const early = await connect();
	rules.rowCheck = await streamedRoleCheck(fx, early, teams, context.objectName, spec.teamColumns);
	return { rules, early };
}

/** Pass 2: the rows read again into the batches pass 1 counted; a file that reads differently stops the run. */
async function secondPass(
	fx: IExecuteFunctions,
	client: VaultClient | undefined,
	settings: BulkSettings,
	source: RowSource,
	rules: RowRules,
	plan: StreamPlan,
): Promise<SecondPass> {
	const pass: SecondPass = {
		output: [],
		sent: [],
		jobItems: new Map(),
		rowsSeen: 0,
		batchesSeen: 0,
	};
	// each row written as its CSV line at once (fileBatch.ts): a batch holds text, not rows
	const filler = new FileBatchFiller(plan.header, plan.limits);
	const handle = (batch: FileBatch) => handleBatch(fx, client, settings, plan, pass, batch);
	// a promise only when a batch closes: the reader pauses for those alone (a pause costs papaparse a copy of the rest of the text)
	await source.forEach(({ problems: early, fields, itemIndex, rowNumber }) => {
		if (early && early.length > 0) return;
		const prepared = prepareRow(fields, rules);
		if (prepared.problems) return;
		const at = pass.rowsSeen++;
		if (plan.unsent.has(at)) return;
		const bytes = plan.rowBytes(at);
		const closed = filler.add(itemIndex, rowNumber, prepared.row as Row, bytes);
		return closed ? handle(closed) : undefined;
	});
	const last = filler.finish();
	if (last) await handle(last);
	if (pass.rowsSeen !== plan.goodRows || pass.batchesSeen !== plan.batchCount) {
		throw new NodeOperationError(
			fx.getNode(),
			'The CSV file read differently the second time, so the run stopped',
			{
				description: `First read: ${plan.goodRows} good rows in ${plan.batchCount} batch(es); second read: ${pass.rowsSeen} rows in ${pass.batchesSeen}. Batches already sent: ${pass.sent.length}.`,
			},
		);
	}
	return pass;
}

/** One batch of pass 2: its dry-run item, or sent and its output item kept (its rows and CSV let go). */
async function handleBatch(
	fx: IExecuteFunctions,
	client: VaultClient | undefined,
	settings: BulkSettings,
	plan: StreamPlan,
	pass: SecondPass,
	batch: FileBatch,
): Promise<void> {
	const { spec, context } = settings;
	pass.batchesSeen++;
	const { csv } = batch;
	if (!client) {
		pass.output.push(await dryRunItem(fx, spec, context, batch, plan.batchCount, csv));
		return;
	}
	const { sent } = pass;
	const outcome = await sendInTurn(fx, client, settings, batch, csv, sent, plan.batchCount);
	const items = await buildOutput(
		fx,
		{ ...settings, outputMode: 'perBatch' },
		{
			sent: [{ outcome, csv }],
			batchCount: plan.batchCount,
			jobs: new Map(),
			problems: [],
			vaultHost: client.address.host,
		},
	);
	for (const item of items) {
		if (outcome.jobId && !item.error) pass.jobItems.set(outcome.jobId, item);
		pass.output.push(item);
	}
	// the rows and CSV of a batch Vault took are not needed again: only its number and job id
	// (a plain batch: spreading the file's batch would keep its CSV)
	sent[sent.length - 1] = {
		outcome: { ...outcome, batch: { number: batch.number, rows: [], bytes: batch.bytes } },
		csv: '',
	};
}
