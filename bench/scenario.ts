/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * One benchmark scenario, in a process of its own so its memory peak is its own. Started by
 * bench/run.ts with the scenario as JSON in argv[2]; prints one line `RESULT {json}`.
 * - node: the Veeva Vault QMS node inside n8n-core's engine (test/harness), after a warm-up run
 * - floor: the same rows as CSV by plain papaparse.unparse, one plain HTTP POST per batch (the raw floor)
 * - inN8nFloor: the same rows through papaparse and n8n's httpRequestWithAuthentication with the
 *   node's credential, one call per batch, in the same engine (bench/inN8nFloor.ts)
 * - file: a generated CSV file in a binary property, output per batch (dry run or sent)
 */
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { getHeapSpaceStatistics } from 'node:v8';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-veeva-bench-'));

import Papa from 'papaparse';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { createHarness, registerNodeType, useFilesystemBinaryData } from '../test/harness/engine';
import { IN_N8N_FLOOR_TYPE, InN8nFloor } from './inN8nFloor';
import { DEMO_USER } from '../test/sandbox';
import { forgetRecentSessions } from '../nodes/VeevaVaultQms/transport/sessions';
import { ACTIVE_USERS, recordsBeyondGenerated, ROLES, syncRoster } from './rosterData';

export interface Scenario {
	/**
	 * sync: Sync Members over a roster of `rows` assignments, 10 per record, against teams seeded with 5% drift;
	 * leavers: Remove User From All Teams for 100 people, against `rows` memberships on 5 team-enabled objects
	 */
	kind: 'node' | 'floor' | 'inN8nFloor' | 'file' | 'sync' | 'leavers';
	operation: 'manage' | 'documents';
	rows: number;
	/** defineBelow: `={{ $json.record_id }}` per column (what dragging a field writes); defineBelowComputed: `={{ $json.record_id.trim() }}`, which n8n's evaluator must run */
	mapping?: 'auto' | 'defineBelow' | 'defineBelowComputed';
	dryRun?: boolean;
	/** node: Wait for Completion (polls the jobs); off, the node makes the same calls as the floors (login + submissions) */
	wait?: boolean;
	/** node: the poll interval asked for, in seconds (default 10) */
	pollIntervalSeconds?: number;
	/** node: Output (default one item per input item) */
	outputMode?: 'perItem' | 'perBatch';
	/** sandbox settings applied after each reset (the reset returns to the bench's start settings) */
	sandboxSettings?: Record<string, unknown>;
	/** file: how the file is held, as n8n's binary-data modes do: base64 in the item (default) or stored on disk (filesystem) */
	binaryMode?: 'default' | 'filesystem';
	/**
	 * file: every second a full GC, then the heap still in use: the memory the run really holds
	 * (peakLiveHeapMb), apart from garbage V8 has not collected yet. Changes the run's RSS peak:
	 * a diagnostic run of its own.
	 */
	liveHeapProbe?: boolean;
	/**
	 * file: V8's sampling heap profiler over the measured run, counting objects that survived a
	 * scavenge (promoted) even when a later full GC freed them: where the old generation's growth
	 * comes from (promotedMb, promotedSites).
	 */
	heapSampling?: boolean;
	/** Manage rows whose users are given by email (findUsersBy email), 10,000+ distinct users seeded; 'ids': the same rows by id */
	lookup?: 'email' | 'ids';
	/** sync: the share of the teams that differs from the roster, half removals, half additions (default 0.05) */
	drift?: number;
	/** sync: sent without waiting (default), Plan Only (read and planned, nothing sent), or sent with Verify (waits for the jobs, reads the teams back) */
	syncMode?: 'send' | 'planOnly' | 'verify';
	/** measured runs (node and floor): the one with the median CPU time is reported, memory peaks are the highest */
	repeats?: number;
	vaultUrl: string;
}

