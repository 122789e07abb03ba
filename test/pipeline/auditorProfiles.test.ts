import type { IDataObject } from 'n8n-workflow';

import { jsonOf, useSandbox } from '../harness/fixtures';

/**
 * Issue 23: Associate Auditor Roles with "Find Auditor Profiles By" a user (id, email, user name):
 * the user looked up, then the one Auditor Profile whose user field holds that user, the field read
 * from auditor_profile__v's metadata. The sandbox links generated profile n to user 100000 + n
 * (AuditorProfile-user5@veepharm.com → 100005), gives user 100002 two profiles (its own and
 * walter's) and users outside 100001–102000 none; its metadata names the field (default user__v,
 * setting auditorProfileUserField) beside created_by__v, an audit reference to users.
 */
const vault = useSandbox();
const WAIT = { waitForCompletion: true, pollIntervalSeconds: 0.05 };
const ASSOCIATE = { resource: 'auditor', operation: 'associateRoles' };
const item = (profile: string, role = 'Lead Auditor'): IDataObject => ({ 'auditor_profile__v.name__v': profile, 'auditor_role__v.name__v': role });
const rolesOf = async (profile: string) => (await vault.sandbox.client.state()).auditorRoles[profile] ?? [];
const sentCsv = async () =>
	(await vault.sandbox.client.log())
		.filter((entry) => entry.path.endsWith('/auditor_profiles/roles/batch'))
		.map((entry) => entry.body ?? '')
		.join('');
const profileQueries = async () => (await vault.sandbox.client.log()).map((entry) => entry.vql ?? '').filter((vql) => vql.includes('FROM auditor_profile__v'));
const run = async (items: IDataObject[], findAuditorProfilesBy: string) =>
	await vault.harness.run({ items, parameters: { ...ASSOCIATE, findAuditorProfilesBy, options: WAIT }, onError: 'continueErrorOutput' });
const errorsOf = (outputs: Array<Array<{ json: IDataObject }>>) => (outputs[1] ?? []).map((entry) => String(entry.json.error));

