import { NodeHelpers, type IDataObject } from 'n8n-workflow';

import { VeevaVaultQms } from '../../nodes/VeevaVaultQms/VeevaVaultQms.node';

import { jsonOf, pairedOf, useSandbox } from '../harness/fixtures';

/**
 * Find Users By against the Vault's own user__sys (issue 22, item 6): the fields confirmed once per
 * run from Retrieve Object Metadata, a field the Vault lacks said once per item, a value that
 * differs only in letter case said so, and Ignore Case (VQL CASEINSENSITIVE).
 */
const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const DOCS = { resource: 'documentRole', operation: 'assign' };
const member = (user: string) => ({ record_id: 'OP4000008', user_id: user, application_role: 'qa__c', operation: 'ADD' });
const email = (id: number) => `user${id}@sandbox.veevavault.com`;

describe('Find Users By: user__sys fields confirmed, letter case said, Ignore Case', () => {
	const vault = useSandbox();
	const log = async () => await vault.sandbox.client.log();
	const userQueries = async () => (await log()).filter((entry) => /FROM user__sys/.test(entry.vql ?? '')).map((entry) => entry.vql ?? '');
	const metadataReads = async () => (await log()).filter((entry) => entry.method === 'GET' && entry.path.endsWith('/metadata/vobjects/user__sys'));
	const errorsOf = (run: { outputs: Array<Array<{ json: IDataObject }>> }) => jsonOf(run.outputs[1] as never).map((json) => String(json.error));

	it('reads user__sys metadata once per run, however many queries the values take', async () => {
		const items = Array.from({ length: 1_200 }, (_, i) => member(email(100001 + i)));
		const run = await vault.harness.run({ items, parameters: { ...MANAGE, findUsersBy: 'email', options: { dryRun: true } }, onError: 'continueErrorOutput' });
		expect(run.error).toBeUndefined();
		expect(await userQueries()).toHaveLength(3);
		expect(await metadataReads()).toHaveLength(1);
	});

	it('a field the Vault lacks is one clear error on each item that asked for it, and no user query is sent', async () => {
		await vault.sandbox.client.settings({ absentUserFields: ['federated_id__sys'] });
		const items = [{ id: 11, 'reviewer__v.users': 'fed-100001,fed-100002' }, { id: 12, 'approver__v.groups': 'quality_reviewers__c' }, { id: 13, 'reviewer__v.users': 'fed-100003' }];
		const run = await vault.harness.run({ items, parameters: { ...DOCS, findUsersBy: 'federatedId', findGroupsBy: 'name' }, onError: 'continueErrorOutput' });
		expect(pairedOf(run.outputs[0])).toEqual([[1]]);
		expect(pairedOf(run.outputs[1])).toEqual([[0], [2]]);
		const lacking = /column "reviewer__v\.users": this Vault's user object \(user__sys\) has no field federated_id__sys \(its metadata lists none\), so users cannot be found by federated id here: choose another Find Users By/;
		expect(errorsOf(run)).toEqual([expect.stringMatching(lacking), expect.stringMatching(lacking)]);
		// said once per item, not once per value
		expect(errorsOf(run)[0].match(/federated_id__sys/g)).toHaveLength(1);
		expect(await userQueries()).toEqual([]);
		// without continue on fail: the node stops before sending, every item that asked named
		const stopped = await vault.harness.run({ items, parameters: { ...DOCS, findUsersBy: 'federatedId', findGroupsBy: 'name' } });
		expect(stopped.error?.message).toMatch(/^2 item\(s\) cannot be sent to Vault/);
		expect(stopped.error?.description).toMatch(/Item 0: .*has no field federated_id__sys[\s\S]*Item 2: .*has no field federated_id__sys/);
		expect((await log()).filter((entry) => entry.path.includes('/roles/batch'))).toHaveLength(1);
	});

	it('a value that differs only in letter case from a user\'s is said so, naming the user and the fix', async () => {
		const items = [member('USER100001@Sandbox.VeevaVault.com'), member('FED-100003'), member('nobody@example.com')];
		const byEmail = await vault.harness.run({ items: [items[0], items[2]], parameters: { ...MANAGE, findUsersBy: 'email' }, onError: 'continueErrorOutput' });
		expect(errorsOf(byEmail)).toEqual([
			expect.stringMatching(
				/no active Vault user has the email USER100001@Sandbox\.VeevaVault\.com; Vault has user100001@sandbox\.veevavault\.com \(user user100001@sandbox\.veevavault\.com, id 100001\), which differs only in letter case: Vault matches emails with their case, so correct the value or turn on Ignore Case$/,
			),
			expect.stringMatching(/no active Vault user has the email nobody@example\.com$/),
		]);
		const byFederatedId = await vault.harness.run({ items: [items[1]], parameters: { ...MANAGE, findUsersBy: 'federatedId' }, onError: 'continueErrorOutput' });
		expect(errorsOf(byFederatedId)).toEqual([expect.stringMatching(/Vault has fed-100003 \(user user100003@sandbox\.veevavault\.com, id 100003\), which differs only in letter case: .* so correct the value$/)]);
		// the second ask is only for the values not found, in any letter case
		expect((await userQueries()).filter((query) => query.includes('CASEINSENSITIVE'))).toEqual([
			expect.stringMatching(/WHERE CASEINSENSITIVE\(email__sys\) CONTAINS \('USER100001@Sandbox\.VeevaVault\.com', 'nobody@example\.com'\)$/),
			expect.stringMatching(/WHERE CASEINSENSITIVE\(federated_id__sys\) CONTAINS \('FED-100003'\)$/),
		]);
	});

	it('Ignore Case finds users by email or user name in any letter case, in one CASEINSENSITIVE query, and the trail shows Vault\'s value', async () => {
		const items = [member('USER100001@Sandbox.VeevaVault.com'), member(email(100002)), member('user100001@SANDBOX.veevavault.com')];
		const run = await vault.harness.run({ items, parameters: { ...MANAGE, findUsersBy: 'email', findUsersIgnoreCase: true, options: { dryRun: true } } });
		expect(run.error).toBeUndefined();
		expect(await userQueries()).toEqual([
			// one value per letter-case form: the third is the first's
			"SELECT id, username__sys, email__sys, status__v FROM user__sys WHERE CASEINSENSITIVE(email__sys) CONTAINS ('USER100001@Sandbox.VeevaVault.com', 'user100002@sandbox.veevavault.com')",
		]);
		const csv = Buffer.from(run.outputs[0][0].binary!.csv.data, 'base64').toString('utf8');
		expect(csv.split(/\r?\n/).filter(Boolean)).toEqual([
			'record_id,user_id,application_role,operation',
			'OP4000008,100001,qa__c,ADD',
			'OP4000008,100002,qa__c,ADD',
			'OP4000008,100001,qa__c,ADD',
		]);
		const byUserName = await vault.harness.run({ items: [member('User100004@Sandbox.VeevaVault.com')], parameters: { ...MANAGE, findUsersBy: 'userName', findUsersIgnoreCase: true } });
		const [out] = jsonOf(byUserName.outputs[0]);
		expect(out.lookedUp).toEqual({ user_id: { userName: 'User100004@Sandbox.VeevaVault.com', id: '100004', inVault: 'user100004@sandbox.veevavault.com' } });
	});

	it('Ignore Case: two active users whose values differ only in letter case are ambiguous, never guessed', async () => {
		await vault.sandbox.client.seed({
			users: [
				{ id: 70011, username: 'pat.lee@example.com', email: 'Pat.Lee@Example.com' },
				{ id: 70012, username: 'pat.lee.2@example.com', email: 'pat.lee@example.com' },
			],
		});
		const ignoring = await vault.harness.run({ items: [member('pat.lee@example.com')], parameters: { ...MANAGE, findUsersBy: 'email', findUsersIgnoreCase: true }, onError: 'continueErrorOutput' });
		expect(errorsOf(ignoring)).toEqual([
			expect.stringMatching(
				/2 active Vault users have the email pat\.lee@example\.com when letter case is ignored: pat\.lee@example\.com \(email Pat\.Lee@Example\.com\), pat\.lee\.2@example\.com \(email pat\.lee@example\.com\); turn Ignore Case off to match the exact value, or find them by id$/,
			),
		]);
		// without it, the exact value is one user
		const exact = await vault.harness.run({ items: [member('pat.lee@example.com')], parameters: { ...MANAGE, findUsersBy: 'email', options: { dryRun: true } } });
		expect(exact.error).toBeUndefined();
		expect(Buffer.from(exact.outputs[0][0].binary!.csv.data, 'base64').toString('utf8')).toContain('OP4000008,70012,qa__c,ADD');
	});

	it('Ignore Case on a user field this Vault does not type as String is one clear error per item, and no query is sent', async () => {
		// bentFields: the metadata answers email__sys as a reference; VQL's CASEINSENSITIVE takes String fields only
		await vault.sandbox.client.settings({ bentFields: [{ object: 'user__sys', field: 'email__sys', references: 'contact__v' }] });
		const run = await vault.harness.run({ items: [member(email(100001)), member(email(100002))], parameters: { ...MANAGE, findUsersBy: 'email', findUsersIgnoreCase: true }, onError: 'continueErrorOutput' });
		const wrongType = /column "user_id": Ignore Case needs a text field, and user__sys email__sys is of type Object in this Vault \(VQL's CASEINSENSITIVE takes String fields only\): turn Ignore Case off$/;
		expect(errorsOf(run)).toEqual([expect.stringMatching(wrongType), expect.stringMatching(wrongType)]);
		expect(await userQueries()).toEqual([]);
	});

	it('Ignore Case is not applied to federated ids, and a Vault that hides its metadata is still looked up, with a hint that says so', async () => {
		const run = await vault.harness.run({ items: [member('fed-100003')], parameters: { ...MANAGE, findUsersBy: 'federatedId', findUsersIgnoreCase: true, options: { dryRun: true } } });
		expect(run.error).toBeUndefined();
		expect((await userQueries()).every((query) => !query.includes('CASEINSENSITIVE'))).toBe(true);

		await vault.sandbox.client.settings({ refuseMetadata: true });
		const hidden = await vault.harness.run({ items: [member(email(100005))], parameters: { ...MANAGE, findUsersBy: 'email', options: { dryRun: true } } });
		expect(hidden.error).toBeUndefined();
		const hints = hidden.run.data.resultData.runData.Vault?.[0]?.hints ?? [];
		expect(hints.map((hint) => hint.message)).toEqual([expect.stringMatching(/^Users were looked up by user__sys email__sys without confirming the field: Vault's metadata of user__sys could not be read \(.*INSUFFICIENT_ACCESS/)]);
	});
});

describe('the Ignore Case field in the editor', () => {
	it('shows for Find Users By Email or User Name, on the operations that look users up, and nowhere else', () => {
		const description = new VeevaVaultQms().description;
		const field = description.properties.find((property) => property.name === 'findUsersIgnoreCase')!;
		const shown = (parameters: IDataObject) => NodeHelpers.displayParameter(parameters as never, field, { typeVersion: 1 }, description);
		for (const findUsersBy of ['email', 'userName']) {
			expect(shown({ ...MANAGE, findUsersBy })).toBe(true);
			expect(shown({ ...DOCS, findUsersBy })).toBe(true);
		}
		for (const findUsersBy of ['id', 'federatedId']) expect(shown({ ...MANAGE, findUsersBy })).toBe(false);
		expect(shown({ resource: 'job', operation: 'getStatus', findUsersBy: 'email' })).toBe(false);
	});
});
