import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { BulkOperationSpec, SpecContext } from '../operations/types';
import type { JobResult } from '../transport/jobs';
import {
	byItemThenRow,
	maybeActed,
	NOT_APPLIED,
	nothingToRemove,
	rowAnswerOf,
	rowFailureText,
} from './messages';
import { itemIndexesOf, rowCountOf } from './fileBatch';
import { errorItem, problemItems, problemOutcome } from './outputErrors';
import { jobFields } from './outputJobs';
import type {
	Batch,
	BatchOutcome,
	BulkSettings,
	ItemOutcome,
	ItemProblem,
	PlannedRow,
	SentBatch,
	Verification,
} from './types';

/**
 * The node's output items, built in the output*.ts modules only: here a row's item (or a batch's)
 * after sending and a dry run's; outputErrors.ts the error items (rows never sent, a run refused
 * whole); outputJobs.ts a job's state and summary (for bulk items and Job → Get Status alike);
 * outputReconcile.ts Sync's plan and summary items. outputTable.ts then gives every item of an
 * output the same keys, for n8n's Table view.
 */

/** A dry run's items: one per batch, then the rows never sent. */
export async function dryRunOutput(
	fx: IExecuteFunctions,
	spec: BulkOperationSpec,
	context: SpecContext,
	batches: Batch[],
	csvOf: (batch: Batch) => string,
	problems: ItemProblem[],
): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	for (const batch of batches)
		items.push(await dryRunItem(fx, spec, context, batch, batches.length, csvOf(batch)));
	return [...items, ...problemItems(problems)];
}

/** A dry run's item for one batch: what would be sent, where, with the CSV as binary. */
export async function dryRunItem(
	fx: IExecuteFunctions,
	spec: BulkOperationSpec,
	context: SpecContext,
	batch: Batch,
	batchCount: number,
	csv: string,
): Promise<INodeExecutionData> {
	return {
		json: {
			dryRun: true,
			batch: batch.number,
			batchCount,
			rows: rowCountOf(batch),
			bytes: Buffer.byteLength(csv),
			method: spec.method,
			path: `/api/{version}${spec.path(context)}`,
		},
		binary: {
			csv: await fx.helpers.prepareBinaryData(
				Buffer.from(csv, 'utf8'),
				`batch-${batch.number}.csv`,
				'text/csv',
			),
		},
		pairedItem: [...new Set(itemIndexesOf(batch))].map((item) => ({ item })),
	};
}

/** What a run sent and learnt, for its output items. */
export interface SentRun {
	sent: SentBatch[];
	batchCount: number;
	jobs: Map<string, JobResult>;
	/** the rows never sent */
	problems: ItemProblem[];
	vaultHost: string;
	verified?: Verification;
}

/** One output item per input item (or per batch), every one paired to the inputs it stands for. */
export async function buildOutput(
	fx: IExecuteFunctions,
	settings: BulkSettings,
	run: SentRun,
): Promise<INodeExecutionData[]> {
	const outcomes: ItemOutcome[] = run.problems.map(problemOutcome);
	const batchItems: INodeExecutionData[] = [];
	for (const { outcome, csv } of run.sent) {
		const { common, job, okIndexes } = rowOutcomes(settings, run, outcome, outcomes);
		if (settings.outputMode === 'perBatch' && okIndexes.length > 0)
			batchItems.push(
				await batchItem(fx, settings, outcome, csv, { ...job, ...common }, okIndexes),
			);
	}
	outcomes.sort(byItemThenRow);
	if (settings.outputMode === 'perBatch') {
		return [
			...batchItems,
			...outcomes.flatMap((outcome) => (outcome.ok ? [] : [errorItem(outcome)])),
		];
	}
	// built directly, not spread from outputErrors.ts pairedTo's object: one object fewer per item
	return outcomes.map((outcome) => {
		if (!outcome.ok) return errorItem(outcome);
		return outcome.itemIndex < 0
			? { json: outcome.json }
			: { json: outcome.json, pairedItem: { item: outcome.itemIndex } };
	});
}

