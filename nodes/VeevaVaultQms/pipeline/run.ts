import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { everywhereItems, gateRemovals, planPeople, tallySent } from './everywhere';
import type { EverywhereSettings } from './everywhereRead';
import { problemItems } from './outputErrors';
import { asOneTable } from './outputTable';
import { prepareReconciled } from './prepare';
import { prepareRun } from './prepareRun';
import { reconcile, type SyncSettings } from './reconcile';
import { lookupsWanted } from './resolve';
import { refuseContradictions } from './contradictions';
import { sendPrepared } from './sendGroups';
import { runTwoPass } from './twoPass';
import type { BulkSettings, RowSource, SourceRow } from './types';

/**
 * The one orchestrator of every bulk operation: source → prepare (map, near-miss, resolve,
 * validate) → [reconcile] → plan → CSV → send → wait → verify → output. It picks, here only, how
 * to plan: in memory, or in two passes over a streamed source (a CSV file), which keeps no more
 * than one batch of rows in memory whatever the file's size. Two passes need per-batch output (an
 * item per row would hold them all anyway), no grouping (Migrate's records gather rows from
 * anywhere in the file), no lookups and no verify (both need every row) and no reconcile.
 *
 * The runs' parts live beside it: prepareRun.ts (the front of every in-memory run), sendGroups.ts
 * (the grouped send, wait, verify and output), twoPass.ts (the streamed run), sendLoop.ts (the send
 * and stop step, and the wait, both share).
 */
export async function runPipeline(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	source: RowSource,
	settings: BulkSettings,
	sync?: SyncSettings,
	everywhere?: EverywhereSettings,
): Promise<INodeExecutionData[]> {
	const { spec, outputMode, lookups, verify } = settings;
	if (everywhere)
		return asOneTable(
			fx,
			await runEverywhere(fx, connect, await allRows(source), settings, everywhere),
		);
	const twoPass =
		!sync &&
		source.streamed &&
		outputMode === 'perBatch' &&
		!spec.groupBy &&
		!lookupsWanted(lookups) &&
		!verify;
	let items: INodeExecutionData[];
	if (sync) items = await runReconciled(fx, connect, await allRows(source), settings, sync);
	else if (twoPass) items = await runTwoPass(fx, connect, source, settings);
	else items = await runInMemory(fx, connect, await allRows(source), settings);
	return asOneTable(fx, items);
}

/** Every row of a source, in order, for the runs that need them together. */
async function allRows(source: RowSource): Promise<SourceRow[]> {
	const rows: SourceRow[] = [];
	await source.forEach((row) => {
		rows.push(row);
	});
	return rows;
}

/**
 * Sync Members: the roster prepared, reconciled with the teams Vault has now (reconcile.ts), and
 * what differs planned and sent in memory as the spec's Manage requests, entering after
 * validation (prepareReconciled): each row is mapped and validated once. Plan Only, or nothing to
 * change, sends nothing.
 */
async function runReconciled(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	source: SourceRow[],
	settings: BulkSettings,
	sync: SyncSettings,
): Promise<INodeExecutionData[]> {
	const client = await connect();
	const { prepared } = await prepareRun(fx, async () => client, source, settings);
	const plan = await reconcile(fx, client, prepared, source, settings, sync);
	if (plan.sendNothing) return [...plan.changeItems, ...plan.items];
	const sends = prepareReconciled(plan.sends, settings.spec, settings.context);
	const sent = await sendPrepared(
		fx,
		async () => client,
		[{ context: settings.context, prepared: sends }],
		settings,
	);
	return [...sent, ...plan.items];
}

/**
 * Remove User From All Teams and Replace User: the people prepared (lookups included), the stage
 * (everywhere.ts) reads and plans their memberships, and the rows go as the spec's `sendsAs`
 * requests (Manage), grouped by team-enabled object (sendPrepared: one request path each).
 * Replace goes in phases: the stand-ins' ADDs (their own jobs, waited for and read back), then
 * the REMOVEs whose ADD Verify confirmed, then (only when asked) the pairs of a role at its maximum,
 * REMOVE and ADD of a record in one job. Plan Only sends nothing.
 */
async function runEverywhere(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	source: SourceRow[],
	settings: BulkSettings,
	everywhere: EverywhereSettings,
): Promise<INodeExecutionData[]> {
	const client = await connect();
	const { prepared } = await prepareRun(fx, async () => client, source, settings);
	if (!settings.teams)
		throw new Error(`${settings.spec.name} reads Quality Teams but has no team catalog`);
	const spec = settings.spec.sendsAs ?? settings.spec;
	if (!spec.teamColumns)
		throw new Error(`${settings.spec.name} sends as ${spec.name}, which has no team columns`);
	const stage = await planPeople(
		fx,
		client,
		settings.teams,
		prepared,
		settings.continueOnFail,
		everywhere,
		spec.teamColumns,
	);
	const send = async (rows: Map<string, SourceRow[]>, sendSpec = spec) => {
		const groups = [...rows].map(([objectName, list]) => ({
			context: { objectName },
			prepared: prepareReconciled(list, sendSpec, { objectName }, true),
		}));
		return groups.length === 0
			? []
			: await sendPrepared(fx, async () => client, groups, {
					...settings,
					spec: sendSpec,
					outputMode: 'perItem',
				});
	};
	const sent = await send(stage.removes);
	if (everywhere.mode === 'replace') {
		const added = await send(stage.adds);
		const { confirmed, kept } = gateRemovals(stage.gatedRemoves, added, settings.dryRun);
		stage.lines.push(...kept);
		tallySent(stage.summaries, [], kept);
		// a pair's two rows in one job: every row of a record in the same batch (the spec's groupBy), REMOVE first
		sent.push(
			...added,
			...(await send(confirmed)),
			...(await send(stage.pairs, {
				...spec,
				groupBy: () => spec.teamColumns?.record ?? 'record_id',
			})),
		);
	}
	if (!settings.dryRun) tallySent(stage.summaries, sent, []);
	const { lineItems, summaryItems } = everywhereItems(stage.lines, stage.summaries);
	return [...lineItems, ...sent, ...problemItems(stage.problems), ...summaryItems];
}

/** Planning in memory: rows → prepared → batches → CSV → Vault → wait → verify → output items. */
async function runInMemory(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	source: SourceRow[],
	settings: BulkSettings,
): Promise<INodeExecutionData[]> {
	const { prepared, client } = await prepareRun(fx, connect, source, settings);
	if (settings.spec.teamColumns) refuseContradictions(prepared, settings.spec.teamColumns);
	return await sendPrepared(
		fx,
		client ? async () => client : connect,
		[{ context: settings.context, prepared }],
		settings,
	);
}
