/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * The real-n8n proof (npm run test:n8n; run.sh installs the toolchain first):
 *  1. build and `npm pack` this package; install the tarball into a fresh n8n user folder's
 *     .n8n/nodes, the way n8n installs a community package
 *  2. sandbox in its own process, started as `npm run sandbox` starts it (the demo Vault, port
 *     8470); examples/sandbox-credential.json and every example file imported as shipped with
 *     n8n's CLI; each example run with `n8n execute`, checked against the sandbox and against the
 *     same file run through n8n-core (the jest harness)
 *  3. an AI agent (agent.ts): n8n's AI Agent, OpenAI Chat Model on the sandbox's scripted model,
 *     the Vault node as its tool; planned as shipped, sent when the builder allows writes
 *  4. queue mode: Redis, `n8n worker`, `n8n start` (the editor stages run on it); an example's
 *     webhook run on the worker; the CAPA example published with its Veeva Vault QMS Trigger on:
 *     main polls it, the worker staffs each CAPA once
 *  5. the editor in Chromium: every operation's fields and every authentication type; every
 *     example imported from its file and run with the main button; the README rendered
 *  6. the OAuth2 credential: PKCE connected in Chromium; client credentials connected on first use
 *  7. the Vault tool's panel and the agent run from the editor
 * `--only examples,agent,queue,editor,oauth2` (any of them) runs those stages after 1 and the
 * sandbox. Exits non-zero on any mismatch; stops every process it started however it ends.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

import type { IDataObject, INodeExecutionData, INodePropertyOptions, INodeType, IRun } from 'n8n-workflow';

import { SandboxClient } from '../sandbox/client';
import { DEMO_LEARNER, DEMO_SEED, DEMO_SETTINGS } from '../sandbox/demoVault';
import type { SandboxState } from '../sandbox/types';
import { runEditorChecks, type EditorExample, type EditorResult } from './editor';
import { runAgentChecks, runToolPanelChecks } from './agent';
import { runOAuth2Checks } from './oauth2';
import {
	compareSummaries,
	CREDENTIAL_FILE,
	EXPECTATIONS,
	loadExamples,
	normalizeItem,
	PACKAGE_NAME,
	rawOutputRun,
	runnableCopy,
	START_NODE,
	summarizeJobs,
	summarizeRequests,
	VAULT_NODE_TYPE,
	type Example,
	type RunSummary,
} from './examples';
import { freePort, killAllNow, n8nEnv as processEnv, runCommand, startServer, stopAll, type Server } from './processes';
import { renderReadme } from './readme';
import { toolchain } from './toolchain';

const REPO = resolve(__dirname, '../..');
/** the n8n under test (run.sh: N8N_VERSION) as installed by test/n8n/toolchain.sh; its major picks the few steps where n8n 1.x and 2.x differ */
const {
	cache: CACHE,
	node24Bin: NODE24_BIN,
	n8nDir: N8N_DIR,
	n8nJs: N8N_JS,
	n8nVersion: N8N_VERSION,
	n8nMajor: N8N_MAJOR,
} = toolchain();
const STARTED = Number(process.env.N8N_E2E_STARTED ?? 0) * 1000 || Date.now();
const RUN_DIR = process.env.N8N_E2E_RUN_DIR ?? join(CACHE, `last-run-${N8N_VERSION}`);
const SCREENSHOTS = resolve(process.env.N8N_E2E_SCREENSHOTS ?? join(REPO, 'test/n8n/screenshots', N8N_VERSION));
/** the ports `npm run sandbox` listens on, which examples/sandbox-credential.json names */
const SANDBOX_PORTS = [8470, 8471];
const WRONG_CREDENTIAL = 'vault-sandbox-wrong';
const WRONG_PASSWORD = 'Not-The-Passw0rd-7431';
const DEMO = { username: 'demo@sandbox.veevavault.com', password: 'Demo-Passw0rd!' };
export const OWNER = { email: 'owner@e2e.example.com', firstName: 'E2E', lastName: 'Owner', password: 'E2e-Owner-Passw0rd!' };

const line = (text = '') => process.stdout.write(`${text}\n`);
const section = (title: string) => line(`\n===== ${title}  (${((Date.now() - STARTED) / 1000).toFixed(0)} s)`);
const failures: string[] = [];
const fail = (message: string) => {
	failures.push(message);
	line(`  MISMATCH: ${message}`);
};

interface Summary {
	installedPath?: string;
	installedVersion?: string;
	examples: Array<{ file: string; status: string; items: string; coreDiffs: number }>;
	queue?: string;
	trigger?: string;
	editor?: EditorResult;
	/** the stages run (all but those --only left out) */
	stages?: string[];
	agent?: { checks: number; summary: string };
}
const summary: Summary = { examples: [] };

const ENCRYPTION_KEY = randomBytes(24).toString('hex');
const n8nEnv = (userFolder: string, extra: NodeJS.ProcessEnv = {}) => processEnv({ nodeBin: NODE24_BIN, userFolder, encryptionKey: ENCRYPTION_KEY }, extra);

async function n8n(userFolder: string, args: string[], extra: NodeJS.ProcessEnv = {}, timeoutMs = 180_000) {
	const env = n8nEnv(userFolder, { N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extra });
	return await runCommand(join(NODE24_BIN, 'node'), [N8N_JS, ...args], { env, timeoutMs, logFile: join(RUN_DIR, 'n8n-cli.log') });
}

function mustSucceed(what: string, result: { code: number | null; stdout: string; stderr: string }) {
	if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${(result.stderr || result.stdout).slice(-3000)}`);
}

// ---------------------------------------------------------------------------------------------

async function installPackage(userFolder: string): Promise<void> {
	section('1. Build, pack and install as a community package');
	mustSucceed('npm run build', await runCommand('npm', ['run', 'build'], { cwd: REPO, logFile: join(RUN_DIR, 'build.log') }));
	const pack = await runCommand('npm', ['pack', '--json', '--pack-destination', RUN_DIR], { cwd: REPO, logFile: join(RUN_DIR, 'build.log') });
	mustSucceed('npm pack', pack);
	const packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>)[0];
	const tarball = join(RUN_DIR, packed.filename);
	line(`packed ${tarball} (${packed.files.length} files: ${packed.files.map((file) => file.path).filter((path) => !path.endsWith('.map')).join(', ')})`);

	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	const env = { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH}` };
	mustSucceed(
		'npm install <tarball> in .n8n/nodes',
		await runCommand('npm', ['install', tarball, '--no-audit', '--no-fund'], { cwd: nodesDir, env, logFile: join(RUN_DIR, 'build.log') }),
	);
	const installed = join(nodesDir, 'node_modules', PACKAGE_NAME);
	const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string; n8n: { nodes: string[]; credentials: string[] } };
	for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		if (!existsSync(join(installed, file))) fail(`the installed package lacks ${file}`);
	}
	summary.installedPath = installed;
	summary.installedVersion = manifest.version;
	line(`installed ${PACKAGE_NAME}@${manifest.version} at ${installed}`);
	const beside = readdirSync(join(nodesDir, 'node_modules')).filter((name) => !name.startsWith('.'));
	line(`.n8n/nodes/node_modules holds: ${beside.join(', ')}`);
	// a second n8n-workflow beside the package would be what the node loads instead of n8n's own
	if (beside.includes('n8n-workflow')) fail('npm installed n8n-workflow (the peer dependency) beside the package: the node would run on a second copy');
}

