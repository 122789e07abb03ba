import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { BulkOperationSpec } from '../operations/types';
import { toNodeError } from '../pipeline/errors';
import { lookupsWanted } from '../pipeline/resolve';
import { runBulk } from '../pipeline/runBulk';
import { runBulkStreamed } from '../pipeline/streamBulk';
import { runSync } from '../pipeline/sync';
import type { RowSource, SourceRow } from '../pipeline/types';
import { csvFileSource } from '../sources/csvFile';
import { itemsSource } from '../sources/items';
import { VaultClient } from '../transport/client';
import { readRunSettings } from './parameters';

/**
 * A bulk endpoint's run: its settings read once, its rows from the items or a CSV file, and the
 * pipeline that fits (Sync's roster, the two-pass file stream, or the in-memory run). The client
 * is made only when a stage needs Vault, so a dry run of bad items never logs in.
 */
export async function runBulkOperation(fx: IExecuteFunctions, spec: BulkOperationSpec): Promise<INodeExecutionData[]> {
	const itemCount = fx.getInputData().length;
	const { settings, clientOptions, objectProblems, sync, file } = readRunSettings(fx, spec);
	const connect = async () => await VaultClient.create(fx, clientOptions).catch((error: unknown) => Promise.reject(toNodeError(fx, error)));
	const source = file ? csvFileSource(fx, file.binaryPropertyName, itemCount, objectProblems) : itemsSource(fx, itemCount, objectProblems);
	if (sync) return await runSync(fx, connect, await allRows(source), settings, sync);
	// the streamed file path keeps no rows between its passes; looking values up needs them all
	if (file && settings.outputMode === 'perBatch' && !spec.groupBy && !lookupsWanted(settings.lookups) && !settings.verify) {
		return await runBulkStreamed(fx, connect, source.forEach, settings);
	}
	return await runBulk(fx, connect, await allRows(source), settings);
}

/** Every row of a source, in order, for the pipelines that need them together. */
async function allRows(source: RowSource): Promise<SourceRow[]> {
	const rows: SourceRow[] = [];
	await source.forEach((row) => {
		rows.push(row);
	});
	return rows;
}