export interface ScenarioResult {
	wallMs: number;
	cpuMs: number;
	/** resident memory right before the measured run (after a GC), and its peak during the run */
	baselineRssMb: number;
	peakRssMb: number;
	peakRssSource: string;
	/** heap used: sampled every 20 ms (and at the end) during the measured run */
	peakHeapMb: number;
	/** the measured run's start and end on V8's profiler clock (µs), to cut a --cpu-prof profile to it */
	profileWindowUs: [number, number];
	outputItems?: number;
	errors?: string;
	/** the generated CSV file's size (file scenarios) */
	fileMb?: number;
	/** heap in use right before the measured run (after a full GC) */
	baselineHeapMb?: number;
	/** heapSampling: MB that survived a scavenge during the run (sampled), in all and by allocation site */
	promotedMb?: number;
	promotedSites?: Array<{ mb: number; site: string }>;
	/** liveHeapProbe: the most heap in use right after a full GC during the run, and the heap's parts then */
	peakLiveHeapMb?: number;
	liveHeapSpaces?: Record<string, number>;
	/** CPU time of each measured run, in run order */
	cpuMsRuns?: number[];
}

/** Runs `measureOnce` `repeats` times: the run with the median CPU time, memory from the run that grew most. */
async function repeated(repeats: number, measureOnce: () => Promise<ScenarioResult>): Promise<ScenarioResult> {
	const runs: ScenarioResult[] = [];
	for (let i = 0; i < Math.max(1, repeats); i++) runs.push(await measureOnce());
	const byCpu = [...runs].sort((a, b) => a.cpuMs - b.cpuMs);
	const median = byCpu[Math.floor((byCpu.length - 1) / 2)];
	const growth = (run: ScenarioResult) => run.peakRssMb - run.baselineRssMb;
	const memory = runs.reduce((most, run) => (growth(run) > growth(most) ? run : most));
	return {
		...median,
		baselineRssMb: memory.baselineRssMb,
		peakRssMb: memory.peakRssMb,
		peakHeapMb: Math.max(...runs.map((run) => run.peakHeapMb)),
		cpuMsRuns: runs.map((run) => run.cpuMs),
	};
}

const MANAGE_PATH = '/app/quality/qms/teams/vobjects/quality_event__qdm/actions/manageassignments';
const DOCS_PATH = '/objects/documents/roles/batch';
const API = 'v25.3';


/** Row i of Manage: records OP4000001..OP4002000 and users reused (a repeated ADD is accepted), every row valid. */
export function manageRow(i: number): IDataObject {
	return {
		record_id: `OP${4000001 + (i % 2000)}`,
		user_id: String(ACTIVE_USERS[(i * 7) % ACTIVE_USERS.length]),
		application_role: ROLES[i % ROLES.length],
		operation: 'ADD',
	};
}

export function documentRow(i: number): IDataObject {
	return { id: String(1 + (i % 3000)), 'reviewer__v.users': String(ACTIVE_USERS[i % ACTIVE_USERS.length]), 'approver__v.groups': String(3311301 + (i % 100)) };
}

const rowOf = (operation: Scenario['operation']) => (operation === 'manage' ? manageRow : documentRow);

/** Users seeded for the lookup scenarios: ids from 200001, each with its own email. */
const LOOKUP_FIRST_ID = 200_001;
const lookupEmail = (i: number) => `bench.user${LOOKUP_FIRST_ID + i}@example.com`;

/** Row i of the lookup scenarios: user i (distinct per row) by email or by id, on records OP4000001..OP4002000. */
function lookupRow(scenario: Scenario, i: number): IDataObject {
	return {
		record_id: `OP${4000001 + (i % 2000)}`,
		user_id: scenario.lookup === 'email' ? lookupEmail(i) : String(LOOKUP_FIRST_ID + i),
		application_role: ROLES[i % ROLES.length],
		operation: 'ADD',
	};
}

async function seedLookupUsers(scenario: Scenario) {
	const users = Array.from({ length: scenario.rows }, (_, i) => ({
		id: LOOKUP_FIRST_ID + i,
		username: lookupEmail(i),
		email: lookupEmail(i),
		firstName: 'Bench',
		lastName: `User ${i}`,
	}));
	const answer = await fetch(`${scenario.vaultUrl}/_sandbox/seed`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ users }) });
	if (!answer.ok) throw new Error(`seeding ${users.length} users answered ${answer.status}`);
}

