/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * `npm run bench`: the node against two floors, at 10k and 100k items, and a 1M-row CSV file.
 * Raw floor: papaparse + one kept-alive node:http POST per batch, no n8n. In-n8n floor
 * (bench/inN8nFloor.ts): the same rows through papaparse and n8n's httpRequestWithAuthentication
 * with the node's credential, one call per batch, in the same engine: the least any node can
 * spend inside n8n. The compared runs make the same calls (login + submissions: the node does not
 * wait for its jobs there); waiting is a scenario of its own (jobs the sandbox runs one after
 * another, compressed time).
 * The sandbox runs in a process of its own (its CPU is not counted), with burst delays off and
 * jobs instant; each scenario runs in a fresh process (see scenario.ts). Prints every figure and
 * writes them to a file of this run's own, bench/results/<date>-<time>-<commit>.md (bench/results.ts). The 1M-row file runs in both of n8n's binary-data
 * modes (in the item, and filesystem), then again with a full GC every second and under V8's
 * sampling heap profiler, which show what the run holds and what it leaves for the GC. Last, the
 * 100k Manage runs (both floors and the node) run again under the profiler and their CPU is split
 * by who spends it (HTTP, n8n, this package, GC), which shows what bounds the node/floor ratios.
 *
 *   npm run bench                   all scenarios, into bench/results/<date>-<time>-<commit>.md
 *   npm run bench -- --quick        2k/10k items and a 100k-row file, to try the bench itself (…-quick.md)
 *   npm run bench -- --profile      the 100k Manage runs under node --cpu-prof, hot spots printed
 *                                   (profiles and summaries in the OS temp folder; no results file)
 *   npm run bench -- --only sync,file   only these sections (nodes: the floors and the node runs,
 *                                   ratio, waiting, lookup, sync, roster, leavers, file, memory, cpu);
 *                                   ratio: the node (Map Automatically) and the in-n8n floor at 100k,
 *                                   5 runs each, interleaved (floor, node, floor, …): a ratio less
 *                                   bent by a machine whose load changes from minute to minute
 *                                   the results file is named …-only-<sections>.md
 *   npm run bench -- --only ratio --node-from /tmp/old   ratio: also the node of that checkout (e.g.
 *                                   older product code), in the same interleaved rounds
 *   npm run bench -- --binary-mode filesystem   the file sections in that binary-data mode only
 *   npm run bench -- --file-runs 5  each 1M-row file run 5 times, each in a fresh process, the run
 *                                   with the median RSS growth shown (all growths listed): one run's
 *                                   peak moves by ±50 % with when V8 collects on a busy machine
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';

import { SandboxClient } from '../test/sandbox/client';
import type { SandboxSettingsPatch } from '../test/sandbox/types';
import { breakdown, CATEGORIES, formatSummary, summarise, type CpuProfile } from './cpuprofile';
import { gitRevision, writeRunResults } from './results';
import { NIGHTLY_ROSTER, rosterFloors } from './rosterData';
import type { Scenario, ScenarioResult } from './scenario';

/** the leavers scenario's people and objects, as bench/scenario.ts seeds them (not imported: importing scenario.ts runs it) */
const LEAVERS = 100;
const LEAVER_OBJECTS = ['quality_event__qdm', 'risk_event__v', 'investigation__qdm', 'lab_investigation__qdm', 'change_action__v'];

const ROOT = join(__dirname, '..');
const TS_NODE = [require.resolve('ts-node/dist/bin.js'), '--transpile-only', '--prefer-ts-exts'];
/** burst delays off, jobs instant; Vault's own once-per-10-s job-status rule stays, so a faster poll shows as refused */
const SANDBOX_SETTINGS: SandboxSettingsPatch = {
	burstLimit: 1_000_000_000,
	burstDelayMs: 0,
	jobQueuedMs: 0,
	jobRunMs: 0,
	jobStatusMinIntervalMs: 10_000,
	loginLimitPerMinute: 10_000,
};
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const profile = args.includes('--profile');
/** the option's value: `--name value` or `--name=value` */
const option = (name: string) => {
	const at = args.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
	if (at < 0) return undefined;
	return args[at].includes('=') ? args[at].slice(name.length + 1) : args[at + 1];
};
/** the sections of the run to run (`--only nodes,sync`); all when not given */
const SECTIONS = ['nodes', 'ratio', 'waiting', 'lookup', 'sync', 'roster', 'leavers', 'file', 'memory', 'cpu'];
const only = option('--only')?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !SECTIONS.includes(name)) ?? [];
if (unknown.length > 0) throw new Error(`--only: no section named ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})`);
const wants = (section: string) => only === undefined || only.includes(section);
/** the file's binary-data modes (`--binary-mode filesystem`): both when not given */
const BINARY_MODES = (option('--binary-mode') ? [option('--binary-mode')] : ['default', 'filesystem']) as Array<'default' | 'filesystem'>;
if (!BINARY_MODES.every((mode) => mode === 'default' || mode === 'filesystem')) throw new Error('--binary-mode: default or filesystem');
const FILE_RUNS = Math.max(1, Number(option('--file-runs') ?? 1));
if (!Number.isInteger(FILE_RUNS)) throw new Error('--file-runs: a whole number of runs');
const PROFILE_DIR = join(tmpdir(), 'veeva-bench-profiles');
const SCENARIO_TIMEOUT_MS = 30 * 60_000;
/** measured runs per node and floor scenario (the median CPU run is reported): one run on this 2-core machine varies ±30 % */
const REPEATS = 5;

interface Counts {
	submissions: number;
	logins: number;
	statusCalls: number;
	refusedStatusCalls: number;
	/** VQL calls: /query and its next pages */
	queryCalls: number;
	/** of them, the user-name reads of Sync's removals (SELECT id, username__sys FROM user__sys WHERE id CONTAINS ...) */
	userNameReads: number;
	/** the sandbox process's CPU over the scenario (warm-up included), when /proc tells */
	sandboxCpuMs?: number;
}

interface Sandbox {
	child: ChildProcess;
	url: string;
	client: SandboxClient;
}

