import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { jsonOf, useSandbox } from '../harness/fixtures';

const REMOVE = { resource: 'qualityTeam', operation: 'removeUserEverywhere' };
const WAIT = { waitForCompletion: true, pollIntervalSeconds: 0.05 };
const LEAVER = 100050;
const COLLEAGUE = 100060;
const n = (prefix: string, i: number) => `${prefix}${String(i).padStart(7, '0')}`;
// 15 quality events (qa__c), 15 risk events (sme__c), 10 product complaints (odd numbers: product_complaint__c; CP0000005 and CP0000015 closed, a locked state)
const QE = Array.from({ length: 15 }, (_, i) => `OP${4000001 + i}`);
const RE = Array.from({ length: 15 }, (_, i) => n('RE', i + 1));
const CP = Array.from({ length: 10 }, (_, i) => n('CP', 2 * i + 1));
type Member = { object: string; recordId: string; userId: number; role: string };
const on = (object: string, records: string[], userId: number, role: string): Member[] => records.map((recordId) => ({ object, recordId, userId, role }));
const MEMBERS: Member[] = [
	...on('quality_event__qdm', QE, LEAVER, 'qa__c'),
	...on('quality_event__qdm', QE, COLLEAGUE, 'qa__c'),
	// the leaver is the only owner of OP4000001 (record_owner__c: minimum_user_in_role 1)
	{ object: 'quality_event__qdm', recordId: QE[0], userId: LEAVER, role: 'record_owner__c' },
	...on('risk_event__v', RE, LEAVER, 'sme__c'),
	...on('complaint__qdm', CP, LEAVER, 'sme__c'),
	...on('complaint__qdm', CP, COLLEAGUE, 'qa__c'),
];

