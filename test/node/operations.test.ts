import { jsonOf, pairedOf, useSandbox } from '../harness/fixtures';

const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };

describe('every bulk operation end to end, asserting the sandbox state', () => {
	const vault = useSandbox();

	beforeEach(async () => {
		await vault.sandbox.client.seed({
			records: [
				{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' },
				{ object: 'quality_event__qdm', id: 'OP4000009', name: 'QE-000009' },
				{ object: 'lab_investigation__qdm', id: 'LI0000001', name: 'LI-000001' },
				{ object: 'lab_investigation__qdm', id: 'LI0000002', name: 'LI-000002' },
			],
		});
	});

	it('Manage Quality Team Assignments adds and removes members, one job, one item per input', async () => {
		const items = [
			{ record_id: 'OP4000008', user_id: 100001, application_role: 'record_owner__c', operation: 'ADD', hrSystemId: 'E-1' },
			{ record_id: 'OP4000008', user_id: '100002', application_role: 'qa__c', operation: 'ADD' },
			{ record_id: 'OP4000009', user_id: 100003, application_role: 'sme__c', operation: 'ADD' },
		];
		const first = await vault.harness.run({ items, parameters: MANAGE });
		expect(first.error).toBeUndefined();
		const out = jsonOf(first.outputs[0]);
		expect(out).toHaveLength(3);
		expect(new Set(out.map((json) => json.jobId)).size).toBe(1);
		expect(out[0]).toMatchObject({ batch: 1, batchCount: 1, attempts: 1, row: { record_id: 'OP4000008', user_id: '100001', operation: 'ADD' } });
		expect(out[0].row).not.toHaveProperty('hrSystemId');
		expect(pairedOf(first.outputs[0])).toEqual([[0], [1], [2]]);
		await vault.sandbox.client.completeJobs();
		let state = await vault.sandbox.client.state();
		expect(state.teams.quality_event__qdm.OP4000008).toEqual(
			expect.arrayContaining([
				{ user_id: 100001, application_role: 'record_owner__c' },
				{ user_id: 100002, application_role: 'qa__c' },
			]),
		);
		expect(state.teams.quality_event__qdm.OP4000009).toEqual([{ user_id: 100003, application_role: 'sme__c' }]);

		await vault.harness.run({ items: [{ ...items[1], operation: 'REMOVE' }], parameters: MANAGE });
		await vault.sandbox.client.completeJobs();
		state = await vault.sandbox.client.state();
		expect(state.teams.quality_event__qdm.OP4000008).toEqual([{ user_id: 100001, application_role: 'record_owner__c' }]);
		const bulk = (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'));
		expect(bulk.map((entry) => entry.accept)).toEqual(['text/csv', 'text/csv']);
		expect(bulk[0].contentType).toMatch(/^text\/csv/);
	});

	it("Manage takes ids and role names only in Vault's form: blank space around one is removed and said, anything else is the item's error with the likely value", async () => {
		const items = [
			{ record_id: 'OP4000008 ', user_id: ' 100001', application_role: 'qa__c\t', operation: 'ADD' },
			{ record_id: 'OP4000008', user_id: '1000O2', application_role: 'qa__c', operation: 'ADD' },
			{ record_id: 'OP4000008', user_id: 100003, application_role: 'QA__c', operation: 'ADD' },
			{ record_id: 'QE-000008', user_id: 100004, application_role: 'qa__c', operation: 'ADD' },
			{ record_id: 'OP4000008', user_id: 'user100005@sandbox.veevavault.com', application_role: 'qa__c', operation: 'ADD' },
			{ record_id: 'OP4000008', user_id: '0100006', application_role: 'qa__c', operation: 'REMOVE' },
		];
		const stopped = await vault.harness.run({ items, parameters: MANAGE });
		expect(stopped.error?.message).toMatch(/^5 item\(s\) cannot be sent to Vault, so nothing was sent/);
		expect((await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'))).toEqual([]);

		const run = await vault.harness.run({ items, parameters: MANAGE, onError: 'continueErrorOutput' });
		const [ok, failed] = run.outputs;
		expect(pairedOf(ok)).toEqual([[0]]);
		expect(ok[0].json).toMatchObject({ row: { record_id: 'OP4000008', user_id: '100001', application_role: 'qa__c', operation: 'ADD' } });
		expect(ok[0].json.normalised).toEqual([
			'record_id "OP4000008 " was read as "OP4000008" (spaces around it removed)',
			'user_id " 100001" was read as "100001" (spaces around it removed)',
			'application_role "qa__c\\t" was read as "qa__c" (spaces around it removed)',
		]);
		expect(pairedOf(failed)).toEqual([[1], [2], [3], [4], [5]]);
		expect(jsonOf(failed).map((json) => String(json.error))).toEqual([
			expect.stringMatching(/column "user_id" is "1000O2", which is not a Vault user id \(a whole number, e\.g\. 116468\); did you mean 100002\?$/),
			expect.stringMatching(/column "application_role" is "QA__c", which is not a Vault name .*; did you mean "qa__c"\? Vault names are lower-case$/),
			expect.stringMatching(/column "record_id" is "QE-000008", which is not a Vault record id \(letters and digits, e\.g\. OP4000008\); if it is the record's name \(name__v\), set Find Records By to Name$/),
			expect.stringMatching(/column "user_id" is "user100005@sandbox\.veevavault\.com", which is not a Vault user id .*set Find Users By$/),
			expect.stringMatching(/column "user_id" is "0100006", which is not a Vault user id .*did you mean 100006\?$/),
		]);
		const [sent] = (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'));
		expect(sent.body?.trim().split(/\r?\n/)).toEqual(['record_id,user_id,application_role,operation', 'OP4000008,100001,qa__c,ADD']);
	});

	it('Associate Auditor Roles gives profiles their roles', async () => {
		const items = [
			{ 'auditor_profile__v.name__v': 'AuditorProfile-alex@veepharm.com', 'auditor_role__v.name__v': 'Lead Auditor' },
			{ 'auditor_profile__v.name__v': 'AuditorProfile-walter@veepharm.com', 'auditor_role__v.name__v': 'Co-Auditor' },
		];
		const result = await vault.harness.run({ items, parameters: { resource: 'auditor', operation: 'associateRoles' } });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).map((json) => typeof json.jobId)).toEqual(['string', 'string']);
		await vault.sandbox.client.completeJobs();
		const state = await vault.sandbox.client.state();
		expect(state.auditorRoles['AuditorProfile-alex@veepharm.com']).toContain('Lead Auditor');
		expect(state.auditorRoles['AuditorProfile-walter@veepharm.com']).toContain('Co-Auditor');
	});

	it('Migrate Quality Team Members sends a multipart file and creates members', async () => {
		const items = [
			{ 'lab_investigation__qdm.name__v': 'LI-000001', 'user__sys.global_id__sys': '1001_100001', 'application_role__v.api_name__v': 'record_owner__c' },
			{ 'lab_investigation__qdm.name__v': 'LI-000002', 'user__sys.global_id__sys': '1001_100002', 'application_role__v.api_name__v': 'sme__c' },
		];
		const parameters = {
			resource: 'qualityTeam',
			operation: 'migrateMembers',
			objectName: 'lab_investigation_quality_team_member__v',
			recordColumn: 'lab_investigation__qdm.name__v',
		};
		const result = await vault.harness.run({ items, parameters });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0])[0].jobId).toMatch(/^\d+$/);
		await vault.sandbox.client.completeJobs();
		const state = await vault.sandbox.client.state();
		expect(state.teams.lab_investigation__qdm.LI0000001).toEqual([{ user_id: 100001, application_role: 'record_owner__c' }]);
		expect(state.teams.lab_investigation__qdm.LI0000002).toEqual([{ user_id: 100002, application_role: 'sme__c' }]);
		const [sent] = (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('/actions/migration'));
		expect(sent.contentType).toMatch(/^multipart\/form-data/);
		expect(sent.path).toBe('/api/v25.3/qms/teams/vobjects/lab_investigation_quality_team_member__v/actions/migration');
	});

	it('assigns and removes document roles, with Vault per-row results; a refused row is its item error', async () => {
		const assign = await vault.harness.run({
			items: [
				{ id: 11, 'reviewer__v.users': [100001, 100002], 'approver__v.groups': '3311301' },
				{ id: 12, 'reviewer__v.users': '100003' },
				{ id: 999999, 'reviewer__v.users': '100004' },
			],
			parameters: { resource: 'documentRole', operation: 'assign' },
			onError: 'continueErrorOutput',
		});
		const [ok, failed] = assign.outputs;
		expect(jsonOf(ok).map((json) => [json.responseStatus, json.id])).toEqual([
			['SUCCESS', 11],
			['SUCCESS', 12],
		]);
		expect(ok[0].json['reviewer__v.users']).toEqual(expect.arrayContaining([100001, 100002]));
		expect(failed).toHaveLength(1);
		expect(failed[0].json.error).toMatch(/Vault refused document 999999 \(INVALID_DATA: .+\)/);
		expect(pairedOf(failed)).toEqual([[2]]);
		let state = await vault.sandbox.client.state();
		expect(state.documentRoles['11'].reviewer__v.users).toEqual(expect.arrayContaining([100001, 100002]));
		expect(state.documentRoles['11'].approver__v.groups).toEqual([3311301]);

		const remove = await vault.harness.run({
			items: [{ id: '11', 'reviewer__v.users': '100001' }],
			parameters: { resource: 'documentRole', operation: 'remove' },
		});
		expect(remove.error).toBeUndefined();
		state = await vault.sandbox.client.state();
		expect(state.documentRoles['11'].reviewer__v.users).toEqual([100002]);
		const methods = (await vault.sandbox.client.log()).filter((entry) => entry.path.endsWith('/roles/batch')).map((entry) => entry.method);
		expect(methods).toEqual(['POST', 'DELETE']);
	});

	it('Retrieve Job Status reads a job the node created', async () => {
		const sent = await vault.harness.run({
			items: [{ record_id: 'OP4000008', user_id: 100001, application_role: 'qa__c', operation: 'ADD' }],
			parameters: MANAGE,
		});
		const jobId = sent.outputs[0][0].json.jobId;
		const status = await vault.harness.run({ items: [{ jobId }], parameters: { resource: 'job', operation: 'getStatus', jobId: '={{ $json.jobId }}' } });
		expect(status.outputs[0][0].json).toMatchObject({ jobId, status: 'SUCCESS', finished: true });
	});

	it('waits for a job that runs a while, polling no faster than the sandbox allows', async () => {
		await vault.sandbox.client.settings({ jobQueuedMs: 200, jobRunMs: 1200, jobStatusMinIntervalMs: 400 });
		const result = await vault.harness.run({
			items: [{ record_id: 'OP4000008', user_id: 100001, application_role: 'qa__c', operation: 'ADD' }],
			parameters: { ...MANAGE, options: { waitForCompletion: true, pollIntervalSeconds: 0.4 } },
		});
		expect(result.outputs[0][0].json).toMatchObject({ status: 'SUCCESS', finished: true });
		const polls = (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('/services/jobs/'));
		expect(polls.length).toBeGreaterThanOrEqual(3);
		expect(polls.every((entry) => entry.responseStatus === 'SUCCESS')).toBe(true);
		for (let i = 1; i < polls.length; i++) expect(polls[i].at - polls[i - 1].at).toBeGreaterThanOrEqual(390);
	});
});
