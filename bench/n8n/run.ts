/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * `npm run bench:n8n`: the node against what a user builds without it, in a real n8n (the one
 * `npm run test:n8n` uses: test/n8n/toolchain.sh installs it when missing and starts this).
 *  1. peer: the node's workflow, the HTTP Request + Code workflow and (at 1k) the naive one-request-
 *     per-item workflow, each run with `n8n execute` on the same sandbox, alternating, 3 runs each;
 *     per-node execution time from n8n's run data, the run's wall time, the sandbox's call counts
 *  2. edge rows (a backslash, a CR, bad rows) through the node and the peer: what reached Vault
 *  3. queue mode: Redis, n8n main + 1 or 2 workers, 20 simultaneous webhook executions of 1,000
 *     rows each; every row's marker counted in the sandbox's request log, logins counted, rows/s
 *  4. pace: 20 simultaneous webhook executions of 1,000 rows in one n8n process, then in queue mode
 *     over 2 workers, against a sandbox with a small burst limit: answers Vault had to delay, every row once
 *  5. roster: the nightly HR roster (200,000 assignments, 2 % drift) from a CSV file, Sync Members and
 *     Remove User From All Teams for 100 leavers, Plan Only and applied with Verify (roster.ts)
 * Prints every figure and writes them to a file of this run's own, bench/results/<date>-<time>-<commit>-n8n.md
 * (bench/results.ts; --no-write or --quick: not).
 *
 *   npm run bench:n8n [-- --pack-from DIR] [--only peer,edge,queue,pace,roster] [--quick] [--no-write] [--quiet-wait SECONDS]
 *   N8N_VERSION=2.41.1 npm run bench:n8n     another n8n (default: toolchain.sh's)
 * Work folder: ~/.cache/n8n-veeva-e2e/bench-run-<version> (its own n8n user folder, logs).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';

import Papa from 'papaparse';
import type { IRun } from 'n8n-workflow';

import { rawOutputRun } from '../../test/n8n/examples';
import { freePort, n8nEnv as processEnv, runCommand, startServer, stopAll, type Server } from '../../test/n8n/processes';
import { toolchain } from '../../test/n8n/toolchain';
import { gitRevision, writeRunResults } from '../results';
import { watchProcess, type ProcessUse } from './processWatch';
import { benchRoster } from './roster';
import { SandboxClient } from '../../test/sandbox/client';
import type { LogEntry, SandboxSettingsPatch } from '../../test/sandbox/types';
import {
	CREDENTIAL,
	MANAGE_PATH,
	NAIVE_NODE_NAMES,
	naiveWorkflow,
	nodeWorkflow,
	PEER_NODE_NAMES,
	peerWorkflow,
	QUEUE_WEBHOOK_PATH,
	queueWorkflow,
	rowOf,
	VAULT_NODE_NAMES,
	markerOf,
	type Workflow,
} from './workflows';

const REPO = resolve(__dirname, '../..');
const args = process.argv.slice(2);
const argValue = (name: string) => {
	const at = args.indexOf(name);
	return at >= 0 ? args[at + 1] : undefined;
};
const PACK_FROM = resolve(argValue('--pack-from') ?? REPO);
const ONLY = new Set((argValue('--only') ?? 'peer,edge,queue,pace,roster').split(','));
const QUICK = args.includes('--quick');
const WRITE = !args.includes('--no-write') && !QUICK;
/** Node 24 and the n8n test/n8n/toolchain.sh installed (npm run bench:n8n starts this through it) */
const { cache: CACHE, node24Bin: NODE24_BIN, n8nDir: N8N_DIR, n8nJs: N8N_JS, n8nVersion: VERSION, n8nMajor: N8N_MAJOR } = toolchain();
const RUN_DIR = join(CACHE, `bench-run-${VERSION}`);
const USER_FOLDER = join(RUN_DIR, 'n8n-user');
const ENCRYPTION_KEY = randomBytes(24).toString('hex');
const n8nEnv = (extra: NodeJS.ProcessEnv = {}) => processEnv({ nodeBin: NODE24_BIN, userFolder: USER_FOLDER, encryptionKey: ENCRYPTION_KEY }, extra);
const DEMO = { username: 'demo@sandbox.veevavault.com', password: 'Demo-Passw0rd!' };
const OWNER = { email: 'owner@bench.example.com', firstName: 'Bench', lastName: 'Owner', password: 'Bench-Owner-Passw0rd!' };
const SIZES = QUICK ? [1000, 2000] : [10_000, 50_000];
const NAIVE_ROWS = QUICK ? 200 : 1000;
const REPEATS = QUICK ? 1 : 3;
const QUEUE_EXECUTIONS = QUICK ? 4 : 20;
const QUEUE_ROWS = 1000;
const QUEUE_WORKERS = [1, 2];
/** queue rows: 6 bursts × 20 executions × 1,000 rows use users 100100..100159 (rowOf) */
const WORKER_CONCURRENCY = 10;
/** peer bench: burst delays off, jobs instant, logins unlimited (the peer logs in every run) */
const BENCH_SANDBOX: SandboxSettingsPatch = { burstLimit: 1_000_000_000, burstDelayMs: 0, jobQueuedMs: 0, jobRunMs: 0, loginLimitPerMinute: 10_000 };

const began = Date.now();
const out: string[] = [];
const say = (text = '') => {
	process.stdout.write(`${text}\n`);
};
const record = (text = '') => {
	out.push(text);
	say(text);
};
const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];