function parametersFor(scenario: Scenario): INodeParameters {
	const base: INodeParameters =
		scenario.operation === 'manage'
			? { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' }
			: { resource: 'documentRole', operation: 'assign' };
	const options: INodeParameters = {
		waitForCompletion: scenario.operation === 'manage' && !scenario.dryRun && scenario.wait === true,
		pollIntervalSeconds: scenario.pollIntervalSeconds ?? 10,
	};
	if (scenario.outputMode) options.outputMode = scenario.outputMode;
	if (scenario.dryRun) options.dryRun = true;
	if (scenario.lookup === 'email') base.findUsersBy = 'email';
	if (scenario.mapping === 'defineBelow' || scenario.mapping === 'defineBelowComputed') {
		const columns = Object.keys(rowOf(scenario.operation)(0));
		const pick = (column: string) => (/^[A-Za-z_$][\w$]*$/.test(column) ? `$json.${column}` : `$json["${column}"]`);
		const expression = (column: string) => (scenario.mapping === 'defineBelow' ? `={{ ${pick(column)} }}` : `={{ String(${pick(column)}).trim() }}`);
		base.columns = {
			mappingMode: 'defineBelow',
			value: Object.fromEntries(columns.map((column) => [column, expression(column)])),
			schema: columns.map((column) => ({ id: column, displayName: column, type: 'string', required: false, display: true, defaultMatch: false })),
		} as never;
	}
	return { ...base, options };
}

const mb = (bytes: number) => Math.round((bytes / 1024 ** 2) * 10) / 10;

/**
 * The process's resident-memory high-water mark can be reset on Linux (writing 5 to
 * /proc/self/clear_refs resets VmHWM), so the peak is the measured run's own and not the
 * process's lifetime maximum (maxRSS). Elsewhere the peak is the sampled RSS (every 5 ms).
 */
function resetPeakRss(): boolean {
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		return /VmHWM:\s*\d+/.test(readFileSync('/proc/self/status', 'utf8'));
	} catch {
		return false;
	}
}

function peakRssSinceReset(): number | undefined {
	try {
		const kb = /VmHWM:\s*(\d+)\s*kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
		return kb === undefined ? undefined : Number(kb) * 1024;
	} catch {
		return undefined;
	}
}

/** Wall and CPU time of `run`, with peak RSS and heap (sampled every 20 ms, and the OS high-water mark). */
async function measure(run: () => Promise<{ outputItems: number; errors?: string }>, liveHeapProbe = false): Promise<ScenarioResult> {
	global.gc?.();
	global.gc?.();
	const baselineRss = process.memoryUsage().rss;
	const baselineHeap = process.memoryUsage().heapUsed;
	const hwmReset = resetPeakRss();
	let peakHeap = process.memoryUsage().heapUsed;
	let peakRss = baselineRss;
	const sample = () => {
		const usage = process.memoryUsage();
		peakHeap = Math.max(peakHeap, usage.heapUsed);
		peakRss = Math.max(peakRss, usage.rss);
	};
	const sampler = setInterval(sample, 20);
	let peakLive = 0;
	let liveSpaces: Record<string, number> | undefined;
	const probe = liveHeapProbe
		? setInterval(() => {
				global.gc?.();
				const used = process.memoryUsage().heapUsed;
				if (used <= peakLive) return;
				peakLive = used;
				liveSpaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, mb(space.space_used_size)]));
			}, 1000)
		: undefined;
	const windowStartUs = Number(process.hrtime.bigint() / 1000n);
	const cpu = process.cpuUsage();
	const started = process.hrtime.bigint();
	const outcome = await run();
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const used = process.cpuUsage(cpu);
	const windowEndUs = Number(process.hrtime.bigint() / 1000n);
	clearInterval(sampler);
	if (probe) clearInterval(probe);
	sample();
	const osPeak = hwmReset ? peakRssSinceReset() : undefined;
	return {
		wallMs: Math.round(wallMs),
		cpuMs: Math.round((used.user + used.system) / 1000),
		baselineRssMb: mb(baselineRss),
		peakRssMb: mb(Math.max(peakRss, osPeak ?? 0)),
		peakRssSource: osPeak === undefined ? 'sampled every 20 ms' : 'VmHWM reset before the run',
		peakHeapMb: mb(peakHeap),
		baselineHeapMb: mb(baselineHeap),
		profileWindowUs: [windowStartUs, windowEndUs],
		...(liveHeapProbe ? { peakLiveHeapMb: mb(peakLive), liveHeapSpaces: liveSpaces } : {}),
		...outcome,
	};
}

