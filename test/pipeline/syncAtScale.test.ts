import type { IDataObject } from 'n8n-workflow';

import { jsonOf, useSandbox } from '../harness/fixtures';

/**
 * Issue 26, the nightly roster at enterprise size: Sync reads every member of the records in the
 * roster, and one team can hold far more than a function call takes as spread arguments (V8 stops
 * at about 120,000). 130,000 members of one Quality Team (1,000 records of 130 each) are read in
 * 130 pages and planned like any other team.
 */
const RECORDS = 1000;
const PER_RECORD = 130;
const ROLES = ['record_owner__c', 'sme__c', 'qa__c', 'approver__c', 'reviewer__c'];
const recordId = (r: number) => `OP${4000001 + r}`;
const userOf = (j: number) => 100101 + j;

describe('Sync Members over one team of 130,000 members', () => {
	const vault = useSandbox();

	it('reads all 130,000 members and plans against them (Plan Only): one kept per record, the rest to remove', async () => {
		const teamMembers = Array.from({ length: RECORDS * PER_RECORD }, (_, k) => {
			const j = k % PER_RECORD;
			return { object: 'quality_event__qdm', recordId: recordId(Math.floor(k / PER_RECORD)), userId: userOf(j), role: ROLES[j % ROLES.length] };
		});
		await vault.sandbox.client.seed({ teamMembers });
		// the roster names each record once, with its first member
		const roster = Array.from({ length: RECORDS }, (_, r) => ({ json: { record_id: recordId(r), user_id: userOf(0), application_role: ROLES[0] } as IDataObject }));
		const run = await vault.harness.run({
			items: roster,
			parameters: { resource: 'qualityTeam', operation: 'syncMembers', objectName: 'quality_event__qdm', options: { planOnly: true } },
		});
		expect(run.error?.message).toBeUndefined();
		const summary = jsonOf(run.outputs[0]).find((json) => json.summary === true);
		expect(summary).toMatchObject({ currentMembersInScope: RECORDS * PER_RECORD, unchanged: RECORDS, removes: RECORDS * (PER_RECORD - 1), adds: 0 });
		const queries = (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('/query'));
		// 500 records a query, 65,000 members in pages of 1,000: 2 × 65 team reads, and the removed users named, 500 ids a query
		expect(queries.filter((entry) => entry.vql === undefined || /quality_team_member/.test(entry.vql)).length).toBe(130);
	});
});
