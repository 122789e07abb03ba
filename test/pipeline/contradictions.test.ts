import { jsonOf, useSandbox } from '../harness/fixtures';

const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const WAIT = { waitForCompletion: true, pollIntervalSeconds: 0.05 };
const row = (record: string, user: number | string, role: string, operation: string) => ({ record_id: record, user_id: user, application_role: role, operation });

describe('Manage: an input that both adds and removes the same membership', () => {
	const vault = useSandbox();
	const sentRows = async () =>
		(await vault.sandbox.client.log())
			.filter((entry) => entry.path.includes('manageassignments'))
			.flatMap((entry) => (entry.body ?? '').trim().split(/\r?\n/).slice(1));
	const teamOf = async (record: string) =>
		((await vault.sandbox.client.state()).teams.quality_event__qdm?.[record] ?? []).map((member) => `${member.user_id} ${member.application_role}`).sort();

	beforeEach(async () => {
		await vault.sandbox.client.seed({ teamMembers: [{ object: 'quality_event__qdm', recordId: 'OP4000001', userId: 100001, role: 'qa__c' }] });
	});

	it('refuses the run before sending, naming both items: Vault documents the order of ADD and REMOVE in one request only for QualityOne', async () => {
		const run = await vault.harness.run({
			items: [row('OP4000001', 100001, 'qa__c', 'REMOVE'), row('OP4000002', 100002, 'qa__c', 'ADD'), row('OP4000001', '100001', 'qa__c', 'ADD')],
			parameters: { ...MANAGE, options: WAIT },
		});
		expect(run.error?.message).toBe('2 item(s) cannot be sent to Vault, so nothing was sent');
		expect(run.error?.description).toContain('contradiction: item 2 ADD and item 0 REMOVE user 100001 as qa__c on record OP4000001; neither is sent');
		expect(run.error?.description).toContain('only for QualityOne (REMOVE first: the user would stay on the team)');
		expect(await sentRows()).toEqual([]);
	});

	it('with continue on fail, the two items are errors, the other rows go, and the member stays as they were', async () => {
		const run = await vault.harness.run({
			items: [row('OP4000001', 100001, 'qa__c', 'REMOVE'), row('OP4000002', 100002, 'qa__c', 'ADD'), row('OP4000001', 100001, 'qa__c', 'ADD'), row('OP4000001', 100001, 'sme__c', 'ADD')],
			parameters: { ...MANAGE, options: WAIT },
			onError: 'continueRegularOutput',
		});
		expect(run.error).toBeUndefined();
		expect(await sentRows()).toEqual(['OP4000002,100002,qa__c,ADD', 'OP4000001,100001,sme__c,ADD']);
		const errors = run.outputs[0].filter((item) => typeof item.json.error === 'string');
		expect(errors.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(jsonOf(errors).every((json) => /contradiction: item 2 ADD and item 0 REMOVE user 100001 as qa__c on record OP4000001/.test(String(json.error)))).toBe(true);
		expect(await teamOf('OP4000001')).toEqual(['100001 qa__c', '100001 sme__c']);
	});

	it('a dry run flags the pair too, and the same row twice is no contradiction', async () => {
		const run = await vault.harness.run({
			items: [row('OP4000003', 100003, 'sme__c', 'ADD'), row('OP4000003', 100003, 'sme__c', 'ADD'), row('OP4000004', 100004, 'qa__c', 'REMOVE'), row('OP4000004', 100004, 'qa__c', 'ADD')],
			parameters: { ...MANAGE, options: { dryRun: true } },
			onError: 'continueRegularOutput',
		});
		expect(run.error).toBeUndefined();
		const errors = jsonOf(run.outputs[0]).filter((json) => typeof json.error === 'string');
		expect(errors).toHaveLength(2);
		expect(String(errors[0].error)).toMatch(/contradiction: item 3 ADD and item 2 REMOVE user 100004 as qa__c on record OP4000004/);
		expect(await sentRows()).toEqual([]);
	});

	it.each(['perBatch', 'perItem'])('a CSV file (%s output) is checked the same way, naming the file item and its rows; with continue on fail the other rows go', async (outputMode) => {
		// 1,200 rows: the two of OP4000001 / 100001 / qa__c far apart, in different batches of 500
		const lines = ['record_id,user_id,application_role,operation'];
		for (let i = 0; i < 1200; i++) lines.push(i === 3 ? 'OP4000001,100001,qa__c,REMOVE' : i === 1101 ? 'OP4000001,100001,qa__c,ADD' : `OP${4000002 + (i % 40)},${100100 + i},sme__c,ADD`);
		const file = { json: {}, binary: { data: { data: Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8').toString('base64'), mimeType: 'text/csv', fileName: 'changes.csv' } } };
		const parameters = { ...MANAGE, inputSource: 'binary', binaryPropertyName: 'data', options: { outputMode } };
		const refused = await vault.harness.run({ items: [file], parameters });
		expect(refused.error?.message).toBe('2 item(s) cannot be sent to Vault, so nothing was sent');
		expect(refused.error?.description).toContain('contradiction: row 1103 of item 0 ADD and row 5 of item 0 REMOVE user 100001 as qa__c on record OP4000001; neither is sent');
		expect(await sentRows()).toEqual([]);

		const run = await vault.harness.run({ items: [file], parameters, onError: 'continueRegularOutput' });
		expect(run.error).toBeUndefined();
		const sent = await sentRows();
		expect(sent).toHaveLength(1198);
		expect(sent.some((line) => line.startsWith('OP4000001,100001,'))).toBe(false);
		// an error item per CSV row of the pair
		expect(jsonOf(run.outputs[0]).filter((json) => /contradiction/.test(String(json.error))).map((json) => (json.details as { csvRow?: number } | undefined)?.csvRow ?? json.csvRow)).toEqual([5, 1103]);
		expect(await teamOf('OP4000001')).toEqual(['100001 qa__c']);
	});
});