function harnessFor(scenario: Scenario) {
	return createHarness([
		{
			id: 'bench',
			name: 'Sandbox Vault',
			type: 'veevaVaultApi',
			data: { vaultDns: scenario.vaultUrl, authentication: 'password', username: DEMO_USER.username, password: DEMO_USER.password },
		},
	]);
}

async function runNode(scenario: Scenario): Promise<ScenarioResult> {
	const rowFor = scenario.lookup ? (i: number) => lookupRow(scenario, i) : rowOf(scenario.operation);
	const makeItems = (count: number) => Array.from({ length: count }, (_, i) => ({ json: rowFor(i) }));
	const parameters = parametersFor(scenario);
	if (scenario.lookup) await seedLookupUsers(scenario);
	// warm-up: n8n's and this package's modules loaded, the JIT warm, a session in the credential
	await harnessFor(scenario).run({ items: makeItems(1000), parameters });
	const items = makeItems(scenario.rows);
	return await repeated(scenario.repeats ?? 1, async () => {
		// each run as the first of an execution: the sandbox's counts from zero, a new session
		await resetCounts(scenario);
		if (scenario.lookup) await seedLookupUsers(scenario);
		const harness = harnessFor(scenario);
		return await measure(async () => {
			const result = await harness.run({ items, parameters });
			return { outputItems: result.outputs[0]?.length ?? 0, errors: result.error?.message };
		});
	});
}