async function n8n(cliArgs: string[], timeoutMs = 600_000) {
	const env = n8nEnv({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
	return await runCommand(join(NODE24_BIN, 'node'), ['--max-old-space-size=4096', N8N_JS, ...cliArgs], { env, timeoutMs, logFile: join(RUN_DIR, 'n8n-cli.log') });
}

/**
 * `n8n execute --rawOutput` with its stdout in a file: n8n ends with process.exit, which cuts a
 * pipe's unwritten output short (a 50k-row run's JSON was truncated); writes to a file are synchronous.
 */
async function n8nExecute(id: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; use: ProcessUse }> {
	const env = n8nEnv({ ...extraEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
	const outFile = join(RUN_DIR, 'execute.out');
	const errFile = join(RUN_DIR, 'execute.err');
	const [outFd, errFd] = [openSync(outFile, 'w'), openSync(errFile, 'w')];
	const started = Date.now();
	const child = spawn(join(NODE24_BIN, 'node'), ['--max-old-space-size=4096', N8N_JS, 'execute', `--id=${id}`, '--rawOutput'], { env, stdio: ['ignore', outFd, errFd] });
	const watch = watchProcess(child.pid);
	const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
	const code = await new Promise<number | null>((done) => child.on('exit', (exitCode) => done(exitCode)));
	clearTimeout(timer);
	const use = watch.stop();
	const ms = Date.now() - started;
	closeSync(outFd);
	closeSync(errFd);
	const result = { code, stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8'), ms, use };
	appendFileSync(join(RUN_DIR, 'n8n-cli.log'), `\n$ n8n execute --id=${id} --rawOutput: exit ${code} in ${ms} ms, ${result.stdout.length} characters of output\n${result.stderr}`);
	return result;
}

function mustSucceed(what: string, result: { code: number | null; stdout: string; stderr: string }) {
	if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${(result.stderr || result.stdout).slice(-3000)}`);
}

/** what else may run on this machine and take the CPU: an n8n, jest, the other benches, test:n8n's Chromium */
const BUSY = /node_modules\/n8n\/bin\/n8n|\/\.bin\/jest|jest-worker|bench\/scenario\.ts|bench\/run\.ts|test\/n8n\/e2e\.ts|\/chromium\/chromium /;

/** Other busy processes (n8n, jest, benches, Chromium) on the machine right now (not ours): they share the 2 cores and skew timings. */
function otherN8nProcesses(ours: Array<number | undefined>): number {
	try {
		const text = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
		return text
			.split('\n')
			.filter((line) => BUSY.test(line))
			.filter((line) => !ours.includes(Number(line.trim().split(/\s+/)[0]))).length;
	} catch {
		return -1;
	}
}

/**
 * Waits (at most QUIET_WAIT_MS per call) until no other busy process runs and the machine's CPUs
 * were under 25 % busy for 2 s, so the timings are this bench's own; returns what it found
 * (busy share / other busy processes) and how long it waited.
 */
const QUIET_WAIT_MS = Number(argValue('--quiet-wait') ?? 900) * 1000;
let quietWaitedMs = 0;
async function waitForQuiet(ours: Array<number | undefined> = []): Promise<string> {
	const started = Date.now();
	for (;;) {
		const others = otherN8nProcesses(ours);
		const busy = await cpuBusyShare(2000);
		if ((others === 0 && busy < 0.25) || Date.now() - started > QUIET_WAIT_MS) {
			quietWaitedMs += Date.now() - started;
			const waited = Date.now() - started > 3000 ? `, after waiting ${fmt((Date.now() - started) / 1000)} s` : '';
			return `${Math.round(busy * 100)} % / ${others}${waited}`;
		}
		await new Promise((done) => setTimeout(done, 3000));
	}
}

/** share of all CPUs' time spent busy over `ms` (Linux /proc/stat) */
async function cpuBusyShare(ms: number): Promise<number> {
	const read = () => {
		const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
		const idle = fields[3] + (fields[4] ?? 0);
		return { idle, total: fields.reduce((sum, value) => sum + value, 0) };
	};
	const before = read();
	await new Promise((done) => setTimeout(done, ms));
	const after = read();
	const total = after.total - before.total;
	return total > 0 ? 1 - (after.idle - before.idle) / total : 0;
}

// ---------------------------------------------------------------------------------------------

async function installPackage(): Promise<string> {
	say(`building and packing ${PACK_FROM}`);
	mustSucceed('npm run build', await runCommand('npm', ['run', 'build'], { cwd: PACK_FROM, logFile: join(RUN_DIR, 'build.log') }));
	const pack = await runCommand('npm', ['pack', '--json', '--pack-destination', RUN_DIR], { cwd: PACK_FROM, logFile: join(RUN_DIR, 'build.log') });
	mustSucceed('npm pack', pack);
	const packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{ filename: string }>)[0];
	const tarball = join(RUN_DIR, packed.filename);
	const nodesDir = join(USER_FOLDER, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	const env = { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH}` };
	mustSucceed('npm install <tarball>', await runCommand('npm', ['install', tarball, '--no-audit', '--no-fund'], { cwd: nodesDir, env, logFile: join(RUN_DIR, 'build.log') }));
	say(`installed ${packed.filename} into ${nodesDir}`);
	return packed.filename;
}

interface Sandbox {
	server: Server;
	url: string;
	client: SandboxClient;
}

async function startSandbox(settings: SandboxSettingsPatch): Promise<Sandbox> {
	const [port, port2] = [await freePort(), await freePort()];
	const server = startServer(
		'sandbox',
		join(REPO, 'node_modules/.bin/ts-node'),
		['--transpile-only', '--prefer-ts-exts', 'test/sandbox/main.ts', '--port', String(port), '--port2', String(port2), '--settings', JSON.stringify(settings)],
		{ cwd: PACK_FROM, logFile: join(RUN_DIR, 'sandbox.log') },
	);
	const match = await server.waitFor(/SANDBOX_READY (.*)/, 60_000);
	const ready = JSON.parse(match[1]) as { vaults: Array<{ url: string }>; controlUrl: string };
	return { server, url: ready.vaults[0].url, client: new SandboxClient(ready.controlUrl) };
}

async function importCredential(sandbox: Sandbox): Promise<void> {
	const file = join(RUN_DIR, 'credentials.json');
	writeFileSync(
		file,
		JSON.stringify([{ ...CREDENTIAL, type: 'veevaVaultApi', data: { vaultDns: sandbox.url, authentication: 'password', username: DEMO.username, password: DEMO.password } }]),
		{ mode: 0o600 },
	);
	mustSucceed('n8n import:credentials', await n8n(['import:credentials', `--input=${file}`]));
	rmSync(file, { force: true });
}

async function importWorkflows(workflows: Workflow[]): Promise<void> {
	const file = join(RUN_DIR, 'workflows.json');
	writeFileSync(file, JSON.stringify(workflows, null, 2));
	mustSucceed('n8n import:workflow', await n8n(['import:workflow', `--input=${file}`]));
}

/** What the sandbox saw since its log was last cleared: calls by kind, rows Vault accepted (CSV data rows of submissions answered SUCCESS), their markers. */
function readLog(log: LogEntry[]) {
	const api = log.filter((entry) => !entry.path.startsWith('/_sandbox'));
	const submissions = api.filter((entry) => entry.path.endsWith(MANAGE_PATH) && entry.method === 'POST');
	const markers = new Map<string, number>();
	let rows = 0;
	// rows Vault took into a job: a submission answered FAILURE (INVALID_SESSION_ID, a CR in a value) changed nothing
	for (const entry of submissions.filter((submission) => submission.responseStatus === 'SUCCESS')) {
		const parsed = Papa.parse<Record<string, string>>((entry.body ?? '').replace(/\r\n/g, '\n'), { header: true, skipEmptyLines: true });
		for (const row of parsed.data) {
			rows++;
			const marker = markerOf(row);
			markers.set(marker, (markers.get(marker) ?? 0) + 1);
		}
	}
	return {
		calls: api.length,
		logins: api.filter((entry) => entry.path.endsWith('/auth')).length,
		loginsRefused: api.filter((entry) => entry.path.endsWith('/auth') && entry.responseStatus !== 'SUCCESS').length,
		submissions: submissions.length,
		submissionFailures: submissions.filter((entry) => entry.responseStatus !== 'SUCCESS'),
		invalidSession: api.filter((entry) => entry.errorType === 'INVALID_SESSION_ID').length,
		apiLimit: api.filter((entry) => entry.errorType === 'API_LIMIT_EXCEEDED').length,
		delayed: api.filter((entry) => (entry.responseDelayMs ?? 0) > 0).length,
		sessions: new Set(submissions.map((entry) => entry.sessionId)).size,
		rows,
		markers,
		firstAt: Math.min(...api.map((entry) => entry.at)),
		lastAt: Math.max(...api.map((entry) => entry.at)),
	};
}

// ---------------------------------------------------------------------------------------------
// 1. the peer

interface Measured {
	kind: 'node' | 'peer' | 'naive' | 'node dry run' | 'node, output per batch';
	rows: number;
	run: number;
	nodeMs: Record<string, number>;
	/** items on each node's outputs */
	items: Record<string, number>;
	measuredMs: number;
	runWallMs: number;
	cliMs: number;
	calls: number;
	logins: number;
	submissions: number;
	rowsSent: number;
	distinct: number;
	rowErrors: number;
	status: string;
	/** CPU busy share / other busy processes before the run, and the wait for quiet */
	quiet: string;
}

async function executeMeasured(sandbox: Sandbox, kind: Measured['kind'], id: string, rows: number, run: number, names: string[]): Promise<Measured> {
	await sandbox.client.clearLog();
	const jobsBefore = (await sandbox.client.state()).jobs.length;
	const quiet = await waitForQuiet();
	const result = await n8nExecute(id);
	const { run: data, error } = rawOutputRun<IRun>(result.stdout);
	const seen = readLog(await sandbox.client.log());
	await sandbox.client.completeJobs();
	const jobs = (await sandbox.client.state()).jobs.slice(jobsBefore);
	const runData = data?.data.resultData.runData ?? {};
	const nodeMs = Object.fromEntries(Object.entries(runData).map(([name, tasks]) => [name, tasks.reduce((sum, task) => sum + (task.executionTime ?? 0), 0)]));
	const items = Object.fromEntries(
		Object.entries(runData).map(([name, tasks]) => [name, (tasks[0]?.data?.main ?? []).reduce((sum, output) => sum + (output?.length ?? 0), 0)]),
	);
	const measuredMs = names.reduce((sum, name) => sum + (nodeMs[name] ?? 0), 0);
	const runWallMs = data?.startedAt && data.stoppedAt ? new Date(data.stoppedAt).getTime() - new Date(data.startedAt).getTime() : NaN;
	const status = data ? `${data.status}${data.data.resultData.error ? `: ${data.data.resultData.error.message}` : ''}` : `no run data (exit ${result.code}; ${error}) ${result.stderr.slice(-300)}`;
	const measured: Measured = {
		kind,
		rows,
		run,
		nodeMs,
		items,
		measuredMs,
		runWallMs,
		cliMs: result.ms,
		calls: seen.calls,
		logins: seen.logins,
		submissions: seen.submissions,
		rowsSent: seen.rows,
		distinct: seen.markers.size,
		rowErrors: jobs.reduce((sum, job) => sum + job.rowErrors.length, 0),
		status,
		quiet,
	};
	say(
		`  ${kind} ${fmt(rows)} run ${run}: ${names.map((name) => `${name} ${fmt(nodeMs[name] ?? NaN)} ms (${items[name]} items out)`).join(', ')} → ${fmt(measuredMs)} ms; run wall ${fmt(runWallMs)} ms; n8n execute ${fmt(result.ms)} ms; ` +
			`calls ${seen.calls} (logins ${seen.logins}, submissions ${seen.submissions}), rows sent ${fmt(seen.rows)}, job row errors ${measured.rowErrors}; ${status}; CPU busy / other busy processes before it ${quiet}`,
	);
	return measured;
}

async function benchPeer(sandbox: Sandbox): Promise<void> {
	const workflows: Workflow[] = [];
	const ids: Record<string, string> = {};
	for (const rows of [...SIZES, NAIVE_ROWS]) {
		ids[`node-${rows}`] = `benchNode${String(rows).padStart(7, '0')}`;
		workflows.push(nodeWorkflow(ids[`node-${rows}`], rows));
	}
	for (const rows of SIZES) {
		ids[`peer-${rows}`] = `benchPeer${String(rows).padStart(7, '0')}`;
		workflows.push(peerWorkflow(ids[`peer-${rows}`], rows, sandbox.url, DEMO));
		// the node with "Output: One Item per Batch": the same output shape as the peer (one item per request)
		ids[`batch-${rows}`] = `benchBatch${String(rows).padStart(6, '0')}`;
		workflows.push(nodeWorkflow(ids[`batch-${rows}`], rows, undefined, {}, { outputMode: 'perBatch' }));
	}
	const largest = SIZES[SIZES.length - 1];
	ids.dry = `benchDry${String(largest).padStart(8, '0')}`;
	workflows.push(nodeWorkflow(ids.dry, largest, undefined, {}, { dryRun: true }));
	ids.naive = `benchNaive${String(NAIVE_ROWS).padStart(6, '0')}`;
	workflows.push(naiveWorkflow(ids.naive, NAIVE_ROWS, sandbox.url, DEMO));
	await importWorkflows(workflows);
	say(`imported ${workflows.length} workflows: ${workflows.map((w) => `${w.id} "${w.name}"`).join('; ')}`);

	// a warm-up: the node's first run logs in and stores the session in the credential (as any earlier use would have)
	say('warm-up: one run of the node and the peer at the smallest size (not counted)');
	await executeMeasured(sandbox, 'node', ids[`node-${NAIVE_ROWS}`], NAIVE_ROWS, 0, VAULT_NODE_NAMES);
	await executeMeasured(sandbox, 'peer', ids[`peer-${SIZES[0]}`], SIZES[0], 0, PEER_NODE_NAMES);

	const results: Measured[] = [];
	for (const rows of SIZES) {
		for (let run = 1; run <= REPEATS; run++) {
			// rotate which goes first
			const order: Array<[Measured['kind'], string, string[]]> = [
				['node', ids[`node-${rows}`], VAULT_NODE_NAMES],
				['peer', ids[`peer-${rows}`], PEER_NODE_NAMES],
				['node, output per batch', ids[`batch-${rows}`], VAULT_NODE_NAMES],
			];
			for (let turn = 1; turn < run; turn++) order.push(order.shift() as (typeof order)[number]);
			for (const [kind, id, names] of order) results.push(await executeMeasured(sandbox, kind, id, rows, run, names));
		}
	}
	for (let run = 1; run <= REPEATS; run++) {
		const order: Array<['node' | 'naive', string, string[]]> = [
			['node', ids[`node-${NAIVE_ROWS}`], VAULT_NODE_NAMES],
			['naive', ids.naive, NAIVE_NODE_NAMES],
		];
		if (run % 2 === 0) order.reverse();
		for (const [kind, id, names] of order) results.push(await executeMeasured(sandbox, kind, id, NAIVE_ROWS, run, names));
	}

	// the node without sending: what its own work (map, validate, batch, CSV, output items) costs, apart from the HTTP requests
	for (let run = 1; run <= REPEATS; run++) results.push(await executeMeasured(sandbox, 'node dry run', ids.dry, largest, run, VAULT_NODE_NAMES));

	record('');
	record(
		`Each run: \`n8n execute --id=<workflow> --rawOutput\` (a fresh n8n CLI process each time), the node's and the peer's runs alternating (the order rotated every run), after one warm-up run of each; each run starts once no other n8n, jest, bench or Chromium process runs and the CPUs were under 25 % busy for 2 s (waiting at most ${QUIET_WAIT_MS / 1000} s). ` +
			`Execution time per node = \`executionTime\` of the node's task in n8n's run data; run wall = the execution's stoppedAt − startedAt (Make rows included); the sandbox counts every call it got. ` +
			`Sandbox: ${JSON.stringify(BENCH_SANDBOX)}.`,
	);
	record('');
	record('| workflow | rows | run | per-node execution time (ms) | measured nodes total ms | run wall ms | n8n execute process ms | Vault calls (logins, submissions) | rows accepted (distinct) | job row errors | run status | before it: CPU busy / other busy processes (n8n, jest, benches, Chromium) |');
	record('|---|---|---|---|---|---|---|---|---|---|---|---|');
	for (const m of results) {
		const names = m.kind === 'peer' ? PEER_NODE_NAMES : m.kind === 'naive' ? NAIVE_NODE_NAMES : VAULT_NODE_NAMES;
		record(
			`| ${m.kind} | ${fmt(m.rows)} | ${m.run} | ${names.map((name) => `${name} ${fmt(m.nodeMs[name] ?? NaN)} (${fmt(m.items[name] ?? 0)} items out)`).join(', ')} (Make rows ${fmt(m.nodeMs['Make rows'] ?? NaN)}) | ${fmt(m.measuredMs)} | ${fmt(m.runWallMs)} | ${fmt(m.cliMs)} | ${m.calls} (${m.logins}, ${m.submissions}) | ${fmt(m.rowsSent)} (${fmt(m.distinct)}) | ${m.rowErrors} | ${m.status} | ${m.quiet} |`,
		);
	}
	record('');
	record('| rows | node: Veeva Vault QMS ms (3 runs; one output item per row, the default) | peer: Login + Build CSV batches + Send batch ms (3 runs) | node / peer (medians) | node run wall ms (median) | peer run wall ms (median) | Vault calls per run: node / peer |');
	record('|---|---|---|---|---|---|---|');
	const ratios: Array<[number, number, number]> = [];
	for (const rows of SIZES) {
		const node = results.filter((m) => m.kind === 'node' && m.rows === rows);
		const batch = results.filter((m) => m.kind === 'node, output per batch' && m.rows === rows);
		const peer = results.filter((m) => m.kind === 'peer' && m.rows === rows);
		const ratio = median(node.map((m) => m.measuredMs)) / median(peer.map((m) => m.measuredMs));
		const batchRatio = median(batch.map((m) => m.measuredMs)) / median(peer.map((m) => m.measuredMs));
		ratios.push([rows, ratio, batchRatio]);
		record(
			`| ${fmt(rows)} | ${node.map((m) => fmt(m.measuredMs)).join(' / ')} | ${peer.map((m) => fmt(m.measuredMs)).join(' / ')} | ${ratio.toFixed(2)} | ${fmt(median(node.map((m) => m.runWallMs)))} | ${fmt(median(peer.map((m) => m.runWallMs)))} | ${[...new Set(node.map((m) => m.calls))].join('/')} / ${[...new Set(peer.map((m) => m.calls))].join('/')} |`,
		);
		record(
			`| ${fmt(rows)}, node with Output: One Item per Batch | ${batch.map((m) => fmt(m.measuredMs)).join(' / ')} | (the same peer runs) | ${batchRatio.toFixed(2)} | ${fmt(median(batch.map((m) => m.runWallMs)))} | | ${[...new Set(batch.map((m) => m.calls))].join('/')} / |`,
		);
	}
	const naive = results.filter((m) => m.kind === 'naive');
	const node1k = results.filter((m) => m.kind === 'node' && m.rows === NAIVE_ROWS);
	record(
		`| ${fmt(NAIVE_ROWS)}, naive: one HTTP Request per item | node ${node1k.map((m) => fmt(m.measuredMs)).join(' / ')} | naive Login + Send one row ${naive.map((m) => fmt(m.measuredMs)).join(' / ')} | ${(median(node1k.map((m) => m.measuredMs)) / median(naive.map((m) => m.measuredMs))).toFixed(3)} | ${fmt(median(node1k.map((m) => m.runWallMs)))} | ${fmt(median(naive.map((m) => m.runWallMs)))} | ${[...new Set(node1k.map((m) => m.calls))].join('/')} / ${[...new Set(naive.map((m) => m.calls))].join('/')} |`,
	);
	const dry = results.filter((m) => m.kind === 'node dry run');
	const full = results.filter((m) => m.kind === 'node' && m.rows === largest);
	const peerLargest = results.filter((m) => m.kind === 'peer' && m.rows === largest);
	record(
		`| ${fmt(largest)}, node dry run (mapped, validated, batched, CSV built, nothing sent; one output item per batch instead of one per row) | ${dry.map((m) => fmt(m.measuredMs)).join(' / ')} | peer's Build CSV batches alone ${peerLargest.map((m) => fmt(m.nodeMs['Build CSV batches'] ?? NaN)).join(' / ')} | | ${fmt(median(dry.map((m) => m.runWallMs)))} | | ${[...new Set(dry.map((m) => m.calls))].join('/')} / |`,
	);
	record('');
	record(
		`At ${fmt(largest)} rows (medians): the node ${fmt(median(full.map((m) => m.measuredMs)))} ms = ${fmt(median(dry.map((m) => m.measuredMs)))} ms as a dry run (mapping, validation, batches, CSV; ${dry[0]?.items['Veeva Vault QMS']} output items) + ~${fmt(median(full.map((m) => m.measuredMs)) - median(dry.map((m) => m.measuredMs)))} ms for sending ${full[0]?.submissions} batches and the ${fmt(full[0]?.items['Veeva Vault QMS'] ?? 0)} per-row output items; ` +
			`the peer ${fmt(median(peerLargest.map((m) => m.measuredMs)))} ms = Build CSV batches ${fmt(median(peerLargest.map((m) => m.nodeMs['Build CSV batches'] ?? NaN)))} ms + Send batch ${fmt(median(peerLargest.map((m) => m.nodeMs['Send batch'] ?? NaN)))} ms (${peerLargest[0]?.submissions} requests) + Login ${fmt(median(peerLargest.map((m) => m.nodeMs.Login ?? NaN)))} ms.`,
	);
	record('');
	const at = ratios[ratios.length - 1];
	record(`- ${at[1] <= 0.25 ? 'met' : '**NOT MET**'}: the node's execution time ≤ ¼ of the peer's Code + HTTP nodes at ${fmt(at[0])} rows (medians: ${at[1].toFixed(2)}× with one output item per row, ${at[2].toFixed(2)}× with one per batch)`);
	const complete = results.filter((m) => m.kind !== 'node dry run').every((m) => m.rowsSent === m.rows && m.distinct === m.rows && m.status.startsWith('success'));
	record(`- ${complete ? 'met' : '**NOT MET**'}: every run succeeded and sent each of its rows once (rows accepted = distinct markers = rows, in every run)`);
}

// ---------------------------------------------------------------------------------------------
// 2. edge rows

async function benchEdges(sandbox: Sandbox): Promise<void> {
	const rows = 1000;
	// row indexes (0-based) and what replaces their values
	const overrides: Record<number, Record<string, string>> = {
		10: { operation: 'ADD\r' }, // a CR: the last column of a Windows line split on \n
		// a backslash: no record id holds one, so the node refuses the row before sending (ids in
		// Vault's form, issue 20; operations/valueForms.ts); the peer sends it
		600: { record_id: 'OP4000601\\' },
		700: { operation: 'add' }, // bad row: Vault's operation is case-sensitive
		701: { user_id: '' }, // bad row: no user
	};
	const nodeId = 'benchEdgeNode0001';
	const peerId = 'benchEdgePeer0001';
	await importWorkflows([
		nodeWorkflow(nodeId, rows, overrides, { onError: 'continueErrorOutput' } as never),
		peerWorkflow(peerId, rows, sandbox.url, DEMO, overrides),
	]);
	record('');
	record(
		`Edge rows: ${rows} rows, all valid but four: row 11 has operation "ADD\\r" (a CR, as when a Windows file is split on \\n), row 601 record_id "OP4000601\\" (a backslash, which no record id holds), row 701 operation "add", row 702 no user_id. ` +
			'The node runs with "On Error: Continue (using error output)"; both workflows as in the table above.',
	);
	record('');
	/** every faulty row is the node's error item, with its reason; the others reach Vault */
	const faulty = Object.keys(overrides).length;
	let nodeOutcome: { success: number; failed: number; accepted: number } | undefined;
	record('| workflow | what n8n reported | Vault calls (submissions answered SUCCESS / FAILURE) | rows Vault accepted into jobs | job row errors (Vault\'s words) |');
	record('|---|---|---|---|---|');
	for (const [kind, id] of [
		['node', nodeId],
		['peer', peerId],
	] as const) {
		await sandbox.client.clearLog();
		const jobsBefore = (await sandbox.client.state()).jobs.length;
		const result = await n8nExecute(id);
		const { run } = rawOutputRun<IRun>(result.stdout);
		const log = await sandbox.client.log();
		const seen = readLog(log);
		await sandbox.client.completeJobs();
		const jobs = (await sandbox.client.state()).jobs.slice(jobsBefore);
		const runData = run?.data.resultData.runData ?? {};
		let reported: string;
		if (kind === 'node') {
			const task = runData['Veeva Vault QMS']?.[0];
			const [success = [], failed = []] = (task?.data?.main ?? []) as Array<Array<{ json: Record<string, unknown> }> | null>;
			const errors = (failed ?? []).map((item) => String(item.json.error ?? item.json.message ?? JSON.stringify(item.json)).slice(0, 220));
			reported = `${success?.length ?? 0} items on the success output, ${failed?.length ?? 0} on the error output${errors.length ? `: ${errors.map((e) => `"${e}"`).join('; ')}` : ''}; run ${run?.status}`;
			nodeOutcome = { success: success?.length ?? 0, failed: failed?.length ?? 0, accepted: 0 };
		} else {
			const sent = (runData['Send batch']?.[0]?.data?.main?.[0] ?? []) as Array<{ json: Record<string, unknown> }>;
			reported = `Send batch output ${sent.length} items: ${sent.map((item) => JSON.stringify(item.json).slice(0, 200)).join('; ')}; run ${run?.status}`;
		}
		const failures = seen.submissionFailures.map((entry) => `${entry.errorType}`);
		const accepted = jobs.reduce((sum, job) => sum + job.rowCount, 0);
		const rowErrors = jobs.flatMap((job) => job.rowErrors.map((error) => `job ${job.id} row ${error.row}: ${error.message}`));
		if (kind === 'node' && nodeOutcome) nodeOutcome.accepted = accepted;
		record(
			`| ${kind} | ${reported.replace(/\|/g, '\\|').replace(/\r/g, '\\r').replace(/\n/g, ' ')} | ${seen.calls} (${seen.submissions - seen.submissionFailures.length} / ${seen.submissionFailures.length}${failures.length ? `: ${failures.join(', ')}` : ''}) | ${accepted} in ${jobs.length} jobs | ${rowErrors.length ? rowErrors.join('; ').replace(/\|/g, '\\|') : 'none'} |`,
		);
		for (const entry of seen.submissionFailures) say(`  ${kind}: a submission answered ${entry.responseStatus} ${entry.errorType}`);
	}
	const held = nodeOutcome !== undefined && nodeOutcome.failed === faulty && nodeOutcome.success === rows - faulty && nodeOutcome.accepted === rows - faulty;
	record('');
	record(
		`- ${held ? 'met' : '**NOT MET**'}: the node puts the ${faulty} faulty rows on its error output and Vault accepts the other ${rows - faulty} (got ${nodeOutcome ? `${nodeOutcome.failed} error items, ${nodeOutcome.success} success items, ${nodeOutcome.accepted} rows accepted` : 'no node run'})`,
	);
}

// ---------------------------------------------------------------------------------------------
// 3. queue mode

async function setUpOwner(baseUrl: string): Promise<string> {
	const setup = await fetch(`${baseUrl}/rest/owner/setup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(OWNER) });
	if (setup.ok) return (setup.headers.get('set-cookie') ?? '').split(';')[0];
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password }),
	});
	return (login.headers.get('set-cookie') ?? '').split(';')[0];
}

/**
 * Waits until the webhook is registered (n8n 2.x registers published workflows after start): a GET
 * on a POST webhook answers "Did you mean to make a POST request?" once it is, and starts nothing.
 */
async function waitForWebhook(baseUrl: string): Promise<void> {
	for (const began = Date.now(); Date.now() - began < 90_000; ) {
		const probe = await fetch(`${baseUrl}/webhook/${QUEUE_WEBHOOK_PATH}`);
		const text = await probe.text();
		if (/POST/.test(text)) break;
		await new Promise((done) => setTimeout(done, 1000));
	}
}

interface Burst {
	workers: number;
	label: string;
	wallMs: number;
	rowsPerSecond: number;
	statuses: string;
	seen: ReturnType<typeof readLog>;
	missing: number;
	doubled: number;
	perWorker: number[];
	failedBodies: string[];
	quiet: string;
}

async function fireBurst(baseUrl: string, sandbox: Sandbox, workers: Server[], firstOffset: number, label: string, main: Server): Promise<Burst> {
	const quiet = await waitForQuiet([main.child.pid, ...workers.map((worker) => worker.child.pid)]);
	await sandbox.client.clearLog();
	const startedCounts = workers.map((worker) => (worker.output().match(/Worker started execution/g) ?? []).length);
	const t0 = Date.now();
	const answers = await Promise.all(
		Array.from({ length: QUEUE_EXECUTIONS }, async (_, e) => {
			const response = await fetch(`${baseUrl}/webhook/${QUEUE_WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ offset: firstOffset + e * QUEUE_ROWS }),
				signal: AbortSignal.timeout(600_000),
			});
			return { status: response.status, body: await response.text() };
		}),
	);
	const wallMs = Date.now() - t0;
	const seen = readLog(await sandbox.client.log());
	let missing = 0;
	let doubled = 0;
	for (let i = firstOffset; i < firstOffset + QUEUE_EXECUTIONS * QUEUE_ROWS; i++) {
		const count = seen.markers.get(markerOf(rowOf(i))) ?? 0;
		if (count === 0) missing++;
		if (count > 1) doubled++;
	}
	const byStatus = new Map<number, number>();
	for (const answer of answers) byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
	const failedBodies = answers.filter((answer) => answer.status !== 200 || !/jobId|job/i.test(answer.body)).map((answer) => `${answer.status} ${answer.body.slice(0, 300)}`);
	await new Promise((done) => setTimeout(done, 500));
	const perWorker = workers.map((worker, k) => (worker.output().match(/Worker started execution/g) ?? []).length - startedCounts[k]);
	const burst: Burst = {
		workers: workers.length,
		label,
		wallMs,
		rowsPerSecond: (QUEUE_EXECUTIONS * QUEUE_ROWS) / (wallMs / 1000),
		statuses: [...byStatus].map(([status, count]) => `${count}× HTTP ${status}`).join(', '),
		seen,
		missing,
		doubled,
		perWorker,
		failedBodies,
		quiet,
	};
	say(
		`  ${workers.length} worker(s), ${label}: ${QUEUE_EXECUTIONS} webhook calls answered in ${fmt(wallMs)} ms (${burst.statuses}); executions per worker ${perWorker.join(' + ')}; ` +
			`sandbox: ${seen.calls} calls, ${seen.logins} logins (${seen.loginsRefused} refused), ${seen.submissions} submissions (${seen.submissionFailures.length} refused: ${seen.submissionFailures.map((entry) => entry.errorType).join(', ')}) accepting ${fmt(seen.rows)} rows, ${seen.markers.size} distinct markers, missing ${missing}, doubled ${doubled}, ` +
			`INVALID_SESSION_ID ${seen.invalidSession}, API_LIMIT_EXCEEDED ${seen.apiLimit}, delayed answers ${seen.delayed}, sessions used for submissions ${seen.sessions}; ${fmt(burst.rowsPerSecond)} rows/s`,
	);
	for (const body of failedBodies.slice(0, 5)) say(`    answer: ${body}`);
	return burst;
}

