/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { createHarness, VAULT_NODE_TYPE, type WorkflowData } from '../harness/engine';
import { useSandbox } from '../harness/fixtures';
import { CREDENTIAL_FILE, EXPECTATIONS, SANDBOX_WEBHOOK_ORIGIN, START_NODE, VAULT_TRIGGER_NODE_TYPE } from '../n8n/examples';
import { DEMO_USER } from '../sandbox';
import { DEMO_SEED } from '../sandbox/demoVault';

/**
 * The examples as a user gets them: files that `n8n import:workflow` takes as they are (an id),
 * that run "Try it" from n8n execute and from the editor's main button (it is the first node, and
 * the only trigger that is on), that say which credential to create, and that work against the
 * Vault `npm run sandbox` serves with the credential file shipped beside them. test:n8n imports
 * and runs the same files in a real n8n.
 */
type Workflow = WorkflowData & { id?: unknown; active?: unknown; nodes: INode[] };
const DIR = join(__dirname, '..', '..', 'examples');
const files = readdirSync(DIR).filter((name) => name.endsWith('.json') && name !== CREDENTIAL_FILE).sort();
const load = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Workflow;
const [credential] = JSON.parse(readFileSync(join(DIR, CREDENTIAL_FILE), 'utf8')) as Array<{ id: string; name: string; type: string; data: IDataObject }>;
/** node types that start a workflow: n8n's triggers and the Webhook node */
const isTrigger = (node: INode) => /Trigger$/.test(node.type) || node.type === 'n8n-nodes-base.webhook';

describe('examples/*.json as shipped', () => {
	it('are the eleven workflows the README lists, each with an id of its own (n8n import:workflow refuses a workflow without one)', () => {
		expect(files).toHaveLength(11);
		const ids = files.map((file) => load(file).id);
		for (const id of ids) expect(typeof id === 'string' && /^[A-Za-z0-9]{1,21}$/.test(id)).toBe(true);
		expect(new Set(ids).size).toBe(files.length);
		const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
		for (const file of files) expect(readme).toContain(`examples/${file}`);
	});

	it.each(files)('%s: "Try it" is the first node and the only trigger that is on', (file) => {
		const workflow = load(file);
		// n8n execute starts at the first trigger in the file; the editor's main button at the trigger it ranks
		// highest (a webhook or schedule above a manual trigger) among those that are on
		expect(workflow.nodes[0]).toMatchObject({ name: START_NODE, type: 'n8n-nodes-base.manualTrigger' });
		expect(workflow.nodes.filter((node) => isTrigger(node) && node.disabled !== true).map((node) => node.name)).toEqual([START_NODE]);
		expect(workflow.active).toBe(false);
	});

	it.each(files)('%s: a sticky note says which credential to create, and how to get the sandbox one', (file) => {
		const workflow = load(file);
		const notes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').map((node) => String(node.parameters.content));
		expect(notes.join('\n')).toContain('Veeva Vault API');
		expect(notes.join('\n')).toContain(`examples/${CREDENTIAL_FILE}`);
		expect(notes.join('\n')).toContain('npm run sandbox');
		for (const node of workflow.nodes.filter((candidate) => candidate.type === VAULT_NODE_TYPE || candidate.type === VAULT_TRIGGER_NODE_TYPE)) {
			expect(node.credentials?.veevaVaultApi).toEqual({ id: credential.id, name: credential.name });
		}
	});

	it(`${CREDENTIAL_FILE} is the login npm run sandbox prints, for its default port`, () => {
		expect(credential).toMatchObject({ type: 'veevaVaultApi', data: { vaultDns: 'http://127.0.0.1:8470', authentication: 'password', username: DEMO_USER.username, password: DEMO_USER.password } });
		const main = readFileSync(join(__dirname, '..', 'sandbox', 'main.ts'), 'utf8');
		expect(main).toContain('ports: [8470, 8471]');
		const scripts = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
		expect(scripts.sandbox).toMatch(/test\/sandbox\/main\.ts --demo$/);
	});
});

