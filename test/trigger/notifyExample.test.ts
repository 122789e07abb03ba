/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { createHarness } from '../harness/engine';
import { useSandbox } from '../harness/fixtures';
import { createPoller } from '../harness/poll';
import { CREDENTIAL_FILE, runnableCopy, SANDBOX_WEBHOOK_ORIGIN, type ExampleWorkflow } from '../n8n/examples';
import { DEMO_SEED } from '../sandbox/demoVault';

/**
 * examples/quality-team-changed-notify.json gone live: its Veeva Vault QMS Trigger (Quality Team Changed)
 * turned on. Polled as n8n polls an active workflow, it emits a member added and then removed after
 * activation; run from the trigger in the editor (manual mode: the newest adds), the HTTP Request posts
 * each change to the webhook (the sandbox's stand-in, at this test's port).
 */
const workflow = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'quality-team-changed-notify.json'), 'utf8')) as ExampleWorkflow;
const TRIGGER = 'Quality Team changed in Vault';
const trigger = workflow.nodes.find((node) => node.name === TRIGGER) as INode;
const [credential] = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', CREDENTIAL_FILE), 'utf8')) as Array<{ id: string; name: string; type: string; data: IDataObject }>;
const at = (second: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000 + second * 1000).toISOString();
const member = { object: 'quality_event__qdm', recordId: 'OP4000012', userId: 100045, role: 'qa__c' };

describe('examples/quality-team-changed-notify.json with its trigger on', () => {
	const context = useSandbox();

	it('emits a member added, then removed, after activation, each once, with record, user and role', async () => {
		await context.sandbox.client.seed(DEMO_SEED);
		const poller = createPoller(context.harness, trigger.parameters);
		expect((await poller.poll()).items).toEqual([]);
		await context.sandbox.client.changeTeams([{ ...member, at: at(1) }]);
		const added = (await poller.poll()).items.map((item) => item.json);
		expect(added).toEqual([expect.objectContaining({ change: 'added', when: at(1), record: { id: 'OP4000012', name: 'QE-000012' }, user: { id: '100045', userName: 'user100045@sandbox.veevavault.com' }, role: 'qa__c' })]);
		await context.sandbox.client.changeTeams([{ ...member, kind: 'remove', at: at(2) }]);
		const removed = (await poller.poll()).items.map((item) => item.json);
		expect(removed).toEqual([expect.objectContaining({ change: 'removed', when: at(2), record: { id: 'OP4000012', name: 'QE-000012' }, user: { id: '100045', userName: 'user100045@sandbox.veevavault.com' }, role: 'qa__c' })]);
		expect((await poller.poll()).items).toEqual([]);
	});

	it('run from the trigger in the editor, posts the newest add to the webhook with its words', async () => {
		await context.sandbox.client.seed(DEMO_SEED);
		await context.sandbox.client.changeTeams([{ ...member, at: at(3) }]);
		const copy = runnableCopy(workflow, 'vaultTeamTriggerRun', TRIGGER);
		for (const node of copy.nodes) if (typeof node.parameters.url === 'string') node.parameters.url = node.parameters.url.replace(SANDBOX_WEBHOOK_ORIGIN, context.sandbox.url);
		const harness = createHarness([{ ...credential, data: { ...credential.data, vaultDns: context.sandbox.url } }]);
		const run = await harness.runWorkflow(copy, TRIGGER);
		expect(run.data.resultData.error?.message).toBeUndefined();
		const posted = (await context.sandbox.client.state()).webhooks;
		expect(posted[0]).toEqual({
			name: 'quality-team-changed',
			body: { text: `Added to the Quality Team of QE-000012: user100045@sandbox.veevavault.com as qa__c (${at(3)}, UTC)`, change: expect.objectContaining({ change: 'added', memberObject: 'quality_event_quality_team_member__v' }) },
		});
	});
});