/** One plain HTTP call (node:http, kept-alive socket), its body as text. */
function post(url: string, headers: Record<string, string>, body: string, agent: Agent): Promise<string> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method: 'POST', agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** The floor: log in as the node does, then per batch papaparse.unparse and one POST. No n8n. */
async function sendFloor(scenario: Scenario, rows: IDataObject[], agent: Agent): Promise<{ outputItems: number; errors?: string }> {
	const limit = scenario.operation === 'manage' ? 500 : 1000;
	const path = scenario.operation === 'manage' ? MANAGE_PATH : DOCS_PATH;
	const form = new URLSearchParams({ username: DEMO_USER.username, password: DEMO_USER.password, vaultDNS: new URL(scenario.vaultUrl).host }).toString();
	const login = JSON.parse(
		await post(`${scenario.vaultUrl}/api/${API}/auth`, { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, form, agent),
	) as { sessionId: string };
	let failures = 0;
	for (let at = 0; at < rows.length; at += limit) {
		const csv = Papa.unparse(rows.slice(at, at + limit), { newline: '\r\n' });
		const answer = await post(
			`${scenario.vaultUrl}/api/${API}${path}`,
			{ Authorization: login.sessionId, 'X-VaultAPI-ClientID': 'bench-floor', 'Content-Type': 'text/csv', Accept: 'application/json' },
			csv,
			agent,
		);
		if ((JSON.parse(answer) as { responseStatus?: string }).responseStatus !== 'SUCCESS') failures++;
	}
	return { outputItems: Math.ceil(rows.length / limit), errors: failures > 0 ? `${failures} batch(es) not SUCCESS` : undefined };
}

async function runFloor(scenario: Scenario): Promise<ScenarioResult> {
	const agent = new Agent({ keepAlive: true });
	const rows = Array.from({ length: scenario.rows }, (_, i) => rowOf(scenario.operation)(i));
	// warm-up, as for the node: modules loaded, the JIT warm
	await sendFloor(scenario, rows.slice(0, 1000), agent);
	const result = await repeated(scenario.repeats ?? 1, async () => {
		await resetCounts(scenario);
		return floorRun('raw floor', await measure(async () => await sendFloor(scenario, rows, agent)));
	});
	agent.destroy();
	return result;
}

/** The in-n8n floor: the same rows, in the same engine, through bench/inN8nFloor.ts in the node's place. */
async function runInN8nFloor(scenario: Scenario): Promise<ScenarioResult> {
	registerNodeType(IN_N8N_FLOOR_TYPE, new InN8nFloor());
	const limit = scenario.operation === 'manage' ? 500 : 1000;
	const path = scenario.operation === 'manage' ? MANAGE_PATH : DOCS_PATH;
	const parameters: INodeParameters = { url: `${scenario.vaultUrl}/api/${API}${path}`, limit };
	const makeItems = (count: number) => Array.from({ length: count }, (_, i) => ({ json: rowOf(scenario.operation)(i) }));
	const go = async (items: INodeExecutionData[]) => {
		const result = await harnessFor(scenario).run({ items, parameters, nodeType: IN_N8N_FLOOR_TYPE });
		return { outputItems: result.outputs[0]?.length ?? 0, errors: result.error?.message };
	};
	// warm-up, as for the node
	const warm = await go(makeItems(1000));
	if (warm.errors) throw new Error(`in-n8n floor warm-up: ${warm.errors}`);
	const items = makeItems(scenario.rows);
	return await repeated(scenario.repeats ?? 1, async () => {
		await resetCounts(scenario);
		return floorRun('in-n8n floor', await measure(async () => await go(items)));
	});
}

/**
 * A floor run that failed stops the scenario (exit 1): the reported run is the median of several,
 * so an error in another run would otherwise go unseen, and a floor that did not send its rows is
 * no floor (bench/run.ts stops the bench on it).
 */
function floorRun(name: string, result: ScenarioResult): ScenarioResult {
	if (result.errors) throw new Error(`${name}: ${result.errors}`);
	return result;
}

async function runFile(scenario: Scenario): Promise<ScenarioResult> {
	const folder = mkdtempSync(join(tmpdir(), 'veeva-bench-csv-'));
	const file = join(folder, 'rows.csv');
	await new Promise<void>((resolve, reject) => {
		const out = createWriteStream(file);
		out.on('error', reject);
		// every field quoted, as many exports write it: ~42 bytes a row, ~42 MB for 1M rows
		out.write('record_id,user_id,application_role,operation\r\n');
		let i = 0;
		const writeSome = () => {
			let ok = true;
			while (i < scenario.rows && ok) {
				const row = manageRow(i++);
				ok = out.write(`"${row.record_id}","${row.user_id}","${row.application_role}","${row.operation}"\r\n`);
			}
			if (i < scenario.rows) out.once('drain', writeSome);
			else out.end(resolve);
		};
		writeSome();
	});
	const parameters: INodeParameters = {
		resource: 'qualityTeam',
		operation: 'manageAssignments',
		objectName: 'quality_event__qdm',
		inputSource: 'binary',
		binaryPropertyName: 'data',
		options: { outputMode: 'perBatch', dryRun: scenario.dryRun === true },
	};
	// filesystem mode: n8n-core's BinaryDataService stores the file on disk, the item carries its id
	const service = scenario.binaryMode === 'filesystem' ? await useFilesystemBinaryData(join(folder, 'binary-data')) : undefined;
	const fileItem = async (bytes: Buffer | string): Promise<INodeExecutionData> => {
		const meta = { mimeType: 'text/csv', fileName: 'rows.csv' };
		if (service) {
			const content = typeof bytes === 'string' ? createReadStream(bytes) : bytes;
			const stored = await service.store({ type: 'execution', workflowId: 'wf-test', executionId: 'bench' }, content, { ...meta, data: '' });
			return { json: { fileName: 'rows.csv' }, binary: { data: stored } };
		}
		const buffer = typeof bytes === 'string' ? readFileSync(bytes) : bytes;
		return { json: { fileName: 'rows.csv' }, binary: { data: { ...meta, data: buffer.toString('base64') } } };
	};
	// warm-up with a small file
	const small = Buffer.from('record_id,user_id,application_role,operation\r\nOP4000001,100001,qa__c,ADD\r\n');
	await harnessFor(scenario).run({ items: [await fileItem(small)], parameters });
	await resetCounts(scenario);
	const harness = harnessFor(scenario);
	// default mode, the file as n8n holds it: base64 in the item; the baseline is taken with it there
	// (the file's Buffer is not kept: only the item's base64 text stays, as in n8n). Filesystem
	// mode: only the stored file's id
	const fileMb = mb(statSync(file).size);
	const items = [await fileItem(file)];
	if (!service) rmSync(folder, { recursive: true, force: true });
	const sampling = scenario.heapSampling ? await startHeapSampling() : undefined;
	const result = await measure(async () => {
		const run = await harness.run({ items, parameters });
		return { outputItems: run.outputs[0]?.length ?? 0, errors: run.error?.message };
	}, scenario.liveHeapProbe);
	const promoted = sampling ? await sampling.stop() : undefined;
	if (service) rmSync(folder, { recursive: true, force: true });
	return { ...result, fileMb, ...(promoted ? { promotedMb: promoted.totalMb, promotedSites: promoted.sites } : {}) };
}

const SAMPLE_FRAMES = Number(process.env.BENCH_SAMPLE_FRAMES ?? 6);

interface SamplingNode {
	callFrame: { functionName: string; url: string; lineNumber: number };
	selfSize: number;
	children: SamplingNode[];
}

/** V8's sampling heap profiler, keeping objects freed by scavenges out and those freed by full GCs in. */
async function startHeapSampling() {
	const { Session } = await import('node:inspector');
	const session = new Session();
	session.connect();
	const post = (method: string, params?: object) =>
		new Promise<any>((resolve, reject) => session.post(method, params, (error, answer) => (error ? reject(error) : resolve(answer))));
	await post('HeapProfiler.enable');
	await post('HeapProfiler.startSampling', { samplingInterval: 32_768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false });
	return {
		async stop(): Promise<{ totalMb: number; sites: Array<{ mb: number; site: string }> }> {
			const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } };
			session.disconnect();
			const sites = new Map<string, number>();
			const walk = (node: SamplingNode, stack: string[]) => {
				const frame = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/(node_modules|nodes|bench|test)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
				const here = [...stack, frame];
				if (node.selfSize > 0) {
					const key = here.slice(-SAMPLE_FRAMES).join(' < ');
					sites.set(key, (sites.get(key) ?? 0) + node.selfSize);
				}
				for (const child of node.children) walk(child, here);
			};
			walk(profile.head, []);
			const total = [...sites.values()].reduce((sum, bytes) => sum + bytes, 0);
			const top = [...sites].sort((a, b) => b[1] - a[1]).slice(0, 12);
			return { totalMb: mb(total), sites: top.map(([site, bytes]) => ({ mb: mb(bytes), site: site.split(' < ').reverse().join(' < ') })) };
		},
	};
}

