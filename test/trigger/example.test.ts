/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { createHarness } from '../harness/engine';
import { useSandbox } from '../harness/fixtures';
import { createPoller } from '../harness/poll';
import { CREDENTIAL_FILE, runnableCopy, VAULT_NODE_TYPE, type ExampleWorkflow } from '../n8n/examples';
import { DEMO_SEED } from '../sandbox/demoVault';

/**
 * examples/new-capa-staff-team.json gone live: its Veeva Vault QMS Trigger turned on. Polled as n8n
 * polls an active workflow, it emits the CAPA created after activation with its site; run from the
 * trigger in the editor (n8n-core polls it once, in manual mode), the new CAPA's team gets the site's
 * QA lead, and records without a site in the table are left out.
 */
const workflow = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'new-capa-staff-team.json'), 'utf8')) as ExampleWorkflow;
const TRIGGER = 'New CAPA in Vault';
const trigger = workflow.nodes.find((node) => node.name === TRIGGER) as INode;
const [credential] = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', CREDENTIAL_FILE), 'utf8')) as Array<{ id: string; name: string; type: string; data: IDataObject }>;

describe('examples/new-capa-staff-team.json with its trigger on', () => {
	const context = useSandbox();

	it('emits the CAPA created after activation, with its site, once', async () => {
		await context.sandbox.client.seed(DEMO_SEED);
		const poller = createPoller(context.harness, trigger.parameters);
		expect((await poller.poll()).items).toEqual([]);
		await context.sandbox.client.changeRecords([{ object: 'quality_event__qdm', id: 'OP4100001', name: 'QE-100001', kind: 'create', site: 'dublin__c', at: '2026-12-07T10:15:00.000Z' }]);
		const emitted = await poller.poll();
		expect(emitted.items.map((item) => item.json)).toEqual([
			{ id: 'OP4100001', name__v: 'QE-100001', site__c: 'dublin__c', created_date__v: '2026-12-07T10:15:00.000Z', modified_date__v: '2026-12-07T10:15:00.000Z' },
		]);
		expect((await poller.poll()).items).toEqual([]);
	});

	it('run from the trigger in the editor (manual mode: Fetch Test Event\'s newest matches), staffs the new CAPA with its site\'s QA lead and leaves out records without one', async () => {
		await context.sandbox.client.seed(DEMO_SEED);
		await context.sandbox.client.changeRecords([{ object: 'quality_event__qdm', id: 'OP4100001', name: 'QE-100001', kind: 'create', site: 'dublin__c', at: '2026-12-07T10:15:00.000Z' }]);
		const copy = runnableCopy(workflow, 'vaultTriggerRun', TRIGGER);
		for (const node of copy.nodes) if (node.type === VAULT_NODE_TYPE) node.parameters.options = { ...(node.parameters.options as object), pollIntervalSeconds: 0.1 };
		// the credential shipped beside the examples, pointed at this test's sandbox
		const harness = createHarness([{ ...credential, data: { ...credential.data, vaultDns: context.sandbox.url } }]);
		const run = await harness.runWorkflow(copy, TRIGGER);
		expect(run.data.resultData.error?.message).toBeUndefined();
		const runData = run.data.resultData.runData;
		// the newest five records (Fetch Test Event's sample): the new CAPA and four without a site
		expect(runData[TRIGGER][0].data?.main[0]?.map((item) => item.json.id)).toEqual(['OP4100001', 'OP4002000', 'OP4001999', 'OP4001998', 'OP4001997']);
		expect(runData['Site has a QA lead'][0].data?.main[0]?.map((item) => item.json.record_id)).toEqual(['OP4100001']);
		await context.sandbox.client.completeJobs();
		const team = (await context.sandbox.client.state()).teams.quality_event__qdm?.OP4100001 ?? [];
		expect(team.map((member) => [member.user_id, member.application_role])).toEqual([[100022, 'qa__c']]);
	});
});
