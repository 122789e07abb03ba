import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { toVaultCsv, type Row } from '../csv/vaultCsv';
import type { VaultClient } from '../transport/client';
import { waitForJobs, type JobResult } from '../transport/jobs';
import { failedBeforeSending, refuseBadItems, stopOnFailure } from './errors';
import { buildOutput, dryRunItem, dryRunOutput, jobFields, problemItems } from './output';
import { asOneTable } from './outputTable';
import { BatchFiller, planBatches, planStream } from './plan';
import {
	prepareReconciled,
	prepareRow,
	prepareRows,
	rowRules,
	type Lookups,
	type PreparedRows,
} from './prepare';
import { everywhereItems, gateRemovals, planPeople, tallySent } from './everywhere';
import type { EverywhereSettings } from './everywhereRead';
import { reconcile, type SyncSettings } from './reconcile';
import { lookupsWanted, looksUpKind, resolveLookups } from './resolve';
import { sendBatch } from './send';
import { checkTeamRoles, streamedRoleCheck, teamLayoutFor } from './teamChecks';
import { refuseContradictions } from './contradictions';
import type { SpecContext, TeamColumns } from '../operations/types';
import type {
	Batch,
	BatchOutcome,
	BulkSettings,
	ItemProblem,
	LookupSettings,
	PlannedRow,
	RowSource,
	SentBatch,
	SourceRow,
} from './types';
import { membersAbsentBefore, readBack, type TeamRead } from './verify';

