import Papa from 'papaparse';

import { jsonOf, pairedOf, useSandbox } from '../harness/fixtures';

const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const DOCS = { resource: 'documentRole', operation: 'assign' };
const memberItems = (count: number) =>
	Array.from({ length: count }, (_, i) => ({
		record_id: `OP${4000001 + (i % 50)}`,
		user_id: 100001 + i,
		application_role: 'qa__c',
		operation: 'ADD',
	}));
const records = Array.from({ length: 50 }, (_, i) => ({ object: 'quality_event__qdm', id: `OP${4000001 + i}`, name: `QE-${i}` }));

describe('batching, CSV, bad input, sessions and pairing through the engine', () => {
	const vault = useSandbox();
	beforeEach(async () => {
		await vault.sandbox.client.seed({ records });
	});
	const bulkCalls = async (fragment: string) => (await vault.sandbox.client.log()).filter((entry) => entry.path.includes(fragment));

	it.each([
		[0, 0],
		[1, 1],
		[500, 1],
		[501, 2],
		[1000, 2],
		[1001, 3],
		[1201, 3],
	])('%i items make %i Manage batches of at most 500', async (count, batches) => {
		const result = await vault.harness.run({ items: memberItems(count), parameters: MANAGE });
		expect(result.error).toBeUndefined();
		const calls = await bulkCalls('manageassignments');
		expect(calls).toHaveLength(batches);
		const rowsSent = calls.map((call) => Papa.parse(call.body ?? '', { header: true, skipEmptyLines: true }).data.length);
		expect(rowsSent.reduce((a, b) => a + b, 0)).toBe(count);
		expect(rowsSent.every((rows) => rows <= 500)).toBe(true);
		expect(result.outputs[0] ?? []).toHaveLength(count);
	});

	it.each([
		[1000, 1],
		[1001, 2],
	])('%i document rows make %i batches of at most 1000', async (count, batches) => {
		const items = Array.from({ length: count }, (_, i) => ({ id: 1 + (i % 3000), 'consumer__v.users': 100001 + (i % 100) }));
		const result = await vault.harness.run({ items, parameters: DOCS });
		expect(result.error).toBeUndefined();
		expect(await bulkCalls('/roles/batch')).toHaveLength(batches);
	});

	it('splits on the byte limit when it is lower than the rows', async () => {
		const items = memberItems(20);
		const result = await vault.harness.run({ items, parameters: { ...MANAGE, options: { maxBatchBytes: 300 } } });
		expect(result.error).toBeUndefined();
		const calls = await bulkCalls('manageassignments');
		expect(calls.every((call) => call.bodyBytes <= 300)).toBe(true);
		const perBatch = calls.map((call) => Papa.parse(call.body ?? '', { header: true, skipEmptyLines: true }).data.length);
		expect(perBatch.reduce((a, b) => a + b, 0)).toBe(20);
		// the header takes 46 bytes and each row 27 ("OP4000001,100001,qa__c,ADD" + CRLF), so 9 rows
		// fill a 300-byte batch: every batch but the last is full, which is the fewest batches
		expect(calls[0].body?.split('\r\n')[0].length).toBe(44);
		expect(perBatch).toEqual([9, 9, 2]);
	});

	it('never splits one record across Migrate batches, and refuses a record larger than a batch', async () => {
		await vault.sandbox.client.seed({ records: Array.from({ length: 6 }, (_, i) => ({ object: 'lab_investigation__qdm', id: `LI${i}`, name: `LI-${i}` })) });
		const items = Array.from({ length: 30 }, (_, i) => ({
			'lab_investigation__qdm.name__v': `LI-${i % 5}`,
			'user__sys.global_id__sys': `1001_${100001 + i}`,
			'application_role__v.api_name__v': 'sme__c',
		}));
		const parameters = {
			resource: 'qualityTeam',
			operation: 'migrateMembers',
			objectName: 'lab_investigation_quality_team_member__v',
			recordColumn: 'lab_investigation__qdm.name__v',
			options: { batchSize: 13 },
		};
		const result = await vault.harness.run({ items, parameters });
		expect(result.error).toBeUndefined();
		const calls = await bulkCalls('/actions/migration');
		const seen = new Map<string, number>();
		calls.forEach((call, batch) => {
			const rows = Papa.parse<Record<string, string>>(call.body ?? '', { header: true, skipEmptyLines: true }).data;
			expect(rows.length).toBeLessThanOrEqual(13);
			for (const row of rows) {
				const record = row['lab_investigation__qdm.name__v'];
				expect(seen.get(record) ?? batch).toBe(batch);
				seen.set(record, batch);
			}
		});
		expect(seen.size).toBe(5);

		const tooBig = Array.from({ length: 14 }, (_, i) => ({ ...items[0], 'user__sys.global_id__sys': `1001_${100101 + i}` }));
		const refused = await vault.harness.run({ items: [...tooBig, items[1]], parameters, onError: 'continueErrorOutput' });
		expect(refused.outputs[1]).toHaveLength(14);
		expect(refused.outputs[1][0].json.error).toMatch(/record "LI-0" has 14 rows.*at most 13 rows/);
		expect(refused.outputs[0]).toHaveLength(1);
	});

	it('carries commas, quotes, line breaks, tabs, backslashes and non-ASCII into Vault unchanged', async () => {
		const names = ['Profile, with comma', 'Profile "quoted"', 'Profile\nline break', 'Profile\twith tab', 'C:\\Profiles\\ünïcødé ✓', '=cmd|calc', ' padded '];
		await vault.sandbox.client.seed({ auditorProfiles: names, auditorRoles: ['Rôle, "spécial"\\x'] });
		const items = names.map((name) => ({ 'auditor_profile__v.name__v': name, 'auditor_role__v.name__v': 'Rôle, "spécial"\\x' }));
		const result = await vault.harness.run({ items, parameters: { resource: 'auditor', operation: 'associateRoles' } });
		expect(result.error).toBeUndefined();
		await vault.sandbox.client.completeJobs();
		const state = await vault.sandbox.client.state();
		for (const name of names) expect(state.auditorRoles[name]).toEqual(['Rôle, "spécial"\\x']);
		const [job] = state.jobs;
		expect(job.rowErrors).toEqual([]);
	});

	it.each([
		['a missing required column', { record_id: 'OP4000001', user_id: 100001, operation: 'ADD' }, /"application_role" is missing/],
		['an operation other than ADD or REMOVE', { record_id: 'OP4000001', user_id: 100001, application_role: 'qa__c', operation: 'Add' }, /exactly ADD or REMOVE/],
		// inside the value: a CR around an id is blank space, removed (and said on the item)
		['a CR in a value', { record_id: 'OP400\r0001', user_id: 100001, application_role: 'qa__c', operation: 'ADD' }, /carriage return/],
		['an object where text belongs', { record_id: { id: 1 }, user_id: 100001, application_role: 'qa__c', operation: 'ADD' }, /holds an object/],
	])('refuses %s before sending anything', async (_kind, bad, message) => {
		const items = [...memberItems(2), bad, ...memberItems(1)];
		const stopped = await vault.harness.run({ items, parameters: MANAGE });
		expect(stopped.error?.message).toMatch(/1 item\(s\) cannot be sent to Vault, so nothing was sent/);
		expect(stopped.error?.description).toMatch(new RegExp(`Item 2: .*${message.source}`));
		expect(await bulkCalls('manageassignments')).toEqual([]);

		const continued = await vault.harness.run({ items, parameters: MANAGE, onError: 'continueErrorOutput' });
		expect(continued.outputs[1].map((item) => item.json.error)).toEqual([expect.stringMatching(message)]);
		expect(pairedOf(continued.outputs[1])).toEqual([[2]]);
		expect(pairedOf(continued.outputs[0])).toEqual([[0], [1], [3]]);
		expect(await bulkCalls('manageassignments')).toHaveLength(1);
	});

	it('refuses a Migrate value of 1,500 characters, a document id that is not a number, and a bad object name', async () => {
		const migrate = await vault.harness.run({
			items: [{ 'quality_event__qdm.name__v': 'x'.repeat(1500), 'user__sys.global_id__sys': '1001_100001', 'application_role__v.api_name__v': 'qa__c' }],
			parameters: { resource: 'qualityTeam', operation: 'migrateMembers', objectName: 'quality_event_quality_team_member__v' },
		});
		expect(migrate.error?.description).toMatch(/1500 characters long; Vault accepts values under 1500/);
		const docs = await vault.harness.run({ items: [{ id: 'DOC-12', 'reviewer__v.users': '100001' }], parameters: DOCS });
		expect(docs.error?.description).toMatch(/"id" is "DOC-12", which is not a document id/);
		for (const objectName of ['Quality_Event__qdm', '../auth', 'quality%2Fevent', 'a b', 'x?y=1', 'x#y']) {
			const result = await vault.harness.run({ items: memberItems(1), parameters: { ...MANAGE, objectName } });
			expect(result.error?.description).toMatch(/is not a Vault name/);
		}
		expect(await vault.sandbox.client.log()).toEqual([]);
	});

	it('re-logs in once when the session expires between batch 2 and 3, and sends each batch once', async () => {
		await vault.harness.run({ items: memberItems(1), parameters: MANAGE });
		await vault.sandbox.client.clearLog();
		await vault.sandbox.client.fault({ kind: 'invalidSession', match: { path: 'manageassignments' }, skip: 2 });
		const result = await vault.harness.run({ items: memberItems(1201), parameters: MANAGE });
		expect(result.error).toBeUndefined();
		const log = await vault.sandbox.client.log();
		expect(log.filter((entry) => entry.path.endsWith('/auth'))).toHaveLength(1);
		const accepted = log.filter((entry) => entry.path.includes('manageassignments') && entry.responseStatus === 'SUCCESS');
		expect(accepted).toHaveLength(3);
		expect(new Set(accepted.map((entry) => entry.body)).size).toBe(3);
		expect(new Set(jsonOf(result.outputs[0]).map((json) => json.jobId)).size).toBe(3);
	});

	it('pairs every output to its inputs per item, per batch, and on the error output', async () => {
		const items = [...memberItems(3), { record_id: 'OP4000001', user_id: 1, application_role: 'qa__c', operation: 'MOVE' }, ...memberItems(3)];
		const perBatch = await vault.harness.run({
			items,
			parameters: { ...MANAGE, options: { outputMode: 'perBatch', batchSize: 4, attachCsv: true } },
			onError: 'continueErrorOutput',
		});
		const [batches, errors] = perBatch.outputs;
		expect(pairedOf(batches)).toEqual([[0, 1, 2, 4], [5, 6]]);
		expect(pairedOf(errors)).toEqual([[3]]);
		expect(batches[0].binary?.csv?.mimeType).toBe('text/csv');
		const csv = Buffer.from(batches[0].binary?.csv?.data ?? '', 'base64').toString('utf8');
		expect(csv).toBe((await bulkCalls('manageassignments'))[0].body);

		const dry = await vault.harness.run({ items: memberItems(7), parameters: { ...MANAGE, options: { dryRun: true, batchSize: 4 } } });
		expect(jsonOf(dry.outputs[0])).toEqual([
			expect.objectContaining({ dryRun: true, batch: 1, rows: 4, method: 'POST', path: '/api/{version}/app/quality/qms/teams/vobjects/quality_event__qdm/actions/manageassignments' }),
			expect.objectContaining({ batch: 2, rows: 3 }),
		]);
		expect(pairedOf(dry.outputs[0])).toEqual([[0, 1, 2, 3], [4, 5, 6]]);
		expect(dry.outputs[0][0].binary?.csv).toBeDefined();
		expect(await bulkCalls('manageassignments')).toHaveLength(2);
	});

	it('names the batches Vault already accepted when a later batch is refused', async () => {
		await vault.sandbox.client.fault({ kind: 'http500', match: { path: 'manageassignments' }, skip: 1, count: 10 });
		const result = await vault.harness.run({ items: memberItems(1201), parameters: { ...MANAGE, options: { retryWaitSeconds: 0 } } });
		const [firstJob] = (await vault.sandbox.client.state()).jobs;
		expect(result.error?.message).toMatch(/Batch 2 of 3 failed/);
		expect(result.error?.description).toContain(`Vault already accepted batch 1 (job ${firstJob.id})`);
		expect(result.error?.description).toMatch(/remaining 1 batch\(es\) were not sent/);
	});
});
