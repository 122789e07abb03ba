import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SHARED_EMAIL } from '../sandbox';
import { jsonOf, pairedOf, passwordCredential, useSandbox } from '../harness/fixtures';
import type { RunResult } from '../harness/engine';

/**
 * Sync Members never removes a member because of a roster row it could not use (issue 20, items 2,
 * 3 and 9), and a run refused as a whole under continue-on-fail ends in one error item per input
 * item (item 6). Every test runs the node in n8n-core against the sandbox and asserts what reached
 * Vault and what the teams hold afterwards.
 */
const SYNC = { resource: 'qualityTeam', operation: 'syncMembers', objectName: 'quality_event__qdm' };
const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
/** the rail wide open: what a test sees is the plan, not Max Removals */
const OPEN = { maxRemovals: '100%' };
const CONTINUE = ['continueErrorOutput', 'continueRegularOutput'] as const;
type Continue = (typeof CONTINUE)[number];
type Member = [string, number, string];
const email = (id: number) => `user${id}@sandbox.veevavault.com`;
const row = ([record, user, role]: Member, extra: IDataObject = {}) => ({ record_id: record, user_id: user, application_role: role, ...extra });

/** main output, error output (empty with continueRegularOutput: errors stay on main) */
function split(run: RunResult, onError: Continue): { main: INodeExecutionData[]; errors: INodeExecutionData[] } {
	if (onError === 'continueErrorOutput') return { main: run.outputs[0] ?? [], errors: run.outputs[1] ?? [] };
	const all = run.outputs[0] ?? [];
	// every item carries `error` (pipeline/outputTable.ts): null on the others
	return { main: all.filter((item) => !item.json.error), errors: all.filter((item) => Boolean(item.json.error)) };
}