describe('Remove User From All Teams: a leaver taken off every Quality Team, with a plan first', () => {
	const vault = useSandbox();
	const sent = async () => (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'));
	const changes = (items: INodeExecutionData[], change: string) => jsonOf(items).filter((json) => json.change === change);
	const summaryOf = (items: INodeExecutionData[], item = 0) => jsonOf(items).find((json) => json.summary === true && json.item === item) as IDataObject;
	const leaverOn = async () => {
		const { teams } = await vault.sandbox.client.state();
		return Object.entries(teams).flatMap(([object, records]) =>
			Object.entries(records).flatMap(([recordId, members]) => members.filter((member) => member.user_id === LEAVER).map((member) => `${object} ${recordId} ${member.application_role}`)),
		);
	};

	beforeEach(async () => {
		await vault.sandbox.client.settings({ teamRoleLimits: true });
		await vault.sandbox.client.seed({ teamMembers: MEMBERS });
	});

	it('removes a leaver from 40 records on 3 objects in one submission per object; locked and last-in-role memberships are skipped and listed; Verify confirms', async () => {
		// pages of 7 rows: every read is followed to its last page (15 memberships on quality_event__qdm are three pages)
		await vault.sandbox.client.settings({ maxPageSize: 7 });
		const run = await vault.harness.run({ items: [{ user_id: String(LEAVER) }], parameters: { ...REMOVE, options: { ...WAIT, verify: true } } });
		expect(run.error).toBeUndefined();
		const requests = await sent();
		expect(requests.map((entry) => entry.path.replace(/^.*vobjects\/([^/]+)\/.*$/, '$1')).sort()).toEqual(['complaint__qdm', 'quality_event__qdm', 'risk_event__v']);
		// the memberships read in bulk: one query per team member object for the person (7 teams), not one per record
		const queries = (await vault.sandbox.client.log()).filter((entry) => entry.path.endsWith('/query')).map((entry) => decodeURIComponent((entry.body ?? '').replace(/\+/g, ' ')));
		expect(queries.filter((query) => query.includes(`CONTAINS ('${LEAVER}')`))).toHaveLength(7);
		expect((await vault.sandbox.client.log()).filter((entry) => /\/query\/./.test(entry.path)).length).toBeGreaterThan(0);
		const items = run.outputs[0];
		const removed = changes(items, 'remove');
		expect(removed).toHaveLength(38);
		expect(removed.every((json) => json.applied === true)).toBe(true);
		expect(removed.find((json) => json.record_id === RE[0])).toMatchObject({ object: 'risk_event__v', team: 'risk_event_team__c', record_name: 'RE-000001', user_id: String(LEAVER), application_role: 'sme__c', item: 0 });
		const skipped = changes(items, 'skipped');
		expect(skipped.map((json) => [json.skipped, json.record_id, json.application_role]).sort()).toEqual([
			['lastInRole', 'OP4000001', 'record_owner__c'],
			['locked', 'CP0000005', 'sme__c'],
			['locked', 'CP0000015', 'sme__c'],
		]);
		expect(skipped.find((json) => json.skipped === 'lastInRole')?.reason).toMatch(/^the last record_owner__c on QE-000001: the team needs at least 1 \(minimum_user_in_role\)/);
		expect(skipped.find((json) => json.record_id === 'CP0000005')?.reason).toMatch(/CMP-000005 is in state closed_state__c, in which the Quality Team Product Complaint Team is locked/);
		expect(items.filter((item) => item.json.change !== undefined).every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(summaryOf(items)).toMatchObject({ user_id: String(LEAVER), membershipsFound: 41, planned: 38, removals: 38, skipped: { lastInRole: 1, locked: 2 }, planOnly: false, sent: 38, applied: 38 });
		await vault.sandbox.client.completeJobs();
		expect((await leaverOn()).sort()).toEqual(['complaint__qdm CP0000005 sme__c', 'complaint__qdm CP0000015 sme__c', 'quality_event__qdm OP4000001 record_owner__c']);
	});

	it('Plan Only reads and lists every membership and sends nothing', async () => {
		const run = await vault.harness.run({ items: [{ user_id: String(LEAVER) }], parameters: { ...REMOVE, options: { planOnly: true, maxRemovals: 5 } } });
		expect(run.error).toBeUndefined();
		expect(await sent()).toEqual([]);
		expect(changes(run.outputs[0], 'remove')).toHaveLength(38);
		expect(changes(run.outputs[0], 'skipped')).toHaveLength(3);
		// a plan is never stopped by the rail: it says the run would be
		expect(summaryOf(run.outputs[0])).toMatchObject({ planOnly: true, blockedByMaxRemovals: true, removals: 38 });
		expect((await leaverOn()).length).toBe(41);
	});

	it('Max Removals stops a person with more memberships than allowed, before anything is sent', async () => {
		const run = await vault.harness.run({ items: [{ user_id: String(LEAVER) }], parameters: { ...REMOVE, options: { maxRemovals: 30 } } });
		expect(run.error?.message).toBe('A person has more memberships to remove than Max Removals allows (30), so nothing was sent');
		expect(run.error?.description).toMatch(/item 0, user 100050: 38 memberships/);
		expect(await sent()).toEqual([]);
	});

	it('with continue on fail, the person over the rail is their item\'s error and the others are removed', async () => {
		const run = await vault.harness.run({ items: [{ user_id: String(LEAVER) }, { user_id: String(COLLEAGUE) }], parameters: { ...REMOVE, options: { ...WAIT, maxRemovals: 30, removeLastInRole: true } }, onError: 'continueRegularOutput' });
		expect(run.error).toBeUndefined();
		const items = run.outputs[0];
		expect(jsonOf(items).find((json) => typeof json.error === 'string')?.error).toMatch(/^Not sent to Vault: user 100050 would be removed 39 times, more than Max Removals \(30\).* and 29 more$/);
		// Remove Last in Role: the sole owner's membership counts too
		expect(changes(items, 'notSent')).toHaveLength(39);
		// the colleague's 15 QA memberships go; on the complaints they are the last QA (minimum 1): removed as asked, and Vault refuses
		expect(changes(items, 'remove').filter((json) => json.object === 'quality_event__qdm')).toHaveLength(15);
		expect(changes(items, 'remove').filter((json) => json.lastInRole === true)).toHaveLength(8);
		expect(summaryOf(items, 1)).toMatchObject({ user_id: String(COLLEAGUE), planned: 23, skipped: { locked: 2 } });
	});

	it('a person on no Quality Team is a normal outcome, not an error', async () => {
		const run = await vault.harness.run({ items: [{ user_id: '100099' }], parameters: { ...REMOVE, options: WAIT } });
		expect(run.error).toBeUndefined();
		expect(await sent()).toEqual([]);
		expect(jsonOf(run.outputs[0])).toEqual([expect.objectContaining({ summary: true, item: 0, user_id: '100099', outcome: 'not on any Quality Team', membershipsFound: 0, planned: 0 })]);
	});

	it('finds the person by email with Find Users By, and limits to the teams and roles asked, on records the filter keeps', async () => {
		const run = await vault.harness.run({
			items: [{ user_id: `user${LEAVER}@sandbox.veevavault.com` }],
			parameters: {
				...REMOVE,
				findUsersBy: 'email',
				options: { planOnly: true, teams: 'Quality Event Team, product_complaint_team__c', roles: 'qa__c, sme__c', recordFilter: { conditions: [{ field: 'id', operator: 'notIn', values: "OP4000002, CP0000003, x'y" }] } },
			},
		});
		expect(run.error).toBeUndefined();
		const planned = changes(run.outputs[0], 'remove');
		expect(new Set(planned.map((json) => json.object))).toEqual(new Set(['quality_event__qdm', 'complaint__qdm']));
		expect(planned).toHaveLength(14 + 7);
		const skipped = changes(run.outputs[0], 'skipped');
		expect(skipped.filter((json) => json.skipped === 'outsideFilter').map((json) => json.record_id).sort()).toEqual(['CP0000003', 'OP4000002']);
		expect(summaryOf(run.outputs[0])).toMatchObject({ user_id: String(LEAVER), lookedUp: expect.anything() });
		const queries = (await vault.sandbox.client.log()).filter((entry) => entry.path.endsWith('/query')).map((entry) => decodeURIComponent((entry.body ?? '').replace(/\+/g, ' ')));
		// the filter's values quoted by the node: a quote in a value stays inside its literal
		expect(queries.some((query) => query.includes("id != 'x\\'y'"))).toBe(true);
	});
});

describe('when Vault refuses its Quality Team definitions: Team Objects to Search, or every person an error', () => {
	const vault = useSandbox();
	const sent = async () => (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments'));
	const memberQueries = async () =>
		(await vault.sandbox.client.log()).filter((entry) => entry.path.endsWith('/query')).map((entry) => decodeURIComponent((entry.body ?? '').replace(/\+/g, ' '))).filter((query) => query.includes('CONTAINS'));

	beforeEach(async () => {
		await vault.sandbox.client.settings({ teamRoleLimits: true, refuseTeamConfiguration: true } as never);
		await vault.sandbox.client.seed({ teamMembers: MEMBERS });
	});

	it('without Team Objects to Search every person is their item\'s error, saying the definitions could not be read and what to set; nothing is read or sent', async () => {
		const run = await vault.harness.run({ items: [{ user_id: String(LEAVER) }, { user_id: String(COLLEAGUE) }], parameters: { ...REMOVE, options: WAIT } });
		expect(run.error?.message).toBe('2 item(s) cannot be sent to Vault, so nothing was sent');
		expect(run.error?.description).toMatch(/the Quality Team definitions could not be read \(Vault said: INSUFFICIENT_ACCESS: .*\), so the node cannot know every team user 100050 is on; nothing was read or sent for them\. Set Team Objects to Search/);
		expect(await memberQueries()).toEqual([]);
		expect(await sent()).toEqual([]);

		const continued = await vault.harness.run({ items: [{ user_id: String(LEAVER) }, { user_id: String(COLLEAGUE) }], parameters: { ...REMOVE, options: WAIT }, onError: 'continueRegularOutput' });
		expect(continued.error).toBeUndefined();
		const errors = continued.outputs[0].filter((item) => typeof item.json.error === 'string');
		expect(errors.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(String(errors[1].json.error)).toMatch(/every team user 100060 is on; .*Set Team Objects to Search to the team-enabled objects to search/);
		expect(await sent()).toEqual([]);
	});

	it('with Team Objects to Search, searches those objects by the labelled fallback and says what it did not check; Vault refuses the last owner in the job, and Verify says so', async () => {
		const run = await vault.harness.run({ items: [{ user_id: String(LEAVER) }], parameters: { ...REMOVE, options: { ...WAIT, verify: true, teamObjects: 'quality_event__qdm, risk_event__v' } } });
		expect(run.error).toBeUndefined();
		expect((await sent()).map((entry) => entry.path.replace(/^.*vobjects\/([^/]+)\/.*$/, '$1')).sort()).toEqual(['quality_event__qdm', 'risk_event__v']);
		const items = jsonOf(run.outputs[0]);
		const removed = items.filter((json) => json.change === 'remove');
		expect(removed).toHaveLength(31);
		expect(removed.filter((json) => json.applied !== true).map((json) => [json.record_id, json.application_role, json.applied])).toEqual([['OP4000001', 'record_owner__c', false]]);
		expect(removed[0]).toMatchObject({ team: null, item: 0 });
		const summary = items.find((json) => json.summary === true) as IDataObject;
		expect(summary).toMatchObject({ membershipsFound: 31, planned: 31, teamsSearched: ['quality_event__qdm', 'risk_event__v'], teamDefinition: 'assumed', sent: 31, applied: 30, notApplied: 1 });
		expect(summary.assumedNames).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^locked states and role limits \(minimum, maximum, exclusive\) not checked before sending/),
				expect.stringMatching(/^member object quality_event_quality_team_member__v \(named after quality_event__qdm; the Quality Team definitions could not be read: INSUFFICIENT_ACCESS/),
			]),
		);
		await vault.sandbox.client.completeJobs();
		const { teams } = await vault.sandbox.client.state();
		const leaverOn = Object.entries(teams).flatMap(([object, records]) => Object.entries(records).flatMap(([recordId, members]) => members.filter((member) => member.user_id === LEAVER).map(() => `${object} ${recordId}`)));
		// the complaints were not named: the leaver stays on them
		expect(leaverOn.filter((entry) => !entry.startsWith('complaint__qdm')).sort()).toEqual(['quality_event__qdm OP4000001']);
		expect(leaverOn.filter((entry) => entry.startsWith('complaint__qdm'))).toHaveLength(10);
	});

	it('Teams names teams it cannot match without the definitions: refused before anything is read', async () => {
		const run = await vault.harness.run({ items: [{ user_id: String(LEAVER) }], parameters: { ...REMOVE, options: { ...WAIT, teams: 'Quality Event Team', teamObjects: 'quality_event__qdm' } } });
		expect(run.error?.message).toBe('Teams names Quality Teams, but their definitions could not be read, so nothing was read or sent');
		expect(run.error?.description).toMatch(/Clear Teams and name the team-enabled objects under Team Objects to Search/);
		expect(await memberQueries()).toEqual([]);
	});
});