interface RunningSandbox {
	server: Server;
	url: string;
	/** the sandbox's second listener, which records whatever reaches it (client.elsewhere()) */
	elsewhereUrl: string;
	client: SandboxClient;
}

/**
 * The sandbox as a user starts it: package.json's `sandbox` script (the demo Vault on port 8470,
 * which the shipped credential file names), run without npm in between so it can be stopped.
 */
async function startSandboxProcess(): Promise<RunningSandbox> {
	for (const port of SANDBOX_PORTS) {
		if (!(await portIsFree(port))) throw new Error(`port ${port} is taken: stop the process on it (an npm run sandbox?) and run test:n8n again`);
	}
	const script = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.sandbox;
	const [command, ...args] = script.split(/\s+/);
	const server = startServer('sandbox', join(REPO, 'node_modules/.bin', command), args, { cwd: REPO, logFile: join(RUN_DIR, 'sandbox.log') });
	const match = await server.waitFor(/SANDBOX_READY (.*)/, 60_000);
	const ready = JSON.parse(match[1]) as { vaults: Array<{ url: string }>; controlUrl: string; elsewhereUrl: string };
	const client = new SandboxClient(ready.controlUrl);
	line(`npm run sandbox (${script}) printed:\n${server.output().split('\n').filter((text) => text && !text.startsWith('SANDBOX_READY')).map((text) => `  | ${text}`).join('\n')}`);
	return { server, url: ready.vaults[0].url, elsewhereUrl: ready.elsewhereUrl, client };
}

async function portIsFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
}

/** Back to the demo Vault: the reset returns to the demo's start settings; the demo teams are seeded again. */
async function resetSandbox(sandbox: RunningSandbox): Promise<void> {
	await sandbox.client.reset();
	await sandbox.client.seed(DEMO_SEED);
}

/** The credential examples/sandbox-credential.json holds, as shipped. */
function shippedCredential(): { id: string; name: string; type: string; data: { [key: string]: string } } {
	const [credential] = JSON.parse(readFileSync(join(REPO, 'examples', CREDENTIAL_FILE), 'utf8')) as Array<ReturnType<typeof shippedCredential>>;
	return credential;
}

function credentialData(): { [key: string]: string } {
	return shippedCredential().data;
}

function summarizeItems(items: INodeExecutionData[] | undefined): Pick<RunSummary, 'items' | 'binaries'> {
	const list = items ?? [];
	return {
		items: list.map((item) => normalizeItem(item.json)),
		binaries: list.flatMap((item, index) =>
			Object.entries(item.binary ?? {}).map(([key, binary]) => `item ${index} ${key}: ${binary.mimeType} ${binary.fileName ?? ''}`),
		),
	};
}

/** The node whose items an example's run is judged by: the Vault node, or the one its expectation names (the notify example has no Vault node). */
function countedNode(example: Example): string | undefined {
	return EXPECTATIONS[example.file]?.itemsNode ?? example.workflow.nodes.find((node) => node.type === VAULT_NODE_TYPE)?.name;
}

function vaultRunOf(run: IRun, nodeName: string) {
	const runs = run.data.resultData.runData[nodeName] ?? [];
	return runs[runs.length - 1];
}

/** The examples through n8n-core in this process (as npm run demo does), for the comparison. */
async function runExamplesInCore(sandbox: RunningSandbox, examples: Example[]): Promise<Map<string, RunSummary & { state: SandboxState }>> {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-veeva-core-'));
	const { createHarness } = await import('../harness/engine');
	const harness = createHarness([
		shippedCredential(),
		{ id: WRONG_CREDENTIAL, name: 'Vault (sandbox, wrong password)', type: 'veevaVaultApi', data: { ...credentialData(), password: WRONG_PASSWORD } },
	]);
	const results = new Map<string, RunSummary & { state: SandboxState }>();
	await resetSandbox(sandbox);
	for (const example of [...examples, errorCase(examples)]) {
		await sandbox.client.clearLog();
		// the file as shipped, from "Try it" (the error case: its copy with the wrong credential)
		const run = await harness.runWorkflow(example.workflow, START_NODE);
		const counted = countedNode(example);
		const last = counted ? vaultRunOf(run, counted) : undefined;
		const requests = summarizeRequests(await sandbox.client.log());
		await sandbox.client.completeJobs();
		const state = await sandbox.client.state();
		results.set(example.file, {
			...summarizeItems(last?.data?.main?.[0] ?? undefined),
			error: last?.error?.message ?? run.data.resultData.error?.message,
			requests,
			jobs: summarizeJobs(state),
			state,
		});
	}
	return results;
}

/** examples/sandbox-credential.json as shipped (every stage's workflows use it), and its copy with a wrong password. */
async function importCredentials(userFolder: string, sandbox: RunningSandbox): Promise<void> {
	// the credential as shipped: the file the README and the examples' sticky notes name
	const shipped = join(REPO, 'examples', CREDENTIAL_FILE);
	if (credentialData().vaultDns !== sandbox.url) fail(`examples/${CREDENTIAL_FILE} names ${credentialData().vaultDns}, but npm run sandbox serves ${sandbox.url}`);
	mustSucceed(`n8n import:credentials --input=examples/${CREDENTIAL_FILE}`, await n8n(userFolder, ['import:credentials', `--input=${shipped}`]));
	line(`imported examples/${CREDENTIAL_FILE} as shipped: credential ${shippedCredential().id} "${shippedCredential().name}" (Username & Password, ${credentialData().username}) for ${credentialData().vaultDns}`);
	const wrongFile = join(RUN_DIR, 'credentials-wrong.json');
	writeFileSync(wrongFile, JSON.stringify([{ id: WRONG_CREDENTIAL, name: 'Vault (sandbox, wrong password)', type: 'veevaVaultApi', data: { ...credentialData(), password: WRONG_PASSWORD } }], null, 2), { mode: 0o600 });
	mustSucceed('n8n import:credentials (wrong password)', await n8n(userFolder, ['import:credentials', `--input=${wrongFile}`]));
}