async function startSandboxProcess(): Promise<Sandbox> {
	const child = spawn(
		process.execPath,
		[...TS_NODE, join(ROOT, 'test/sandbox/main.ts'), '--port', '0', '--port2', '0', '--settings', JSON.stringify(SANDBOX_SETTINGS)],
		{ cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const ready = await new Promise<{ vaults: Array<{ url: string }>; controlUrl: string }>((resolve, reject) => {
		let buffered = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			buffered += chunk.toString('utf8');
			const line = buffered.split('\n').find((text) => text.startsWith('SANDBOX_READY '));
			if (line) resolve(JSON.parse(line.slice('SANDBOX_READY '.length)));
		});
		child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
	});
	child.stdout?.resume();
	return { child, url: ready.vaults[0].url, client: new SandboxClient(ready.controlUrl) };
}

/** user+system CPU of a process in ms, from /proc (Linux); undefined elsewhere */
function processCpuMs(pid: number | undefined): number | undefined {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
		// after "pid (comm) ": state is field 0, utime 11, stime 12 (clock ticks, 100 per second on Linux)
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
	} catch {
		return undefined;
	}
}

type Outcome = { result: ScenarioResult } | { failure: string };

/** `root`: the checkout whose bench/scenario.ts (and so whose product code) runs: this one, or one of --node-from */
async function runScenario(scenario: Scenario, name: string, profiled = false, root = ROOT): Promise<Outcome> {
	const flags = ['--expose-gc', '--max-old-space-size=4096'];
	if (profiled) flags.push('--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`);
	const child = spawn(process.execPath, [...flags, ...TS_NODE, join(root, 'bench', 'scenario.ts'), JSON.stringify(scenario)], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let out = '';
	child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
	const timer = setTimeout(() => child.kill('SIGKILL'), SCENARIO_TIMEOUT_MS);
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
	clearTimeout(timer);
	const line = out.split('\n').find((text) => text.startsWith('RESULT '));
	if (code !== 0 || !line) {
		return { failure: signal === 'SIGKILL' ? `killed after ${SCENARIO_TIMEOUT_MS / 60_000} min` : `exit ${code ?? signal}` };
	}
	return { result: JSON.parse(line.slice('RESULT '.length)) as ScenarioResult };
}

/** rows per submission: Manage's CSV batches of 500, document roles' of 1,000 (the node's and the floors') */
const batchLimit = (operation: Scenario['operation']) => (operation === 'manage' ? 500 : 1000);

/**
 * A floor is the yardstick every node ÷ floor ratio divides by: one that did not send each batch
 * once after one login (an error, a refused batch, a missing run) measured something else, so the
 * bench stops with the reason instead of printing ratios against it.
 */
function floorMustHold(name: string, scenario: Omit<Scenario, 'vaultUrl'>, result: ScenarioResult | undefined, counts: Counts): void {
	const batches = Math.ceil(scenario.rows / batchLimit(scenario.operation));
	const wrong = [
		result === undefined ? 'the scenario did not finish (its error is printed above)' : undefined,
		result?.errors ? `it failed: ${result.errors}` : undefined,
		counts.submissions !== batches ? `${counts.submissions} submissions instead of ⌈${scenario.rows}/${batchLimit(scenario.operation)}⌉ = ${batches}` : undefined,
		counts.logins !== 1 ? `${counts.logins} logins instead of 1` : undefined,
	].filter((text): text is string => text !== undefined);
	if (wrong.length > 0) throw new Error(`the ${name} did not measure what it stands for, so no ratio against it is printed: ${wrong.join('; ')}`);
}

async function countsOf(sandbox: Sandbox, pathPart: string, cpuBefore: number | undefined): Promise<Counts> {
	const [log, state] = await Promise.all([sandbox.client.log(), sandbox.client.state()]);
	const status = log.filter((entry) => entry.path.includes('/services/jobs/'));
	const cpuAfter = processCpuMs(sandbox.child.pid);
	return {
		submissions: log.filter((entry) => entry.path.includes(pathPart) && entry.method === 'POST').length,
		logins: state.logins,
		statusCalls: status.length,
		refusedStatusCalls: status.filter((entry) => entry.errorType === 'API_LIMIT_EXCEEDED').length,
		queryCalls: log.filter((entry) => entry.path.includes('/query')).length,
		userNameReads: log.filter((entry) => /^SELECT id, username__sys FROM user__sys WHERE id CONTAINS/.test(entry.vql ?? '')).length,
		sandboxCpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
	};
}

const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

interface NodeCase {
	name: string;
	scenario: Omit<Scenario, 'vaultUrl'>;
	floor: string;
	limit: number;
	path: string;
	/** node CPU ≤ this × the in-n8n floor's */
	cpuTarget?: number;
}

/** One scenario under the profiler: its result, its profile file and the measured run's window on the profiler's clock. */
async function profiledRun(sandbox: Sandbox, scenario: Omit<Scenario, 'vaultUrl'>, name: string) {
	mkdirSync(PROFILE_DIR, { recursive: true });
	const outcome = await runScenario({ ...scenario, vaultUrl: sandbox.url }, name, true);
	if ('failure' in outcome) return outcome;
	const file = join(PROFILE_DIR, `${name}.cpuprofile`);
	const [fromUs, toUs] = outcome.result.profileWindowUs;
	return { result: outcome.result, file, profile: JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, window: { fromUs, toUs } };
}

async function profileRuns(sandbox: Sandbox, rows: number) {
	for (const mapping of ['auto', 'defineBelow'] as const) {
		const name = `manage-${mapping}-${rows}`;
		const run = await profiledRun(sandbox, { kind: 'node', operation: 'manage', rows, mapping }, name);
		if ('failure' in run) {
			process.stdout.write(`${name}: failed (${run.failure})\n`);
			continue;
		}
		const { result, file, window } = run;
		const summary = formatSummary(summarise(run.profile, window));
		const text = `## ${name}: wall ${fmt(result.wallMs)} ms, CPU ${fmt(result.cpuMs)} ms (under the profiler)\n\nprofile: ${file}, cut to the measured run (${window.fromUs}..${window.toUs} µs)\n\n${summary}\n`;
		writeFileSync(join(PROFILE_DIR, `${name}.md`), text);
		process.stdout.write(`${text}\n`);
	}
}

/**
 * The 100k Manage runs (floor, node auto, node defineBelow) again under the profiler, their CPU
 * split by who spends it: shows what bounds the node/floor ratio.
 */
async function whereTheCpuGoes(sandbox: Sandbox, rows: number, say: (text: string) => void) {
	const runs: Array<[string, Omit<Scenario, 'vaultUrl'>]> = [
		['raw floor', { kind: 'floor', operation: 'manage', rows }],
		['in-n8n floor', { kind: 'inN8nFloor', operation: 'manage', rows }],
		['node auto', { kind: 'node', operation: 'manage', rows, mapping: 'auto' }],
		['node defineBelow', { kind: 'node', operation: 'manage', rows, mapping: 'defineBelow' }],
	];
	const columns: Array<{ label: string; cpuMs: number; parts: Map<string, number>; requests: number }> = [];
	for (const [label, scenario] of runs) {
		const name = `breakdown-${label.replace(/\W+/g, '-')}-${rows}`;
		const run = await profiledRun(sandbox, scenario, name);
		const log = await sandbox.client.log();
		if ('failure' in run) {
			// a floor that failed would make every comparison below meaningless
			if (label.includes('floor')) throw new Error(`the ${label} failed under the profiler (${run.failure})`);
			say(`${label}: failed under the profiler (${run.failure})`);
			return;
		}
		const parts = new Map(breakdown(run.profile, run.window).map(({ name: part, ms }) => [part, ms]));
		columns.push({ label, cpuMs: run.result.cpuMs, parts, requests: log.filter((entry) => !entry.path.startsWith('/_sandbox')).length });
	}
	say(`| where the CPU of ${fmt(rows)} Manage rows goes (ms, under the profiler) | ${columns.map((column) => column.label).join(' | ')} |`);
	say(`|---|${columns.map(() => '---').join('|')}|`);
	for (const { name } of CATEGORIES) say(`| ${name} | ${columns.map((column) => fmt(column.parts.get(name) ?? 0)).join(' | ')} |`);
	say(`| CPU (process.cpuUsage) | ${columns.map((column) => fmt(column.cpuMs)).join(' | ')} |`);
	say(`| HTTP requests to the sandbox (login, submissions) | ${columns.map((column) => fmt(column.requests)).join(' | ')} |`);
	/** the column's ms in the categories counting towards `share` */
	const sum = (column: (typeof columns)[number], share: 'requests' | 'rest') =>
		CATEGORIES.filter((category) => category.share === share).reduce((total, category) => total + (column.parts.get(category.name) ?? 0), 0);
	const [raw, inN8n] = columns;
	say('');
	say(`- in-n8n floor: HTTP and authentication ${fmt(sum(inN8n, 'requests') / inN8n.requests, 2)} ms per request (${fmt(sum(inN8n, 'requests'))} ms for ${fmt(inN8n.requests)}) against the raw floor's ${fmt(sum(raw, 'requests') / raw.requests, 2)} ms (${fmt(sum(raw, 'requests'))} ms for ${fmt(raw.requests)}): n8n's price per request, which every node pays.`);
	for (const column of columns.slice(2)) {
		const nodeRequests = sum(column, 'requests');
		const floorRequests = sum(inN8n, 'requests');
		say(
			`- ${column.label}: HTTP and authentication ${fmt(nodeRequests / column.requests, 2)} ms per request (${fmt(nodeRequests)} ms for ${fmt(column.requests)}) against the in-n8n floor's ${fmt(floorRequests / inN8n.requests, 2)} ms; the rest (pipeline, CSV, engine, GC) ${fmt(sum(column, 'rest'))} ms against the in-n8n floor's ${fmt(sum(inN8n, 'rest'))} ms (+${fmt(sum(column, 'rest') - sum(inN8n, 'rest'))} ms; of it garbage collection +${fmt((column.parts.get('garbage collection') ?? 0) - (inN8n.parts.get('garbage collection') ?? 0))} ms, this package ${fmt(column.parts.get('this package') ?? 0)} ms, n8n engine +${fmt((column.parts.get('n8n engine (n8n-core, n8n-workflow)') ?? 0) - (inN8n.parts.get('n8n engine (n8n-core, n8n-workflow)') ?? 0))} ms).`,
		);
	}
}

type Measured = (scenario: Omit<Scenario, 'vaultUrl'>, name: string, path: string, root?: string) => Promise<{ result?: ScenarioResult; counts: Counts }>;

/** the nightly roster's size: 200,000 assignments, 10 per record (20,000 records), 2% drift */
const ROSTER = { rows: quick ? 20_000 : NIGHTLY_ROSTER.rows, drift: NIGHTLY_ROSTER.drift, repeats: 3 };

/**
 * A nightly HR roster at enterprise size: Sync Members with Plan Only, then applied with Verify,
 * each call count against its floor (rosterData.ts, which bench:n8n shares): the teams read in
 * pages of 1,000 members, ⌈changes/500⌉ submissions, one job-status call per job, the changed
 * records read back, and the removed users named (issue 27).
 */
async function nightlyRoster(measured: Measured, say: (text: string) => void, targets: Array<[string, boolean]>, cell: (value: number | undefined, digits?: number) => string) {
	const { rows, drift, repeats } = ROSTER;
	const { records, removals, changes, changedRecords, teamRead: teamReadFloor, readBack: readBackFloor, names: namesFloor, jobs } = rosterFloors(rows, drift);
	say(`| Sync Members, a nightly roster: ${fmt(rows)} assignments over ${fmt(records)} records, ${fmt(drift * 100)}% drift (${fmt(removals)} removals, ${fmt(removals)} additions) | wall ms | CPU ms | CPU ms of the ${repeats} runs | RSS before MB | peak RSS MB | RSS growth MB | peak heap MB | VQL calls | floor (teams ${teamReadFloor} + names ${namesFloor}${''} + read-back) | submissions | job-status calls | logins | output items |`);
	say('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
	for (const syncMode of ['planOnly', 'verify'] as const) {
		const { result, counts } = await measured({ kind: 'sync', operation: 'manage', rows, drift, syncMode, repeats }, `roster ${syncMode}`, 'manageassignments');
		const floor = teamReadFloor + namesFloor + (syncMode === 'verify' ? readBackFloor : 0);
		const growth = result ? result.peakRssMb - result.baselineRssMb : undefined;
		const label = syncMode === 'planOnly' ? 'Plan Only (read, planned, nothing sent)' : 'applied with Verify (waits for the jobs, reads the changed records back)';
		say(`| ${label} | ${cell(result?.wallMs)} | ${cell(result?.cpuMs)} | ${result?.cpuMsRuns?.map((ms) => fmt(ms)).join(' / ') ?? 'n/a'} | ${cell(result?.baselineRssMb)} | ${cell(result?.peakRssMb)} | ${cell(growth)} | ${cell(result?.peakHeapMb)} | ${counts.queryCalls} | ${floor} | ${counts.submissions} | ${counts.statusCalls} | ${counts.logins} | ${cell(result?.outputItems)} |`);
		targets.push([`roster ${syncMode}: VQL calls at the floor, ${teamReadFloor} to read the teams + ${namesFloor} to name the removed users${syncMode === 'verify' ? ` + ${readBackFloor} to read ${fmt(changedRecords)} changed records back` : ''} = ${floor} (got ${counts.queryCalls}, of them ${counts.userNameReads} naming users)`, counts.queryCalls > 0 && counts.queryCalls <= floor]);
		const submissions = syncMode === 'verify' ? jobs : 0;
		targets.push([`roster ${syncMode}: ${syncMode === 'verify' ? `${fmt(changes)} changes in ⌈${fmt(changes)}/500⌉ = ${jobs} submissions` : 'nothing sent'} (got ${counts.submissions})`, counts.submissions === submissions]);
		if (syncMode === 'verify') targets.push([`roster verify: one job-status call per job (${jobs}), none refused (got ${counts.statusCalls}, ${counts.refusedStatusCalls} refused)`, counts.statusCalls === jobs && counts.refusedStatusCalls === 0]);
	}
	say('');
}

/**
 * Node (Manage, Map Automatically) ÷ in-n8n floor CPU at `rows`, from runs interleaved one by one
 * (floor, node, floor, node …, each in a fresh process after its warm-up run): on a shared
 * machine whose load drifts, five floor runs and then five node runs would compare two moments.
 * `--node-from dir,dir`: the node of those checkouts too (e.g. older product code in a worktree of
 * its own), each round running floor, this node, then theirs: before and after in one window.
 */
async function interleavedRatio(measured: Measured, say: (text: string) => void, targets: Array<[string, boolean]>, rows: number) {
	const others = option('--node-from')?.split(',').filter((dir) => dir.length > 0) ?? [];
	const nodes = [ROOT, ...others];
	const runs = { floor: [] as number[], nodes: nodes.map(() => [] as number[]) };
	const floor: Omit<Scenario, 'vaultUrl'> = { kind: 'inN8nFloor', operation: 'manage', rows, repeats: 1 };
	const node: Omit<Scenario, 'vaultUrl'> = { kind: 'node', operation: 'manage', rows, mapping: 'auto', repeats: 1 };
	for (let k = 0; k < REPEATS; k++) {
		const { result, counts } = await measured(floor, `ratio floor ${k + 1}`, 'manageassignments');
		floorMustHold('in-n8n floor (interleaved)', floor, result, counts);
		if (result) runs.floor.push(result.cpuMs);
		for (const [at, root] of nodes.entries()) {
			const { result: run } = await measured(node, `ratio node ${at} ${k + 1}`, 'manageassignments', root);
			if (run) runs.nodes[at].push(run.cpuMs);
		}
	}
	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
	const ratioOf = (values: number[]) => (values.length === REPEATS ? median(values) / median(runs.floor) : undefined);
	say(`| ${fmt(rows)} Manage rows, interleaved runs | CPU ms of the ${REPEATS} runs, in order | median CPU ms | ÷ in-n8n floor |`);
	say('|---|---|---|---|');
	say(`| in-n8n floor | ${runs.floor.map((ms) => fmt(ms)).join(' / ')} | ${fmt(median(runs.floor))} | |`);
	for (const [at, root] of nodes.entries()) {
		const values = runs.nodes[at];
		const label = at === 0 ? 'node, Map Automatically' : `node, Map Automatically, from ${root}`;
		say(`| ${label} | ${values.map((ms) => fmt(ms)).join(' / ')} | ${values.length ? fmt(median(values)) : 'n/a'} | ${ratioOf(values) === undefined ? 'n/a' : fmt(ratioOf(values)!, 2)}× |`);
	}
	say('');
	const ratio = ratioOf(runs.nodes[0]);
	targets.push([`manage auto ${fmt(rows)}, interleaved: node CPU ≤ 1.3× the in-n8n floor's, medians of ${REPEATS} (got ${ratio === undefined ? 'n/a' : fmt(ratio, 2)}×)`, ratio !== undefined && ratio <= 1.3]);
}

async function main() {
	const sizes = quick ? { small: 2_000, large: 10_000, file: 100_000 } : { small: 10_000, large: 100_000, file: 1_000_000 };
	const startedAt = new Date();
	const sandbox = await startSandboxProcess();
	if (profile) {
		try {
			await profileRuns(sandbox, sizes.large);
		} finally {
			sandbox.child.kill();
		}
		return;
	}
	const lines: string[] = [];
	const say = (text: string) => {
		lines.push(text);
		process.stdout.write(`${text}\n`);
	};
	const targets: Array<[string, boolean]> = [];
	/** runs one scenario and returns its result with the sandbox's counts for it */
	const measured = async (scenario: Omit<Scenario, 'vaultUrl'>, name: string, path: string, root = ROOT) => {
		const cpuBefore = processCpuMs(sandbox.child.pid);
		const outcome = await runScenario({ repeats: scenario.kind === 'file' ? 1 : REPEATS, ...scenario, vaultUrl: sandbox.url }, name.replace(/\W+/g, '-'), false, root);
		const counts = await countsOf(sandbox, path, cpuBefore);
		if ('failure' in outcome) targets.push([`${name}: ran to the end (${outcome.failure})`, false]);
		else if (outcome.result.errors) targets.push([`${name}: ran without error (${outcome.result.errors})`, false]);
		return { result: 'result' in outcome ? outcome.result : undefined, counts };
	};
	/** a file run `--file-runs` times, each its own process: the run of median RSS growth, with every run's growth in run order */
	const medianFileRun = async (scenario: Omit<Scenario, 'vaultUrl'>, name: string) => {
		const runs: Array<Awaited<ReturnType<typeof measured>>> = [];
		for (let run = 0; run < FILE_RUNS; run++) runs.push(await measured(scenario, name, 'manageassignments'));
		const growthOf = (run: (typeof runs)[number]) => (run.result ? run.result.peakRssMb - run.result.baselineRssMb : Infinity);
		const finished = runs.filter((run) => run.result !== undefined);
		const sorted = [...finished].sort((a, b) => growthOf(a) - growthOf(b));
		const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? runs[runs.length - 1];
		return { ...median, growths: finished.map(growthOf) };
	};
	const cell = (value: number | undefined, digits = 0) => (value === undefined ? 'n/a' : fmt(value, digits));
	/** what the sections below hand on: the node runs not waiting (to the waiting section), the file runs (to the memory section) */
	const noWait = new Map<string, ScenarioResult | undefined>();
	const fileRuns = new Map<string, ScenarioResult | undefined>();
	let fileMb: number | undefined;
	try {
		if (wants('nodes')) {
			say(`Node = the Veeva Vault QMS node in n8n-core's engine (test/harness), not waiting for its jobs; in-n8n floor = papaparse.unparse + one n8n httpRequestWithAuthentication per batch with the node's credential, in the same engine (bench/inN8nFloor.ts); raw floor = papaparse.unparse + one plain node:http POST per batch (kept-alive), no n8n. All three make the same calls: 1 login + one submission per batch. Each row its own process; after a warm-up run, ${REPEATS} measured runs, the one with the median CPU time shown (memory: the run that grew most). RSS growth = peak during the run − RSS right before it (items already built). Sandbox counts: the last run's.`);
			say('');
			say(`| scenario | rows | wall ms | CPU ms | CPU ms of the ${REPEATS} runs | rows/s | RSS before MB | peak RSS MB | RSS growth MB | peak heap MB | submissions | logins | job-status calls | sandbox CPU ms (all runs) | node/in-n8n floor CPU | node/raw floor CPU | node/raw floor wall |`);
			say('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
			const floorScenarios: Record<string, Omit<Scenario, 'vaultUrl'> & { path: string }> = {
				'raw manage-small': { kind: 'floor', operation: 'manage', rows: sizes.small, path: 'manageassignments' },
				'raw manage-large': { kind: 'floor', operation: 'manage', rows: sizes.large, path: 'manageassignments' },
				'raw documents-large': { kind: 'floor', operation: 'documents', rows: sizes.large, path: '/roles/batch' },
				'in-n8n manage-small': { kind: 'inN8nFloor', operation: 'manage', rows: sizes.small, path: 'manageassignments' },
				'in-n8n manage-large': { kind: 'inN8nFloor', operation: 'manage', rows: sizes.large, path: 'manageassignments' },
				'in-n8n documents-large': { kind: 'inN8nFloor', operation: 'documents', rows: sizes.large, path: '/roles/batch' },
			};
			const row = (label: string, rows: number, result: ScenarioResult | undefined, counts: Counts, ratios = ' |  | ') =>
				say(
					`| ${label} | ${fmt(rows)} | ${cell(result?.wallMs)} | ${cell(result?.cpuMs)} | ${result?.cpuMsRuns?.map((ms) => fmt(ms)).join(' / ') ?? 'n/a'} | ${result ? fmt((rows / result.wallMs) * 1000) : 'n/a'} | ${cell(result?.baselineRssMb)} | ${cell(result?.peakRssMb)} | ${result ? fmt(result.peakRssMb - result.baselineRssMb) : 'n/a'} | ${cell(result?.peakHeapMb)} | ${counts.submissions} | ${counts.logins} | ${counts.statusCalls} | ${cell(counts.sandboxCpuMs)} | ${ratios} |`,
				);
			const floors = new Map<string, { result?: ScenarioResult; counts: Counts }>();
			for (const [name, { path, ...scenario }] of Object.entries(floorScenarios)) {
				const { result, counts } = await measured(scenario, `floor ${name}`, path);
				floorMustHold(`${name} floor`, scenario, result, counts);
				floors.set(name, { result, counts });
				row(`${name.startsWith('raw') ? 'raw floor' : 'in-n8n floor'} ${scenario.operation}`, scenario.rows, result, counts);
			}
			const cases: NodeCase[] = [
				{ name: `manage auto ${fmt(sizes.small)}`, scenario: { kind: 'node', operation: 'manage', rows: sizes.small, mapping: 'auto' }, floor: 'manage-small', limit: 500, path: 'manageassignments' },
				{ name: `manage auto ${fmt(sizes.large)}`, scenario: { kind: 'node', operation: 'manage', rows: sizes.large, mapping: 'auto' }, floor: 'manage-large', limit: 500, path: 'manageassignments', cpuTarget: 1.3 },
				{ name: `manage defineBelow ${fmt(sizes.large)}`, scenario: { kind: 'node', operation: 'manage', rows: sizes.large, mapping: 'defineBelow' }, floor: 'manage-large', limit: 500, path: 'manageassignments', cpuTarget: 1.5 },
				{ name: `manage auto ${fmt(sizes.large)}, output per batch`, scenario: { kind: 'node', operation: 'manage', rows: sizes.large, mapping: 'auto', outputMode: 'perBatch' }, floor: 'manage-large', limit: 500, path: 'manageassignments' },
				{ name: `manage defineBelow computed ${fmt(sizes.small)}`, scenario: { kind: 'node', operation: 'manage', rows: sizes.small, mapping: 'defineBelowComputed' }, floor: 'manage-small', limit: 500, path: 'manageassignments' },
				{ name: `documents auto ${fmt(sizes.large)}`, scenario: { kind: 'node', operation: 'documents', rows: sizes.large, mapping: 'auto' }, floor: 'documents-large', limit: 1000, path: '/roles/batch' },
			];
			for (const entry of cases) {
				const { result, counts } = await measured(entry.scenario, entry.name, entry.path);
				noWait.set(entry.name, result);
				const inN8n = floors.get(`in-n8n ${entry.floor}`);
				const raw = floors.get(`raw ${entry.floor}`);
				const ratio = (floor: ScenarioResult | undefined, key: 'cpuMs' | 'wallMs') => (result && floor ? result[key] / floor[key] : undefined);
				const inN8nRatio = ratio(inN8n?.result, 'cpuMs');
				row(`node ${entry.name}`, entry.scenario.rows, result, counts, `${cell(inN8nRatio, 2)} | ${cell(ratio(raw?.result, 'cpuMs'), 2)} | ${cell(ratio(raw?.result, 'wallMs'), 2)}`);
				const batches = Math.ceil(entry.scenario.rows / entry.limit);
				targets.push([`${entry.name}: submissions = ⌈rows/${entry.limit}⌉ = ${batches} (got ${counts.submissions})`, counts.submissions === batches]);
				targets.push([`${entry.name}: one login (got ${counts.logins})`, counts.logins === 1]);
				const calls = (c: Counts) => c.logins + c.submissions + c.statusCalls;
				targets.push([
					`${entry.name}: the same Vault calls as both floors (node ${calls(counts)}, in-n8n floor ${inN8n ? calls(inN8n.counts) : 'n/a'}, raw floor ${raw ? calls(raw.counts) : 'n/a'})`,
					inN8n !== undefined && raw !== undefined && calls(counts) === calls(inN8n.counts) && calls(counts) === calls(raw.counts),
				]);
				if (entry.cpuTarget) targets.push([`${entry.name}: node CPU ≤ ${entry.cpuTarget}× the in-n8n floor's (got ${cell(inN8nRatio, 2)}×)`, inN8nRatio !== undefined && inN8nRatio <= entry.cpuTarget]);
			}
		}
		if (wants('ratio')) await interleavedRatio(measured, say, targets, sizes.large);
		if (wants('waiting')) {
			say('');
			const waitRows = sizes.large;
			const waitJobs = Math.ceil(waitRows / 500);
			const interval = { seconds: 0.2, jobRunMs: 20 };
			say(
				`Waiting (Wait for Completion), compressed time: the sandbox runs the jobs one after another (jobScheduling serial), ${interval.jobRunMs} ms each, and allows one status call per job per ${interval.seconds * 1000} ms; the node polls every ${interval.seconds} s (the interval stands for Vault's 10 s). Bound on status calls = jobs + elapsed ÷ interval.`,
			);
			say('');
			say(`| waiting for ${fmt(waitJobs)} jobs (${fmt(waitRows)} Manage rows, Map Automatically) | wall ms | CPU ms | CPU ms of the ${REPEATS} runs | job-status calls | refused | bound (jobs + elapsed ÷ interval) | submissions | logins | CPU ms of the same run not waiting | CPU ms spent waiting | per status call ms |`);
			say('|---|---|---|---|---|---|---|---|---|---|---|---|');
			{
				const { result, counts } = await measured(
					{
						kind: 'node',
						operation: 'manage',
						rows: waitRows,
						mapping: 'auto',
						wait: true,
						pollIntervalSeconds: interval.seconds,
						sandboxSettings: { jobScheduling: 'serial', jobQueuedMs: 0, jobRunMs: interval.jobRunMs, jobStatusMinIntervalMs: interval.seconds * 1000 },
					},
					'waiting serial jobs',
					'manageassignments',
				);
				const bound = result ? Math.floor(waitJobs + result.wallMs / (interval.seconds * 1000)) : undefined;
				const base = noWait.get(`manage auto ${fmt(sizes.large)}`);
				const waitingCpu = result && base ? result.cpuMs - base.cpuMs : undefined;
				say(
					`| serial jobs, ${interval.jobRunMs} ms each | ${cell(result?.wallMs)} | ${cell(result?.cpuMs)} | ${result?.cpuMsRuns?.map((ms) => fmt(ms)).join(' / ') ?? 'n/a'} | ${counts.statusCalls} | ${counts.refusedStatusCalls} | ${cell(bound)} | ${counts.submissions} | ${counts.logins} | ${cell(base?.cpuMs)} | ${cell(waitingCpu)} | ${waitingCpu !== undefined && counts.statusCalls > 0 ? fmt(waitingCpu / counts.statusCalls, 2) : 'n/a'} |`,
				);
				targets.push([`waiting: status calls ≤ jobs + elapsed ÷ interval (${counts.statusCalls} ≤ ${cell(bound)}), ${counts.refusedStatusCalls} refused`, bound !== undefined && counts.statusCalls <= bound && counts.refusedStatusCalls === 0]);
				targets.push([`waiting: every job asked about (≥ ${waitJobs} status calls, got ${counts.statusCalls})`, counts.statusCalls >= waitJobs]);
			}
		}
		if (wants('nodes')) {
			say('');
			say(
				`Naive way, one HTTP Request node call per item: ${fmt(sizes.small)} Vault calls for ${fmt(sizes.small)} items and ${fmt(sizes.large)} for ${fmt(sizes.large)}, against the node's ${fmt(Math.ceil(sizes.small / 500))} / ${fmt(Math.ceil(sizes.large / 500))} Manage submissions or ${fmt(Math.ceil(sizes.large / 1000))} document-role submissions (plus, when waiting, about one job-status call per Manage job); each call counts against Vault's burst limit (2,000 per 5 min by default: ${fmt(sizes.large)} calls would run into it ${fmt(Math.floor(sizes.large / 2000))} times).`,
			);
		}
		if (wants('lookup')) {
			say('');
			const lookupRows = 10_000;
			say(`| Find users by email: ${fmt(lookupRows)} distinct users, Manage, dry run (looked up, validated, batched, not sent) | wall ms | CPU ms | CPU ms of the ${REPEATS} runs | VQL calls | logins | output items |`);
			say('|---|---|---|---|---|---|---|');
			const lookupResults = new Map<string, ScenarioResult | undefined>();
			for (const lookup of ['ids', 'email'] as const) {
				const { result, counts } = await measured({ kind: 'node', operation: 'manage', rows: lookupRows, lookup, dryRun: true }, `lookup ${lookup}`, 'manageassignments');
				lookupResults.set(lookup, result);
				say(`| ${lookup === 'email' ? 'users given by email (findUsersBy: email)' : 'the same rows with Vault ids (no lookup)'} | ${cell(result?.wallMs)} | ${cell(result?.cpuMs)} | ${result?.cpuMsRuns?.map((ms) => fmt(ms)).join(' / ') ?? 'n/a'} | ${counts.queryCalls} | ${counts.logins} | ${cell(result?.outputItems)} |`);
				if (lookup === 'email') {
					const allowed = Math.ceil(lookupRows / 500);
					targets.push([`lookup: ${fmt(lookupRows)} distinct emails in ≤ ⌈${fmt(lookupRows)}/500⌉ = ${allowed} VQL calls (got ${counts.queryCalls})`, counts.queryCalls > 0 && counts.queryCalls <= allowed]);
					targets.push([`lookup: nothing sent in the dry run (got ${counts.submissions} submissions)`, counts.submissions === 0]);
				}
			}
			const byEmail = lookupResults.get('email');
			const byId = lookupResults.get('ids');
			if (byEmail && byId) say(`\nLooking ${fmt(lookupRows)} users up by email cost ${fmt(byEmail.wallMs - byId.wallMs)} ms wall and ${fmt(byEmail.cpuMs - byId.cpuMs)} ms of the node's CPU over the same dry run with ids.`);
		}
		if (wants('sync')) {
			say('');
			const syncRows = 20_000;
			say(`| Sync Members: a ${fmt(syncRows)}-assignment roster over ${fmt(syncRows / 10)} records, 5% drift | wall ms | CPU ms | CPU ms of the ${REPEATS} runs | VQL calls | of them reading the teams | of them naming the removed users | submissions | logins | output items |`);
			say('|---|---|---|---|---|---|---|---|---|---|');
			{
				const { result, counts } = await measured({ kind: 'sync', operation: 'manage', rows: syncRows }, 'sync roster', 'manageassignments');
				const teamReads = counts.queryCalls - counts.userNameReads;
				say(`| sent (no waiting) | ${cell(result?.wallMs)} | ${cell(result?.cpuMs)} | ${result?.cpuMsRuns?.map((ms) => fmt(ms)).join(' / ') ?? 'n/a'} | ${counts.queryCalls} | ${teamReads} | ${counts.userNameReads} | ${counts.submissions} | ${counts.logins} | ${cell(result?.outputItems)} |`);
				const removals = Math.round(syncRows * 0.025);
				const changes = 2 * removals;
				// members of 2,000 records, 500 records a query, 1,000 records a page
				const vqlBound = Math.ceil(syncRows / 10 / 500) * Math.ceil((500 * 10) / 1000);
				// the removed users named (read/lookups.ts readUserNames, issue 27): 500 user ids a query, at most one page each
				const namesBound = Math.ceil(removals / 500);
				targets.push([`sync: ${fmt(changes)} changes in ⌈${fmt(changes)}/500⌉ = ${Math.ceil(changes / 500)} submissions (got ${counts.submissions})`, counts.submissions === Math.ceil(changes / 500)]);
				targets.push([`sync: current teams read in ≤ ${vqlBound} VQL calls (got ${teamReads})`, teamReads > 0 && teamReads <= vqlBound]);
				targets.push([`sync: ${fmt(removals)} removed users named in ≤ ⌈${fmt(removals)}/500⌉ = ${namesBound} VQL call(s) (got ${counts.userNameReads})`, counts.userNameReads <= namesBound]);
			}
		}
		if (wants('roster')) await nightlyRoster(measured, say, targets, cell);
		if (wants('leavers')) {
			say('');
			const leaverRows = 20_000;
			say(`| Remove User From All Teams: ${LEAVERS} leavers over ${fmt(leaverRows)} memberships on ${LEAVER_OBJECTS.length} objects | wall ms | CPU ms | CPU ms of the ${REPEATS} runs | VQL calls | submissions | logins | output items |`);
			say('|---|---|---|---|---|---|---|---|');
			{
				const { result, counts } = await measured({ kind: 'leavers', operation: 'manage', rows: leaverRows }, 'leavers', 'manageassignments');
				say(`| sent (no waiting) | ${cell(result?.wallMs)} | ${cell(result?.cpuMs)} | ${result?.cpuMsRuns?.map((ms) => fmt(ms)).join(' / ') ?? 'n/a'} | ${counts.queryCalls} | ${counts.submissions} | ${counts.logins} | ${cell(result?.outputItems)} |`);
				// a tenth of the memberships, 400 per object: one submission per object; one query for the memberships
				// (100 users) per member object of the sandbox's 7 Quality Teams, and per object with memberships one for
				// the records' names and states and one for their whole teams (800 members)
				const removals = leaverRows / 10;
				const vqlBound = 7 + 2 * LEAVER_OBJECTS.length;
				targets.push([`leavers: ${fmt(removals)} removals in ${LEAVER_OBJECTS.length} submissions, one per object (got ${counts.submissions})`, counts.submissions === LEAVER_OBJECTS.length]);
				targets.push([`leavers: memberships, records and teams read in ≤ 7 + 2 × ${LEAVER_OBJECTS.length} = ${vqlBound} VQL calls (got ${counts.queryCalls})`, counts.queryCalls > 0 && counts.queryCalls <= vqlBound]);
				targets.push([`leavers: an item per removal and a summary per leaver, ${fmt(removals + LEAVERS)} (got ${cell(result?.outputItems)})`, result?.outputItems === removals + LEAVERS]);
			}
		}
		if (wants('file')) {
			say('');
			say(`| CSV file input, ${fmt(sizes.file)} rows, output per batch | binary data mode | wall ms | CPU ms | rows/s | RSS before MB | peak RSS MB | RSS growth MB | peak heap MB | peak RSS from | output items | submissions | job-status calls |`);
			say('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
			for (const binaryMode of BINARY_MODES) {
				for (const dryRun of [true, false]) {
					const label = dryRun ? 'dry run' : 'sent';
					const { result, counts, growths } = await medianFileRun({ kind: 'file', operation: 'manage', rows: sizes.file, dryRun, binaryMode }, `file ${binaryMode} ${label}`);
					fileMb = result?.fileMb ?? fileMb;
					fileRuns.set(`${binaryMode} ${label}`, result);
					const growth = result ? result.peakRssMb - result.baselineRssMb : undefined;
					say(
						`| ${label} | ${binaryMode === 'default' ? 'default (base64 in the item)' : 'filesystem (N8N_DEFAULT_BINARY_DATA_MODE=filesystem)'} | ${cell(result?.wallMs)} | ${cell(result?.cpuMs)} | ${result ? fmt((sizes.file / result.wallMs) * 1000) : 'n/a'} | ${cell(result?.baselineRssMb)} | ${cell(result?.peakRssMb)} | ${cell(growth)} | ${cell(result?.peakHeapMb)} | ${result?.peakRssSource ?? 'n/a'} | ${cell(result?.outputItems)} | ${counts.submissions} | ${counts.statusCalls} |`,
					);
					const runsText = growths.length > 1 ? `, the median of ${growths.length} runs: ${growths.map((mb) => fmt(mb)).join(' / ')} MB` : '';
					targets.push([`file ${binaryMode} mode ${label}: peak RSS growth ≤ 100 MB beyond the file n8n holds (got ${cell(growth)} MB${runsText})`, growth !== undefined && growth <= 100]);
					if (!dryRun) targets.push([`file ${binaryMode} mode sent: submissions = ⌈${fmt(sizes.file)}/500⌉ = ${Math.ceil(sizes.file / 500)} (got ${counts.submissions})`, counts.submissions === Math.ceil(sizes.file / 500)]);
					if (!dryRun) targets.push([`file ${binaryMode} mode sent: one login (got ${counts.logins})`, counts.logins === 1]);
				}
			}
			say('');
			say(`The file: ${fmt(sizes.file)} rows, ${cell(fileMb, 1)} MB. Default mode holds it in the input item as base64 (in the RSS before the run, so not in the growth); filesystem mode holds only its id, the node streams it from disk.`);
		}
		say('');
		if (wants('memory')) {
			// where the growth goes: each sent run again, (1) with a full GC every second and the heap
			// still in use after it, (2) under V8's sampling heap profiler, counting what survived a scavenge
			const columns: Array<{ mode: string; plain?: ScenarioResult; live?: ScenarioResult; sampled?: ScenarioResult }> = [];
			for (const binaryMode of BINARY_MODES) {
				const base = { kind: 'file', operation: 'manage', rows: sizes.file, dryRun: false, binaryMode } as const;
				const live = (await measured({ ...base, liveHeapProbe: true }, `file ${binaryMode} sent live heap`, 'manageassignments')).result;
				const sampled = (await measured({ ...base, heapSampling: true }, `file ${binaryMode} sent heap sampling`, 'manageassignments')).result;
				columns.push({ mode: binaryMode, plain: fileRuns.get(`${binaryMode} sent`), live, sampled });
			}
			say(`| where the memory of the ${fmt(sizes.file)}-row sent run goes (MB) | ${columns.map((column) => `${column.mode} mode`).join(' | ')} |`);
			say(`|---|${columns.map(() => '---').join('|')}|`);
			const line = (label: string, value: (column: (typeof columns)[number]) => number | undefined) => say(`| ${label} | ${columns.map((column) => cell(value(column), 1)).join(' | ')} |`);
			line('RSS growth of the plain run (the table above)', (column) => (column.plain ? column.plain.peakRssMb - column.plain.baselineRssMb : undefined));
			line("heap in use before the run, after a full GC (n8n and the harness; default mode's base64 file is a string kept outside V8's heap, in the RSS before)", (column) => column.plain?.baselineHeapMb);
			line('peak heap of the plain run', (column) => column.plain?.peakHeapMb);
			line('run with a full GC every second: most heap in use right after one', (column) => column.live?.peakLiveHeapMb);
			line('… its RSS growth', (column) => (column.live ? column.live.peakRssMb - column.live.baselineRssMb : undefined));
			line('run under the sampling heap profiler: allocated and promoted past a scavenge (sampled), freed only by a later full GC', (column) => column.sampled?.promotedMb);
			say('');
			for (const column of columns) {
				say(`Promoted past a scavenge in ${column.mode} mode, by allocation site (sampled, MB; innermost frame first):`);
				say('');
				for (const site of column.sampled?.promotedSites?.slice(0, 8) ?? []) say(`- ${fmt(site.mb, 1)}: ${site.site.replace(/\|/g, '\\|')}`);
				say('');
			}
		}
		if (wants('cpu')) await whereTheCpuGoes(sandbox, sizes.large, say);
		say('');
		say('Targets:');
		say('');
		for (const [text, met] of targets) say(`- ${met ? 'met' : '**NOT MET**'}: ${text}`);
	} finally {
		sandbox.child.kill();
	}
	const took = (Date.now() - startedAt.getTime()) / 60_000;
	const revision = gitRevision(ROOT);
	const header = [
		`# ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${quick ? ' (quick: smaller sizes)' : ''}`,
		'',
		`Command: \`npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}\` (took ${fmt(took, 1)} min) · commit ${revision.text} · machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${fmt(totalmem() / 1024 ** 3, 1)} GiB memory, Node ${process.version}, ${process.platform}`,
		'',
		'CPU and wall times are the node\'s own process, measured around the workflow run after a warm-up run; the sandbox Vault runs in a process of its own, burst delays off and jobs instant. Earlier runs: bench/RESULTS.md (to 2026-11-24) and the other files of bench/results/.',
		'',
		'',
	].join('\n');
	const file = writeRunResults(startedAt, revision, `${header}${lines.join('\n')}\n`, [quick ? 'quick' : '', only ? `only-${only.join('-')}` : ''].filter(Boolean).join('-') || undefined);
	process.stdout.write(`\nwritten to ${relative(ROOT, file)} (took ${fmt(took, 1)} min)\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