async function benchQueue(): Promise<void> {
	// Vault's own defaults (burst limit 2,000 per 5 min with 500 ms delays past it, 20 logins a minute per user, jobs 100 + 300 ms)
	const sandbox = await startSandbox({});
	const settings = await sandbox.client.getSettings();
	say(`queue sandbox at ${sandbox.url} (default settings: burst ${settings.burstLimit}/${settings.burstWindowMs / 1000} s, login limit ${settings.loginLimitPerMinute}/min)`);
	await importCredential(sandbox);
	const workflow = queueWorkflow('benchQueueManage01', QUEUE_ROWS);
	await importWorkflows([workflow]);
	const activate = N8N_MAJOR >= 2 ? ['publish:workflow', `--id=${workflow.id}`] : ['update:workflow', `--id=${workflow.id}`, '--active=true'];
	mustSucceed(`n8n ${activate[0]}`, await n8n(activate));

	const redisPort = await freePort();
	const redis = startServer('redis', 'redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { logFile: join(RUN_DIR, 'redis.log') });
	await redis.waitFor(/Ready to accept connections/, 30_000);
	const queueEnv = { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redisPort) };
	const bursts: Burst[] = [];
	for (const count of QUEUE_WORKERS) {
		// a fresh credential (no stored session) and a fresh sandbox: the cold case, every worker without a session
		await sandbox.client.reset();
		await importCredential(sandbox);
		const workers: Server[] = [];
		for (let k = 0; k < count; k++) {
			const worker = startServer(`n8n worker ${k + 1}`, join(NODE24_BIN, 'node'), [N8N_JS, 'worker', `--concurrency=${WORKER_CONCURRENCY}`], {
				env: n8nEnv({ ...queueEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_PORT: String(await freePort()), N8N_PORT: String(await freePort()) }),
				logFile: join(RUN_DIR, `n8n-worker-${count}-${k + 1}.log`),
			});
			workers.push(worker);
		}
		for (const worker of workers) await worker.waitFor(/n8n worker is now ready/i, 180_000);
		const port = await freePort();
		const baseUrl = `http://127.0.0.1:${port}`;
		const main = startServer('n8n main', join(NODE24_BIN, 'node'), [N8N_JS, 'start'], {
			env: n8nEnv({ ...queueEnv, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_RUNNERS_BROKER_PORT: String(await freePort()), WEBHOOK_URL: `${baseUrl}/` }),
			logFile: join(RUN_DIR, `n8n-main-${count}.log`),
		});
		await main.waitFor(/Editor is now accessible via/, 180_000);
		await setUpOwner(baseUrl);
		await waitForWebhook(baseUrl);
		say(`queue mode: redis :${redisPort}, ${count} worker(s) (concurrency ${WORKER_CONCURRENCY} each, pids ${workers.map((w) => w.child.pid).join(', ')}), main ${baseUrl}; other busy processes on the machine: ${otherN8nProcesses([main.child.pid, ...workers.map((w) => w.child.pid)])}`);
		const total = QUEUE_EXECUTIONS * QUEUE_ROWS;
		const mine: Burst[] = [];
		mine.push(await fireBurst(baseUrl, sandbox, workers, 0, 'cold (no session stored in the credential)', main));
		mine.push(await fireBurst(baseUrl, sandbox, workers, total, 'warm (the session stored by the cold burst)', main));
		// two more warm bursts (rows again new) for the throughput's median
		mine.push(await fireBurst(baseUrl, sandbox, workers, 4 * total, 'warm, again', main));
		mine.push(await fireBurst(baseUrl, sandbox, workers, 5 * total, 'warm, a third time', main));
		// the stored session ended in Vault (idle timeout, a password change): every execution meets INVALID_SESSION_ID
		await sandbox.client.expireSessions();
		mine.push(await fireBurst(baseUrl, sandbox, workers, 2 * total, 'expired (every session ended in the sandbox before it)', main));
		// the Vault's burst budget nearly spent: 20 calls left in the 5-minute window (opened by the cold burst's first call)
		const used = mine.reduce((sum, burst) => sum + burst.seen.calls, 0);
		await sandbox.client.settings({ burstLimit: used + 20 });
		mine.push(await fireBurst(baseUrl, sandbox, workers, 3 * total, `burst budget: ${used + 20} calls per 5 min, 20 left`, main));
		bursts.push(...mine);
		await sandbox.client.completeJobs();
		const state = await sandbox.client.state();
		say(`  sandbox state: ${state.logins} logins since reset, ${state.sessions} live sessions, ${state.jobs.length} jobs, ${state.jobs.reduce((s, j) => s + j.rowErrors.length, 0)} job row errors`);
		await main.stop();
		for (const worker of workers) await worker.stop();
	}
	await redis.stop();
	await sandbox.server.stop();

	record('');
	record(
		`Queue mode: n8n main + ${QUEUE_WORKERS.join(' or ')} \`n8n worker --concurrency=${WORKER_CONCURRENCY}\`, Redis, SQLite; ${QUEUE_EXECUTIONS} simultaneous POSTs to a webhook workflow (Webhook, answering when the execution ends → Make rows → the node, Manage, not waiting for the jobs), ${fmt(QUEUE_ROWS)} rows each, every row with its own (record, user) marker. ` +
			'Sandbox at its default settings (burst limit 2,000 calls per 5 min with 500 ms delays past it, 20 logins per minute per user, jobs 100 + 300 ms). Per worker count: the sandbox reset and the credential imported again without a session, then six bursts, each with new rows: cold, warm (the session the cold one stored) three times, expired (the sandbox ended every session first), and with the burst budget nearly spent (the limit set to the calls made so far + 20). Rows/s = all rows ÷ the time from the first POST to the last answer.',
	);
	record('');
	record('| workers | burst | webhook answers | wall ms | rows/s | executions per worker | logins (refused) | submissions (refused: why) | rows accepted | distinct markers | missing | sent twice | INVALID_SESSION_ID answers | API_LIMIT_EXCEEDED | delayed answers | distinct sessions on submissions | before it: CPU busy / other busy processes |');
	record('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
	for (const b of bursts) {
		record(
			`| ${b.workers} | ${b.label} | ${b.statuses} | ${fmt(b.wallMs)} | ${fmt(b.rowsPerSecond)} | ${b.perWorker.join(' + ')} | ${b.seen.logins} (${b.seen.loginsRefused}) | ${b.seen.submissions} (${b.seen.submissionFailures.length}${b.seen.submissionFailures.length ? `: ${[...new Set(b.seen.submissionFailures.map((entry) => entry.errorType))].join(', ')}` : ''}) | ${fmt(b.seen.rows)} | ${fmt(b.seen.markers.size)} | ${b.missing} | ${b.doubled} | ${b.seen.invalidSession} | ${b.seen.apiLimit} | ${b.seen.delayed} | ${b.seen.sessions} | ${b.quiet} |`,
		);
	}
	record('');
	record('| workers | throughput, warm bursts (median of 3) | cold burst | logins, cold / expired burst |');
	record('|---|---|---|---|');
	for (const count of QUEUE_WORKERS) {
		const mine = bursts.filter((b) => b.workers === count);
		const warm = mine.filter((b) => b.label.startsWith('warm'));
		const cold = mine.find((b) => b.label.startsWith('cold'));
		const expired = mine.find((b) => b.label.startsWith('expired'));
		record(
			`| ${count} | ${fmt(median(warm.map((b) => b.rowsPerSecond)))} rows/s (${warm.map((b) => fmt(b.rowsPerSecond)).join(' / ')}) | ${fmt(cold?.rowsPerSecond ?? NaN)} rows/s | ${cold?.seen.logins} / ${expired?.seen.logins} |`,
		);
	}
	record('');
	for (const b of bursts) {
		const expected = QUEUE_EXECUTIONS * QUEUE_ROWS;
		record(`- ${b.missing === 0 && b.doubled === 0 && b.seen.rows === expected ? 'met' : '**NOT MET**'}: ${b.workers} worker(s), ${b.label.split(' (')[0]}: every row sent once (${fmt(b.seen.rows)} rows accepted by the sandbox for ${fmt(expected)}, ${b.missing} missing, ${b.doubled} twice)`);
		record(`- ${b.seen.logins <= b.workers ? 'met' : '**NOT MET**'}: ${b.workers} worker(s), ${b.label.split(' (')[0]}: logins ≤ workers (${b.seen.logins} logins${b.seen.loginsRefused ? `, ${b.seen.loginsRefused} refused` : ''})`);
		if (b.failedBodies.length) record(`  - ${b.failedBodies.length} webhook answer(s) without a job: ${b.failedBodies.slice(0, 3).map((text) => `"${text.slice(0, 200)}"`).join('; ')}`);
	}
}

// ---------------------------------------------------------------------------------------------
// 4. one burst budget per Vault in a process (issue 26)

/**
 * A small burst limit: 20 executions of 1,000 rows make 60 calls (40 submissions, 20 reads of the
 * Quality Team configuration), more than one window allows. Vault's window is 5 minutes; the
 * sandbox's is 20 s here, so a burst spans windows in a minute. The node assumes no window length
 * while calls are left: at its reserve (5 calls here) it goes on 1, 2, 4, 8, 16 s apart and sees the
 * window turn; with none left it would wait out Vault's 5 minutes (pacing.ts), so the limit is 50,
 * not less, for a bench of minutes.
 */
const PACE_SANDBOX = { burstLimit: 50, burstWindowMs: 20_000, burstDelayMs: 500 } satisfies SandboxSettingsPatch;
const PACE_WORKERS = 2;
/** pace rows: past the queue bench's (6 bursts × 20 executions × 1,000 rows) */
const PACE_FIRST_OFFSET = 400_000;

/** n8n main (regular mode unless env says queue), its owner set up and the webhook registered. */
async function startMain(extraEnv: NodeJS.ProcessEnv, logName: string): Promise<{ main: Server; baseUrl: string }> {
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const main = startServer('n8n main', join(NODE24_BIN, 'node'), [N8N_JS, 'start'], {
		env: n8nEnv({ ...extraEnv, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_RUNNERS_BROKER_PORT: String(await freePort()), WEBHOOK_URL: `${baseUrl}/` }),
		logFile: join(RUN_DIR, `n8n-main-${logName}.log`),
	});
	await main.waitFor(/Editor is now accessible via/, 180_000);
	await setUpOwner(baseUrl);
	await waitForWebhook(baseUrl);
	return { main, baseUrl };
}

async function benchPace(): Promise<void> {
	const sandbox = await startSandbox(PACE_SANDBOX);
	await importCredential(sandbox);
	const workflow = queueWorkflow('benchQueueManage01', QUEUE_ROWS);
	await importWorkflows([workflow]);
	const activate = N8N_MAJOR >= 2 ? ['publish:workflow', `--id=${workflow.id}`] : ['update:workflow', `--id=${workflow.id}`, '--active=true'];
	mustSucceed(`n8n ${activate[0]}`, await n8n(activate));
	say(`pace sandbox at ${sandbox.url}: burst limit ${PACE_SANDBOX.burstLimit} per ${PACE_SANDBOX.burstWindowMs / 1000} s, ${PACE_SANDBOX.burstDelayMs} ms delays past it`);
	const bursts: Array<Burst & { mode: string }> = [];
	let offset = PACE_FIRST_OFFSET;
	const burst = async (mode: string, label: string, baseUrl: string, main: Server, workers: Server[]) => {
		// each burst from a fresh window: the sandbox's starts at the first call after the last one ran out
		await new Promise((done) => setTimeout(done, PACE_SANDBOX.burstWindowMs + 1000));
		bursts.push({ ...(await fireBurst(baseUrl, sandbox, workers, offset, label, main)), mode });
		offset += QUEUE_EXECUTIONS * QUEUE_ROWS;
	};

	const single = await startMain({}, 'pace');
	// a warm-up execution: the credential gets its session (not counted)
	await fetch(`${single.baseUrl}/webhook/${QUEUE_WEBHOOK_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ offset }) });
	offset += QUEUE_ROWS;
	await burst('one process (regular mode)', 'first', single.baseUrl, single.main, []);
	await burst('one process (regular mode)', 'second', single.baseUrl, single.main, []);
	await single.main.stop();

	const redisPort = await freePort();
	const redis = startServer('redis', 'redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { logFile: join(RUN_DIR, 'redis-pace.log') });
	await redis.waitFor(/Ready to accept connections/, 30_000);
	const queueEnv = { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redisPort) };
	const workers: Server[] = [];
	for (let k = 0; k < PACE_WORKERS; k++) {
		workers.push(
			startServer(`n8n worker ${k + 1}`, join(NODE24_BIN, 'node'), [N8N_JS, 'worker', `--concurrency=${WORKER_CONCURRENCY}`], {
				env: n8nEnv({ ...queueEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_PORT: String(await freePort()), N8N_PORT: String(await freePort()) }),
				logFile: join(RUN_DIR, `n8n-worker-pace-${k + 1}.log`),
			}),
		);
	}
	for (const worker of workers) await worker.waitFor(/n8n worker is now ready/i, 180_000);
	const queued = await startMain(queueEnv, 'pace-queue');
	await burst(`queue mode, ${PACE_WORKERS} workers`, 'first', queued.baseUrl, queued.main, workers);
	await queued.main.stop();
	for (const worker of workers) await worker.stop();
	await redis.stop();
	await sandbox.server.stop();
	recordPace(bursts);
}

function recordPace(bursts: Array<Burst & { mode: string }>): void {
	record('');
	record(
		`One burst budget per Vault (issue 26): ${QUEUE_EXECUTIONS} simultaneous POSTs to the webhook workflow of the queue bench (Manage, ${fmt(QUEUE_ROWS)} rows each, not waiting for the jobs), first in one n8n process (regular mode, after one warm-up execution that stored the session), then in queue mode over ${PACE_WORKERS} \`n8n worker --concurrency=${WORKER_CONCURRENCY}\`. ` +
			`Sandbox: burst limit ${PACE_SANDBOX.burstLimit} calls per ${PACE_SANDBOX.burstWindowMs / 1000} s window (Vault's is 5 minutes), each answer past it delayed ${PACE_SANDBOX.burstDelayMs} ms as Vault does; each burst starts in a fresh window. Delayed answers = answers carrying X-VaultAPI-ResponseDelay.`,
	);
	record('');
	record('| n8n | burst | webhook answers | wall ms | Vault calls | logins | submissions (refused) | rows accepted | distinct markers | missing | sent twice | delayed answers | API_LIMIT_EXCEEDED |');
	record('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
	for (const b of bursts) {
		record(
			`| ${b.mode} | ${b.label} | ${b.statuses} | ${fmt(b.wallMs)} | ${b.seen.calls} | ${b.seen.logins} | ${b.seen.submissions} (${b.seen.submissionFailures.length}) | ${fmt(b.seen.rows)} | ${fmt(b.seen.markers.size)} | ${b.missing} | ${b.doubled} | ${b.seen.delayed} | ${b.seen.apiLimit} |`,
		);
	}
	record('');
	for (const b of bursts) {
		const expected = QUEUE_EXECUTIONS * QUEUE_ROWS;
		const once = b.missing === 0 && b.doubled === 0 && b.seen.rows === expected;
		record(`- ${b.seen.delayed === 0 ? 'met' : '**NOT MET**'}: ${b.mode}, ${b.label} burst: no answer delayed for exceeding the burst limit (${b.seen.delayed} delayed of ${b.seen.calls} calls)`);
		record(`- ${once ? 'met' : '**NOT MET**'}: ${b.mode}, ${b.label} burst: every row once (${fmt(b.seen.rows)} rows accepted for ${fmt(expected)}, ${b.missing} missing, ${b.doubled} twice)`);
	}
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	rmSync(RUN_DIR, { recursive: true, force: true });
	mkdirSync(USER_FOLDER, { recursive: true });
	say(`n8n ${VERSION} at ${N8N_DIR}; work folder ${RUN_DIR}`);
	const tarball = await installPackage();
	const startedAt = new Date();
	record(`# ${startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC — in a real n8n (npm run bench:n8n)`);
	record('');
	record(
		`Command: \`npm run bench:n8n${args.length ? ` -- ${args.join(' ')}` : ''}\` · n8n ${VERSION} (Node ${execFileSync(join(NODE24_BIN, 'node'), ['--version'], { encoding: 'utf8' }).trim()}, SQLite, task runners as n8n's default) · package ${tarball} packed from ${PACK_FROM} at commit ${gitRevision(PACK_FROM).text} · machine: ${cpus().length} cores (${cpus()[0]?.model.split(' ')[0]}), ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
	);
	if (ONLY.has('peer') || ONLY.has('edge')) {
		const sandbox = await startSandbox(BENCH_SANDBOX);
		await importCredential(sandbox);
		if (ONLY.has('peer')) await benchPeer(sandbox);
		if (ONLY.has('edge')) await benchEdges(sandbox);
		await sandbox.server.stop();
	}
	if (ONLY.has('queue')) await benchQueue();
	if (ONLY.has('pace')) await benchPace();
	if (ONLY.has('roster'))
		await benchRoster({ runDir: RUN_DIR, quick: QUICK, sandboxSettings: BENCH_SANDBOX, startSandbox, importCredential, importWorkflows, execute: n8nExecute, waitForQuiet: async () => await waitForQuiet(), record, say });
	record('');
	record(`(took ${((Date.now() - began) / 60_000).toFixed(1)} min, ${fmt(quietWaitedMs / 1000)} s of it waiting for the machine to be quiet)`);
	if (WRITE) say(`\nwritten to ${relative(REPO, writeRunResults(startedAt, gitRevision(PACK_FROM), out.join('\n'), 'n8n'))}`);
	writeFileSync(join(RUN_DIR, 'results.md'), `${out.join('\n')}\n`);
	say(`written to ${join(RUN_DIR, 'results.md')}`);
}

main()
	.catch((error: unknown) => {
		process.stdout.write(`\nbench:n8n aborted: ${(error as Error).stack ?? String(error)}\n`);
		process.exitCode = 1;
	})
	.finally(async () => {
		await stopAll();
	});