async function runExamplesInN8n(userFolder: string, sandbox: RunningSandbox, examples: Example[]): Promise<void> {
	section('2. Examples run by n8n execute (real n8n), checked against the sandbox and n8n-core');

	// every example file as shipped, one import each, as the README says
	for (const example of examples) {
		const imported = await n8n(userFolder, ['import:workflow', `--input=${join(REPO, 'examples', example.file)}`]);
		mustSucceed(`n8n import:workflow --input=examples/${example.file}`, imported);
		const said = `${imported.stdout}\n${imported.stderr}`.match(/Successfully imported 1 workflow/) ? 'Successfully imported 1 workflow' : 'no success line';
		if (said !== 'Successfully imported 1 workflow') fail(`examples/${example.file}: n8n import:workflow printed no "Successfully imported 1 workflow"`);
		const first = example.workflow.nodes.find((node) => node.type.endsWith('Trigger') && !node.disabled);
		line(`n8n import:workflow --input=examples/${example.file}: ${said} (id ${example.workflow.id}; the first trigger that is on: "${first?.name}")`);
	}

	const core = await runExamplesInCore(sandbox, examples);
	await resetSandbox(sandbox);
	for (const example of examples) {
		const id = String(example.workflow.id);
		line(`\n--- examples/${example.file}: n8n execute --id=${id} --rawOutput`);
		await sandbox.client.clearLog();
		const result = await n8n(userFolder, ['execute', `--id=${id}`, '--rawOutput']);
		const requests = summarizeRequests(await sandbox.client.log());
		await sandbox.client.completeJobs();
		const state = await sandbox.client.state();
		const { run, error: outputError, otherLines } = rawOutputRun<IRun>(result.stdout);
		const counted = countedNode(example);
		const last = run && counted ? vaultRunOf(run, counted) : undefined;
		const status = run ? `${run.status}${run.finished ? ', finished' : ''}` : `exit ${result.code}, no run data`;
		const perNode = run ? Object.entries(run.data.resultData.runData).map(([name, runs]) => `${name}: ${runs[runs.length - 1]?.data?.main?.[0]?.length ?? 0}`) : [];
		line(`run status: ${status} in ${(result.ms / 1000).toFixed(1)} s; items per node: ${perNode.join(', ')}`);
		// n8n execute starts at the first trigger that is on: it must be "Try it", not the example's real trigger
		if (run && !run.data.resultData.runData[START_NODE]) fail(`${example.file}: n8n execute did not start at "${START_NODE}" (nodes run: ${Object.keys(run.data.resultData.runData).join(', ')})`);
		// an example with an approval stops at its form (status waiting): n8n execute cannot submit it; the jest run does (test/node/examples.test.ts)
		const approval = EXPECTATIONS[example.file]?.approval;
		if (!run || result.code !== 0 || run.status !== (approval ? 'waiting' : 'success')) {
			const why = run ? run.data.resultData.error?.message : `${outputError}; n8n's other lines: ${otherLines.slice(0, 12).join('\n')}`;
			fail(`${example.file}: n8n execute did not succeed (exit ${result.code}, status ${run?.status}): ${(why ?? result.stderr.slice(-1500)) || result.stdout.slice(-1500)}`);
		}
		const real: RunSummary = {
			...summarizeItems(last?.data?.main?.[0] ?? undefined),
			error: last?.error?.message ?? run?.data.resultData.error?.message,
			requests,
			jobs: summarizeJobs(state),
		};
		for (const request of requests) line(`  --> ${request.replace(/\n/g, '\n      ')}`);
		for (const item of real.items.slice(0, 5)) line(`  <-- ${JSON.stringify(item)}`);
		if (real.items.length > 5) line(`  <-- … ${real.items.length - 5} more`);
		for (const binary of real.binaries) line(`  <-- binary ${binary}`);

		const expectation = EXPECTATIONS[example.file];
		if (!expectation) fail(`${example.file}: no expectation written for this example in test/n8n/examples.ts`);
		else {
			const items = approval ? approval.planItems : expectation.vaultItems;
			if (real.items.length !== items) fail(`${example.file}: the ${approval ? approval.planNode : expectation.itemsNode ?? 'Vault'} node output ${real.items.length} items, expected ${items}`);
			if (approval && run?.data.resultData.lastNodeExecuted !== approval.node) fail(`${example.file}: the run did not stop at "${approval.node}" (last node: ${run?.data.resultData.lastNodeExecuted})`);
			const problems = approval ? approval.checkWaiting(state) : expectation.check(state);
			for (const problem of problems) fail(`${example.file}: sandbox state: ${problem}`);
			if (problems.length === 0) line(`  sandbox state as expected: ${describeState(example.file, state)}`);
		}
		const coreRun = core.get(example.file);
		const differences = coreRun ? compareSummaries(coreRun, real) : ['no n8n-core run'];
		for (const difference of differences) fail(`${example.file}: n8n-core and real n8n differ: ${difference}`);
		if (differences.length === 0) line('  same as the n8n-core run: items, requests to Vault, jobs');
		summary.examples.push({ file: example.file, status, items: `${real.items.length} Vault node item(s)`, coreDiffs: differences.length });
	}
	await runErrorCaseInN8n(userFolder, sandbox, examples, core.get(ERROR_CASE)?.error);
	await runDescribeTeamsInN8n(userFolder, sandbox, examples);
	const state = await sandbox.client.state();
	line(`\nlogins to the sandbox over the ${examples.length} n8n execute runs: ${state.logins} (the session is kept in the credential between executions)`);
}

/** The LMS example with a credential whose password Vault refuses: how an error leaves the node. */
function errorCase(examples: Example[]): Example {
	const lms = examples.find((example) => example.file.startsWith('lms-completion'));
	if (!lms) throw new Error('examples/lms-completion-to-auditor-role.json is missing');
	const workflow = JSON.parse(JSON.stringify(lms.workflow)) as Example['workflow'];
	workflow.name = `${workflow.name} (wrong password)`;
	for (const node of workflow.nodes) {
		if (node.type === VAULT_NODE_TYPE) node.credentials = { veevaVaultApi: { id: WRONG_CREDENTIAL, name: 'Vault (sandbox, wrong password)' } };
	}
	return { file: ERROR_CASE, workflow };
}
const ERROR_CASE = 'error case: LMS example, wrong password';

async function runErrorCaseInN8n(userFolder: string, sandbox: RunningSandbox, examples: Example[], coreError: string | undefined): Promise<void> {
	line(`\n--- ${ERROR_CASE}`);
	const copy = runnableCopy(errorCase(examples).workflow, 'vaultErrorCase0001');
	const file = join(RUN_DIR, 'error-workflow.json');
	writeFileSync(file, JSON.stringify([copy], null, 2));
	mustSucceed('n8n import:workflow (error case)', await n8n(userFolder, ['import:workflow', `--input=${file}`]));
	await sandbox.client.clearLog();
	const result = await n8n(userFolder, ['execute', `--id=${copy.id}`, '--rawOutput']);
	const output = `${result.stdout}\n${result.stderr}`;
	const requests = (await sandbox.client.log()).map((entry) => `${entry.method} ${entry.path} ${entry.responseStatus ?? entry.status}${entry.errorType ? ` ${entry.errorType}` : ''}`);
	line(`n8n execute exit ${result.code}; the sandbox saw: ${requests.join(', ')}`);
	line(`n8n-core's error: ${coreError}`);
	if (result.code === 0) fail(`${ERROR_CASE}: n8n execute succeeded`);
	if (!coreError) fail(`${ERROR_CASE}: n8n-core reported no error`);
	else if (!output.includes(coreError)) fail(`${ERROR_CASE}: real n8n's output lacks n8n-core's error message`);
	else line("real n8n printed the same error message");
	if (output.includes(WRONG_PASSWORD) || output.includes(DEMO.password)) fail(`${ERROR_CASE}: a password appears in n8n's output`);
	else line('no password in n8n\'s output');
	summary.examples.push({ file: ERROR_CASE, status: `failed as expected (exit ${result.code})`, items: 'error message as in n8n-core', coreDiffs: output.includes(coreError ?? '\u0000') ? 0 : 1 });
}

/**
 * Issue 22, item 1: Quality Team → Describe Teams from the CLI (n8n execute), on the LMS example's trigger
 * and credential: one item per sandbox Quality Team, complaint__qdm's per-type teams with their member objects.
 */