/**
 * The sandbox's counts from zero. Its reset also ends every session (as a Vault restart would), so
 * the session this process logged in with last is forgotten too, as test/harness/fixtures.ts does:
 * else the next execution's preAuthentication is handed that ended session (transport/sessions.ts
 * keeps it for reuse), the node's first call is refused with INVALID_SESSION_ID and sent again
 * after a login (one call more than the floors), and the in-n8n floor, which like any
 * httpRequestWithAuthentication caller cannot tell n8n that a 200 answer means "log in again",
 * fails at its first batch.
 */
async function resetCounts(scenario: Scenario) {
	const control = `${scenario.vaultUrl}/_sandbox`;
	await fetch(`${control}/reset`, { method: 'POST' });
	forgetRecentSessions();
	if (scenario.sandboxSettings) {
		await fetch(`${control}/settings`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(scenario.sandboxSettings) });
	}
}

type TeamMemberSeed = { object: string; recordId: string; userId: number; role: string };

async function seedTeamMembers(scenario: Scenario, teamMembers: TeamMemberSeed[]) {
	const records = scenario.kind === 'sync' ? recordsBeyondGenerated(scenario.rows) : [];
	const answer = await fetch(`${scenario.vaultUrl}/_sandbox/seed`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ records, teamMembers }) });
	if (!answer.ok) throw new Error(`seeding ${teamMembers.length} team members answered ${answer.status}`);
}

