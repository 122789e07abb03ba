import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import type { BulkOperationSpec, SpecContext, TeamColumns } from '../operations/types';
import type { JobResult } from '../transport/jobs';
import {
	itemDetailsOf,
	LINE_BREAK,
	maybeActed,
	NOT_APPLIED,
	nothingToRemove,
	rowAnswerOf,
	rowFailureText,
} from './messages';
import type {
	Batch,
	BatchOutcome,
	BulkSettings,
	ItemOutcome,
	ItemProblem,
	PlanEntry,
	PlannedRow,
	SentBatch,
	SourceRow,
	Verification,
} from './types';

/**
 * The node's output items, built here only: a row's item (or a batch's), a dry run's, the error
 * items of rows never sent and of a run refused whole, and a job's state and summary (for bulk
 * items and for Job → Get Status alike). outputTable.ts then gives every item of an output the
 * same keys, for n8n's Table view.
 */

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
			rows: batch.rows.length,
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
		pairedItem: [...new Set(batch.rows.map((row) => row.itemIndex))].map((item) => ({ item })),
	};
}

/**
 * A run refused as a whole (a lookup or member read that failed, the Max Removals rail, no usable
 * row, a credential the node cannot use), under continue on fail: one error item per input item,
 * paired to it, saying the run's reason. Thrown, n8n would pass the input items on unchanged on the
 * success branch (n8n-core workflow-execute, handleNodeExecutionError), so a blocked run would look
 * like one that ran. `wholeRun` tells these apart from an item's own error.
 */
export function refusedRunItems(
	itemCount: number,
	error: NodeApiError | NodeOperationError,
): INodeExecutionData[] {
	const description =
		typeof error.description === 'string' && error.description !== ''
			? error.description.split(LINE_BREAK).join('\n')
			: undefined;
	const common: IDataObject = { wholeRun: true };
	if (description) common.description = description;
	if ('httpCode' in error && error.httpCode) common.httpCode = error.httpCode;
	const perItem = itemDetailsOf(error);
	return Array.from({ length: itemCount }, (_, item) =>
		errorItem({
			itemIndex: item,
			ok: false,
			message: error.message,
			details: { ...common, ...perItem?.get(item) },
		}),
	);
}

/** The error items of rows that were never sent, in item order. */
export function problemItems(problems: ItemProblem[]): INodeExecutionData[] {
	return problems.map((problem) => errorItem(problemOutcome(problem)));
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
	outcomes.sort((a, b) => a.itemIndex - b.itemIndex || (a.rowNumber ?? 0) - (b.rowNumber ?? 0));
	if (settings.outputMode === 'perBatch') {
		return [
			...batchItems,
			...outcomes.flatMap((outcome) => (outcome.ok ? [] : [errorItem(outcome)])),
		];
	}
	return outcomes.map((outcome) =>
		outcome.ok ? { json: outcome.json, ...pairedTo(outcome.itemIndex) } : errorItem(outcome),
	);
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
	batch.rows.forEach((planned, index) => {
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
		} else if (rowResult && rowResult.responseStatus !== 'SUCCESS') {
			failed(planned, rowFailureText(rowResult, rowAnswerOf(settings.spec)), { result: rowResult });
		} else {
			okIndexes.push(planned.itemIndex);
			// Object.assign: spreading Vault's parsed row result and then the base cost ~9 µs a row, this ~0.7.
			// What an earlier stage says of the row leads its item (Sync: the change, why, the member), as on the plan's items
			const json: IDataObject = Object.assign({}, planned.note, rowResult, okBase);
			if (planned.rowNumber !== undefined) json.csvRow = planned.rowNumber;
			json.row = planned.row;
			if (planned.lookups) json.lookedUp = planned.lookups;
			if (planned.note) Object.assign(json, planned.note);
			if (verified) markApplied(json, verified, planned);
			outcomes.push({ itemIndex: planned.itemIndex, rowNumber: planned.rowNumber, ok: true, json });
		}
	});
	return { common, job, okIndexes };
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
			rows: batch.rows.length,
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
 * A job's `state` for a workflow to branch on, and a line for people, from Retrieve Job Status'
 * answer (`status`: SCHEDULED, QUEUED, RUNNING, SUCCESS, ERRORS_ENCOUNTERED, ...; `finished` set here).
 */
