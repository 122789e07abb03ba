import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { BulkOperationSpec } from '../operations/types';
import { toNodeError } from '../pipeline/errors';
import { runPipeline } from '../pipeline/run';
import { csvFileSource } from '../sources/csvFile';
import { itemsSource } from '../sources/items';
import { VaultClient } from '../transport/client';
import { readRunSettings, readVaultApplication } from './parameters';
import { guardBulkRun, itemsForTheAgent } from './toolMode';

/**
 * A bulk endpoint's run: its settings read once, its rows from the items or the CSV files they
 * carry, and the pipeline (pipeline/run.ts), which picks how to plan. The client is made only when
 * a stage needs Vault, so a dry run of bad items never logs in. An AI agent's call is guarded
 * (toolMode.ts): a plan first, and no removal unless the node allows it.
 */
export async function runBulkOperation(
	fx: IExecuteFunctions,
	spec: BulkOperationSpec,
): Promise<INodeExecutionData[]> {
	const itemCount = fx.getInputData().length;
	const { settings, clientOptions, objectProblems, sync, everywhere, file } = guardBulkRun(
		fx,
		spec,
		readRunSettings(fx, spec),
	);
	settings.context.application = await readVaultApplication(fx);
	const connect = async () =>
		await VaultClient.create(fx, clientOptions).catch((error: unknown) =>
			Promise.reject(toNodeError(fx, error)),
		);
	const source = file
		? csvFileSource(fx, file.binaryPropertyName, itemCount, objectProblems)
		: itemsSource(fx, itemCount, objectProblems);
	return await itemsForTheAgent(
		fx,
		await runPipeline(fx, connect, source, settings, sync, everywhere),
	);
}