describe('the examples against the Vault npm run sandbox serves (the demo seed)', () => {
	const vault = useSandbox();

	it.each(files)('%s runs from "Try it" and leaves what test:n8n expects', async (file) => {
		await vault.sandbox.client.seed(DEMO_SEED);
		const harness = createHarness([{ ...credential, data: { ...credential.data, vaultDns: vault.sandbox.url } }]);
		const workflow = load(file);
		// the jest sandbox runs jobs at once; the shipped 10 s poll interval would only wait
		for (const node of workflow.nodes) if (node.type === VAULT_NODE_TYPE) node.parameters.options = { ...(node.parameters.options as IDataObject), pollIntervalSeconds: 0.1 };
		const expectation = EXPECTATIONS[file];
		// the webhook stand-in is the sandbox's: this test's port, not the default one the file names
		for (const node of workflow.nodes) if (typeof node.parameters.url === 'string') node.parameters.url = node.parameters.url.replace(SANDBOX_WEBHOOK_ORIGIN, vault.sandbox.url);
		let run = await harness.runWorkflow(workflow, START_NODE);
		expect(run.data.resultData.error?.message).toBeUndefined();
		const itemsOf = (name: string) => {
			const runs = run.data.resultData.runData[name] ?? [];
			return runs[runs.length - 1]?.data?.main[0];
		};
		if (expectation.approval) {
			// the run stops at the approval form, the plan made and nothing changed; then the approver submits the form
			const { node, planNode, planItems, checkWaiting, form } = expectation.approval;
			expect(run.status).toBe('waiting');
			expect(run.data.resultData.lastNodeExecuted).toBe(node);
			expect(itemsOf(planNode)).toHaveLength(planItems);
			await vault.sandbox.client.completeJobs();
			expect(checkWaiting(await vault.sandbox.client.state())).toEqual([]);
			run = await harness.resumeWorkflow(workflow, run, { method: 'POST', form: true, body: form });
			expect(run.data.resultData.error?.message).toBeUndefined();
			expect(run.status).toBe('success');
		}
		const vaultNode = expectation.vaultNode ?? expectation.itemsNode ?? (workflow.nodes.find((node) => node.type === VAULT_NODE_TYPE) as INode).name;
		expect(itemsOf(vaultNode)).toHaveLength(expectation.vaultItems);
		await vault.sandbox.client.completeJobs();
		expect(expectation.check(await vault.sandbox.client.state())).toEqual([]);
	});
});

describe('examples/hr-termination-remove-everywhere.json: what the approval decides', () => {
	const vault = useSandbox();
	const FILE = 'hr-termination-remove-everywhere.json';
	const leaverOn = async () =>
		Object.values((await vault.sandbox.client.state()).teams).flatMap((records) => Object.values(records).flat().filter((member) => member.user_id === 100031)).length;
	const planned = async () => {
		await vault.sandbox.client.seed(DEMO_SEED);
		const harness = createHarness([{ ...credential, data: { ...credential.data, vaultDns: vault.sandbox.url } }]);
		const workflow = load(FILE);
		for (const node of workflow.nodes) if (node.type === VAULT_NODE_TYPE) node.parameters.options = { ...(node.parameters.options as IDataObject), pollIntervalSeconds: 0.1 };
		return { harness, workflow, waiting: await harness.runWorkflow(workflow, START_NODE) };
	};

	it('"Do not remove" removes nothing: the run ends at "Not approved"', async () => {
		const { harness, workflow, waiting } = await planned();
		const run = await harness.resumeWorkflow(workflow, waiting, { method: 'POST', form: true, body: { 'field-0': 'Do not remove', 'field-1': 'Quality Head (demo)' } });
		expect(run.status).toBe('success');
		expect(run.data.resultData.runData['Not approved']?.[0].data?.main[0]).toHaveLength(1);
		expect(run.data.resultData.runData['Remove from every Quality Team']).toBeUndefined();
		expect((await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'))).toEqual([]);
		expect(await leaverOn()).toBe(6);
	});

	it('a membership added after the plan is more than was approved: the removal stops before sending (Max Removals is the plan\'s count)', async () => {
		const { harness, workflow, waiting } = await planned();
		await vault.sandbox.client.seed({ teamMembers: [{ object: 'risk_event__v', recordId: 'RE0000009', userId: 100031, role: 'qa__c' }] });
		const run = await harness.resumeWorkflow(workflow, waiting, { method: 'POST', form: true, body: approvalOf(FILE) });
		expect(run.data.resultData.error?.message).toBe('A person has more memberships to remove than Max Removals allows (4), so nothing was sent');
		expect((await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'))).toEqual([]);
		expect(await leaverOn()).toBe(7);
	});
});

function approvalOf(file: string): IDataObject {
	const approval = EXPECTATIONS[file].approval;
	if (!approval) throw new Error(`${file} has no approval`);
	return approval.form;
}
