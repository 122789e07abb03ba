import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { csvCellBytes, csvHeaderBytes, csvRowOverhead, toVaultCsv, type Row } from '../csv/vaultCsv';
import type { VaultClient } from '../transport/client';
import { waitForJobs } from '../transport/jobs';
import { BatchFiller } from './batch';
import { refuseBadItems, stopOnFailure } from './errors';
import { buildOutput, dryRunItem, jobFields, problemItems } from './output';
import { headerOf, prepareRow, rowRules } from './prepare';
import { sendBatch } from './send';
import type { Batch, BulkSettings, ItemProblem, OnRow, PlannedRow, SentBatch } from './types';

/** Rows that can be read more than once, in the same order each time. */
export type ReplayableRows = (onRow: OnRow) => Promise<void>;

/**
 * The pipeline for a CSV file with one output item per batch, in two streaming passes so no
 * more than one batch of rows is in memory at a time, whatever the file's size:
 * 1. read every row, map and validate it, and keep only its problems, the extra columns it
 *    uses and its size, so the header, every batch's bounds and the batch count are known,
 *    and bad rows stop the node before anything is sent (as for items);
 * 2. read the rows again, fill each batch, send it (or build its dry-run item), and keep its
 *    output item, not its rows.
 * Migrate's grouping needs all of one record's rows together, and per-item output is an item
 * per row anyway: those take the in-memory path (runBulk).
 */
export async function runBulkStreamed(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	readRows: ReplayableRows,
	settings: BulkSettings,
): Promise<INodeExecutionData[]> {
	const { spec, context } = settings;
	const rules = rowRules(spec, context);

	// pass 1: validate, measure
	const problems: ItemProblem[] = [];
	const extraNames = new Set<string>();
	// per good row only numbers, in flat arrays: objects per row cost ~100 bytes each at 1M rows
	const cellBytes: number[] = [];
	const itemIndexes: number[] = [];
	const rowNumbers: Array<number | undefined> = [];
	await readRows(({ itemIndex, rowNumber, fields, problems: early }) => {
		const prepared = early && early.length > 0 ? { problems: early } : prepareRow(fields, rules);
		if (prepared.problems) {
			problems.push({ itemIndex, rowNumber, problems: prepared.problems });
			return;
		}
		if (rules.extra) for (const name of Object.keys(prepared.row)) if (rules.extra.pattern.test(name)) extraNames.add(name);
		cellBytes.push(csvCellBytes(prepared.row));
		itemIndexes.push(itemIndex);
		rowNumbers.push(rowNumber);
	});
	const header = headerOf(rules, extraNames);
	const headerBytes = csvHeaderBytes(header);
	const rowBytes = (ordinal: number) => cellBytes[ordinal] + csvRowOverhead(header.length);
	const limits = { rowLimit: settings.rowLimit, byteLimit: settings.byteLimit, headerBytes };

	const tooBig = new Set<number>();
	const counter = new BatchFiller<number>(limits);
	let batchCount = 0;
	for (let ordinal = 0; ordinal < cellBytes.length; ordinal++) {
		if (headerBytes + rowBytes(ordinal) > settings.byteLimit) {
			tooBig.add(ordinal);
			const megabytes = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(2)} MB`;
			problems.push({
				itemIndex: itemIndexes[ordinal],
				rowNumber: rowNumbers[ordinal],
				problems: [`the row is ${megabytes(rowBytes(ordinal))}, more than one batch may hold (${megabytes(settings.byteLimit)})`],
			});
			continue;
		}
		if (counter.add([ordinal], rowBytes(ordinal))) batchCount++;
	}
	if (counter.finish()) batchCount++;
	itemIndexes.length = 0;
	rowNumbers.length = 0;
	problems.sort((a, b) => a.itemIndex - b.itemIndex || (a.rowNumber ?? 0) - (b.rowNumber ?? 0));
	if (problems.length > 0 && !settings.continueOnFail) refuseBadItems(fx, problems);

	// pass 2: batch, send, keep the output items
	const client = settings.dryRun ? undefined : await connect();
	const output: INodeExecutionData[] = [];
	const sent: SentBatch[] = [];
	const jobItems = new Map<string, INodeExecutionData>();
	const filler = new BatchFiller<PlannedRow>(limits);
	let ordinal = 0;
	let batchesSeen = 0;
	const handle = async (batch: Batch) => {
		batchesSeen++;
		const csv = toVaultCsv(header, batch.rows.map((planned) => planned.row));
		if (!client) {
			output.push(await dryRunItem(fx, spec, context, batch, batchCount, csv));
			return;
		}
		const outcome = await sendBatch(client, spec, context, batch, csv);
		sent.push({ outcome, csv });
		if (!settings.continueOnFail) stopOnFailure(fx, spec, sent, batchCount);
		const items = await buildOutput(fx, { ...settings, outputMode: 'perBatch' }, [{ outcome, csv }], batchCount, new Map(), [], client.address.host);
		for (const item of items) {
			if (outcome.jobId && !item.error) jobItems.set(outcome.jobId, item);
			output.push(item);
		}
		// the rows and CSV of a batch Vault took are not needed again: only its number and job id
		sent[sent.length - 1] = { outcome: { ...outcome, batch: { ...outcome.batch, rows: [] } }, csv: '' };
	};
	// a promise only when a batch closes: the reader pauses for those alone (a pause costs papaparse a copy of the rest of the text)
	await readRows(({ problems: early, fields, itemIndex, rowNumber }) => {
		if (early && early.length > 0) return;
		const prepared = prepareRow(fields, rules);
		if (prepared.problems) return;
		const at = ordinal++;
		if (tooBig.has(at)) return;
		const closed = filler.add([{ itemIndex, rowNumber, row: prepared.row as Row, bytes: rowBytes(at) }], rowBytes(at));
		return closed ? handle(closed) : undefined;
	});
	const last = filler.finish();
	if (last) await handle(last);
	if (ordinal !== cellBytes.length || batchesSeen !== batchCount) {
		throw new NodeOperationError(fx.getNode(), 'The CSV file read differently the second time, so the run stopped', {
			description: `First read: ${cellBytes.length} good rows in ${batchCount} batch(es); second read: ${ordinal} rows in ${batchesSeen}. Batches already sent: ${sent.length}.`,
		});
	}

	if (client && settings.wait && jobItems.size > 0) {
		const jobs = await waitForJobs(client, [...jobItems.keys()], settings.wait);
		for (const [jobId, item] of jobItems) Object.assign(item.json, jobFields(jobId, jobs.get(jobId)));
	}
	return [...output, ...problemItems(problems)];
}
