import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { BulkOperationSpec } from '../operations/types';
import { readCsvFileRows, streamCsvFileRows, type OnRow } from '../pipeline/csvFileSource';
import { toNodeError } from '../pipeline/errors';
import { lookupsWanted } from '../pipeline/resolve';
import { runBulk } from '../pipeline/runBulk';
import { runBulkStreamed } from '../pipeline/streamBulk';
import { runSync } from '../pipeline/sync';
import { VaultClient } from '../transport/client';
import { readRunSettings, readSourceRows } from './parameters';

/**
 * A bulk endpoint's run: its settings read once, its rows from the items or a CSV file, and the
 * pipeline that fits (Sync's roster, the two-pass file stream, or the in-memory run). The client
 * is made only when a stage needs Vault, so a dry run of bad items never logs in.
 */
export async function runBulkOperation(fx: IExecuteFunctions, spec: BulkOperationSpec): Promise<INodeExecutionData[]> {
	const itemCount = fx.getInputData().length;
	const { settings, clientOptions, objectProblems, sync, file } = readRunSettings(fx, spec);
	const connect = async () => await VaultClient.create(fx, clientOptions).catch((error: unknown) => Promise.reject(toNodeError(fx, error)));
	const allRows = async () => (file ? await readCsvFileRows(fx, file.binaryPropertyName, itemCount, objectProblems) : readSourceRows(fx, itemCount, objectProblems));
	if (sync) return await runSync(fx, connect, await allRows(), settings, sync);
	// the streamed file path keeps no rows between its passes; looking values up needs them all
	if (file && settings.outputMode === 'perBatch' && !spec.groupBy && !lookupsWanted(settings.lookups) && !settings.verify) {
		const readRows = async (onRow: OnRow) => await streamCsvFileRows(fx, file.binaryPropertyName, itemCount, objectProblems, onRow);
		return await runBulkStreamed(fx, connect, readRows, settings);
	}
	return await runBulk(fx, connect, await allRows(), settings);
}