describe('Sync Members: a roster row the node could not use never causes a removal', () => {
	const vault = useSandbox();
	const state = async () => await vault.sandbox.client.state();
	const team = async (record: string) =>
		((await state()).teams.quality_event__qdm?.[record] ?? []).map((member) => `${member.user_id} ${member.application_role}`).sort();
	const sentRows = async () =>
		(await vault.sandbox.client.log())
			.filter((entry) => entry.path.includes('manageassignments'))
			.flatMap((entry) => (entry.body ?? '').trim().split(/\r?\n/).slice(1))
			.sort();
	const removalsSent = async () => (await sentRows()).filter((line) => line.endsWith(',REMOVE'));
	const summaryOf = (items: INodeExecutionData[]) => jsonOf(items).find((json) => json.summary === true) as IDataObject;

	beforeEach(async () => {
		await vault.sandbox.client.seed({
			records: [
				{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' },
				{ object: 'quality_event__qdm', id: 'OP4000009', name: 'QE-000009' },
			],
			teamMembers: [
				{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100001, role: 'qa__c' },
				{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100002, role: 'sme__c' },
				{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 61012, role: 'approver__c' },
				{ object: 'quality_event__qdm', recordId: 'OP4000009', userId: 100004, role: 'qa__c' },
				{ object: 'quality_event__qdm', recordId: 'OP4000009', userId: 100005, role: 'sme__c' },
			],
		});
	});

	describe.each(CONTINUE)('with %s', (onError) => {
		const sync = async (items: IDataObject[], extra: IDataObject = {}) => {
			const run = await vault.harness.run({ items, parameters: { ...SYNC, ...extra, options: { ...OPEN, waitForCompletion: true, pollIntervalSeconds: 0.05, ...((extra.options as IDataObject) ?? {}) } }, onError });
			expect(run.error).toBeUndefined();
			await vault.sandbox.client.completeJobs();
			return { run, ...split(run, onError) };
		};

		it('(a) an ADD and a REMOVE of the same current member: neither is sent, and the member stays', async () => {
			const { main, errors } = await sync([
				row(['OP4000008', 100001, 'qa__c']),
				row(['OP4000008', 100001, 'qa__c'], { operation: 'REMOVE' }),
				row(['OP4000008', 100002, 'sme__c']),
				row(['OP4000008', 61012, 'approver__c']),
				row(['OP4000009', 100004, 'qa__c']),
			]);
			expect(pairedOf(errors)).toEqual([[0], [1]]);
			expect(String(errors[0].json.error)).toMatch(/contradiction/);
			expect(await sentRows()).toEqual(['OP4000009,100005,sme__c,REMOVE']);
			expect(await team('OP4000008')).toEqual(['100001 qa__c', '100002 sme__c', '61012 approver__c']);
			expect(summaryOf(main)).toMatchObject({ removes: 1, heldBack: [expect.objectContaining({ record_id: 'OP4000008', items: [0, 1] })] });
		});

		it('(b) a row that is an item error ("add" in lower case) keeps its record\'s members; other records still sync', async () => {
			const { main, errors } = await sync([
				row(['OP4000008', 100001, 'qa__c'], { operation: 'add' }),
				row(['OP4000008', 100002, 'sme__c']),
				row(['OP4000009', 100004, 'qa__c']),
			]);
			expect(pairedOf(errors)).toEqual([[0]]);
			expect(String(errors[0].json.error)).toMatch(/case-sensitive: write ADD/);
			// OP4000009's leaver goes; nothing leaves OP4000008, whose roster had a row the node could not use
			expect(await sentRows()).toEqual(['OP4000009,100005,sme__c,REMOVE']);
			expect(await team('OP4000008')).toEqual(['100001 qa__c', '100002 sme__c', '61012 approver__c']);
			const summary = summaryOf(main);
			// 100001 is the member the bad row names (its error stands for it); the approver is missing from the roster, and kept too
			expect(summary).toMatchObject({ removes: 1, removalsHeldBack: 1 });
			expect(summary.heldBack).toEqual([{ record_id: 'OP4000008', items: [0], reason: expect.stringMatching(/could not be used/) }]);
			const held = jsonOf(main).filter((json) => json.change === 'heldBack');
			expect(held).toEqual([expect.objectContaining({ user_id: '61012', application_role: 'approver__c', reason: expect.stringMatching(/not removed: item 0 for record OP4000008 could not be used/) })]);
			expect(held.every((json) => !('pairedItem' in json))).toBe(true);
		});

		it('(b) an email two active users share keeps the member it may have meant', async () => {
			const { main, errors } = await sync(
				[row(['OP4000008', 0, 'approver__c'], { user_id: SHARED_EMAIL }), row(['OP4000008', 0, 'qa__c'], { user_id: email(100001) }), row(['OP4000008', 0, 'sme__c'], { user_id: email(100002) })],
				{ findUsersBy: 'email' },
			);
			expect(pairedOf(errors)).toEqual([[0]]);
			expect(String(errors[0].json.error)).toMatch(/2 active Vault users have the email/);
			expect(await removalsSent()).toEqual([]);
			expect(await team('OP4000008')).toContain('61012 approver__c');
			expect(summaryOf(main).heldBack).toEqual([expect.objectContaining({ record_id: 'OP4000008', items: [0] })]);
		});

		it('(issue item 9) an email whose letter case differs from Vault\'s: the person is not removed and the run says why', async () => {
			const { main, errors } = await sync(
				[row(['OP4000008', 0, 'qa__c'], { user_id: 'User100001@Sandbox.VeevaVault.com' }), row(['OP4000008', 0, 'sme__c'], { user_id: email(100002) })],
				{ findUsersBy: 'email' },
			);
			expect(pairedOf(errors)).toEqual([[0]]);
			expect(String(errors[0].json.error)).toMatch(/no active Vault user has the email User100001@Sandbox\.VeevaVault\.com/);
			expect(await sentRows()).toEqual([]);
			expect(await team('OP4000008')).toEqual(['100001 qa__c', '100002 sme__c', '61012 approver__c']);
			const summary = summaryOf(main);
			// the approver is not on the roster either: held back with the rest of the record's team
			expect(summary).toMatchObject({ adds: 0, removes: 0, removalsHeldBack: 2 });
			expect(summary.heldBack).toEqual([expect.objectContaining({ record_id: 'OP4000008', items: [0] })]);
			expect(jsonOf(main).find((json) => json.change === 'heldBack' && json.user_id === '100001')).toMatchObject({ application_role: 'qa__c', reason: expect.stringMatching(/not removed/) });
		});

		it('a row whose record could not be told holds back every removal of the run; adds still go', async () => {
			const { main, errors } = await sync(
				[row(['QE-000008', 100001, 'qa__c']), row(['QE-00008', 100002, 'sme__c']), row(['QE-000009', 100004, 'qa__c']), row(['QE-000009', 100006, 'qa__c'])],
				{ findRecordsBy: 'name' },
			);
			expect(pairedOf(errors)).toEqual([[1]]);
			expect(String(errors[0].json.error)).toMatch(/no quality_event__qdm record is named "QE-00008"/);
			expect(await sentRows()).toEqual(['OP4000009,100006,qa__c,ADD']);
			expect(await team('OP4000009')).toEqual(['100004 qa__c', '100005 sme__c', '100006 qa__c']);
			const summary = summaryOf(main);
			expect(summary).toMatchObject({ adds: 1, removes: 0, removalsHeldBack: 3 });
			expect(summary.heldBack).toEqual([{ allRecords: true, items: [1], reason: expect.stringMatching(/record .* could not be told/) }]);
		});
	});

	it('without continue on fail, a bad row stops the node before anything is read or sent (as before)', async () => {
		const run = await vault.harness.run({ items: [row(['OP4000008', 100001, 'qa__c'], { operation: 'add' }), row(['OP4000008', 100002, 'sme__c'])], parameters: { ...SYNC, options: OPEN } });
		expect(run.error?.message).toMatch(/1 item\(s\) cannot be sent to Vault, so nothing was sent/);
		expect(await sentRows()).toEqual([]);
	});
});

describe('A value that differs from Vault\'s only in form never removes the real member', () => {
	const vault = useSandbox();
	const sentRows = async () =>
		(await vault.sandbox.client.log())
			.filter((entry) => entry.path.includes('manageassignments'))
			.flatMap((entry) => (entry.body ?? '').trim().split(/\r?\n/).slice(1))
			.sort();
	const team = async (record: string) =>
		((await vault.sandbox.client.state()).teams.quality_event__qdm?.[record] ?? []).map((member) => `${member.user_id} ${member.application_role}`).sort();

	beforeEach(async () => {
		await vault.sandbox.client.seed({
			records: [{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' }],
			teamMembers: [
				{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100001, role: 'qa__c' },
				{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100005, role: 'sme__c' },
			],
		});
	});

	it('Sync: "100005 " and " OP4000008" are read without the spaces, the item says so, and nothing changes', async () => {
		const items = [row(['OP4000008', 100001, 'qa__c']), { record_id: ' OP4000008', user_id: '100005 ', application_role: 'sme__c' }];
		const run = await vault.harness.run({ items, parameters: { ...SYNC, options: OPEN } });
		expect(run.error).toBeUndefined();
		expect(await sentRows()).toEqual([]);
		const second = jsonOf(run.outputs[0]).find((json) => json.item === 1) as IDataObject;
		expect(second).toMatchObject({ change: 'unchanged', record_id: 'OP4000008', user_id: '100005' });
		expect(second.normalised).toEqual([
			'record_id " OP4000008" was read as "OP4000008" (spaces around it removed)',
			'user_id "100005 " was read as "100005" (spaces around it removed)',
		]);
	});

	it('Sync: "SME__c" is the item\'s error before anything is read, with the likely name; nothing is sent', async () => {
		const items = [row(['OP4000008', 100001, 'qa__c']), row(['OP4000008', 100005, 'SME__c'])];
		const run = await vault.harness.run({ items, parameters: { ...SYNC, options: OPEN } });
		expect(run.error?.message).toMatch(/1 item\(s\) cannot be sent/);
		expect(run.error?.description).toMatch(/Item 1: column "application_role" is "SME__c", which is not a Vault name .*did you mean "sme__c"\?/);
		expect(await vault.sandbox.client.log()).toEqual(expect.not.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/query|manageassignments/) })]));
	});

	it.each(CONTINUE)('Sync with %s: "SME__c" and "1000O5" are errors, and their members stay', async (onError) => {
		const items = [row(['OP4000008', 100001, 'qa__c']), row(['OP4000008', 100005, 'SME__c'])];
		const run = await vault.harness.run({ items, parameters: { ...SYNC, options: OPEN }, onError });
		const { errors } = split(run, onError);
		expect(pairedOf(errors)).toEqual([[1]]);
		expect(await sentRows()).toEqual([]);
		const other = await vault.harness.run({ items: [row(['OP4000008', 100001, 'qa__c']), { record_id: 'OP4000008', user_id: '1000O5', application_role: 'sme__c' }], parameters: { ...SYNC, options: OPEN }, onError });
		expect(String(split(other, onError).errors[0].json.error)).toMatch(/column "user_id" is "1000O5", which is not a Vault user id/);
		expect(await sentRows()).toEqual([]);
		await vault.sandbox.client.completeJobs();
		expect(await team('OP4000008')).toEqual(['100001 qa__c', '100005 sme__c']);
	});

	it('Sync: a record id that differs only in letter case from a record in the input is its item\'s error, never an ADD beside a REMOVE', async () => {
		const items = [row(['OP4000008', 100001, 'qa__c']), row(['op4000008', 100005, 'sme__c'])];
		const run = await vault.harness.run({ items, parameters: { ...SYNC, options: OPEN }, onError: 'continueErrorOutput' });
		expect(run.error).toBeUndefined();
		const [, errors] = run.outputs;
		expect(pairedOf(errors)).toEqual([[1]]);
		expect(String(errors[0].json.error)).toMatch(/differs only in letter case from OP4000008 100005 sme__c, which Vault has/);
		expect(await sentRows()).toEqual([]);
		const stopped = await vault.harness.run({ items, parameters: { ...SYNC, options: OPEN } });
		expect(stopped.error?.message).toMatch(/1 item\(s\) cannot be sent to Vault, so nothing was sent/);
		expect(await sentRows()).toEqual([]);
	});
});

