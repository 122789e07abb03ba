/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * `npm run demo`: starts the Vault sandbox, runs every workflow in examples/ from its "Try it"
 * trigger through n8n's workflow engine (n8n-core, with n8n's own nodes), and prints what was
 * sent to Vault and what came back.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-veeva-demo-'));

import type { INode, INodeExecutionData } from 'n8n-workflow';

import { createHarness, VAULT_NODE_TYPE, type WorkflowData } from '../test/harness/engine';
import { DEMO_USER, startSandbox, type RunningSandbox } from '../test/sandbox';
import { DEMO_SEED, DEMO_SETTINGS } from '../test/sandbox/demoVault';
import type { LogEntry } from '../test/sandbox/types';
import { EXPECTATIONS, SANDBOX_WEBHOOK_ORIGIN } from '../test/n8n/examples';

const line = (text = '') => process.stdout.write(`${text}\n`);

async function main() {
	// the same Vault as `npm run sandbox` serves: test/sandbox/demoVault.ts
	const sandbox = await startSandbox({ settings: DEMO_SETTINGS });
	await sandbox.client.seed(DEMO_SEED);
	line(`Vault sandbox at ${sandbox.url} (log in as ${DEMO_USER.username})`);
	try {
		await runExamples(sandbox);
	} finally {
		await sandbox.close();
	}
}

async function runExamples(sandbox: RunningSandbox) {
	const harness = createHarness([
		{
			id: 'vault-sandbox',
			name: 'Vault (sandbox)',
			type: 'veevaVaultApi',
			data: { vaultDns: sandbox.url, authentication: 'password', username: DEMO_USER.username, password: DEMO_USER.password },
		},
	]);
	let failures = 0;
	// every workflow file; sandbox-credential.json is the credential for n8n import:credentials
	for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.json') && name !== 'sandbox-credential.json').sort()) {
		const workflow = JSON.parse(readFileSync(join(__dirname, file), 'utf8')) as WorkflowData & { nodes: INode[] };
		// the sandbox lets a job's status be read every second; a real Vault allows every 10 s
		for (const node of workflow.nodes) {
			if (node.type === VAULT_NODE_TYPE) node.parameters.options = { ...(node.parameters.options as object), pollIntervalSeconds: 1 };
			// the notify example's webhook stand-in is the sandbox's: this run's port, not the default one the file names
			if (typeof node.parameters.url === 'string') node.parameters.url = node.parameters.url.replace(SANDBOX_WEBHOOK_ORIGIN, sandbox.url);
		}
		line(`\n=== ${workflow.name}  (examples/${file})`);
		await sandbox.client.clearLog();
		let run = await harness.runWorkflow(workflow, 'Try it');
		printRequests(await sandbox.client.log());
		const approval = EXPECTATIONS[file]?.approval;
		if (run.waitTill && approval) {
			// the example waits for a person at its approval form: the plan, then the demo submits the form as an approver would
			printItems(run.data.resultData.runData[approval.planNode]?.at(-1)?.data?.main?.[0] ?? [], `${approval.planNode} (the plan)`);
			line(`... waiting at "${approval.node}"; the demo submits its form: ${JSON.stringify(approval.form)}`);
			await sandbox.client.clearLog();
			run = await harness.resumeWorkflow(workflow, run, { method: 'POST', form: true, body: approval.form });
			printRequests(await sandbox.client.log());
		}
		const vaultNode = EXPECTATIONS[file]?.vaultNode ?? EXPECTATIONS[file]?.itemsNode ?? workflow.nodes.find((node) => node.type === VAULT_NODE_TYPE)?.name;
		const runs = vaultNode ? run.data.resultData.runData[vaultNode] ?? [] : [];
		const last = runs[runs.length - 1];
		if (!last || last.error) {
			failures++;
			line(`<-- FAILED: ${last?.error?.message ?? run.data.resultData.error?.message ?? 'the Vault node did not run'}`);
			continue;
		}
		printItems(last.data?.main?.[0] ?? []);
	}
	await sandbox.client.completeJobs();
	const state = await sandbox.client.state();
	line('\n=== Vault sandbox state afterwards');
	line(`quality_event__qdm teams: ${JSON.stringify(state.teams.quality_event__qdm ?? {})}`);
	line(`auditor roles of alex: ${JSON.stringify(state.auditorRoles['AuditorProfile-alex@veepharm.com'] ?? [])}`);
	line(`document 11 roles: ${JSON.stringify(state.documentRoles['11'] ?? {})}`);
	line(`jobs: ${state.jobs.map((job) => `${job.id} ${job.status}`).join(', ')}; logins: ${state.logins}`);
	if (failures > 0) {
		line(`\n${failures} example(s) failed`);
		process.exitCode = 1;
	}
}

function printRequests(log: LogEntry[]) {
	for (const entry of log.filter((logged) => !logged.path.endsWith('/auth'))) {
		line(`--> ${entry.method} ${entry.path}  ${entry.responseStatus ?? entry.status}${entry.jobId ? `  job ${entry.jobId}` : ''}`);
		if (entry.body && !entry.path.includes('/services/jobs/')) line(indent(entry.body.trim()));
	}
}

function printItems(items: INodeExecutionData[], title?: string) {
	if (title) line(`<-- ${title}:`);
	for (const item of items) {
		const { row, ...rest } = item.json as Record<string, unknown>;
		line(`<-- ${JSON.stringify(rest)}${row ? `\n    row ${JSON.stringify(row)}` : ''}`);
	}
}

function indent(text: string): string {
	return text
		.split(/\r?\n/)
		.map((row) => `    ${row}`)
		.join('\n');
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exitCode = 1;
});
