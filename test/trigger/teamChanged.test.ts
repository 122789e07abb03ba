import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useSandbox } from '../harness/fixtures';
import { createPoller, expectFailedPollsKeepTheCursor } from '../harness/poll';
import type { TeamChange } from '../sandbox';

/**
 * Veeva Vault QMS Trigger, event Quality Team Changed, polled through n8n-core's PollTriggerExecutor and
 * PollContext (test/harness/poll.ts) against the sandbox, whose team members are added and removed at the
 * times each test names (test/sandbox/state/teamChanges.ts). The sandbox has teams of both readings of a
 * removal (Vault documents neither): quality_event__qdm's team deletes the member record, complaint__qdm's
 * product complaint team (pc_team_assignment__sys) keeps it inactive.
 *
 * Times are an hour or two before now (Vault keeps deleted record ids 30 days, and the trigger refuses
 * times far ahead), in whole seconds as Vault stamps them.
 */

const OBJECT = 'quality_event__qdm';
const QE_MEMBERS = 'quality_event_quality_team_member__v';
const BASE = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
const at = (second: number) => new Date(BASE + second * 1000).toISOString();

const parameters = (options: IDataObject = {}, object = OBJECT): INodeParameters => ({
	event: 'teamChanged',
	objectName: { __rl: true, mode: 'name', value: object },
	options: options as INodeParameters,
});

const record = (n: number) => `OP4${String(n).padStart(6, '0')}`;
const add = (n: number, userId: number, role: string, second: number, object = OBJECT): TeamChange => ({ object, recordId: object === OBJECT ? record(n) : `CP${String(n).padStart(7, '0')}`, userId, role, at: at(second) });
const remove = (n: number, userId: number, role: string, second: number, object = OBJECT): TeamChange => ({ ...add(n, userId, role, second, object), kind: 'remove' });
const summary = (items: Array<{ json: IDataObject }>) =>
	items.map(({ json }) => `${json.change} ${(json.record as IDataObject).id} ${(json.user as IDataObject).id} ${json.role} ${json.when}`);