export function describeJob(
	jobId: string,
	status: IDataObject,
): { state: string; summary: string } {
	const vaultStatus = String(status.status ?? 'unknown');
	if (status.finished === true) {
		const more =
			vaultStatus === 'SUCCESS'
				? ''
				: '; see the job in Vault (Admin > Operations > Job Status) for the rows it did not apply';
		return { state: 'finished', summary: `Job ${jobId} finished: ${vaultStatus}${more}` };
	}
	if (status.waitTimedOut === true)
		return {
			state: 'waitTimedOut',
			summary: `Job ${jobId} was ${vaultStatus} when the wait ended; the job Get Status operation says how it ends`,
		};
	return { state: 'running', summary: `Job ${jobId} is ${vaultStatus}: not finished yet` };
}

/**
 * A job's fields on its items: Vault's job id, a `state` a workflow can branch on, a one-line
 * `summary` for people, and the status Vault gave when it was asked (Retrieve Job Status).
 * Vault's answer to a bulk request is only `{"responseStatus":"SUCCESS","jobId":...}` (the
 * endpoints' pages): the job is submitted, and nothing more is known until its status is read.
 */
export function jobFields(jobId: string, result: JobResult | undefined): IDataObject {
	if (!result) {
		return {
			jobId,
			state: 'submitted',
			summary: `Vault accepted the batch as job ${jobId}; not waited for: the job Get Status operation, or the Wait for Completion option, says how it ended`,
		};
	}
	if ('error' in result) {
		return {
			jobId,
			state: 'submitted',
			summary: `Vault accepted the batch as job ${jobId}; its status could not be read: ${result.error.message}`,
			statusError: result.error.message,
		};
	}
	const status = { ...result.status };
	delete status.jobId;
	return { jobId, ...describeJob(jobId, status), ...status };
}

function problemOutcome(problem: ItemProblem): Extract<ItemOutcome, { ok: false }> {
	return {
		itemIndex: problem.itemIndex,
		rowNumber: problem.rowNumber,
		ok: false,
		message: `Not sent to Vault: ${problem.problems.join('; ')}`,
		details: {
			problems: problem.problems,
			...(problem.rowNumber === undefined ? {} : { csvRow: problem.rowNumber }),
		},
	};
}

/**
 * An item for the error output (or the main one, with "continue (regular output)"). It carries
 * no `error` object on purpose: n8n's engine replaces the json of such items with the bare
 * message, and the details (CSV row, batch, attempts, Vault's error type, the row) are what an
 * admin needs to act. n8n routes an item whose json holds only error, message and details to
 * the error output all the same.
 */
function errorItem(outcome: Extract<ItemOutcome, { ok: false }>): INodeExecutionData {
	return {
		json: { error: outcome.message, details: outcome.details },
		...pairedTo(outcome.itemIndex),
	};
}

/** Rows no input item asked for (a Sync removal: itemIndex -1) pair to none. */
function pairedTo(itemIndex: number): Pick<INodeExecutionData, 'pairedItem'> {
	return itemIndex < 0 ? {} : { pairedItem: { item: itemIndex } };
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

/**
 * Sync's items beside what it sends (reconcile.ts): with Plan Only or nothing to send, one item per
 * change it would send (`unsent`); then a line per plan entry not sent (unchanged, duplicate, out of
 * scope, held back), the rows not sent, and the summary, paired to every input item.
 */
export function reconcileItems(
	columns: TeamColumns,
	plan: PlanEntry[],
	problems: ItemProblem[],
	summary: IDataObject,
	everyItem: number[],
	unsent: SourceRow[],
): { changeItems: INodeExecutionData[]; items: INodeExecutionData[] } {
	const changeItems: INodeExecutionData[] = unsent.map((row) => ({
		json: {
			...(row.note as IDataObject),
			...pick(row.fields, [columns.record, columns.user, columns.role, columns.operation]),
			...(row.itemIndex < 0 ? {} : { item: row.itemIndex }),
		},
		...pairedTo(row.itemIndex),
	}));
	const planItems: INodeExecutionData[] = plan.map(({ member, change, reason, from }) => ({
		json: {
			change,
			reason,
			[columns.record]: member.recordId,
			[columns.user]: member.userId,
			[columns.role]: member.role,
			...(from ? { item: from.itemIndex } : {}),
			...(from?.lookups ? { lookedUp: from.lookups } : {}),
			...(from?.normalised ? { normalised: from.normalised } : {}),
		},
		...(from ? pairedTo(from.itemIndex) : {}),
	}));
	const summaryItem: INodeExecutionData = {
		json: summary,
		pairedItem: everyItem.map((item) => ({ item })),
	};
	return { changeItems, items: [...planItems, ...problemItems(problems), summaryItem] };
}

/** These fields of an object, in this order; a field it lacks is kept, as undefined. */
function pick(fields: IDataObject, names: string[]): IDataObject {
	const picked: IDataObject = {};
	for (const name of names) picked[name] = fields[name];
	return picked;
}
