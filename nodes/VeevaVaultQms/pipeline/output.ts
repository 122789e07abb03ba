import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import type { BulkOperationSpec, SpecContext } from '../operations/types';
import type { JobResult } from '../transport/jobs';
import type { Batch } from './batch';
import type { ItemOutcome } from './outcome';
import type { ItemProblem } from './prepare';
import type { BulkSettings } from './runBulk';
import { rowFailureText } from './runBulk';
import type { BatchOutcome } from './send';

export interface SentBatch {
	outcome: BatchOutcome;
	csv: string;
}

export async function dryRunOutput(
	fx: IExecuteFunctions,
	spec: BulkOperationSpec,
	context: SpecContext,
	batches: Batch[],
	csvOf: (batch: Batch) => string,
	problems: ItemProblem[],
): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	for (const batch of batches) {
		const csv = csvOf(batch);
		items.push({
			json: {
				dryRun: true,
				batch: batch.number,
				batchCount: batches.length,
				rows: batch.rows.length,
				bytes: Buffer.byteLength(csv),
				method: spec.method,
				path: `/api/{version}${spec.path(context)}`,
			},
			binary: { csv: await fx.helpers.prepareBinaryData(Buffer.from(csv, 'utf8'), `batch-${batch.number}.csv`, 'text/csv') },
			pairedItem: [...new Set(batch.rows.map((row) => row.itemIndex))].map((item) => ({ item })),
		});
	}
	return [...items, ...problems.map((problem) => errorItem(fx, problemOutcome(problem)))];
}

/** One output item per input item (or per batch), every one paired to the inputs it stands for. */
export async function buildOutput(
	fx: IExecuteFunctions,
	settings: BulkSettings,
	sent: SentBatch[],
	batchCount: number,
	jobs: Map<string, JobResult>,
	problems: ItemProblem[],
	vaultHost: string,
): Promise<INodeExecutionData[]> {
	const outcomes: ItemOutcome[] = problems.map(problemOutcome);
	const batchItems: INodeExecutionData[] = [];
	for (const { outcome, csv } of sent) {
		const { batch, jobId, error, attempts, retryReasons } = outcome;
		const common: IDataObject = { vault: vaultHost, batch: batch.number, batchCount, attempts };
		if (retryReasons.length > 0) common.retries = retryReasons;
		const job = jobId ? jobFields(jobId, jobs.get(jobId)) : {};
		const okIndexes: number[] = [];
		batch.rows.forEach((planned, index) => {
			const rowResult = outcome.rowResults?.[index];
			const where = { itemIndex: planned.itemIndex, rowNumber: planned.rowNumber };
			const rowAt = planned.rowNumber === undefined ? {} : { csvRow: planned.rowNumber };
			if (error) {
				outcomes.push({
					...where,
					ok: false,
					message: `Batch ${batch.number} of ${batchCount} failed: ${error.message}`,
					details: { ...common, ...rowAt, errorKind: error.kind, errorType: error.details.errorType ?? '', row: planned.row },
				});
			} else if (rowResult && rowResult.responseStatus !== 'SUCCESS') {
				outcomes.push({
					...where,
					ok: false,
					message: rowFailureText(rowResult),
					details: { ...common, ...rowAt, result: rowResult, row: planned.row },
				});
			} else {
				okIndexes.push(planned.itemIndex);
				outcomes.push({ ...where, ok: true, json: { ...(rowResult ?? {}), ...job, ...common, ...rowAt, row: planned.row } });
			}
		});
		if (settings.outputMode === 'perBatch' && okIndexes.length > 0) {
			const paired = [...new Set(okIndexes)];
			const summary: INodeExecutionData = {
				json: { ...job, ...common, rows: batch.rows.length, succeeded: okIndexes.length, items: paired },
				pairedItem: paired.map((item) => ({ item })),
			};
			if (outcome.rowResults) summary.json.results = outcome.rowResults;
			if (settings.attachCsv) {
				summary.binary = { csv: await fx.helpers.prepareBinaryData(Buffer.from(csv, 'utf8'), `batch-${batch.number}.csv`, 'text/csv') };
			}
			batchItems.push(summary);
		}
	}
	outcomes.sort((a, b) => a.itemIndex - b.itemIndex || (a.rowNumber ?? 0) - (b.rowNumber ?? 0));
	if (settings.outputMode === 'perBatch') {
		return [
			...batchItems,
			...outcomes.flatMap((outcome) => (outcome.ok ? [] : [errorItem(fx, outcome)])),
		];
	}
	return outcomes.map((outcome) =>
		outcome.ok ? { json: outcome.json, pairedItem: { item: outcome.itemIndex } } : errorItem(fx, outcome),
	);
}

function jobFields(jobId: string, result: JobResult | undefined): IDataObject {
	if (!result) return { jobId };
	if ('error' in result) return { jobId, statusError: result.error.message };
	const { jobId: _ignored, ...status } = result.status;
	return { jobId, ...status };
}

function problemOutcome(problem: ItemProblem): Extract<ItemOutcome, { ok: false }> {
	return {
		itemIndex: problem.itemIndex,
		rowNumber: problem.rowNumber,
		ok: false,
		message: `Not sent to Vault: ${problem.problems.join('; ')}`,
		details: { problems: problem.problems, ...(problem.rowNumber === undefined ? {} : { csvRow: problem.rowNumber }) },
	};
}

function errorItem(fx: IExecuteFunctions, outcome: Extract<ItemOutcome, { ok: false }>): INodeExecutionData {
	const error = outcome.details.problems
		? new NodeOperationError(fx.getNode(), outcome.message, { itemIndex: outcome.itemIndex })
		: new NodeApiError(fx.getNode(), { message: outcome.message } as JsonObject, {
				message: outcome.message,
				itemIndex: outcome.itemIndex,
			});
	return { json: { error: outcome.message, details: outcome.details }, error, pairedItem: { item: outcome.itemIndex } };
}
