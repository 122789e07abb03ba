/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * `npm run bench:n8n -- --only roster` (issue 26): the nightly HR roster of `npm run bench`'s roster
 * section (bench/rosterData.ts: the same seeded Vault, roster and drift) in a real n8n. The roster
 * reaches the node as a user's nightly workflow has it: a CSV file read from disk by Read/Write Files
 * from Disk and handed to the node's CSV File input (workflows.ts, rosterWorkflow). Four runs, each
 * on a freshly reset and seeded sandbox with the credential imported again (no session stored):
 * Sync Members with Plan Only, then applied with Verify; Remove User From All Teams for 100
 * leavers with Plan Only, then applied with Verify. Per run: n8n's per-node executionTime, the run's
 * wall, the n8n process's peak RSS and CPU (processWatch.ts), the Vault calls against their floors,
 * and whether Vault's teams changed by exactly the drift, every row sent once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IRun } from 'n8n-workflow';
import Papa from 'papaparse';

import type { Server } from '../../test/n8n/processes';
import type { SandboxClient } from '../../test/sandbox/client';
import type { LogEntry, SandboxSettingsPatch } from '../../test/sandbox/types';
import { leaverFloors, NIGHTLY_ROSTER, ROSTER_LEAVERS, rosterFloors, rosterSeed, syncRoster } from '../rosterData';
import { peakBetween, type ProcessUse } from './processWatch';
import { MANAGE_PATH, ROSTER_NODE_NAMES, rosterWorkflow, type Workflow } from './workflows';

interface Sandbox {
	url: string;
	client: SandboxClient;
	server: Server;
}

/** What bench/n8n/run.ts lends the roster bench: its sandbox, n8n CLI and output. */
export interface RosterBenchContext {
	runDir: string;
	quick: boolean;
	sandboxSettings: SandboxSettingsPatch;
	startSandbox: (settings: SandboxSettingsPatch) => Promise<Sandbox>;
	importCredential: (sandbox: Sandbox) => Promise<void>;
	importWorkflows: (workflows: Workflow[]) => Promise<void>;
	execute: (id: string, env: NodeJS.ProcessEnv) => Promise<{ code: number | null; stdout: string; stderr: string; ms: number; use: ProcessUse }>;
	waitForQuiet: () => Promise<string>;
	record: (text?: string) => void;
	say: (text?: string) => void;
}