async function runDescribeTeamsInN8n(userFolder: string, sandbox: RunningSandbox, examples: Example[]): Promise<void> {
	const name = 'Describe Teams (LMS example\'s trigger and credential)';
	line(`\n--- ${name}`);
	const lms = examples.find((example) => example.file.startsWith('lms-completion'));
	if (!lms) return fail('examples/lms-completion-to-auditor-role.json is missing');
	const copy = runnableCopy(lms.workflow, 'vaultDescribeTeams01');
	const vaultNode = copy.nodes.find((node) => node.type === VAULT_NODE_TYPE);
	if (!vaultNode) return fail(`${name}: the LMS example has no Vault node`);
	// the Vault node right after the trigger, its parameters Describe Teams'
	const trigger = copy.nodes.find((node) => node.name === START_NODE);
	copy.nodes = copy.nodes.filter((node) => node === trigger || node === vaultNode);
	vaultNode.parameters = { resource: 'qualityTeam', operation: 'describeTeams' };
	copy.connections = trigger ? { [trigger.name]: { main: [[{ node: vaultNode.name, type: 'main', index: 0 }]] } } : {};
	const file = join(RUN_DIR, 'describe-teams-workflow.json');
	writeFileSync(file, JSON.stringify([copy], null, 2));
	mustSucceed(`n8n import:workflow (${name})`, await n8n(userFolder, ['import:workflow', `--input=${file}`]));
	await sandbox.client.clearLog();
	const result = await n8n(userFolder, ['execute', `--id=${copy.id}`, '--rawOutput']);
	const output = `${result.stdout}\n${result.stderr}`;
	const wanted = ['quality_event_team__c', 'product_complaint_team__c', 'complaint_team__c', 'pc_team_assignment__sys', 'team_role__sysr.api_name__v'];
	const missing = wanted.filter((text) => !output.includes(text));
	line(`n8n execute exit ${result.code}; the output names ${wanted.length - missing.length} of ${wanted.length}: ${wanted.join(', ')}`);
	if (result.code !== 0) fail(`${name}: n8n execute exited ${result.code}`);
	if (missing.length > 0) fail(`${name}: the output lacks ${missing.join(', ')}`);
	summary.examples.push({ file: name, status: result.code === 0 && missing.length === 0 ? 'ok' : 'failed', items: 'one item per sandbox Quality Team', coreDiffs: 0 });
}

function describeState(file: string, state: SandboxState): string {
	if (file.startsWith('document-roles')) return `documents 11 ${JSON.stringify(state.documentRoles['11'])} 12 ${JSON.stringify(state.documentRoles['12'])}`;
	if (file.startsWith('quality-team-changed')) return `the webhook stand-in received ${JSON.stringify(state.webhooks)}`;
	if (file.startsWith('lms')) return `alex's auditor roles ${JSON.stringify(state.auditorRoles['AuditorProfile-alex@veepharm.com'])}`;
	return `quality_event__qdm teams ${JSON.stringify(state.teams.quality_event__qdm ?? {})}`;
}

// ---------------------------------------------------------------------------------------------

interface MainInstance {
	server: Server;
	baseUrl: string;
	cookie: string;
}

async function setUpOwner(baseUrl: string): Promise<string> {
	const setup = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (!setup.ok) throw new Error(`owner setup answered ${setup.status}: ${(await setup.text()).slice(0, 500)}`);
	const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0];
	if (!cookie) throw new Error('owner setup set no auth cookie');
	return cookie;
}

/**
 * n8n in queue mode (Redis, a worker, the main instance with the editor), which the editor stages
 * need; with `queueChecks` (the "queue" stage) also its checks: a webhook execution finished by the
 * worker, the trigger polled live, the session kept out of what the editor gets.
 */
async function runQueueMode(userFolder: string, sandbox: RunningSandbox, examples: Example[], queueChecks: boolean): Promise<MainInstance> {
	section(
		queueChecks
			? '4. Queue mode: Redis, n8n worker, n8n start; a webhook execution finished by the worker'
			: '4. n8n in queue mode (Redis, n8n worker, n8n start) for the editor stages; the queue checks not run (--only)',
	);
	const prepared = queueChecks ? await prepareQueueWorkflows(userFolder, sandbox, examples) : undefined;
	const { main, worker, baseUrl, cookie } = await startQueueInstances(userFolder);
	if (!prepared) return { server: main, baseUrl, cookie };
	const { webhookPath, liveTrigger, liveTeamTrigger } = prepared;
	await checkWebhookOnWorker(sandbox, { main, worker, baseUrl, cookie }, webhookPath);
	if (liveTrigger) await checkTriggerLive(sandbox, liveTrigger);
	if (liveTeamTrigger) await checkTeamTriggerLive(sandbox, liveTeamTrigger);
	await checkSessionRedacted(userFolder, baseUrl, cookie);
	return { server: main, baseUrl, cookie };
}

/** The LMS example's queue copy (its Webhook trigger) and the CAPA example's live copy, imported and made live before n8n starts. */
async function prepareQueueWorkflows(userFolder: string, sandbox: RunningSandbox, examples: Example[]): Promise<{ webhookPath: string; liveTrigger?: string; liveTeamTrigger?: string }> {
	const lms = examples.find((example) => example.file.startsWith('lms-completion'));
	if (!lms) throw new Error('examples/lms-completion-to-auditor-role.json is missing');
	const trigger = lms.workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	if (!trigger) throw new Error('the LMS example has no Webhook trigger');
	const queueCopy = runnableCopy(lms.workflow, 'vaultQueueLms0001', trigger.name);
	queueCopy.name = `${lms.workflow.name} (queue mode)`;
	const webhookPath = String(trigger.parameters.path);
	const file = join(RUN_DIR, 'queue-workflow.json');
	writeFileSync(file, JSON.stringify([queueCopy], null, 2));
	mustSucceed('n8n import:workflow (queue copy)', await n8n(userFolder, ['import:workflow', `--input=${file}`]));
	// n8n 2.x makes a workflow's triggers live by publishing it (publish:workflow); n8n 1.x has no
	// publishing (no such command): a workflow is live when active, set with update:workflow --active=true
	const activate = N8N_MAJOR >= 2 ? ['publish:workflow', `--id=${queueCopy.id}`] : ['update:workflow', `--id=${queueCopy.id}`, '--active=true'];
	mustSucceed(`n8n ${activate[0]}`, await n8n(userFolder, activate));
	line(`imported and ${N8N_MAJOR >= 2 ? 'published' : 'activated'} ${queueCopy.id} "${queueCopy.name}" with n8n ${activate.join(' ')} (Webhook trigger POST /webhook/${webhookPath})`);
	const liveTrigger = await publishTriggerCopy(userFolder, sandbox, examples);
	const liveTeamTrigger = await publishTeamTriggerCopy(userFolder, examples);
	return { webhookPath, liveTrigger, liveTeamTrigger };
}

async function startQueueInstances(userFolder: string): Promise<{ main: Server; worker: Server; baseUrl: string; cookie: string }> {
	const redisPort = await freePort();
	const redis = startServer('redis', 'redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
		logFile: join(RUN_DIR, 'redis.log'),
	});
	await redis.waitFor(/Ready to accept connections/, 30_000);
	line(`redis-server on 127.0.0.1:${redisPort}`);

	const queueEnv = { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redisPort) };
	const worker = startServer('n8n worker', join(NODE24_BIN, 'node'), [N8N_JS, 'worker', '--concurrency=2'], {
		env: n8nEnv(userFolder, { ...queueEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()) }),
		logFile: join(RUN_DIR, 'n8n-worker.log'),
	});
	await worker.waitFor(/n8n worker is now ready/i, 180_000);
	line(`n8n worker ready (pid ${worker.child.pid}; log ${worker.logFile})`);

	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const main = startServer('n8n main', join(NODE24_BIN, 'node'), [N8N_JS, 'start'], {
		env: n8nEnv(userFolder, { ...queueEnv, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_RUNNERS_BROKER_PORT: String(await freePort()), WEBHOOK_URL: `${baseUrl}/` }),
		logFile: join(RUN_DIR, 'n8n-main.log'),
	});
	await main.waitFor(/Editor is now accessible via/, 180_000);
	line(`n8n main (queue mode) ready at ${baseUrl} (pid ${main.child.pid}; log ${main.logFile})`);
	const cookie = await setUpOwner(baseUrl);
	line(`owner account ${OWNER.email} set up through POST /rest/owner/setup`);
	return { main, worker, baseUrl, cookie };
}

