import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { jsonOf, useSandbox } from '../harness/fixtures';

const REPLACE = { resource: 'qualityTeam', operation: 'replaceUser' };
const WAIT = { waitForCompletion: true, pollIntervalSeconds: 0.05 };
const PERSON = 100070;
const STAND_IN = 100071;
const OTHERS = [100072, 100073];
type Member = { object: string; recordId: string; userId: number; role: string };
const member = (object: string, recordId: string, userId: number, role: string): Member => ({ object, recordId, userId, role });
const MEMBERS: Member[] = [
	// room in the role (qa__c: at most 10): the stand-in goes on first, then the person off
	member('quality_event__qdm', 'OP4000101', PERSON, 'qa__c'),
	// the same, but Vault refuses the stand-in's ADD when the job runs: the person stays
	member('quality_event__qdm', 'OP4000102', PERSON, 'qa__c'),
	// the stand-in is on in that role already: the person only comes off
	member('risk_event__v', 'RE0000101', PERSON, 'sme__c'),
	member('risk_event__v', 'RE0000101', STAND_IN, 'sme__c'),
	// product complaint team: owner at its maximum of 1 (and exclusive)
	member('complaint__qdm', 'CP0000021', PERSON, 'record_owner__c'),
	member('complaint__qdm', 'CP0000021', OTHERS[0], 'qa__c'),
	// the stand-in is this complaint's owner, an exclusive role: no second role beside it
	member('complaint__qdm', 'CP0000023', PERSON, 'sme__c'),
	member('complaint__qdm', 'CP0000023', STAND_IN, 'record_owner__c'),
	// closed (CP0000025: n ending in 5), a locked state of the product complaint team
	member('complaint__qdm', 'CP0000025', PERSON, 'sme__c'),
	// complaint team (even n): reviewer__c at its maximum of 3
	member('complaint__qdm', 'CP0000022', PERSON, 'reviewer__c'),
	member('complaint__qdm', 'CP0000022', OTHERS[0], 'reviewer__c'),
	member('complaint__qdm', 'CP0000022', OTHERS[1], 'reviewer__c'),
];