describe('Veeva Vault QMS Trigger: Quality Team Changed', () => {
	const context = useSandbox();

	it('emits nothing on first activation, then each add and removal once, with record, user, role and when', async () => {
		// a member before activation: known to the trigger, so its later removal is reported with its names
		await context.sandbox.client.seed({ teamMembers: [{ object: OBJECT, recordId: record(7), userId: 100007, role: 'sme__c' }] });
		const poller = createPoller(context.harness, parameters());
		const first = await poller.poll();
		expect([first.items, first.error]).toEqual([[], undefined]);

		await context.sandbox.client.changeTeams([add(1, 100001, 'qa__c', 1), add(2, 100002, 'approver__c', 2), remove(7, 100007, 'sme__c', 3)]);
		const second = await poller.poll();
		expect(second.error).toBeUndefined();
		expect(second.items.map((item) => item.json)).toEqual([
			{ change: 'added', when: at(1), record: { id: record(1), name: 'QE-000001' }, user: { id: '100001', userName: 'user100001@sandbox.veevavault.com' }, role: 'qa__c', memberObject: QE_MEMBERS, memberRecordId: 'QTM000000000002' },
			{ change: 'added', when: at(2), record: { id: record(2), name: 'QE-000002' }, user: { id: '100002', userName: 'user100002@sandbox.veevavault.com' }, role: 'approver__c', memberObject: QE_MEMBERS, memberRecordId: 'QTM000000000003' },
			// the member record is deleted (this team's reading): its record, user and role come from what the trigger kept
			{ change: 'removed', when: at(3), record: { id: record(7), name: 'QE-000007' }, user: { id: '100007', userName: 'user100007@sandbox.veevavault.com' }, role: 'sme__c', memberObject: QE_MEMBERS, memberRecordId: 'QTM000000000001' },
		]);

		// the one just added is removed, and added again (a new member record)
		await context.sandbox.client.changeTeams([remove(1, 100001, 'qa__c', 4), add(1, 100001, 'qa__c', 5)]);
		expect(summary((await poller.poll()).items)).toEqual([`removed ${record(1)} 100001 qa__c ${at(4)}`, `added ${record(1)} 100001 qa__c ${at(5)}`]);
		expect((await poller.poll()).items).toEqual([]);
		// every poll used the credential's one session
		expect((await context.sandbox.client.state()).logins).toBe(1);
	});

	it('reads a removal kept as an inactive record (status__v) as once as a deleted one, on an object with two teams', async () => {
		const poller = createPoller(context.harness, parameters({}, 'complaint__qdm'));
		await poller.poll();
		// CP0000001 is a product complaint (pc_team_assignment__sys keeps removed members inactive), CP0000002 an
		// adverse event (complaint_members__c deletes them)
		const seen = (items: Array<{ json: IDataObject }>) => items.map(({ json }) => [json.change, json.memberObject, (json.record as IDataObject).name, (json.user as IDataObject).id, json.role, json.when]);
		await context.sandbox.client.changeTeams([add(1, 100011, 'sme__c', 10, 'complaint__qdm'), add(2, 100012, 'reviewer__c', 10, 'complaint__qdm')]);
		expect(seen((await poller.poll()).items)).toEqual([
			['added', 'pc_team_assignment__sys', 'CMP-000001', '100011', 'sme__c', at(10)],
			['added', 'complaint_members__c', 'CMP-000002', '100012', 'reviewer__c', at(10)],
		]);
		await context.sandbox.client.changeTeams([remove(1, 100011, 'sme__c', 11, 'complaint__qdm'), remove(2, 100012, 'reviewer__c', 12, 'complaint__qdm')]);
		const polled = await poller.poll();
		expect(polled.error).toBeUndefined();
		expect(seen(polled.items)).toEqual([
			['removed', 'pc_team_assignment__sys', 'CMP-000001', '100011', 'sme__c', at(11)],
			['removed', 'complaint_members__c', 'CMP-000002', '100012', 'reviewer__c', at(12)],
		]);
		// added again (a new member record beside the inactive one) and removed again: two more changes, once each
		await context.sandbox.client.changeTeams([add(1, 100011, 'sme__c', 13, 'complaint__qdm'), remove(1, 100011, 'sme__c', 14, 'complaint__qdm')]);
		expect(seen((await poller.poll()).items)).toEqual([
			['added', 'pc_team_assignment__sys', 'CMP-000001', '100011', 'sme__c', at(13)],
			['removed', 'pc_team_assignment__sys', 'CMP-000001', '100011', 'sme__c', at(14)],
		]);
		expect((await poller.poll()).items).toEqual([]);
		const state = await context.sandbox.client.state();
		// the removed product complaint member is still a record, inactive; the adverse event's is gone
		expect(state.memberRecords.pc_team_assignment__sys).toEqual([expect.objectContaining({ recordId: 'CP0000001', active: false }), expect.objectContaining({ recordId: 'CP0000001', active: false })]);
		expect(state.memberRecords.complaint_members__c ?? []).toEqual([]);
	});

	it('brings 1,500 adds in one second, then 1,200 removals in another, out once each, 1,000 a poll, in order', async () => {
		const poller = createPoller(context.harness, parameters({ maxItemsPerPoll: 1000 }));
		await poller.poll();
		const adds = Array.from({ length: 1500 }, (_, n) => add(n + 1, 100001 + n, 'qa__c', 20));
		await context.sandbox.client.changeTeams(adds);
		const addPolls = [await poller.poll(), await poller.poll()];
		// between the two polls the cursor stood inside the second the 1,500 adds share
		expect(addPolls[0].staticData['node:Vault Trigger']).toMatchObject({ teamChanged: { time: at(20) } });
		const removals = Array.from({ length: 1200 }, (_, n) => remove(n + 1, 100001 + n, 'qa__c', 21));
		await context.sandbox.client.changeTeams(removals);
		const removalPolls = [await poller.poll(), await poller.poll(), await poller.poll()];
		const polls = [...addPolls, ...removalPolls];
		expect(polls.map((poll) => [poll.items.length, poll.error])).toEqual([[1000, undefined], [500, undefined], [1000, undefined], [200, undefined], [0, undefined]]);
		const emitted = polls.flatMap((poll) => summary(poll.items));
		expect(new Set(emitted).size).toBe(2700);
		expect(emitted).toEqual([
			...adds.map((change) => `added ${change.recordId} ${change.userId} qa__c ${at(20)}`),
			...removals.map((change) => `removed ${change.recordId} ${change.userId} qa__c ${at(21)}`),
		]);
	});

	it('reports a member added and deleted between two polls as a removal it cannot name, never not at all', async () => {
		const poller = createPoller(context.harness, parameters());
		await poller.poll();
		await context.sandbox.client.changeTeams([add(1, 100001, 'qa__c', 25), add(2, 100002, 'qa__c', 25), remove(1, 100001, 'qa__c', 26)]);
		const polled = await poller.poll();
		expect(polled.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ change: 'added', record: { id: record(2), name: 'QE-000002' } }),
			{ change: 'removed', when: at(26), record: { id: null, name: null }, user: { id: null, userName: null }, role: null, memberObject: QE_MEMBERS, memberRecordId: 'QTM000000000001', note: expect.stringMatching(/^Added and removed between two polls: Vault deleted this member record before the trigger read it/) },
		]);
		expect((await poller.poll()).items).toEqual([]);
	});

	it('emits changes at one timestamp once, and the ones that arrive at the boundary second later too', async () => {
		const poller = createPoller(context.harness, parameters());
		await poller.poll();
		await context.sandbox.client.changeTeams([add(3, 100003, 'qa__c', 30), add(4, 100004, 'qa__c', 30)]);
		expect(summary((await poller.poll()).items)).toEqual([`added ${record(3)} 100003 qa__c ${at(30)}`, `added ${record(4)} 100004 qa__c ${at(30)}`]);
		// in that same second, after the poll: one more add, and a removal (a deleted record, listed by Vault's deletions)
		await context.sandbox.client.changeTeams([add(5, 100005, 'qa__c', 30), remove(3, 100003, 'qa__c', 30)]);
		expect(summary((await poller.poll()).items)).toEqual([`added ${record(5)} 100005 qa__c ${at(30)}`, `removed ${record(3)} 100003 qa__c ${at(30)}`]);
		expect((await poller.poll()).items).toEqual([]);
	});

	it('skips nothing when a poll fails: the cursor and the members it keeps stay, and the error says so', async () => {
		const poller = createPoller(context.harness, parameters());
		await poller.poll();
		await context.sandbox.client.changeTeams([add(1, 100001, 'qa__c', 40)]);
		await poller.poll();
		await context.sandbox.client.changeTeams([add(2, 100002, 'qa__c', 41), remove(1, 100001, 'qa__c', 42)]);
		// Vault's list of deleted records fails; then the queries' answers do not add up
		await expectFailedPollsKeepTheCursor(poller, context.sandbox.client, '/objects/deletions/');
		expect(summary((await poller.poll()).items)).toEqual([`added ${record(2)} 100002 qa__c ${at(41)}`, `removed ${record(1)} 100001 qa__c ${at(42)}`]);
		expect((await poller.poll()).items).toEqual([]);
	});

	it('with Include Existing, emits every member there is as added, then what changes', async () => {
		await context.sandbox.client.seed({ teamMembers: [{ object: OBJECT, recordId: record(9), userId: 100009, role: 'qa__c' }] });
		await context.sandbox.client.changeTeams([add(10, 100010, 'sme__c', 50)]);
		const poller = createPoller(context.harness, parameters({ includeExisting: true }));
		// the seeded member was created with the seeded records (2026-01-01)
		expect(summary((await poller.poll()).items)).toEqual([`added ${record(9)} 100009 qa__c 2026-01-01T00:00:00.000Z`, `added ${record(10)} 100010 sme__c ${at(50)}`]);
		await context.sandbox.client.changeTeams([remove(9, 100009, 'qa__c', 51)]);
		expect(summary((await poller.poll()).items)).toEqual([`removed ${record(9)} 100009 qa__c ${at(51)}`]);
	});

	it('Fetch Test Event shows the newest adds and leaves the cursor where it was', async () => {
		const poller = createPoller(context.harness, parameters());
		await poller.poll();
		await context.sandbox.client.changeTeams([add(1, 100001, 'qa__c', 60), add(2, 100002, 'qa__c', 61)]);
		const before = poller.staticData;
		const fetched = await poller.fetchTestEvent();
		expect(fetched.error).toBeUndefined();
		expect(summary(fetched.items)).toEqual([`added ${record(2)} 100002 qa__c ${at(61)}`, `added ${record(1)} 100001 qa__c ${at(60)}`]);
		expect(poller.staticData).toEqual(before);
		expect(summary((await poller.poll()).items)).toEqual([`added ${record(1)} 100001 qa__c ${at(60)}`, `added ${record(2)} 100002 qa__c ${at(61)}`]);
	});

	it('says once, in an item, that removals could not be read when its last read of Vault\'s deletions is older than the 30 days Vault keeps them', async () => {
		// a member from long ago (2026-01-01): the trigger's place is that old, its last read is not
		await context.sandbox.client.seed({ teamMembers: [{ object: OBJECT, recordId: record(8), userId: 100008, role: 'qa__c' }] });
		const poller = createPoller(context.harness, parameters());
		await poller.poll();
		await poller.poll();
		// as if the workflow had been off for 40 days since its last poll
		const stored = poller.staticData['node:Vault Trigger'] as IDataObject;
		const lastRead = Date.now() - 40 * 24 * 3_600_000;
		(stored.teamChangedMembers as IDataObject).readAt = lastRead;
		await context.sandbox.client.changeTeams([add(1, 100001, 'qa__c', 70)]);
		const polled = await poller.poll();
		expect(polled.items.map((item) => item.json)).toEqual([
			{ change: 'removalsUnknown', when: expect.any(String), from: new Date(lastRead).toISOString(), until: expect.any(String), memberObjects: [QE_MEMBERS], note: expect.stringMatching(/^The trigger last read Vault's deleted records on .*Vault lists them for 30 days only: members removed \(their member records deleted\) between then and .* cannot be read/) },
			expect.objectContaining({ change: 'added', when: at(70) }),
		]);
		// the deletions were asked from 30 days back at most ("no more than 30 days past")
		const asked = (await context.sandbox.client.log()).filter((entry) => entry.path.includes('/objects/deletions/')).at(-1);
		expect(Date.parse(asked?.query.start_date ?? '')).toBeGreaterThan(Date.now() - 30 * 24 * 3_600_000);
		expect((await poller.poll()).items).toEqual([]);
	});

	it('refuses an object without a Quality Team, in words, before reading any member', async () => {
		const refused = await createPoller(context.harness, parameters({}, 'product__v')).poll();
		expect(refused.error?.message).toMatch(/^product__v has no active Quality Team in this Vault .*pick a team-enabled object/);
		expect(refused.staticData).toEqual({});
	});

	it('refuses, in words, when Vault will not give its Quality Team definitions, rather than guess the member object and miss other teams', async () => {
		await context.sandbox.client.settings({ refuseTeamConfiguration: true } as never);
		const refused = await createPoller(context.harness, parameters()).poll();
		expect(refused.error?.message).toMatch(/^The Quality Team definitions of this Vault could not be read \(.+\): the trigger reads quality_event__qdm's teams .*Qualityteam configuration/);
		expect(refused.staticData).toEqual({});
	});
});
