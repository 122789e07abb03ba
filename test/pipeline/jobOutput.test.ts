import { jsonOf, useSandbox } from '../harness/fixtures';

/**
 * What an item says of its job (pipeline/outputJobs.ts: jobFields, describeJob), for bulk items and Job →
 * Get Status alike, through n8n-core and the sandbox; moved from editor.test.ts.
 */
const vault = useSandbox();
const RUN_MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const ASSIGN = { resource: 'documentRole', operation: 'assign' };

describe('what an item says of its job', () => {
	const row = { record_id: 'OP4000001', user_id: '100001', application_role: 'qa__c', operation: 'ADD' };

	it('not waited for: the state Vault gave (submitted) and a line a person can read', async () => {
		const run = await vault.harness.run({ items: [row], parameters: RUN_MANAGE });
		const json = jsonOf(run.outputs[0])[0];
		expect(json).toMatchObject({ state: 'submitted', summary: expect.stringMatching(new RegExp(`^Vault accepted the batch as job ${String(json.jobId)}; not waited for`)) });
		expect(json.status).toBeUndefined();
	});

	it('per batch, a job\'s rows are "submitted" (Vault gives no per-row result for jobs); waited for, the job says how it ended', async () => {
		const submitted = await vault.harness.run({ items: [row, { ...row, user_id: '100002' }], parameters: { ...RUN_MANAGE, options: { outputMode: 'perBatch' } } });
		const batch = jsonOf(submitted.outputs[0])[0];
		expect(batch).toMatchObject({ rows: 2, submitted: 2, state: 'submitted' });
		expect(batch.succeeded).toBeUndefined();
		const waited = await vault.harness.run({ items: [row], parameters: { ...RUN_MANAGE, options: { outputMode: 'perBatch', waitForCompletion: true, pollIntervalSeconds: 0.05 } } });
		expect(jsonOf(waited.outputs[0])[0]).toMatchObject({ state: 'finished', status: 'SUCCESS', summary: expect.stringMatching(/^Job \d+ finished: SUCCESS$/) });
	});

	it('Get Status says the same: the state and a line, beside Vault\'s status', async () => {
		const sent = await vault.harness.run({ items: [row], parameters: RUN_MANAGE });
		const jobId = String(jsonOf(sent.outputs[0])[0].jobId);
		await vault.sandbox.client.completeJobs();
		const status = await vault.harness.run({ items: [{}], parameters: { resource: 'job', operation: 'getStatus', jobId } });
		expect(jsonOf(status.outputs[0])[0]).toMatchObject({ status: 'SUCCESS', finished: true, state: 'finished', summary: `Job ${jobId} finished: SUCCESS` });
	});

	it('document roles keep "succeeded": Vault answers for every row', async () => {
		const run = await vault.harness.run({ items: [{ id: 1, 'reviewer__v.users': '100001' }], parameters: { ...ASSIGN, options: { outputMode: 'perBatch' } } });
		expect(jsonOf(run.outputs[0])[0]).toMatchObject({ rows: 1, succeeded: 1 });
	});
});