describe('Replace User: the stand-in on every membership first, then the person off where that is confirmed', () => {
	const vault = useSandbox();
	const manageRequests = async () => (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'));
	const rowsOf = (entry: { body?: string }) => (entry.body ?? '').trim().split(/\r?\n/).slice(1);
	const linesOf = (items: INodeExecutionData[], change: string) => jsonOf(items).filter((json) => json.change === change);
	const teamOf = async (object: string, recordId: string) => ((await vault.sandbox.client.state()).teams[object]?.[recordId] ?? []).map((held) => `${held.user_id} ${held.application_role}`).sort();

	beforeEach(async () => {
		await vault.sandbox.client.settings({ teamRoleLimits: true, refuseMembers: [{ recordId: 'OP4000102', userId: STAND_IN, role: 'qa__c', operation: 'ADD', reason: 'User 100071 lacks the security profile for this team.' }] });
		await vault.sandbox.client.seed({ teamMembers: MEMBERS });
	});

	it("puts the stand-in on before taking the person off, and keeps the person where Vault refused the stand-in's ADD", async () => {
		const run = await vault.harness.run({ items: [{ user_id: String(PERSON), replacement_user_id: String(STAND_IN) }], parameters: { ...REPLACE, options: WAIT } });
		expect(run.error).toBeUndefined();
		const log = await vault.sandbox.client.log();
		const requests = await manageRequests();
		// the ADDs in their own job, waited for to the end; then the REMOVEs, in jobs after it
		const adds = requests.filter((entry) => rowsOf(entry).every((row) => row.endsWith(',ADD')));
		const removes = requests.filter((entry) => rowsOf(entry).every((row) => row.endsWith(',REMOVE')));
		expect(adds.length + removes.length).toBe(requests.length);
		expect(adds.flatMap(rowsOf).sort()).toEqual(['OP4000101,100071,qa__c,ADD', 'OP4000102,100071,qa__c,ADD']);
		expect(removes.flatMap(rowsOf).sort()).toEqual(['OP4000101,100070,qa__c,REMOVE', 'RE0000101,100070,sme__c,REMOVE']);
		const lastStatusCall = Math.max(...log.filter((entry) => entry.path.includes('/services/jobs/')).map((entry) => entry.seq));
		const qualityEventRemove = removes.find((entry) => entry.path.includes('quality_event__qdm'));
		expect(Math.max(...adds.map((entry) => entry.seq))).toBeLessThan(qualityEventRemove?.seq ?? 0);
		expect(log.filter((entry) => entry.path.includes('/services/jobs/') && entry.seq < (qualityEventRemove?.seq ?? 0)).length).toBeGreaterThan(0);
		expect(lastStatusCall).toBeGreaterThan(0);

		const items = run.outputs[0];
		expect(linesOf(items, 'add').map((json) => [json.record_id, json.applied])).toEqual(expect.arrayContaining([['OP4000101', true], ['OP4000102', false]]));
		expect(linesOf(items, 'kept')).toEqual([expect.objectContaining({ record_id: 'OP4000102', user_id: String(PERSON), reason: expect.stringMatching(/^Vault did not apply the stand-in's ADD .*: the person stays on the record, not removed$/) })]);
		const skipped = linesOf(items, 'skipped').map((json) => [json.skipped, json.record_id]).sort();
		expect(skipped).toEqual([['atMaximum', 'CP0000021'], ['atMaximum', 'CP0000022'], ['exclusive', 'CP0000023'], ['locked', 'CP0000025']]);
		expect(linesOf(items, 'skipped').find((json) => json.record_id === 'CP0000021')?.reason).toMatch(/record_owner__c on CMP-000021 is at its maximum of 1 \(maximum_user_in_role\)/);
		const summary = jsonOf(items).find((json) => json.summary === true) as IDataObject;
		expect(summary).toMatchObject({ user_id: String(PERSON), replacement_user_id: String(STAND_IN), membershipsFound: 7, planned: 3, skipped: { atMaximum: 2, exclusive: 1, locked: 1 }, sent: 4, applied: 3, notApplied: 1, kept: 1 });

		await vault.sandbox.client.completeJobs();
		expect(await teamOf('quality_event__qdm', 'OP4000101')).toEqual(['100071 qa__c']);
		expect(await teamOf('quality_event__qdm', 'OP4000102')).toEqual(['100070 qa__c']);
		expect(await teamOf('risk_event__v', 'RE0000101')).toEqual(['100071 sme__c']);
		expect(await teamOf('complaint__qdm', 'CP0000021')).toEqual(['100070 record_owner__c', '100072 qa__c']);
	});

	it('with Send Pairs at Maximum, sends the REMOVE and the ADD of a role at its maximum in one job, and Verify reports both rows', async () => {
		const run = await vault.harness.run({
			items: [{ user_id: String(PERSON), replacement_user_id: String(STAND_IN) }],
			parameters: { ...REPLACE, options: { ...WAIT, sendPairsAtMaximum: true, teams: 'complaint_team__c' } },
		});
		expect(run.error).toBeUndefined();
		const requests = await manageRequests();
		expect(requests.map(rowsOf)).toEqual([['CP0000022,100070,reviewer__c,REMOVE', 'CP0000022,100071,reviewer__c,ADD']]);
		const pair = jsonOf(run.outputs[0]).filter((json) => json.pairAtMaximum === true);
		expect(pair.map((json) => [json.change, json.applied, json.jobId])).toEqual([
			['remove', true, pair[0].jobId],
			['add', true, pair[0].jobId],
		]);
		await vault.sandbox.client.completeJobs();
		expect(await teamOf('complaint__qdm', 'CP0000022')).toEqual(['100071 reviewer__c', '100072 reviewer__c', '100073 reviewer__c']);
	});

	it('Plan Only lists the ADDs and REMOVEs it would send and sends nothing; a person as their own stand-in is the item\'s error', async () => {
		const run = await vault.harness.run({
			items: [{ user_id: String(PERSON), replacement_user_id: String(STAND_IN) }, { user_id: '100080', replacement_user_id: '100080' }],
			parameters: { ...REPLACE, options: { planOnly: true } },
			onError: 'continueRegularOutput',
		});
		expect(run.error).toBeUndefined();
		expect(await manageRequests()).toEqual([]);
		expect(linesOf(run.outputs[0], 'add').map((json) => json.record_id).sort()).toEqual(['OP4000101', 'OP4000102']);
		expect(linesOf(run.outputs[0], 'remove').map((json) => json.record_id).sort()).toEqual(['OP4000101', 'OP4000102', 'RE0000101']);
		expect(jsonOf(run.outputs[0]).find((json) => typeof json.error === 'string')?.error).toMatch(/user 100080 is named as their own stand-in/);
	});

	it('without the Quality Team definitions it replaces on the objects of Team Objects to Search, the stand-in first, and without them the person is an error', async () => {
		await vault.sandbox.client.settings({ refuseTeamConfiguration: true } as never);
		const item = { user_id: String(PERSON), replacement_user_id: String(STAND_IN) };
		const refused = await vault.harness.run({ items: [item], parameters: { ...REPLACE, options: WAIT } });
		expect(refused.error?.description).toMatch(/the Quality Team definitions could not be read .* every team user 100070 is on; .*Set Team Objects to Search/);
		expect(await manageRequests()).toEqual([]);

		const run = await vault.harness.run({ items: [item], parameters: { ...REPLACE, options: { ...WAIT, teamObjects: 'quality_event__qdm, risk_event__v' } } });
		expect(run.error).toBeUndefined();
		expect(jsonOf(run.outputs[0]).find((json) => json.summary === true)).toMatchObject({ membershipsFound: 3, teamDefinition: 'assumed', applied: 3, notApplied: 1, kept: 1 });
		await vault.sandbox.client.completeJobs();
		expect(await teamOf('quality_event__qdm', 'OP4000101')).toEqual(['100071 qa__c']);
		expect(await teamOf('quality_event__qdm', 'OP4000102')).toEqual(['100070 qa__c']);
		expect(await teamOf('risk_event__v', 'RE0000101')).toEqual(['100071 sme__c']);
		expect(await teamOf('complaint__qdm', 'CP0000021')).toEqual(['100070 record_owner__c', '100072 qa__c']);
	});
});