/** Each row of a sent batch as its item's outcome (added to `outcomes`), and what the batch's rows share. */
function rowOutcomes(
	settings: BulkSettings,
	run: SentRun,
	outcome: BatchOutcome,
	outcomes: ItemOutcome[],
): { common: IDataObject; job: IDataObject; okIndexes: number[] } {
	const { batch, jobId, error, attempts, retryReasons } = outcome;
	const { batchCount, verified } = run;
	const common: IDataObject = { vault: run.vaultHost, batch: batch.number, batchCount, attempts };
	if (retryReasons.length > 0) common.retries = retryReasons;
	const job = jobId ? jobFields(jobId, run.jobs.get(jobId)) : {};
	// what every good row of the batch shares, built once: one spread per row, not five
	const okBase: IDataObject = { ...job, ...common };
	const okIndexes: number[] = [];
	const perBatch = settings.outputMode === 'perBatch';
	/** a row of this batch that did not go through: its batch, its CSV row, and what went wrong */
	const failed = (planned: PlannedRow, message: string, specific: IDataObject) =>
		outcomes.push({
			itemIndex: planned.itemIndex,
			rowNumber: planned.rowNumber,
			ok: false,
			message,
			details: {
				...common,
				...(planned.rowNumber === undefined ? {} : { csvRow: planned.rowNumber }),
				...specific,
				row: planned.row,
				...(planned.lookups ? { lookedUp: planned.lookups } : {}),
				...(planned.note ?? {}),
			},
		});
	if (perBatch && !error && !outcome.rowResults) {
		// every row went, and the batch's item needs only their items: a file's batch builds no rows (fileBatch.ts)
		for (const itemIndex of itemIndexesOf(batch)) okIndexes.push(itemIndex);
		return { common, job, okIndexes };
	}
	// a plain loop, not forEach: a closure call per row was the output's largest cost in the profile
	for (let index = 0; index < batch.rows.length; index++) {
		const planned = batch.rows[index];
		const rowResult = outcome.rowResults?.[index];
		if (error) {
			failed(
				planned,
				`Batch ${batch.number} of ${batchCount} failed: ${error.message}${error.outcomeUnknown ? `. ${maybeActed(settings.spec, outcome)}` : ''}`,
				{
					errorKind: error.kind,
					errorType: error.details.errorType ?? '',
					sentAt: outcome.sentAt,
					...(error.outcomeUnknown
						? { outcomeUnknown: true, resentAfterUnknownOutcome: settings.spec.resend.safe }
						: {}),
				},
			);
			continue;
		}
		if (rowResult && rowResult.responseStatus !== 'SUCCESS') {
			failed(planned, rowFailureText(rowResult, rowAnswerOf(settings.spec)), { result: rowResult });
			continue;
		}
		okIndexes.push(planned.itemIndex);
		// per-batch output gives the batch an item, not its rows: an item per row would be built and dropped
		if (!perBatch) outcomes.push(okOutcome(planned, rowResult, okBase, verified));
	}
	return { common, job, okIndexes };
}

/**
 * A good row's outcome. What an earlier stage says of the row leads its item (Sync: the change,
 * why, the member), as on the plan's items, then Vault's row result, then what the batch's rows
 * share. Most rows have neither note nor result: their item is a clone of the shared part (V8
 * copies a spread of one object in one step); Object.assign serves the others (spreading Vault's
 * parsed row result and then the base cost ~9 µs a row, Object.assign ~0.7).
 */
function okOutcome(
	planned: PlannedRow,
	rowResult: IDataObject | undefined,
	okBase: IDataObject,
	verified: Verification | undefined,
): ItemOutcome {
	const json: IDataObject =
		planned.note || rowResult ? Object.assign({}, planned.note, rowResult, okBase) : { ...okBase };
	if (planned.rowNumber !== undefined) json.csvRow = planned.rowNumber;
	json.row = planned.row;
	if (planned.lookups) json.lookedUp = planned.lookups;
	if (planned.note) Object.assign(json, planned.note);
	if (verified) markApplied(json, verified, planned);
	return { itemIndex: planned.itemIndex, rowNumber: planned.rowNumber, ok: true, json };
}

/** A batch's item (per-batch output): its job, its counts, the items it stands for, and its CSV if asked. */
async function batchItem(
	fx: IExecuteFunctions,
	settings: BulkSettings,
	outcome: BatchOutcome,
	csv: string,
	shared: IDataObject,
	okIndexes: number[],
): Promise<INodeExecutionData> {
	const { batch, jobId } = outcome;
	const paired = [...new Set(okIndexes)].filter((item) => item >= 0);
	const summary: INodeExecutionData = {
		// a job's rows are submitted, no more, until its status says it finished: Vault gives no per-row results for jobs
		json: {
			...shared,
			rows: rowCountOf(batch),
			[jobId ? 'submitted' : 'succeeded']: okIndexes.length,
			items: paired,
		},
		pairedItem: paired.map((item) => ({ item })),
	};
	if (outcome.rowResults) summary.json.results = outcome.rowResults;
	if (settings.attachCsv) {
		summary.binary = {
			csv: await fx.helpers.prepareBinaryData(
				Buffer.from(csv, 'utf8'),
				`batch-${batch.number}.csv`,
				'text/csv',
			),
		};
	}
	return summary;
}

/**
 * Verify's mark on a row's item: applied true or false, or null with the reason there is none (the
 * job did not finish, or the read-back failed or did not add up: never true from a read that cannot
 * be trusted). A REMOVE whose member was not on the team before sending says so, not just "not applied".
 */
function markApplied(json: IDataObject, verified: Verification, planned: PlannedRow) {
	const applied = verified.applied.get(planned);
	const absentBefore = verified.absentBefore?.has(planned) === true;
	if (absentBefore) json.wasOnTeam = false;
	if (applied !== undefined) {
		json.applied = applied;
		if (!applied)
			json.notApplied = absentBefore ? nothingToRemove(planned, verified.columns) : NOT_APPLIED;
	} else json.applied = null;
	if (verified.error) json.verifyError = verified.error;
	else if (applied === undefined)
		json.verifyError = 'Not read back: the job did not finish within the wait, or was not sent';
}