describe('Find Auditor Profiles By: User Email', () => {
	it('finds the profile linked to the user with that email, sends its name, and the item says what was looked up', async () => {
		const result = await run([item('user100005@sandbox.veevavault.com')], 'email');
		expect(result.error).toBeUndefined();
		expect(errorsOf(result.outputs)).toEqual([]);
		expect(await sentCsv()).toContain('AuditorProfile-user5@veepharm.com,Lead Auditor');
		expect(jsonOf(result.outputs[0])[0]).toMatchObject({
			status: 'SUCCESS',
			lookedUp: { 'auditor_profile__v.name__v': { email: 'user100005@sandbox.veevavault.com', userId: '100005', name: 'AuditorProfile-user5@veepharm.com', auditorProfileId: expect.stringMatching(/^0AP/) } },
		});
		await vault.sandbox.client.completeJobs();
		expect(await rolesOf('AuditorProfile-user5@veepharm.com')).toEqual(['Lead Auditor']);
	});

	it('a user with no profile, and a user with two, are each their own item\'s error, naming what was found; the good item still goes', async () => {
		const items = [item("o'brien@sandbox.veevavault.com"), item('user100002@sandbox.veevavault.com'), item('user100006@sandbox.veevavault.com'), item('nobody@example.com')];
		const result = await run(items, 'email');
		const errors = errorsOf(result.outputs);
		expect(errors).toHaveLength(3);
		expect(errors[0]).toMatch(/no Auditor Profile is linked to user 61010 \(email o'brien@sandbox\.veevavault\.com\) \(auditor_profile__v\.user__v\)/);
		expect(errors[1]).toMatch(/2 active Auditor Profiles are linked to user 100002 \(email user100002@sandbox\.veevavault\.com\): "AuditorProfile-user2@veepharm\.com", "AuditorProfile-walter@veepharm\.com"; give the profile's name instead/);
		expect(errors[2]).toMatch(/no active Vault user has the email nobody@example\.com/);
		expect((result.outputs[1] ?? []).map((entry) => entry.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 3 }]);
		expect((await sentCsv()).trim().split(/\r?\n/)).toEqual(['auditor_profile__v.name__v,auditor_role__v.name__v', 'AuditorProfile-user6@veepharm.com,Lead Auditor']);
		// users in one query, profiles in one query: not one per item
		expect(await profileQueries()).toHaveLength(1);
	});
});

describe('Find Auditor Profiles By: a near miss', () => {
	it('an email Vault has in another letter case is the item\'s error naming the one Vault has; nothing is guessed or sent', async () => {
		const result = await run([item('User100005@Sandbox.veevavault.com')], 'email');
		expect(errorsOf(result.outputs)).toEqual([expect.stringMatching(/no active Vault user has the email User100005@Sandbox\.veevavault\.com; Vault has .*user100005@sandbox\.veevavault\.com.*differs only in letter case/)]);
		expect(await sentCsv()).toBe('');
	});
});

describe('Find Auditor Profiles By: User Name and User ID', () => {
	it('finds the profile by the user name, and by the Vault user id; a value that is not a user id is its item\'s error', async () => {
		const byName = await run([item('user100007@sandbox.veevavault.com')], 'userName');
		expect(errorsOf(byName.outputs)).toEqual([]);
		const byId = await run([item('100008', 'Co-Auditor'), item('user100009@x', 'Co-Auditor')], 'userId');
		expect(errorsOf(byId.outputs)).toEqual([expect.stringMatching(/"user100009@x" is not a Vault user id/)]);
		await vault.sandbox.client.completeJobs();
		expect(await rolesOf('AuditorProfile-user7@veepharm.com')).toEqual(['Lead Auditor']);
		expect(await rolesOf('AuditorProfile-user8@veepharm.com')).toEqual(['Co-Auditor']);
	});
});

describe("the profile's user field, read from auditor_profile__v's metadata", () => {
	it('a Vault whose field has another name still works: the query reads that field, never an assumed one', async () => {
		await vault.sandbox.client.settings({ auditorProfileUserField: 'vault_user__c' });
		const result = await run([item('user100010@sandbox.veevavault.com')], 'email');
		expect(errorsOf(result.outputs)).toEqual([]);
		expect(await profileQueries()).toEqual([expect.stringMatching(/WHERE vault_user__c CONTAINS \('100010'\)/)]);
		await vault.sandbox.client.completeJobs();
		expect(await rolesOf('AuditorProfile-user10@veepharm.com')).toEqual(['Lead Auditor']);
	});

	it('metadata with no user field besides the audit ones stops every item with the reason, and nothing is sent', async () => {
		await vault.sandbox.client.settings({ bentFields: [{ object: 'auditor_profile__v', field: 'user__v', references: null }] });
		const result = await run([item('user100011@sandbox.veevavault.com'), item('user100012@sandbox.veevavault.com')], 'email');
		expect(errorsOf(result.outputs)).toEqual([
			expect.stringMatching(/Vault's metadata of auditor_profile__v has no field that references users; find the Auditor Profiles by name instead/),
			expect.stringMatching(/Vault's metadata of auditor_profile__v has no field that references users/),
		]);
		expect(await sentCsv()).toBe('');
		expect(await profileQueries()).toEqual([]);
	});

	it('two user fields besides the audit ones: none is chosen (never guessed), every item says which', async () => {
		await vault.sandbox.client.settings({ bentFields: [{ object: 'auditor_profile__v', field: 'name__v', references: 'user__sys' }] });
		const result = await run([item('user100011@sandbox.veevavault.com')], 'email');
		expect(errorsOf(result.outputs)).toEqual([expect.stringMatching(/has 2 fields that reference users \(name__v, user__v\), and none can be chosen/)]);
		expect(await sentCsv()).toBe('');
	});
});