describe('A bad row naming a record in another letter case still holds that record back', () => {
	const vault = useSandbox();

	beforeEach(async () => {
		await vault.sandbox.client.seed({
			teamMembers: [
				{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100001, role: 'qa__c' },
				{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100005, role: 'sme__c' },
			],
		});
	});

	it.each(CONTINUE)('with %s: "op4000008" with operation "add" keeps OP4000008\'s members', async (onError) => {
		const items = [row(['OP4000008', 100001, 'qa__c']), row(['op4000008', 100005, 'sme__c'], { operation: 'add' })];
		const run = await vault.harness.run({ items, parameters: { ...SYNC, options: OPEN }, onError });
		expect(run.error).toBeUndefined();
		const { main, errors } = split(run, onError);
		expect(pairedOf(errors)).toEqual([[1]]);
		expect((await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'))).toEqual([]);
		expect(jsonOf(main).find((json) => json.summary === true)?.heldBack).toEqual([expect.objectContaining({ record_id: 'op4000008', items: [1] })]);
	});
});

describe('Max Removals: 10% by default, at least 1', () => {
	const vault = useSandbox();
	const members: Member[] = [
		['OP4000010', 100011, 'qa__c'],
		['OP4000010', 100012, 'sme__c'],
		['OP4000010', 100015, 'approver__c'],
	];
	beforeEach(async () => {
		await vault.sandbox.client.seed({ teamMembers: members.map(([recordId, userId, role]) => ({ object: 'quality_event__qdm', recordId, userId, role })) });
	});

	it('lets an ordinary leaver of a 3-member team through with the default, and says the rule in the summary', async () => {
		const run = await vault.harness.run({ items: [row(members[0]), row(members[2])], parameters: SYNC });
		expect(run.error).toBeUndefined();
		const summary = jsonOf(run.outputs[0]).find((json) => json.summary === true);
		expect(summary).toMatchObject({ removes: 1, maxRemovals: '10% of 3 (at least 1) = 1' });
	});

	it('still stops a truncated export (two of three gone), and 0% or 0 allow none', async () => {
		const truncated = await vault.harness.run({ items: [row(members[0])], parameters: SYNC });
		expect(truncated.error?.message).toMatch(/would remove 2 of the 3 current members in scope, more than Max Removals allows \(10% of 3 \(at least 1\) = 1\)/);
		for (const maxRemovals of ['0%', '0']) {
			const none = await vault.harness.run({ items: [row(members[0]), row(members[2])], parameters: { ...SYNC, options: { maxRemovals } } });
			expect(none.error?.message).toMatch(/would remove 1 of the 3/);
		}
		expect((await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'))).toEqual([]);
	});
});

describe('a run refused as a whole, under continue on fail: one error item per input item, with the reason', () => {
	const vault = useSandbox();
	const sent = async () => (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'));
	const ROSTER = [row(['OP4000008', 100001, 'qa__c']), row(['OP4000008', 100002, 'sme__c'])];

	beforeEach(async () => {
		await vault.sandbox.client.seed({
			records: [{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' }],
			teamMembers: [100001, 100002, 100003, 100004].map((userId) => ({ object: 'quality_event__qdm', recordId: 'OP4000008', userId, role: userId < 100003 ? ['qa__c', 'sme__c'][userId - 100001] : 'qa__c' })),
		});
	});

	/** every input item: one error item, paired to it, saying the run-wide reason; nothing on the success branch */
	function expectRefused(run: RunResult, onError: Continue, itemCount: number, reason: RegExp) {
		expect(run.error).toBeUndefined();
		const { main, errors } = split(run, onError);
		expect(main).toEqual([]);
		expect(pairedOf(errors)).toEqual(Array.from({ length: itemCount }, (_, item) => [item]));
		for (const item of errors) {
			expect(String(item.json.error)).toMatch(reason);
			expect(item.json.details).toMatchObject({ wholeRun: true });
		}
		return errors;
	}

	describe.each(CONTINUE)('with %s', (onError) => {
		it('Max Removals tripped', async () => {
			const run = await vault.harness.run({ items: ROSTER, parameters: SYNC, onError });
			const errors = expectRefused(run, onError, 2, /would remove 2 of the 4 current members in scope, more than Max Removals allows/);
			expect(String((errors[0].json.details as IDataObject).description)).toContain('remove user 100003 (user100003@sandbox.veevavault.com) from OP4000008 as qa__c');
			expect(await sent()).toEqual([]);
		});

		it('the current members could not be read', async () => {
			await vault.sandbox.client.fault({ kind: 'http500', count: 50, match: { path: '/query' } });
			const run = await vault.harness.run({ items: ROSTER, parameters: { ...SYNC, options: { maxAttempts: 1 } }, onError });
			expectRefused(run, onError, 2, /Reading the current Quality Team members failed, so nothing was sent/);
			expect(await sent()).toEqual([]);
		});

		it('a lookup failed (Manage, Find Users By email)', async () => {
			await vault.sandbox.client.fault({ kind: 'http500', count: 50, match: { path: '/query' } });
			const items = [email(100001), email(100002), email(100003)].map((user) => ({ record_id: 'OP4000008', user_id: user, application_role: 'qa__c', operation: 'ADD' }));
			const run = await vault.harness.run({ items, parameters: { ...MANAGE, findUsersBy: 'email', options: { maxAttempts: 1 } }, onError });
			expectRefused(run, onError, 3, /Looking up users in Vault failed, so nothing was sent/);
			expect(await sent()).toEqual([]);
		});

		it('no usable assignment: each item also carries its own problem', async () => {
			const run = await vault.harness.run({ items: [{ record_id: 'OP4000008' }, { user_id: 100001 }], parameters: SYNC, onError });
			const errors = expectRefused(run, onError, 2, /no usable assignment, so it read nothing and removed nothing/);
			expect((errors[0].json.details as IDataObject).problems).toEqual([
				expect.stringMatching(/column "user_id" is missing/),
				expect.stringMatching(/column "application_role" is missing/),
				'the item\'s fields are "record_id"',
			]);
			expect(await vault.sandbox.client.log()).toEqual(expect.not.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/query|manageassignments/) })]));
		});

		it('Get Status and Run Query with a credential the node cannot use', async () => {
			vault.harness.credentials.add(passwordCredential(vault.sandbox, { apiVersion: 'latest' }, 'bad-version'));
			const status = await vault.harness.run({ items: [{}, {}], parameters: { resource: 'job', operation: 'getStatus', jobId: '1' }, credentialId: 'bad-version', onError });
			expectRefused(status, onError, 2, /API Version "latest" is not a Vault API version/);
			const query = await vault.harness.run({ items: [{}], parameters: { resource: 'vql', operation: 'query', query: 'SELECT id FROM user__sys' }, credentialId: 'bad-version', onError });
			expectRefused(query, onError, 1, /API Version "latest" is not a Vault API version/);
		});
	});

	it('without continue on fail, the node error as before', async () => {
		const run = await vault.harness.run({ items: ROSTER, parameters: SYNC });
		expect(run.error?.message).toMatch(/more than Max Removals allows/);
		expect(run.outputs).toEqual([]);
	});
});