/**
 * The one orchestrator of every bulk operation: source → prepare (map, near-miss, resolve,
 * validate) → [reconcile] → plan → CSV → send → wait → verify → output. It picks, here only, how
 * to plan: in memory, or in two passes over a streamed source (a CSV file), which keeps no more
 * than one batch of rows in memory whatever the file's size. Two passes need per-batch output (an
 * item per row would hold them all anyway), no grouping (Migrate's records gather rows from
 * anywhere in the file), no lookups and no verify (both need every row) and no reconcile.
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
	const stage = await planPeople(
		fx,
		client,
		settings.teams,
		prepared,
		settings.continueOnFail,
		everywhere,
	);
	const spec = settings.spec.sendsAs ?? settings.spec;
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

/** The send loop's one step: a batch to Vault, kept; without continue on fail the run stops at the first batch or row Vault refused. */
async function sendInTurn(
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

/** Prepared rows for one request path: the context names the object its spec's path takes. */
export interface SendGroup {
	context: SpecContext;
	prepared: PreparedRows;
}

/**
 * Prepared rows → batches → CSV → Vault → wait → verify → output items (the client made only when
 * something is sent). Rows come in groups, one per request path: most runs have one (the Object of
 * the node); Remove User From All Teams and Replace User have one per team-enabled object, as
 * Manage's path names one object (`/vobjects/{object_name}/actions/manageassignments`). Every
 * group's batches are sent first, then all jobs are waited for together and each group is read
 * back in its own object, so several objects cost one wait, not one each.
 */
async function sendPrepared(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	groups: SendGroup[],
	settings: BulkSettings,
): Promise<INodeExecutionData[]> {
	const { spec } = settings;
	const planned = groups.map((group) => ({
		...group,
		plan: planBatches(group.prepared.rows, {
			rowLimit: settings.rowLimit,
			byteLimit: settings.byteLimit,
			headerBytes: group.prepared.headerBytes,
			groupBy: spec.groupBy?.(group.context),
		}),
	}));
	const problems: ItemProblem[] = groups.flatMap((group) => group.prepared.problems);
	for (const { plan } of planned)
		for (const refused of plan.refused)
			for (const row of refused.rows)
				problems.push({
					itemIndex: row.itemIndex,
					rowNumber: row.rowNumber,
					problems: [refused.reason],
				});
	problems.sort((a, b) => a.itemIndex - b.itemIndex || (a.rowNumber ?? 0) - (b.rowNumber ?? 0));
	if (problems.length > 0 && !settings.continueOnFail) refuseBadItems(fx, problems);
	const csvOf = (header: string[]) => (batch: Batch) =>
		toVaultCsv(
			header,
			batch.rows.map((row) => row.row),
		);
	if (settings.dryRun) {
		const items: INodeExecutionData[] = [];
		for (const { context, prepared, plan } of planned)
			items.push(
				...(await dryRunOutput(fx, spec, context, plan.batches, csvOf(prepared.header), [])),
			);
		return [...items, ...problemItems(problems)];
	}
	const client = await connect();
	const sends: Array<{
		context: SpecContext;
		team?: { read: TeamRead; columns: TeamColumns };
		absentBefore?: Set<PlannedRow>;
		sent: SentBatch[];
		batchCount: number;
	}> = [];
	for (const { context, prepared, plan } of planned) {
		// Verify: where the teams are read (confirmed before sending: teamChecks.ts), and which REMOVE rows' members are not on the team now (verify.ts)
		const catalog = settings.verify && spec.teamColumns ? settings.teams : undefined;
		const team =
			catalog && spec.teamColumns
				? {
						read: { catalog, layout: await teamLayoutFor(fx, client, catalog, context.objectName) },
						columns: spec.teamColumns,
					}
				: undefined;
		const absentBefore = team
			? await membersAbsentBefore(client, team.read, team.columns, plan.batches).catch(
					failedBeforeSending(fx, 'Reading the teams of the REMOVE rows (Verify)'),
				)
			: undefined;
		const sent: SentBatch[] = [];
		for (const batch of plan.batches)
			await sendInTurn(
				fx,
				client,
				{ ...settings, context },
				batch,
				csvOf(prepared.header)(batch),
				sent,
				plan.batches.length,
			);
		sends.push({ context, team, absentBefore, sent, batchCount: plan.batches.length });
	}
	const jobIds = sends
		.flatMap(({ sent }) => sent.map((entry) => entry.outcome.jobId))
		.filter((id): id is string => id !== undefined);
	const jobs: Map<string, JobResult> =
		settings.wait && jobIds.length > 0
			? await waitForJobs(client, jobIds, settings.wait)
			: new Map();
	const items: INodeExecutionData[] = [];
	for (const [index, { context, team, absentBefore, sent, batchCount }] of sends.entries()) {
		const verified = team
			? await readBack(client, team.read, team.columns, sent, jobs, absentBefore)
			: undefined;
		// the rows never sent are said once, with the first group's items
		items.push(
			...(await buildOutput(
				fx,
				{ ...settings, context },
				{
					sent,
					batchCount,
					jobs,
					problems: index === 0 ? problems : [],
					vaultHost: client.address.host,
					verified,
				},
			)),
		);
	}
	if (sends.length === 0) items.push(...problemItems(problems));
	return items;
}

/**
 * Two passes over a streamed source, one output item per batch: pass 1 (plan.ts, planStream)
 * validates and measures every row, so bad rows stop the node before anything is sent (as for
 * items); pass 2 reads the rows again, fills the same batches, sends each (or builds its dry-run
 * item) and keeps its output item, not its rows.
 */
async function runTwoPass(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	source: RowSource,
	settings: BulkSettings,
): Promise<INodeExecutionData[]> {
	const { spec, context } = settings;
	const rules = rowRules(spec, context);
	// the roles against the object's teams (issue 22, item 4): rows are not kept, so by the roles of any team of the object
	const teams =
		!settings.dryRun && settings.checkRoles && spec.teamColumns ? settings.teams : undefined;
	const early = teams ? await connect() : undefined;
	if (early && teams && spec.teamColumns)
		rules.rowCheck = await streamedRoleCheck(
			fx,
			early,
			teams,
			context.objectName,
			spec.teamColumns,
		);
	const plan = await planStream(source.forEach, rules, settings);
	if (plan.problems.length > 0 && !settings.continueOnFail) refuseBadItems(fx, plan.problems);

	const client = settings.dryRun ? undefined : (early ?? (await connect()));
	const output: INodeExecutionData[] = [];
	const sent: SentBatch[] = [];
	const jobItems = new Map<string, INodeExecutionData>();
	const filler = new BatchFiller<PlannedRow>(plan.limits);
	let ordinal = 0;
	let batchesSeen = 0;
	const handle = async (batch: Batch) => {
		batchesSeen++;
		const csv = toVaultCsv(
			plan.header,
			batch.rows.map((planned) => planned.row),
		);
		if (!client) {
			output.push(await dryRunItem(fx, spec, context, batch, plan.batchCount, csv));
			return;
		}
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
			if (outcome.jobId && !item.error) jobItems.set(outcome.jobId, item);
			output.push(item);
		}
		// the rows and CSV of a batch Vault took are not needed again: only its number and job id
		sent[sent.length - 1] = {
			outcome: { ...outcome, batch: { ...outcome.batch, rows: [] } },
			csv: '',
		};
	};
	// a promise only when a batch closes: the reader pauses for those alone (a pause costs papaparse a copy of the rest of the text)
	await source.forEach(({ problems: early, fields, itemIndex, rowNumber }) => {
		if (early && early.length > 0) return;
		const prepared = prepareRow(fields, rules);
		if (prepared.problems) return;
		const at = ordinal++;
		if (plan.tooBig.has(at)) return;
		const closed = filler.add(
			[{ itemIndex, rowNumber, row: prepared.row as Row, bytes: plan.rowBytes(at) }],
			plan.rowBytes(at),
		);
		return closed ? handle(closed) : undefined;
	});
	const last = filler.finish();
	if (last) await handle(last);
	if (ordinal !== plan.goodRows || batchesSeen !== plan.batchCount) {
		throw new NodeOperationError(
			fx.getNode(),
			'The CSV file read differently the second time, so the run stopped',
			{
				description: `First read: ${plan.goodRows} good rows in ${plan.batchCount} batch(es); second read: ${ordinal} rows in ${batchesSeen}. Batches already sent: ${sent.length}.`,
			},
		);
	}

	if (client && settings.wait && jobItems.size > 0) {
		const jobs = await waitForJobs(client, [...jobItems.keys()], settings.wait);
		for (const [jobId, item] of jobItems)
			Object.assign(item.json, jobFields(jobId, jobs.get(jobId)));
	}
	return [...output, ...problemItems(plan.problems)];
}