/** The LMS example's webhook called on the main instance; the worker runs the execution. */
async function checkWebhookOnWorker(sandbox: RunningSandbox, n8nInstances: { main: Server; worker: Server; baseUrl: string; cookie: string }, webhookPath: string): Promise<void> {
	const { main, worker, baseUrl, cookie } = n8nInstances;
	await sandbox.client.clearLog();
	// the LMS example finds the learner's Auditor Profile by the learner's email (Find Auditor Profiles By):
	// the demo Vault's learner, whose profile is linked to that user
	const learner = DEMO_LEARNER.username;
	const profile = DEMO_SEED.auditorProfiles?.find((linked) => typeof linked === 'object' && linked.userId === DEMO_LEARNER.id);
	// n8n 2.x registers a published workflow's webhook asynchronously after start (its publication
	// reconciler): a 404 "not registered" starts nothing, so it is asked again until registered
	const posted = Date.now();
	let response: Response;
	for (;;) {
		response = await fetch(`${baseUrl}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ learnerEmail: learner, course: 'Lead Auditor Certification', completedAt: new Date().toISOString() }),
		});
		if (response.status !== 404 || Date.now() - posted > 90_000) break;
		await response.text();
		await new Promise((done) => setTimeout(done, 1000));
	}
	line(`POST /webhook/${webhookPath} answered ${response.status} after ${((Date.now() - posted) / 1000).toFixed(1)} s: ${(await response.text()).slice(0, 200)}`);
	if (!response.ok) fail(`queue mode: the webhook answered ${response.status}`);
	const finished = await worker.waitFor(/Worker finished execution (\d+) \(job (\d+)\)/, 120_000).catch((error: Error) => {
		fail(`queue mode: ${error.message}`);
		return undefined;
	});
	const startedLine = worker.output().match(/Worker started execution (\d+) \(job (\d+)\)/);
	if (startedLine) line(`worker log: ${startedLine[0]}`);
	if (finished) {
		line(`worker log: ${finished[0]}`);
		const executionId = finished[1];
		const record = await fetch(`${baseUrl}/rest/executions/${executionId}`, { headers: { cookie } });
		const body = (await record.json()) as { data?: { id: string; status: string; mode: string; finished: boolean; workflowId: string } };
		const execution = body.data;
		line(`execution record ${executionId}: status ${execution?.status}, mode ${execution?.mode}, finished ${execution?.finished}, workflow ${execution?.workflowId}`);
		if (execution?.status !== 'success') fail(`queue mode: execution ${executionId} has status ${execution?.status}`);
		if (main.output().match(new RegExp(`Worker finished execution ${executionId}\\b`))) fail('queue mode: the main instance ran the execution itself');
		await sandbox.client.completeJobs();
		const state = await sandbox.client.state();
		const roles = (profile && typeof profile === 'object' ? state.auditorRoles[profile.name] : undefined) ?? [];
		const requests = summarizeRequests(await sandbox.client.log());
		for (const request of requests) line(`  --> ${request.replace(/\n/g, '\n      ')}`);
		line(`sandbox: ${learner}'s auditor roles ${JSON.stringify(roles)}`);
		if (!roles.includes('Lead Auditor')) fail(`queue mode: ${learner} did not get the Lead Auditor role`);
		summary.queue = `execution ${executionId} of ${execution?.workflowId} (webhook) finished by the worker (pid ${worker.child.pid}): status ${execution?.status}; ${learner} is a Lead Auditor in the sandbox`;
	}
}

const TRIGGER_EXAMPLE = 'new-capa-staff-team.json';
const TRIGGER_NODE = 'New CAPA in Vault';
const CAPA = (n: number, at: string) => ({ object: 'quality_event__qdm', id: `OP410000${n}`, name: `QE-10000${n}`, kind: 'create' as const, site: 'dublin__c', at });

/**
 * The CAPA example gone live: the copy that runs from its Veeva Vault QMS Trigger (turned on), limited to
 * CAPAs of site dublin__c and with Include Existing, published before n8n starts, as a user publishes
 * it. One such CAPA exists before; n8n's main instance polls the trigger every minute (its Poll Times,
 * as shipped) and the worker runs each poll's execution.
 */
async function publishTriggerCopy(userFolder: string, sandbox: RunningSandbox, examples: Example[]): Promise<string | undefined> {
	const example = examples.find((candidate) => candidate.file === TRIGGER_EXAMPLE);
	if (!example) {
		fail(`examples/${TRIGGER_EXAMPLE} is missing`);
		return undefined;
	}
	const copy = runnableCopy(example.workflow, 'vaultTriggerLive01', TRIGGER_NODE);
	copy.name = `${example.workflow.name} (trigger live)`;
	const trigger = copy.nodes.find((node) => node.name === TRIGGER_NODE);
	if (trigger) {
		trigger.parameters.options = { includeExisting: true };
		trigger.parameters.conditions = { condition: [{ field: 'site__c', operator: 'equal', value: 'dublin__c', type: 'text' }] };
	}
	const file = join(RUN_DIR, 'trigger-workflow.json');
	writeFileSync(file, JSON.stringify([copy], null, 2));
	mustSucceed('n8n import:workflow (trigger live)', await n8n(userFolder, ['import:workflow', `--input=${file}`]));
	const activate = N8N_MAJOR >= 2 ? ['publish:workflow', `--id=${copy.id}`] : ['update:workflow', `--id=${copy.id}`, '--active=true'];
	mustSucceed(`n8n ${activate[0]} (trigger live)`, await n8n(userFolder, activate));
	await sandbox.client.changeRecords([CAPA(1, '2026-12-07T10:15:00.000Z')]);
	line(`imported and ${N8N_MAJOR >= 2 ? 'published' : 'activated'} ${copy.id} "${copy.name}": its Veeva Vault QMS Trigger polls every minute (Include Existing, site__c = dublin__c); CAPA OP4100001 (dublin__c) exists`);
	return copy.id;
}

/**
 * Each poll's CAPAs staffed once: OP4100001 by an early poll; then OP4100002, created now, by a later
 * one, the cursor kept in the workflow's static data between them (OP4100001 is not sent again).
 */
async function checkTriggerLive(sandbox: RunningSandbox, workflowId: string): Promise<void> {
	const label = `trigger live (${workflowId})`;
	const staffed = async (recordId: string, timeoutMs: number) => {
		const until = Date.now() + timeoutMs;
		for (;;) {
			await sandbox.client.completeJobs();
			const team = (await sandbox.client.state()).teams.quality_event__qdm?.[recordId] ?? [];
			if (team.some((member) => member.user_id === 100022 && member.application_role === 'qa__c')) return true;
			if (Date.now() > until) return false;
			await new Promise((done) => setTimeout(done, 2000));
		}
	};
	const started = Date.now();
	if (!(await staffed('OP4100001', 180_000))) return fail(`${label}: OP4100001 (a CAPA of dublin__c before n8n started) was not staffed within 3 minutes of polling`);
	line(`${label}: OP4100001 staffed with its site's QA lead (100022 as qa__c) after ${((Date.now() - started) / 1000).toFixed(0)} s`);
	await sandbox.client.changeRecords([CAPA(2, '2026-12-07T10:16:00.000Z')]);
	const created = Date.now();
	if (!(await staffed('OP4100002', 180_000))) return fail(`${label}: OP4100002, created while the workflow was live, was not staffed within 3 minutes`);
	const sent = (await sandbox.client.log()).filter((entry) => entry.path.endsWith('/actions/manageassignments') && entry.method === 'POST');
	const times = (id: string) => sent.filter((entry) => (entry.body ?? '').includes(id)).length;
	line(`${label}: OP4100002 staffed ${((Date.now() - created) / 1000).toFixed(0)} s after it was created; Manage calls naming OP4100001: ${times('OP4100001')}, OP4100002: ${times('OP4100002')}`);
	if (times('OP4100002') !== 1 || times('OP4100001') > 1) fail(`${label}: each CAPA must be sent once (OP4100001 ${times('OP4100001')} times since the log was cleared, OP4100002 ${times('OP4100002')})`);
	summary.trigger = `${workflowId}: the Veeva Vault QMS Trigger polled by n8n's main instance, its executions run by the worker: OP4100001 and then OP4100002 staffed, each sent once`;
}

const TEAM_EXAMPLE = 'quality-team-changed-notify.json';
const TEAM_TRIGGER_NODE = 'Quality Team changed in Vault';

/**
 * The notify example gone live: its Veeva Vault QMS Trigger (Quality Team Changed on quality_event__qdm,
 * as shipped) turned on, published before n8n starts; n8n's main instance polls it every minute and the
 * worker runs each poll's execution, whose HTTP Request posts to the sandbox's webhook stand-in.
 */
async function publishTeamTriggerCopy(userFolder: string, examples: Example[]): Promise<string | undefined> {
	const example = examples.find((candidate) => candidate.file === TEAM_EXAMPLE);
	if (!example) {
		fail(`examples/${TEAM_EXAMPLE} is missing`);
		return undefined;
	}
	const copy = runnableCopy(example.workflow, 'vaultTeamLive0001', TEAM_TRIGGER_NODE);
	copy.name = `${example.workflow.name} (trigger live)`;
	const file = join(RUN_DIR, 'team-trigger-workflow.json');
	writeFileSync(file, JSON.stringify([copy], null, 2));
	mustSucceed('n8n import:workflow (team trigger live)', await n8n(userFolder, ['import:workflow', `--input=${file}`]));
	const activate = N8N_MAJOR >= 2 ? ['publish:workflow', `--id=${copy.id}`] : ['update:workflow', `--id=${copy.id}`, '--active=true'];
	mustSucceed(`n8n ${activate[0]} (team trigger live)`, await n8n(userFolder, activate));
	line(`imported and ${N8N_MAJOR >= 2 ? 'published' : 'activated'} ${copy.id} "${copy.name}": Quality Team Changed on quality_event__qdm, polled every minute`);
	return copy.id;
}

/**
 * A member added, then removed, while the workflow is live: each reaches the webhook once, the removal
 * with the record, user and role the trigger kept in the workflow's static data between polls (the
 * sandbox's quality_event__qdm team deletes a removed member's record, so Vault answers no field of it).
 */
async function checkTeamTriggerLive(sandbox: RunningSandbox, workflowId: string): Promise<void> {
	const label = `team trigger live (${workflowId})`;
	const posted = async () => ((await sandbox.client.state()).webhooks ?? []).filter((hook) => hook.name === 'quality-team-changed').map((hook) => hook.body as { change?: IDataObject });
	const waitFor = async (test: (bodies: Array<{ change?: IDataObject }>) => boolean, timeoutMs: number) => {
		const until = Date.now() + timeoutMs;
		for (;;) {
			if (test(await posted())) return true;
			if (Date.now() > until) return false;
			await new Promise((done) => setTimeout(done, 2000));
		}
	};
	// the trigger has found its place once a poll has read the member object's deletions (its first poll reads everything)
	await sandbox.client.clearLog();
	const polling = Date.now() + 150_000;
	while (!(await sandbox.client.log()).some((entry) => entry.path.includes('/objects/deletions/vobjects/quality_event_quality_team_member__v'))) {
		if (Date.now() > polling) return fail(`${label}: the trigger did not poll within 150 s`);
		await new Promise((done) => setTimeout(done, 2000));
	}
	const before = (await posted()).length;
	const at = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
	const member = { object: 'quality_event__qdm', recordId: 'OP4000012', userId: 100045, role: 'qa__c' };
	const of = (kind: string) => (bodies: Array<{ change?: IDataObject }>) => bodies.slice(before).filter((body) => body.change?.change === kind && (body.change.record as IDataObject | undefined)?.id === 'OP4000012' && (body.change.user as IDataObject | undefined)?.id === '100045' && body.change.role === 'qa__c').length;
	await sandbox.client.changeTeams([{ ...member, at: at() }]);
	const added = Date.now();
	if (!(await waitFor((bodies) => of('added')(bodies) >= 1, 180_000))) return fail(`${label}: the add of 100045 to OP4000012 did not reach the webhook within 3 minutes`);
	line(`${label}: the add reached the webhook ${((Date.now() - added) / 1000).toFixed(0)} s after it was made`);
	await sandbox.client.changeTeams([{ ...member, kind: 'remove', at: at() }]);
	const removed = Date.now();
	if (!(await waitFor((bodies) => of('removed')(bodies) >= 1, 180_000))) return fail(`${label}: the removal of 100045 from OP4000012 did not reach the webhook, with its record, user and role, within 3 minutes`);
	const bodies = await posted();
	line(`${label}: the removal reached the webhook ${((Date.now() - removed) / 1000).toFixed(0)} s after it was made; posts: added ${of('added')(bodies)}, removed ${of('removed')(bodies)}`);
	if (of('added')(bodies) !== 1 || of('removed')(bodies) !== 1) fail(`${label}: each change must reach the webhook once (added ${of('added')(bodies)}, removed ${of('removed')(bodies)})`);
	summary.trigger = `${summary.trigger ?? ''}; ${workflowId}: Quality Team Changed polled in queue mode, an add and then a removal each posted to the webhook once`;
}

/**
 * The live Vault session stored in the credential must not reach the browser: n8n blanks only
 * password-typed fields when it sends a credential to the editor. Reads the stored session with
 * n8n's own CLI (decrypted export), then the credential as the editor gets it from n8n's REST API.
 */
async function checkSessionRedacted(userFolder: string, baseUrl: string, cookie: string): Promise<void> {
	const exportFile = join(RUN_DIR, 'credential-export.json');
	mustSucceed(
		'n8n export:credentials',
		await n8n(userFolder, ['export:credentials', '--id=vault-sandbox', '--decrypted', `--output=${exportFile}`]),
	);
	const exported = JSON.parse(readFileSync(exportFile, 'utf8')) as Array<{ data: { sessionSecret?: string; sessionSecretBinding?: string } }>;
	rmSync(exportFile, { force: true });
	const stored = exported[0]?.data ?? {};
	if (typeof stored.sessionSecret !== 'string' || stored.sessionSecret.length < 16) {
		fail(`credential redaction: no session stored in the credential after the runs, nothing to check (sessionSecret ${typeof stored.sessionSecret})`);
		return;
	}
	const answer = await fetch(`${baseUrl}/rest/credentials/vault-sandbox?includeData=true`, { headers: { cookie } });
	const text = await answer.text();
	if (!answer.ok) {
		fail(`credential redaction: GET /rest/credentials/vault-sandbox answered ${answer.status}`);
		return;
	}
	const sent = (JSON.parse(text) as { data?: { data?: Record<string, unknown> } }).data?.data ?? {};
	const leaked = text.includes(stored.sessionSecret);
	if (leaked) fail('credential redaction: the live Vault session is in what n8n sends the editor');
	if (stored.sessionSecretBinding && text.includes(stored.sessionSecretBinding)) fail('credential redaction: the session binding is in what n8n sends the editor');
	if (text.includes(DEMO.password)) fail('credential redaction: the password is in what n8n sends the editor');
	// "Test credential" as the editor sends it: the form's fields, redacted ones as n8n sent them
	const testWith = async (data: Record<string, unknown>) => {
		const tested = await fetch(`${baseUrl}/rest/credentials/test`, {
			method: 'POST',
			headers: { cookie, 'Content-Type': 'application/json' },
			body: JSON.stringify({ credentials: { id: 'vault-sandbox', name: 'Vault (sandbox)', type: 'veevaVaultApi', data } }),
		});
		return ((await tested.json()) as { data?: { status?: string; message?: string } }).data ?? {};
	};
	const asIs = await testWith(sent);
	const wrong = await testWith({ ...sent, password: WRONG_PASSWORD });
	if (asIs.status !== 'OK') fail(`credential test of the stored form: ${JSON.stringify(asIs)}`);
	if (wrong.status !== 'Error' || !/password is wrong/.test(wrong.message ?? '')) {
		fail(`credential test with a wrong password typed over a stored session: ${JSON.stringify(wrong)} (it must log in fresh and fail)`);
	}
	if (JSON.stringify(wrong).includes(WRONG_PASSWORD)) fail('credential test: the typed password is in its answer');
	line(`POST /rest/credentials/test: the form as stored -> ${asIs.status}; a wrong password over the stored session -> ${wrong.status}: ${wrong.message}`);
	line(
		`credential as the editor gets it (GET /rest/credentials/vault-sandbox?includeData=true): sessionSecret ${JSON.stringify(sent.sessionSecret)}, sessionSecretBinding ${JSON.stringify(sent.sessionSecretBinding)}; the stored session (${stored.sessionSecret.length} characters, read with n8n export:credentials --decrypted) is ${leaked ? 'IN IT' : 'not in it'}`,
	);
}

// ---------------------------------------------------------------------------------------------

/** The stages after the install and the sandbox, which every run has; `--only` picks some (the full run: all). */
const STAGES = ['examples', 'agent', 'queue', 'editor', 'oauth2'] as const;
type Stage = (typeof STAGES)[number];

/** `--only agent,oauth2` (or `--only=agent,oauth2`): those stages only; no --only: every stage. */
function chosenStages(args: string[]): Set<Stage> {
	const at = args.findIndex((arg) => arg === '--only' || arg.startsWith('--only='));
	if (at < 0) return new Set(STAGES);
	const list = args[at].includes('=') ? args[at].slice('--only='.length) : (args[at + 1] ?? '');
	const names = list.split(',').map((name) => name.trim()).filter(Boolean);
	const unknown = names.filter((name) => !(STAGES as readonly string[]).includes(name));
	if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes stages among ${STAGES.join(', ')} (comma-separated); got "${list}"`);
	return new Set(names as Stage[]);
}

async function main(): Promise<void> {
	const stages = chosenStages(process.argv.slice(2));
	summary.stages = STAGES.filter((stage) => stages.has(stage));
	rmSync(RUN_DIR, { recursive: true, force: true });
	mkdirSync(RUN_DIR, { recursive: true });
	const userFolder = join(RUN_DIR, 'n8n-user');
	mkdirSync(userFolder, { recursive: true });
	line(`n8n ${N8N_VERSION} at ${N8N_DIR}; work folder (logs, n8n user folder): ${RUN_DIR}`);
	if (stages.size < STAGES.length) line(`--only: the stages ${summary.stages.join(', ')} (not run: ${STAGES.filter((stage) => !stages.has(stage)).join(', ')})`);
	const examples = loadExamples(join(REPO, 'examples'));

	await installPackage(userFolder);
	const sandbox = await startSandboxProcess();
	line(`sandbox (own process, pid ${sandbox.server.child.pid}) at ${sandbox.url}, control API ${sandbox.client.controlUrl}; settings ${JSON.stringify(DEMO_SETTINGS)}`);
	await importCredentials(userFolder, sandbox);
	if (stages.has('examples')) await runExamplesInN8n(userFolder, sandbox, examples);
	const agentFiles = stages.has('agent') ? await runAgentStage(userFolder, sandbox) : undefined;
	if (!['queue', 'editor', 'oauth2', 'agent'].some((stage) => stages.has(stage as Stage))) return;
	const mainInstance = await runQueueMode(userFolder, sandbox, examples, stages.has('queue'));

	if (stages.has('editor')) {
		section('5. The editor in Chromium (playwright-core, /usr/bin/chromium)');
		await resetSandbox(sandbox);
		addEditorChecks(
			await runEditorChecks({
				baseUrl: mainInstance.baseUrl,
				n8nMajor: N8N_MAJOR,
				actions: actionNames(),
				owner: OWNER,
				screenshots: SCREENSHOTS,
				sandboxUrl: sandbox.url,
				demo: DEMO,
				credentialName: 'Vault (sandbox)',
				sandboxLog: async () => (await sandbox.client.log()).map((entry) => `${entry.method} ${entry.path} ${entry.responseStatus ?? entry.status}`),
				clearSandboxLog: async () => await sandbox.client.clearLog(),
				onProblem: fail,
				log: line,
				examples: editorExamples(examples),
				resetSandbox: async () => await resetSandbox(sandbox),
				readmeUrl: renderReadme(REPO, join(RUN_DIR, 'README.html')),
			}),
		);
	}

	if (stages.has('oauth2')) {
		section("6. The Veeva Vault OAuth2 API credential: PKCE connected in Chromium; Test credential (Vault's exchange) on save of a client-credentials credential in the editor, and through n8n's REST API");
		addEditorChecks(
			await runOAuth2Checks({
				baseUrl: mainInstance.baseUrl,
				owner: OWNER,
				sandboxUrl: sandbox.url,
				elsewhereUrl: sandbox.elsewhereUrl,
				n8nMajor: N8N_MAJOR,
				n8nVersion: N8N_VERSION,
				sandbox: sandbox.client,
				screenshots: join(SCREENSHOTS, 'oauth2'),
				onProblem: fail,
				log: line,
				n8n: async (args) => await n8n(userFolder, args),
				runDir: RUN_DIR,
			}),
		);
		await resetSandbox(sandbox);
	}

	if (agentFiles) {
		section("7. The Vault node as an AI agent's tool in the editor: the fields only the tool shows; the agent run from the editor");
		addEditorChecks(
			await runToolPanelChecks({
				baseUrl: mainInstance.baseUrl,
				owner: OWNER,
				workflowFiles: agentFiles,
				sandbox: sandbox.client,
				resetSandbox: async () => await resetSandbox(sandbox),
				screenshots: join(SCREENSHOTS, 'agent'),
				n8nMajor: N8N_MAJOR,
				runDir: RUN_DIR,
				onProblem: fail,
				log: line,
			}),
		);
	}
}

/** The editor stages' checks and screenshots, counted and listed together. */
function addEditorChecks(result: { checks: number; screenshots: string[]; folder?: string }): void {
	summary.editor ??= { folder: SCREENSHOTS, checks: 0, screenshots: [] };
	summary.editor.checks += result.checks;
	summary.editor.screenshots.push(...result.screenshots);
}

/**
 * n8n's AI Agent with the sandbox's scripted chat model and the Vault node as its tool (agent.ts),
 * run with n8n execute before queue mode starts, so no live trigger's polls reach the sandbox while
 * the agent's runs are counted there.
 */
async function runAgentStage(userFolder: string, sandbox: RunningSandbox): Promise<{ plan: string; send: string }> {
	section("3. An AI agent: n8n's AI Agent and OpenAI Chat Model (the sandbox's scripted model), the Vault node as its tool");
	const result = await runAgentChecks({
		sandboxUrl: sandbox.url,
		sandbox: sandbox.client,
		n8nMajor: N8N_MAJOR,
		runDir: RUN_DIR,
		n8n: async (args) => await n8n(userFolder, args),
		resetSandbox: async () => await resetSandbox(sandbox),
		onProblem: fail,
		log: line,
	});
	summary.agent = result;
	await resetSandbox(sandbox);
	return result.workflowFiles;
}

/** "resource/operation" -> the action name the node creator shows, from the node built for the package */
function actionNames(): Record<string, string> {
	const built = require(join(REPO, 'dist/nodes/VeevaVaultQms/VeevaVaultQms.node.js')) as { VeevaVaultQms: new () => INodeType };
	const actions: Record<string, string> = {};
	for (const property of new built.VeevaVaultQms().description.properties) {
		if (property.name !== 'operation') continue;
		for (const resource of (property.displayOptions?.show?.resource ?? []) as string[]) {
			for (const option of (property.options ?? []) as INodePropertyOptions[]) if (option.action) actions[`${resource}/${option.value}`] = option.action;
		}
	}
	return actions;
}

/** What the editor must show of each example file: its canvas nodes, the triggers that are off, each Vault node's subtitle. */
function editorExamples(examples: Example[]): EditorExample[] {
	const titles = operationTitles();
	return examples.map((example) => {
		const nodes = example.workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
		return {
			file: example.file,
			path: join(REPO, 'examples', example.file),
			nodes: nodes.map((node) => node.name),
			disabledTriggers: nodes.filter((node) => node.disabled === true).map((node) => node.name),
			countedNode: EXPECTATIONS[example.file]?.itemsNode,
			vaultNodes: nodes
				.filter((node) => node.type === VAULT_NODE_TYPE)
				.map((node) => ({
					name: node.name,
					subtitle: titles[`${String(node.parameters.resource)}/${String(node.parameters.operation)}`] ?? '(no such operation)',
					// the editor's run stops at an approval form: the nodes after it run only once it is submitted
					...(afterApproval(example).has(node.name) ? { afterApproval: true } : {}),
				})),
		};
	});
}

/** The nodes an example's approval form (EXPECTATIONS' `approval`) comes before. */
function afterApproval(example: Example): Set<string> {
	const approval = EXPECTATIONS[example.file]?.approval;
	const after = new Set<string>();
	const queue = approval ? [approval.node] : [];
	while (queue.length > 0) {
		for (const outputs of example.workflow.connections[queue.shift() as string]?.main ?? [])
			for (const { node } of outputs ?? []) {
				if (after.has(node)) continue;
				after.add(node);
				queue.push(node);
			}
	}
	return after;
}

/** "resource/operation" -> "Resource: Operation", the names the node's panel shows (its subtitle must show the same) */
function operationTitles(): Record<string, string> {
	const built = require(join(REPO, 'dist/nodes/VeevaVaultQms/VeevaVaultQms.node.js')) as { VeevaVaultQms: new () => INodeType };
	const properties = new built.VeevaVaultQms().description.properties;
	const resources = (properties.find((property) => property.name === 'resource')?.options ?? []) as INodePropertyOptions[];
	const titles: Record<string, string> = {};
	for (const property of properties) {
		if (property.name !== 'operation') continue;
		for (const resource of (property.displayOptions?.show?.resource ?? []) as string[]) {
			const resourceName = resources.find((option) => option.value === resource)?.name ?? resource;
			for (const option of (property.options ?? []) as INodePropertyOptions[]) titles[`${resource}/${String(option.value)}`] = `${resourceName}: ${option.name}`;
		}
	}
	return titles;
}

function printSummary(): void {
	section(`Summary (n8n ${N8N_VERSION})`);
	line(`community package: ${summary.installedPath ?? '(not installed)'} (version ${summary.installedVersion ?? '?'})`);
	for (const example of summary.examples) line(`example ${example.file}: ${example.status}; ${example.items}; differences from n8n-core: ${example.coreDiffs}`);
	line(`queue mode: ${summary.queue ?? '(not shown)'}`);
	line(`trigger: ${summary.trigger ?? '(not shown)'}`);
	line(`AI agent: ${summary.agent?.summary ?? '(not shown)'}`);
	if (summary.stages && summary.stages.length < STAGES.length) line(`stages run (--only): ${summary.stages.join(', ')}; not run: ${STAGES.filter((stage) => !summary.stages?.includes(stage)).join(', ')}`);
	if (summary.editor) {
		line(`editor: ${summary.editor.checks} checks; screenshots in ${summary.editor.folder}:`);
		for (const shot of summary.editor.screenshots) line(`  ${shot}`);
	}
	line(`total time ${((Date.now() - STARTED) / 1000).toFixed(0)} s`);
	if (failures.length > 0) {
		line(`\n${failures.length} mismatch(es):`);
		for (const failure of failures) line(`  - ${failure.split('\n')[0]}`);
	}
	const checks = summary.examples.length + (summary.queue ? 1 : 0) + (summary.trigger ? 1 : 0) + (summary.editor?.checks ?? 0) + (summary.agent?.checks ?? 0);
	line(`\n${Math.max(0, checks - failures.length)} passed, ${failures.length} failed`);
}

/**
 * However the run ends, the processes it started stop: the sandbox, n8n (main, worker), redis and
 * Chromium, so none holds the fixed ports for the next run. An error main() throws, one thrown
 * outside it (an uncaught exception, an unhandled rejection) and a signal all come here; an exit
 * that skips it still SIGKILLs the servers (killAllNow).
 */
let finishing = false;
async function finish(): Promise<void> {
	if (finishing) return;
	finishing = true;
	await stopAll().catch((error: unknown) => line(`stopping the processes: ${String(error)}`));
	printSummary();
	process.exit(failures.length === 0 ? 0 : 1);
}
process.on('exit', killAllNow);
process.on('uncaughtException', (error) => {
	fail(`aborted (uncaught exception): ${error.stack ?? String(error)}`);
	void finish();
});
process.on('unhandledRejection', (reason) => {
	fail(`aborted (unhandled rejection): ${(reason as Error)?.stack ?? String(reason)}`);
	void finish();
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => {
		fail(`stopped by ${signal}`);
		void finish();
	});
}

main()
	.catch((error: unknown) => {
		fail(`aborted: ${(error as Error).stack ?? String(error)}`);
	})
	.finally(finish);
