import type { IDataObject } from 'n8n-workflow';

import { SHARED_EMAIL } from '../sandbox';
import { jsonOf, pairedOf, useSandbox } from '../harness/fixtures';

const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const DOCS = { resource: 'documentRole', operation: 'assign' };
const email = (id: number) => `user${id}@sandbox.veevavault.com`;
const member = (user: string, record = 'QE-000008', role = 'qa__c') => ({ record_id: record, user_id: user, application_role: role, operation: 'ADD' });

describe('find-by lookups: HR and LMS identities to Vault ids, through VQL', () => {
	const vault = useSandbox();
	const log = async () => await vault.sandbox.client.log();
	const queries = async () => (await log()).filter((entry) => entry.path.includes('/query'));
	const sent = async (fragment: string) => (await log()).filter((entry) => entry.method !== 'GET' && entry.path.includes(fragment));

	beforeEach(async () => {
		await vault.sandbox.client.seed({ records: [{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' }] });
	});

	it.each([
		['email', email(100001), 100001],
		['userName', 'user100002@sandbox.veevavault.com', 100002],
		['federatedId', 'fed-100003', 100003],
	] as const)('finds users by %s and records by name, and says who was meant and who was changed', async (findUsersBy, value, id) => {
		const run = await vault.harness.run({ items: [member(value)], parameters: { ...MANAGE, findUsersBy, findRecordsBy: 'name' } });
		expect(run.error).toBeUndefined();
		const [out] = jsonOf(run.outputs[0]);
		expect(out.row).toMatchObject({ record_id: 'OP4000008', user_id: String(id) });
		expect(out.lookedUp).toEqual({ record_id: { name: 'QE-000008', id: 'OP4000008' }, user_id: { [findUsersBy]: value, id: String(id) } });
		await vault.sandbox.client.completeJobs();
		expect((await vault.sandbox.client.state()).teams.quality_event__qdm.OP4000008).toEqual([{ user_id: id, application_role: 'qa__c' }]);
		expect(await queries()).toHaveLength(2);
	});

	it('finds document role users by email and groups by name, lists included', async () => {
		const items = [{ id: 11, 'reviewer__v.users': [email(100001), email(100002)], 'approver__v.groups': 'quality_reviewers__c' }];
		const run = await vault.harness.run({ items, parameters: { ...DOCS, findUsersBy: 'email', findGroupsBy: 'name' } });
		expect(run.error).toBeUndefined();
		const [out] = jsonOf(run.outputs[0]);
		expect(out.responseStatus).toBe('SUCCESS');
		expect(out.row).toMatchObject({ 'reviewer__v.users': '100001,100002', 'approver__v.groups': '3311303' });
		expect((out.lookedUp as IDataObject)['reviewer__v.users']).toEqual([
			{ email: email(100001), id: '100001' },
			{ email: email(100002), id: '100002' },
		]);
	});

	it('resolves 2,000 distinct emails in at most ceil(2,000 / 500) query calls, in a dry run that shows the ids', async () => {
		// records by id here (Find Records By stays "id"): record_id must then be in Vault's id form
		const items = Array.from({ length: 2_000 }, (_, i) => member(email(100001 + i), 'OP4000008', 'sme__c'));
		const run = await vault.harness.run({ items, parameters: { ...MANAGE, findUsersBy: 'email', options: { dryRun: true } }, onError: 'continueErrorOutput' });
		expect(run.error).toBeUndefined();
		// users 100013 and 100666 are inactive in the sandbox
		expect(pairedOf(run.outputs[1])).toEqual([[12], [665]]);
		const userQueries = (await queries()).filter((entry) => /FROM user__sys/.test(entry.vql ?? ''));
		expect(userQueries.length).toBeLessThanOrEqual(Math.ceil(2_000 / 500));
		expect(await sent('manageassignments')).toEqual([]);
		const batches = run.outputs[0].filter((item) => item.json.dryRun);
		const csv = await Promise.all(batches.map(async (item) => Buffer.from(item.binary!.csv.data, 'base64').toString('utf8')));
		expect(csv.join('\n')).toContain('OP4000008,100001,sme__c,ADD');
		expect(csv.join('\n')).toContain('OP4000008,102000,sme__c,ADD');
	});

	it('not found, inactive and ambiguous users are their items\' errors, in words; the others are sent with continue on fail', async () => {
		const items = [member('nobody@example.com'), member(email(100013)), member(SHARED_EMAIL), member(email(100004)), member(email(100005), 'QE-999999')];
		const run = await vault.harness.run({ items, parameters: { ...MANAGE, findUsersBy: 'email', findRecordsBy: 'name' }, onError: 'continueErrorOutput' });
		const [main, errors] = run.outputs;
		expect(pairedOf(main)).toEqual([[3]]);
		expect(pairedOf(errors)).toEqual([[0], [1], [2], [4]]);
		const messages = jsonOf(errors).map((json) => String(json.error));
		expect(messages[0]).toMatch(/no active Vault user has the email nobody@example\.com$/);
		expect(messages[1]).toMatch(/no active Vault user has the email user100013@sandbox\.veevavault\.com: user100013@sandbox\.veevavault\.com \(id 100013\) is inactive/);
		expect(messages[2]).toMatch(/2 active Vault users have the email shared\.mailbox@sandbox\.veevavault\.com: user names shared\.one@sandbox\.veevavault\.com, shared\.two@sandbox\.veevavault\.com/);
		expect(messages[3]).toMatch(/no quality_event__qdm record is named "QE-999999"/);
		expect(await sent('manageassignments')).toHaveLength(1);
	});

	it('without continue on fail, a value that does not resolve stops the node before anything is sent, every bad item listed', async () => {
		const items = [member(email(100004), 'OP4000008'), member('nobody@example.com', 'OP4000008'), member(SHARED_EMAIL, 'OP4000008')];
		const run = await vault.harness.run({ items, parameters: { ...MANAGE, findUsersBy: 'email' } });
		expect(run.error?.message).toMatch(/^2 item\(s\) cannot be sent to Vault/);
		expect(run.error?.description).toMatch(/Item 1: .*nobody@example\.com/);
		expect(run.error?.description).toMatch(/Item 2: .*2 active Vault users/);
		expect(await sent('manageassignments')).toEqual([]);
	});

	it('matches hostile values literally: quotes, backslashes and ") OR (" never widen the query', async () => {
		const hostile = ["o'brien@sandbox.veevavault.com", 'back\\slash@sandbox.veevavault.com', "x') OR (email__sys CONTAINS ('user100001@sandbox.veevavault.com"];
		const run = await vault.harness.run({ items: hostile.map((value) => member(value, 'OP4000008')), parameters: { ...MANAGE, findUsersBy: 'email' }, onError: 'continueErrorOutput' });
		const [main, errors] = run.outputs;
		expect(jsonOf(main).map((json) => (json.row as IDataObject).user_id)).toEqual(['61010', '61011']);
		expect(jsonOf(errors).map((json) => json.error)).toEqual([expect.stringMatching(/no active Vault user has the email x'\) OR \(email__sys/)]);
		const [query] = (await queries()).map((entry) => entry.vql ?? '');
		expect(query).toContain("'x\\') OR (email__sys CONTAINS (\\'user100001@sandbox.veevavault.com'");
	});
});
