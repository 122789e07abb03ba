import type { IExecuteFunctions } from 'n8n-workflow';

import { toVaultCsv } from '../csv/vaultCsv';
import type { VaultClient } from '../transport/client';
import { waitForJobs, type JobResult, type WaitOptions } from '../transport/jobs';
import { stopOnFailure } from './errors';
import { sendBatch } from './send';
import type { Batch, BatchOutcome, BulkSettings, SentBatch } from './types';

/**
 * The steps every send loop shares, in memory (sendGroups.ts) and in two passes (twoPass.ts): a
 * batch's CSV, a batch sent and kept with the run stopped at the first failure, and the wait for
 * the jobs Vault started. Apart so that the stop and the wait are written once.
 */

/** A batch's CSV under its group's header. */
export function batchCsv(header: string[], batch: Batch): string {
	return toVaultCsv(
		header,
		batch.rows.map((planned) => planned.row),
	);
}

/** The send loop's one step: a batch to Vault, kept; without continue on fail the run stops at the first batch or row Vault refused. */
export async function sendInTurn(
	fx: IExecuteFunctions,
	client: VaultClient,
	settings: BulkSettings,
	batch: Batch,
	csv: string,
	sent: SentBatch[],
	batchCount: number,
): Promise<BatchOutcome> {
	const outcome = await sendBatch(client, settings.spec, settings.context, batch, csv);
	sent.push({ outcome, csv });
	if (!settings.continueOnFail) stopOnFailure(fx, settings.spec, sent, batchCount);
	return outcome;
}

/** The jobs' results, waited for together; none when the run does not wait or Vault started no job. */
export async function waitForJobIds(
	client: VaultClient,
	jobIds: string[],
	wait: WaitOptions | undefined,
): Promise<Map<string, JobResult>> {
	return wait && jobIds.length > 0 ? await waitForJobs(client, jobIds, wait) : new Map();
}