const fmt = (value: number | undefined, digits = 0) => (value === undefined || !Number.isFinite(value) ? 'n/a' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const key = (row: { record_id?: string; user_id?: string; application_role?: string }) => `${row.record_id}|${row.user_id}|${row.application_role}`;

interface RosterRun {
	label: string;
	nodeMs: Record<string, number>;
	items: number;
	changes: string;
	runWallMs: number;
	cliMs: number;
	peakRunMb?: number;
	/** resident memory at the run's start (the first sample from then) */
	startRunMb?: number;
	hwmMb?: number;
	cpuMs?: number;
	vql: number;
	vqlFloor: number;
	floorText: string;
	submissions: number;
	submissionsFloor: number;
	statusCalls: number;
	refusedStatus: number;
	logins: number;
	status: string;
	vault: { held: boolean; text: string };
	quiet: string;
}

/** The run's data from `n8n execute --rawOutput`: the JSON object from a line `{` to the next line `}` (n8n pretty-prints it; its log lines may surround it). */
function runDataOf(stdout: string): IRun | undefined {
	const start = stdout.search(/^\{$/m);
	if (start < 0) return undefined;
	const end = /^\}$/m.exec(stdout.slice(start))?.index;
	if (end === undefined) return undefined;
	try {
		return JSON.parse(stdout.slice(start, start + end + 1)) as IRun;
	} catch {
		return undefined;
	}
}

/** Rows of the submissions Vault took (answered SUCCESS), counted per (record, user, role, operation). */
function sentRows(log: LogEntry[]): Map<string, number> {
	const sent = new Map<string, number>();
	for (const entry of log.filter((call) => call.path.endsWith(MANAGE_PATH) && call.method === 'POST' && call.responseStatus === 'SUCCESS')) {
		const parsed = Papa.parse<Record<string, string>>((entry.body ?? '').replace(/\r\n/g, '\n'), { header: true, skipEmptyLines: true });
		for (const row of parsed.data) {
			const name = `${key(row)}|${row.operation}`;
			sent.set(name, (sent.get(name) ?? 0) + 1);
		}
	}
	return sent;
}

/** Every row expected sent exactly once and nothing else; the teams after the run exactly `after`. */
function vaultChanged(sent: Map<string, number>, { expected, after, note }: { expected: string[]; after: Set<string>; note?: string }, teams: Record<string, Array<{ user_id: number; application_role: string }>>) {
	const missing = expected.filter((name) => !sent.has(name)).length;
	const twice = [...sent.values()].filter((count) => count > 1).length;
	const wanted = new Set(expected);
	const unexpected = [...sent.keys()].filter((name) => !wanted.has(name)).length;
	const now = new Set<string>();
	for (const [record, members] of Object.entries(teams)) for (const member of members) now.add(key({ record_id: record, user_id: String(member.user_id), application_role: member.application_role }));
	const extra = [...now].filter((name) => !after.has(name)).length;
	const gone = [...after].filter((name) => !now.has(name)).length;
	const held = missing === 0 && twice === 0 && unexpected === 0 && extra === 0 && gone === 0;
	return {
		held,
		text: `${note ? `${note}; ` : ''}${fmt(sent.size)} distinct rows sent of ${fmt(expected.length)} expected (${missing} missing, ${twice} twice, ${unexpected} unexpected); teams after: ${fmt(now.size)} members, ${extra} not expected, ${gone} expected but absent`,
	};
}

/** One workflow run on a freshly seeded Vault: figures, calls and what changed. */
async function runOnce(ctx: RosterBenchContext, sandbox: Sandbox, seed: ReturnType<typeof rosterSeed>, id: string, label: string, check: (sent: Map<string, number>) => { expected: string[]; after: Set<string>; note?: string }, floors: { vql: number; submissions: number | ((sent: Map<string, number>) => number); text: string }): Promise<RosterRun> {
	await sandbox.client.reset();
	await sandbox.client.seed(seed);
	// imported again without a session: the reset ended the one stored in n8n's credential
	await ctx.importCredential(sandbox);
	await sandbox.client.clearLog();
	const quiet = await ctx.waitForQuiet();
	const result = await ctx.execute(id, { N8N_RESTRICT_FILE_ACCESS_TO: join(ctx.runDir, 'files') });
	const run = runDataOf(result.stdout);
	const log = (await sandbox.client.log()).filter((entry) => !entry.path.startsWith('/_sandbox'));
	await sandbox.client.completeJobs();
	const state = await sandbox.client.state();
	const runData = run?.data.resultData.runData ?? {};
	const nodeMs = Object.fromEntries(Object.entries(runData).map(([name, tasks]) => [name, tasks.reduce((sum, task) => sum + (task.executionTime ?? 0), 0)]));
	const output = (runData['Veeva Vault QMS']?.[0]?.data?.main ?? []).flatMap((items) => items ?? []);
	const tally = new Map<string, number>();
	for (const item of output) {
		const change = `${item.json.change ?? 'summary'}${typeof item.json.skipped === 'string' ? ` (${item.json.skipped})` : ''}`;
		tally.set(change, (tally.get(change) ?? 0) + 1);
	}
	const startedAt = run?.startedAt ? new Date(run.startedAt).getTime() : NaN;
	const stoppedAt = run?.stoppedAt ? new Date(run.stoppedAt).getTime() : NaN;
	const status = run ? `${run.status}${run.data.resultData.error ? `: ${run.data.resultData.error.message}` : ''}` : `no run data (exit ${result.code}) ${result.stderr.slice(-300)}`;
	const status_ = log.filter((entry) => entry.path.includes('/services/jobs/'));
	const sent = sentRows(log);
	const measured: RosterRun = {
		label,
		nodeMs,
		items: output.length,
		changes: [...tally].map(([change, count]) => `${change} ${fmt(count)}`).join(', '),
		runWallMs: stoppedAt - startedAt,
		cliMs: result.ms,
		peakRunMb: peakBetween(result.use, startedAt, stoppedAt),
		startRunMb: result.use.samples.find((sample) => sample.at >= startedAt)?.rssMb,
		hwmMb: result.use.hwmMb,
		cpuMs: result.use.cpuMs,
		vql: log.filter((entry) => entry.path.includes('/query')).length,
		vqlFloor: floors.vql,
		floorText: floors.text,
		submissions: log.filter((entry) => entry.path.endsWith(MANAGE_PATH) && entry.method === 'POST').length,
		submissionsFloor: typeof floors.submissions === 'number' ? floors.submissions : floors.submissions(sent),
		statusCalls: status_.length,
		refusedStatus: status_.filter((entry) => entry.errorType === 'API_LIMIT_EXCEEDED').length,
		logins: log.filter((entry) => entry.path.endsWith('/auth')).length,
		status,
		vault: vaultChanged(sent, check(sent), state.teams.quality_event__qdm ?? {}),
		quiet,
	};
	ctx.say(
		`  ${label}: ${ROSTER_NODE_NAMES.map((name) => `${name} ${fmt(nodeMs[name])} ms`).join(', ')}; run wall ${fmt(measured.runWallMs)} ms; RSS ${fmt(measured.startRunMb)} MB at the run's start, peak ${fmt(measured.peakRunMb)} MB in the run, ${fmt(measured.hwmMb)} MB in the process's life; CPU ${fmt(measured.cpuMs)} ms; ` +
			`VQL ${measured.vql} (floor ${floors.vql}), submissions ${measured.submissions} (${measured.submissionsFloor}), job status ${measured.statusCalls} (${measured.refusedStatus} refused), logins ${measured.logins}; output ${fmt(measured.items)} (${measured.changes}); ${status}; Vault: ${measured.vault.text}`,
	);
	return measured;
}

export async function benchRoster(ctx: RosterBenchContext): Promise<void> {
	const { rows, drift } = { rows: ctx.quick ? 20_000 : NIGHTLY_ROSTER.rows, drift: NIGHTLY_ROSTER.drift };
	const { current, roster } = syncRoster(rows, drift);
	const seed = rosterSeed(rows, current);
	const floors = rosterFloors(rows, drift);
	const leavers = leaverFloors(current, ROSTER_LEAVERS);
	const files = join(ctx.runDir, 'files');
	mkdirSync(files, { recursive: true });
	const rosterFile = join(files, 'roster.csv');
	const leaversFile = join(files, 'leavers.csv');
	writeFileSync(rosterFile, Papa.unparse(roster, { columns: ['record_id', 'user_id', 'application_role'], newline: '\n' }));
	writeFileSync(leaversFile, ['user_id', ...ROSTER_LEAVERS].join('\n'));
	const sync = (options: Record<string, unknown>) => ({ operation: 'syncMembers', objectName: { __rl: true, mode: 'name', value: 'quality_event__qdm' }, options: { maxRemovals: '5%', ...options } });
	// about 100 memberships a leaver (200,000 over 1,998 users): Max Removals (50 a person by default) raised to let them through
	const everywhere = (options: Record<string, unknown>) => ({ operation: 'removeUserEverywhere', options: { maxRemovals: 150, ...options } });
	const verify = { verify: true, pollIntervalSeconds: 0.2 };
	const workflows = [
		rosterWorkflow('benchRosterPlan01', 'nightly roster, Sync Members, Plan Only', rosterFile, sync({ planOnly: true })),
		rosterWorkflow('benchRosterSync01', 'nightly roster, Sync Members, Verify', rosterFile, sync(verify)),
		rosterWorkflow('benchRosterSync02', 'nightly roster, Sync Members, Verify, unchanged not listed', rosterFile, sync({ ...verify, outputUnchanged: false })),
		rosterWorkflow('benchLeaversPlan1', 'roster leavers, Remove User From All Teams, Plan Only', leaversFile, everywhere({ planOnly: true })),
		rosterWorkflow('benchLeaversSend1', 'roster leavers, Remove User From All Teams, Verify', leaversFile, everywhere(verify)),
	];
	const sandbox = await ctx.startSandbox(ctx.sandboxSettings);
	await ctx.importWorkflows(workflows);
	const currentKeys = new Set(current.map(key));
	const nothing = () => ({ expected: [], after: currentKeys });
	// the drift as sets: an added row the teams hold already (one in the data) is no change
	const rosterKeys = new Set(roster.map(key));
	const driftRows = [...[...currentKeys].filter((name) => !rosterKeys.has(name)).map((name) => `${name}|REMOVE`), ...[...rosterKeys].filter((name) => !currentKeys.has(name)).map((name) => `${name}|ADD`)];
	const drifted = () => ({ expected: driftRows, after: rosterKeys });
	// the leavers' memberships the node removed (it may hold some back with a reason: a record's last member in a role): the teams less those, each sent once
	const leaverKeys = new Set(leavers.memberships.map((row) => `${key(row)}|REMOVE`));
	const leaversGone = (sent: Map<string, number>) => {
		const removedNow = [...sent.keys()].filter((name) => leaverKeys.has(name));
		const gone = new Set(removedNow.map((name) => name.replace(/\|REMOVE$/, '')));
		const heldBack = leaverKeys.size - removedNow.length;
		return { expected: removedNow, after: new Set([...currentKeys].filter((name) => !gone.has(name))), note: `${fmt(removedNow.length)} of the leavers' ${fmt(leaverKeys.size)} memberships removed, ${fmt(heldBack)} held back (the output says why)` };
	};
	const syncVql = floors.teamRead + floors.names;
	const syncText = `teams ${floors.teamRead} + names ${floors.names}`;
	const leaverVql = leavers.membershipRead + leavers.recordFacts + leavers.wholeTeams;
	const leaverText = `memberships ${leavers.membershipRead} + records ${leavers.recordFacts} + teams ${leavers.wholeTeams}`;
	const runs = [
		await runOnce(ctx, sandbox, seed, 'benchRosterPlan01', 'Sync Members, Plan Only', nothing, { vql: syncVql, submissions: 0, text: syncText }),
		await runOnce(ctx, sandbox, seed, 'benchRosterSync01', 'Sync Members, applied with Verify', drifted, { vql: syncVql + floors.readBack, submissions: floors.jobs, text: `${syncText} + read-back ${floors.readBack}` }),
		// the same with Output Unchanged Members off: the output is the changes (what n8n holds and saves)
		await runOnce(ctx, sandbox, seed, 'benchRosterSync02', 'Sync Members, applied with Verify, Output Unchanged Members off', drifted, { vql: syncVql + floors.readBack, submissions: floors.jobs, text: `${syncText} + read-back ${floors.readBack}` }),
		await runOnce(ctx, sandbox, seed, 'benchLeaversPlan1', `Remove User From All Teams, ${ROSTER_LEAVERS.length} leavers, Plan Only`, nothing, { vql: leaverVql, submissions: 0, text: leaverText }),
		await runOnce(ctx, sandbox, seed, 'benchLeaversSend1', `Remove User From All Teams, ${ROSTER_LEAVERS.length} leavers, applied with Verify`, leaversGone, { vql: leaverVql + leavers.readBack, submissions: (sent) => Math.ceil(sent.size / 500), text: `${leaverText} + read-back ${leavers.readBack}` }),
	];
	await sandbox.server.stop();
	recordRoster(ctx, runs, { rows, drift, records: floors.records, removals: floors.removals, leaverMemberships: leavers.memberships.length, leaverRecords: leavers.records });
}

function recordRoster(ctx: RosterBenchContext, runs: RosterRun[], size: { rows: number; drift: number; records: number; removals: number; leaverMemberships: number; leaverRecords: number }): void {
	const { record } = ctx;
	record('');
	record(
		`A nightly HR roster at enterprise size (issue 26; the Vault, roster and floors of \`npm run bench -- --only roster\`, bench/rosterData.ts): Vault's Quality Teams hold ${fmt(size.rows)} assignments over ${fmt(size.records)} quality_event__qdm records; the roster, a CSV file of ${fmt(size.rows)} rows, differs by ${fmt(size.drift * 100)} % (${fmt(size.removals)} removals, ${fmt(size.removals)} additions). ` +
			`Workflow: Manual Trigger → Read/Write Files from Disk (the file) → Veeva Vault QMS (Input Source: CSV File): Sync Members (Max Removals 5 %), then Remove User From All Teams for ${ROSTER_LEAVERS.length} leavers (a CSV file of user ids; ${fmt(size.leaverMemberships)} memberships on ${fmt(size.leaverRecords)} records; Max Removals raised to 150 a person). ` +
			`Verify polls every 0.2 s (the sandbox runs jobs at once and keeps Vault's one job-status call per job per 10 s). Each run: \`n8n execute\` on a sandbox reset and seeded again, the credential imported again without a session; peak RSS = the n8n process's resident memory sampled every 100 ms from the run's start to its end (and the kernel's high-water mark over the whole \`n8n execute\`, which prints the run's data as JSON after it).`,
	);
	record('');
	record('| run | Read roster file ms | Veeva Vault QMS ms | run wall ms | n8n process CPU ms | RSS MB: at the run start → peak in the run (peak of the whole process) | VQL calls (floor: parts) | submissions (floor) | job-status calls (refused) | logins | output items | status | Vault after the run | before it: CPU busy / other busy processes |');
	record('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
	for (const run of runs) {
		record(
			`| ${run.label} | ${fmt(run.nodeMs['Read roster file'])} | ${fmt(run.nodeMs['Veeva Vault QMS'])} | ${fmt(run.runWallMs)} | ${fmt(run.cpuMs)} | ${fmt(run.startRunMb)} → ${fmt(run.peakRunMb)} (${fmt(run.hwmMb)}) | ${run.vql} (${run.vqlFloor}: ${run.floorText}) | ${run.submissions} (${run.submissionsFloor}) | ${run.statusCalls} (${run.refusedStatus}) | ${run.logins} | ${fmt(run.items)}: ${run.changes} | ${run.status.replace(/\|/g, '\\|')} | ${run.vault.text} | ${run.quiet} |`,
		);
	}
	record('');
	for (const run of runs) {
		const sends = run.submissionsFloor > 0;
		record(`- ${run.status.startsWith('success') ? 'met' : '**NOT MET**'}: ${run.label}: the run succeeded (${run.status})`);
		record(`- ${run.vql > 0 && run.vql <= run.vqlFloor ? 'met' : '**NOT MET**'}: ${run.label}: VQL calls at the floor, ${run.floorText} = ${run.vqlFloor} (got ${run.vql})`);
		record(`- ${run.submissions === run.submissionsFloor ? 'met' : '**NOT MET**'}: ${run.label}: ${sends ? `⌈changes/500⌉ = ${run.submissionsFloor} submissions` : 'nothing sent'} (got ${run.submissions})`);
		if (sends) record(`- ${run.statusCalls === run.submissions && run.refusedStatus === 0 ? 'met' : '**NOT MET**'}: ${run.label}: one job-status call per job, none refused (got ${run.statusCalls}, ${run.refusedStatus} refused)`);
		record(`- ${run.vault.held ? 'met' : '**NOT MET**'}: ${run.label}: Vault changed by exactly ${sends ? 'the drift, every row once' : 'nothing'} (${run.vault.text})`);
	}
}
