import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { BulkOperationSpec, SpecContext, TeamColumns } from '../operations/types';
import type { VaultClient } from '../transport/client';
import type { JobResult } from '../transport/jobs';
import { failedBeforeSending, refuseBadItems } from './errors';
import { buildOutput, dryRunOutput } from './output';
import { problemItems } from './outputErrors';
import { planBatches, type BatchPlan } from './plan';
import type { PreparedRows } from './prepare';
import { batchCsv, sendInTurn, waitForJobIds } from './sendLoop';
import { teamLayoutFor } from './teamChecks';
import type { BulkSettings, ItemProblem, PlannedRow, SentBatch } from './types';
import { membersAbsentBefore, readBack, type TeamRead } from './verify';
import { byItemThenRow } from './messages';

/**
 * The grouped send of the in-memory runs: prepared rows → batches → CSV → Vault → wait → verify →
 * output items. Apart from run.ts, which picks the run, because every in-memory run (plain, Sync,
 * Remove Everywhere, Replace) ends here.
 */

/** Prepared rows for one request path: the context names the object its spec's path takes. */
export interface SendGroup {
	context: SpecContext;
	prepared: PreparedRows;
}

interface PlannedGroup extends SendGroup {
	plan: BatchPlan;
}

/** A group's batches as sent, with what Verify needs to read them back. */
interface SentGroup {
	context: SpecContext;
	team?: { read: TeamRead; columns: TeamColumns };
	absentBefore?: Set<PlannedRow>;
	sent: SentBatch[];
	batchCount: number;
}

/**
 * Prepared rows → batches → CSV → Vault → wait → verify → output items (the client made only when
 * something is sent). Rows come in groups, one per request path: most runs have one (the Object of
 * the node); Remove User From All Teams and Replace User have one per team-enabled object, as
 * Manage's path names one object (`/vobjects/{object_name}/actions/manageassignments`). Every
 * group's batches are sent first, then all jobs are waited for together and each group is read
 * back in its own object, so several objects cost one wait, not one each.
 */
export async function sendPrepared(
	fx: IExecuteFunctions,
	connect: () => Promise<VaultClient>,
	groups: SendGroup[],
	settings: BulkSettings,
): Promise<INodeExecutionData[]> {
	const { planned, problems } = planGroups(groups, settings);
	if (problems.length > 0 && !settings.continueOnFail) refuseBadItems(fx, problems);
	if (settings.dryRun)
		return [...(await dryRunGroups(fx, settings.spec, planned)), ...problemItems(problems)];
	const client = await connect();
	const sends: SentGroup[] = [];
	for (const group of planned) sends.push(await sendGroup(fx, client, settings, group));
	const jobIds = sends
		.flatMap(({ sent }) => sent.map((entry) => entry.outcome.jobId))
		.filter((id): id is string => id !== undefined);
	const jobs = await waitForJobIds(client, jobIds, settings.wait);
	const items: INodeExecutionData[] = [];
	// the rows never sent are said once, with the first group's items
	for (const [index, group] of sends.entries())
		items.push(
			...(await groupOutput(fx, client, settings, group, jobs, index === 0 ? problems : [])),
		);
	if (sends.length === 0) items.push(...problemItems(problems));
	return items;
}

/** Each group's batches, and every row not sent: the groups' problems and the rows no batch can hold, in item order. */
function planGroups(
	groups: SendGroup[],
	settings: BulkSettings,
): { planned: PlannedGroup[]; problems: ItemProblem[] } {
	const planned = groups.map((group) => ({
		...group,
		plan: planBatches(group.prepared.rows, {
			rowLimit: settings.rowLimit,
			byteLimit: settings.byteLimit,
			headerBytes: group.prepared.headerBytes,
			groupBy: settings.spec.groupBy?.(group.context),
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
	problems.sort(byItemThenRow);
	return { planned, problems };
}

/** A dry run: each group's batches as the CSV Vault would get, nothing sent. */
async function dryRunGroups(
	fx: IExecuteFunctions,
	spec: BulkOperationSpec,
	planned: PlannedGroup[],
): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	for (const { context, prepared, plan } of planned)
		items.push(
			...(await dryRunOutput(
				fx,
				spec,
				context,
				plan.batches,
				(batch) => batchCsv(prepared.header, batch),
				[],
			)),
		);
	return items;
}

/** One group's batches sent in turn, after Verify's read of where its teams are and who is not on them yet. */
async function sendGroup(
	fx: IExecuteFunctions,
	client: VaultClient,
	settings: BulkSettings,
	{ context, prepared, plan }: PlannedGroup,
): Promise<SentGroup> {
	const { spec } = settings;
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
			batchCsv(prepared.header, batch),
			sent,
			plan.batches.length,
		);
	return { context, team, absentBefore, sent, batchCount: plan.batches.length };
}

/** One group's output items, after its read-back when Verify is on. */
async function groupOutput(
	fx: IExecuteFunctions,
	client: VaultClient,
	settings: BulkSettings,
	{ context, team, absentBefore, sent, batchCount }: SentGroup,
	jobs: Map<string, JobResult>,
	problems: ItemProblem[],
): Promise<INodeExecutionData[]> {
	const verified = team
		? await readBack(client, team.read, team.columns, sent, jobs, absentBefore)
		: undefined;
	return await buildOutput(
		fx,
		{ ...settings, context },
		{ sent, batchCount, jobs, problems, vaultHost: client.address.host, verified },
	);
}