/**
 * A run against seeded Quality Teams (Sync, leavers): seeded, warmed up with a Plan Only run of a
 * few items, then measured, the sandbox reset and seeded again before each measured run.
 */
async function runOverSeededTeams(scenario: Scenario, teamMembers: TeamMemberSeed[], items: INodeExecutionData[], parameters: INodeParameters, warmUp: { items: number; options: INodeParameters }): Promise<ScenarioResult> {
	await seedTeamMembers(scenario, teamMembers);
	await harnessFor(scenario).run({ items: items.slice(0, warmUp.items), parameters: { ...parameters, options: warmUp.options } });
	return await repeated(scenario.repeats ?? 1, async () => {
		await resetCounts(scenario);
		await seedTeamMembers(scenario, teamMembers);
		const harness = harnessFor(scenario);
		return await measure(async () => {
			const result = await harness.run({ items, parameters });
			return { outputItems: result.outputs[0]?.length ?? 0, errors: result.error?.message };
		});
	});
}

async function runSyncScenario(scenario: Scenario): Promise<ScenarioResult> {
	const { current, roster } = syncRoster(scenario.rows, scenario.drift ?? 0.05);
	const teamMembers = current.map((member) => ({ object: 'quality_event__qdm', recordId: member.record_id, userId: Number(member.user_id), role: member.application_role }));
	const options: INodeParameters = { maxRemovals: '5%' };
	if (scenario.syncMode === 'planOnly') options.planOnly = true;
	if (scenario.syncMode === 'verify') Object.assign(options, { verify: true, pollIntervalSeconds: 0.2 });
	const parameters: INodeParameters = { resource: 'qualityTeam', operation: 'syncMembers', objectName: 'quality_event__qdm', options };
	return await runOverSeededTeams(scenario, teamMembers, roster.map((json) => ({ json })), parameters, { items: 1000, options: { planOnly: true, maxRemovals: '100%' } });
}

/** The five objects of the sandbox's old-reading teams (one member object each), and the leavers: 100 of the 1,000 users who hold the memberships (bench/run.ts repeats both numbers: importing this file runs it). */
const LEAVER_OBJECTS = ['quality_event__qdm', 'risk_event__v', 'investigation__qdm', 'lab_investigation__qdm', 'change_action__v'];
const LEAVERS = 100;
const LEAVER_PREFIX: Record<string, string> = { quality_event__qdm: 'OP', risk_event__v: 'RE', investigation__qdm: 'IN', lab_investigation__qdm: 'LI', change_action__v: 'CA' };

/**
 * `rows` memberships spread evenly over the five objects, two per record (2,000 records each for
 * 20,000), held by 1,000 users in roles without a minimum (qa__c, sme__c): the 100 leavers hold a
 * tenth of them, 20 each, 400 per object.
 */
function leaverMemberships(rows: number) {
	return Array.from({ length: rows }, (_, i) => {
		const object = LEAVER_OBJECTS[i % 5];
		const n = (Math.floor(i / 5) % 2000) + 1;
		const recordId = object === 'quality_event__qdm' ? `OP${4000000 + n}` : `${LEAVER_PREFIX[object]}${String(n).padStart(7, '0')}`;
		return { object, recordId, userId: 100001 + ((i + 7 * Math.floor(i / 10_000)) % 1000), role: Math.floor(i / 10_000) % 2 === 0 ? 'qa__c' : 'sme__c' };
	});
}

async function runLeaversScenario(scenario: Scenario): Promise<ScenarioResult> {
	const items = Array.from({ length: LEAVERS }, (_, k) => ({ json: { user_id: String(100001 + k) } }));
	const parameters: INodeParameters = { resource: 'qualityTeam', operation: 'removeUserEverywhere', options: {} };
	return await runOverSeededTeams(scenario, leaverMemberships(scenario.rows), items, parameters, { items: 5, options: { planOnly: true } });
}

async function main() {
	const scenario = JSON.parse(process.argv[2]) as Scenario;
	const runners = { node: runNode, floor: runFloor, inN8nFloor: runInN8nFloor, sync: runSyncScenario, leavers: runLeaversScenario, file: runFile };
	const run = runners[scenario.kind];
	const result = await run(scenario);
	process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
