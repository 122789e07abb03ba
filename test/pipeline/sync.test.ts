import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { jsonOf, pairedOf, useSandbox } from '../harness/fixtures';

const SYNC = { resource: 'qualityTeam', operation: 'syncMembers', objectName: 'quality_event__qdm' };
const WAIT = { waitForCompletion: true, pollIntervalSeconds: 0.05 };
const RECORDS = ['OP4000008', 'OP4000009', 'OP4000010'];
type Member = [string, number, string];
const CURRENT: Member[] = [
	['OP4000008', 100001, 'qa__c'],
	['OP4000008', 100002, 'sme__c'],
	['OP4000008', 100003, 'record_owner__c'],
	['OP4000009', 100004, 'qa__c'],
	// a record the roster does not name: outside the sync's scope
	['OP4000010', 100005, 'qa__c'],
];
const row = ([record, user, role]: Member, extra: IDataObject = {}) => ({ record_id: record, user_id: user, application_role: role, ...extra });
const key = ([record, user, role]: Member) => `${record} ${user} ${role}`;

describe('Sync Members: a roster reconciled against the teams Vault has now', () => {
	const vault = useSandbox();
	const team = async (record: string) =>
		((await vault.sandbox.client.state()).teams.quality_event__qdm?.[record] ?? []).map((member) => `${record} ${member.user_id} ${member.application_role}`).sort();
	const teams = async () => (await Promise.all(RECORDS.map(team))).flat().sort();
	const sent = async () => (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'));
	const sentRows = async () => (await sent()).flatMap((entry) => (entry.body ?? '').trim().split(/\r?\n/).slice(1)).sort();
	const changes = (items: INodeExecutionData[]) => jsonOf(items).filter((json) => json.change === 'add' || json.change === 'remove');
	const summaryOf = (items: INodeExecutionData[]) => jsonOf(items).find((json) => json.summary === true) as IDataObject;

	beforeEach(async () => {
		await vault.sandbox.client.seed({
			records: RECORDS.map((id) => ({ object: 'quality_event__qdm', id, name: `QE-${id.slice(-6)}` })),
			teamMembers: CURRENT.map(([recordId, userId, role]) => ({ object: 'quality_event__qdm', recordId, userId, role })),
		});
	});

	const ROSTER: Member[] = [
		['OP4000008', 100001, 'qa__c'],
		['OP4000008', 100006, 'sme__c'],
		['OP4000009', 100004, 'qa__c'],
		['OP4000009', 100007, 'qa__c'],
	];

	it('sends exactly the ADDs and REMOVEs; afterwards the teams in scope equal the roster, the rest is untouched; a second run sends nothing', async () => {
		const run = await vault.harness.run({ items: ROSTER.map((member) => row(member)), parameters: { ...SYNC, options: { ...WAIT, maxRemovals: '50%' } } });
		expect(run.error).toBeUndefined();
		expect(await sentRows()).toEqual(
			['OP4000008,100006,sme__c,ADD', 'OP4000009,100007,qa__c,ADD', 'OP4000008,100002,sme__c,REMOVE', 'OP4000008,100003,record_owner__c,REMOVE'].sort(),
		);
		expect(await sent()).toHaveLength(1);
		const items = run.outputs[0];
		const removals = changes(items).filter((json) => json.change === 'remove');
		expect(removals.map((json) => json.reason)).toEqual([expect.stringMatching(/on the team in Vault but not in the input/), expect.stringMatching(/on the team in Vault but not in the input/)]);
		expect(items.filter((item) => item.json.change === 'remove').every((item) => item.pairedItem === undefined)).toBe(true);
		expect(changes(items).every((json) => json.status === 'SUCCESS')).toBe(true);
		expect(summaryOf(items)).toMatchObject({ adds: 2, removes: 2, unchanged: 2, currentMembersInScope: 4 });
		await vault.sandbox.client.completeJobs();
		expect(await teams()).toEqual([...ROSTER, CURRENT[4]].map(key).sort());

		await vault.sandbox.client.clearLog();
		const again = await vault.harness.run({ items: ROSTER.map((member) => row(member)), parameters: { ...SYNC, options: { ...WAIT, maxRemovals: '50%' } } });
		expect(again.error).toBeUndefined();
		expect(await sent()).toEqual([]);
		expect(summaryOf(again.outputs[0])).toMatchObject({ adds: 0, removes: 0, unchanged: 4 });
		// every input item ends in exactly one item paired to it
		expect(pairedOf(again.outputs[0].filter((item) => item.json.summary !== true)).flat().sort()).toEqual([0, 1, 2, 3]);
	});

	it('with a role scope, removes only members in those roles and sends no row in another role', async () => {
		const roster = [row(ROSTER[0]), row(['OP4000009', 100008, 'qa__c']), row(['OP4000008', 100009, 'approver__c'])];
		const run = await vault.harness.run({ items: roster, parameters: { ...SYNC, scope: 'roles', scopeRoles: 'qa__c', options: { ...WAIT, maxRemovals: '100%' } } });
		expect(run.error).toBeUndefined();
		expect(await sentRows()).toEqual(['OP4000009,100004,qa__c,REMOVE', 'OP4000009,100008,qa__c,ADD'].sort());
		expect(jsonOf(run.outputs[0]).find((json) => json.change === 'outOfScope')).toMatchObject({ user_id: '100009', item: 2 });
		await vault.sandbox.client.completeJobs();
		expect(await team('OP4000008')).toEqual(['OP4000008 100001 qa__c', 'OP4000008 100002 sme__c', 'OP4000008 100003 record_owner__c']);
	});

	it('Max Removals stops a truncated roster with nothing sent, saying how many it would remove', async () => {
		const run = await vault.harness.run({ items: [row(ROSTER[0]), row(ROSTER[2])], parameters: SYNC });
		expect(run.error?.message).toMatch(/would remove 2 of the 4 current members in scope, more than Max Removals allows \(10% of 4 \(at least 1\) = 1\), so nothing was sent/);
		// each person named beside the id (user__sys username__sys), for the admin who reads the list
		expect(run.error?.description).toMatch(/remove user 100002 \(user100002@sandbox\.veevavault\.com\) from OP4000008 as sme__c/);
		expect(await sent()).toEqual([]);
		const counted = await vault.harness.run({ items: [row(ROSTER[0]), row(ROSTER[2])], parameters: { ...SYNC, options: { ...WAIT, maxRemovals: '1' } } });
		expect(counted.error?.message).toMatch(/would remove 2 .* \(1\)/);
	});

	it('refuses an input with no usable row instead of treating it as "remove everyone"', async () => {
		// with continue on fail the refusal is the item's error, on the error branch (test/syncSafety.test.ts covers every refusal)
		const run = await vault.harness.run({ items: [{ record_id: 'OP4000008' }], parameters: SYNC, onError: 'continueErrorOutput' });
		expect(run.outputs[0]).toEqual([]);
		expect(String(run.outputs[1][0].json.error)).toMatch(/no usable assignment, so it read nothing and removed nothing/);
		expect(String((run.outputs[1][0].json.details as IDataObject).description)).toMatch(/Item 0: column "user_id" is missing/);
		expect(await sent()).toEqual([]);
		const allowed = await vault.harness.run({ items: [{ record_id: 'OP4000008' }], parameters: { ...SYNC, options: { allowEmptyInput: true } }, onError: 'continueErrorOutput' });
		expect(allowed.error).toBeUndefined();
		expect(await sent()).toEqual([]);
		expect(pairedOf(allowed.outputs[1])).toEqual([[0]]);
	});

	it('Output Unchanged Members off: the unchanged rows are counted in the summary, not listed; the changes, their pairing and what is sent are the same', async () => {
		const parameters = (outputUnchanged: boolean) => ({ ...SYNC, options: { planOnly: true, maxRemovals: '50%', outputUnchanged } });
		const listed = await vault.harness.run({ items: ROSTER.map((member) => row(member)), parameters: parameters(true) });
		const counted = await vault.harness.run({ items: ROSTER.map((member) => row(member)), parameters: parameters(false) });
		expect(jsonOf(listed.outputs[0]).filter((json) => json.change === 'unchanged')).toHaveLength(2);
		expect(jsonOf(counted.outputs[0]).filter((json) => json.change === 'unchanged')).toEqual([]);
		const said = (items: INodeExecutionData[]) => changes(items).map((json) => [json.change, json.record_id, json.user_id, json.application_role, json.reason, json.item]);
		expect(said(counted.outputs[0])).toEqual(said(listed.outputs[0]));
		expect(said(counted.outputs[0])).toHaveLength(4);
		const { unchangedNotListed, ...summary } = summaryOf(counted.outputs[0]);
		expect(unchangedNotListed).toBe(true);
		expect(Object.fromEntries(Object.entries(summary).filter(([, value]) => value !== null))).toEqual(
			Object.fromEntries(Object.entries(summaryOf(listed.outputs[0])).filter(([name, value]) => value !== null && name !== 'unchangedNotListed')),
		);
		expect(summaryOf(counted.outputs[0])).toMatchObject({ unchanged: 2, adds: 2, removes: 2 });
		// the items whose rows were unchanged are still paired, through the summary
		expect(counted.outputs[0].at(-1)?.pairedItem).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(await sent()).toEqual([]);
	});

	it('Plan Only reads Vault and outputs the plan without sending; duplicates are sent once and contradictions not at all', async () => {
		const items = [row(ROSTER[0]), row(ROSTER[1]), row(ROSTER[1]), row(ROSTER[3]), row(ROSTER[3], { operation: 'REMOVE' }), row(ROSTER[2])];
		const run = await vault.harness.run({ items, parameters: { ...SYNC, options: { planOnly: true, maxRemovals: '100%' } }, onError: 'continueErrorOutput' });
		expect(run.error).toBeUndefined();
		expect(await sent()).toEqual([]);
		const [main, errors] = run.outputs;
		expect(changes(main).map((json) => `${String(json.change)} ${String(json.record_id)} ${String(json.user_id)} ${String(json.application_role)}`).sort()).toEqual(
			['add OP4000008 100006 sme__c', 'remove OP4000008 100002 sme__c', 'remove OP4000008 100003 record_owner__c'].sort(),
		);
		expect(jsonOf(main).find((json) => json.change === 'duplicate')).toMatchObject({ item: 2, reason: expect.stringMatching(/same assignment as item 1/) });
		expect(pairedOf(errors)).toEqual([[3], [4]]);
		expect(String(errors[0].json.error)).toMatch(/contradiction/);
		expect(summaryOf(main)).toMatchObject({ planOnly: true, adds: 1, removes: 2, duplicates: 1, notSent: 2 });
		// removals name the person beside the id; adds carry what the input said
		expect(changes(main).filter((json) => json.change === 'remove').map((json) => [json.user_id, json.user_name])).toEqual([
			['100002', 'user100002@sandbox.veevavault.com'],
			['100003', 'user100003@sandbox.veevavault.com'],
		]);
	});

	it('a member Vault gives in a form the column rules refuse is checked once, on its way to the plan: its removal is an error, unpaired, and the rest is sent', async () => {
		// prepareReconciled: roster rows are not validated again; a member read from Vault is validated there, its only time
		await vault.sandbox.client.seed({ teamMembers: [{ object: 'quality_event__qdm', recordId: 'OP4000009', userId: 100010, role: 'QA__c' }] });
		const roster: Member[] = [['OP4000009', 100004, 'qa__c'], ['OP4000009', 100011, 'qa__c']];
		const run = await vault.harness.run({ items: roster.map((member) => row(member)), parameters: { ...SYNC, options: { ...WAIT, maxRemovals: '100%' } }, onError: 'continueErrorOutput' });
		expect(run.error).toBeUndefined();
		expect(await sentRows()).toEqual(['OP4000009,100011,qa__c,ADD']);
		const [main, errors] = run.outputs;
		expect(errors.map((item) => [item.pairedItem, String(item.json.error)])).toEqual([[undefined, expect.stringMatching(/^Not sent to Vault: .*QA__c/)]]);
		expect(changes(main).map((json) => `${String(json.change)} ${String(json.user_id)}`)).toEqual(['add 100011']);
	});
});

describe('Verify: rows read back after the jobs, applied true or false', () => {
	const vault = useSandbox();

	beforeEach(async () => {
		await vault.sandbox.client.seed({ records: [{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' }] });
	});

	it('marks a row Vault refused while running the job applied: false, the others applied: true', async () => {
		await vault.sandbox.client.settings({ refuseMembers: [{ recordId: 'OP4000008', userId: 100002, role: 'qa__c' }] } as never);
		const items = [100001, 100002, 100003].map((user) => ({ record_id: 'OP4000008', user_id: user, application_role: 'qa__c', operation: 'ADD' }));
		const run = await vault.harness.run({ items, parameters: { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm', options: { verify: true, pollIntervalSeconds: 0.05 } } });
		expect(run.error).toBeUndefined();
		const out = jsonOf(run.outputs[0]);
		expect(out.map((json) => json.applied)).toEqual([true, false, true]);
		expect(out[1].notApplied).toMatch(/reason only in the job's results/);
		expect(out[0].status).toBe('ERRORS_ENCOUNTERED');
	});

	it('Sync Members with verify marks its adds and removals applied or not', async () => {
		await vault.sandbox.client.seed({ teamMembers: [{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100004, role: 'sme__c' }] });
		await vault.sandbox.client.settings({ refuseMembers: [{ recordId: 'OP4000008', userId: 100002, role: 'qa__c' }] } as never);
		const items = [100001, 100002].map((user) => ({ record_id: 'OP4000008', user_id: user, application_role: 'qa__c' }));
		const run = await vault.harness.run({
			items,
			parameters: { resource: 'qualityTeam', operation: 'syncMembers', objectName: 'quality_event__qdm', options: { verify: true, maxRemovals: '1', pollIntervalSeconds: 0.05 } },
		});
		expect(run.error).toBeUndefined();
		const changes = jsonOf(run.outputs[0]).filter((json) => json.change === 'add' || json.change === 'remove');
		expect(changes.map((json) => `${String(json.change)} ${String((json.row as IDataObject).user_id)} ${String(json.applied)}`).sort()).toEqual(['add 100001 true', 'add 100002 false', 'remove 100004 true']);
	});
});