/** Fields of the input that did not go to Vault, said once per run beside the output (an n8n execution hint). */
function hintIgnoredFields(fx: IExecuteFunctions, fields: string[]) {
	if (fields.length === 0 || typeof fx.addExecutionHints !== 'function') return;
	const shown = fields.slice(0, 20).join(', ');
	fx.addExecutionHints({
		message: `Input fields not sent to Vault (not a column of this operation): ${shown}${fields.length > 20 ? ', ...' : ''}`,
		location: 'outputPane',
	});
}

/**
 * map → resolve → validate for a whole run, the front of every in-memory run (Sync's too): the
 * find-by lookups first when an option asks for them (reads are allowed in a dry run too: it shows
 * the CSV with the ids Vault would get), then the rows, then the hint of fields not sent.
 */
async function prepareRun(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	source: SourceRow[],
	settings: BulkSettings,
): Promise<{ prepared: PreparedRows; client?: VaultClient }> {
	const { spec, context } = settings;
	let client: VaultClient | undefined;
	let lookups: Lookups | undefined;
	if (lookupsWanted(settings.lookups)) {
		client = await connect();
		const what = `Looking up ${lookupWords(settings.lookups)} in Vault`;
		const { tables, notes } = await resolveLookups(
			client,
			source,
			rowRules(spec, context),
			settings.lookups,
			context.objectName,
		).catch(failedBeforeSending(fx, what));
		lookups = { settings: settings.lookups, tables };
		for (const message of notes)
			if (typeof fx.addExecutionHints === 'function')
				fx.addExecutionHints({ message, location: 'outputPane' });
	}
	const prepared = prepareRows(source, spec, context, lookups);
	// the application roles against each record's team (issue 22, item 4); a dry run reads Vault only when a find-by option already does
	if (settings.checkRoles && settings.teams && spec.teamColumns && (client || !settings.dryRun)) {
		client ??= await connect();
		await checkTeamRoles(
			fx,
			client,
			settings.teams,
			context.objectName,
			spec.teamColumns,
			prepared,
		);
	}
	hintIgnoredFields(fx, prepared.ignoredFields);
	return { prepared, client };
}

function lookupWords(settings: LookupSettings): string {
	const words = [
		settings.user !== 'id' ? 'users' : '',
		settings.group !== 'id' ? 'groups' : '',
		settings.record !== 'id' ? 'records' : '',
		looksUpKind(settings, 'auditorProfile') ? 'auditor profiles' : '',
	];
	return words.filter(Boolean).join(' and ');
}
