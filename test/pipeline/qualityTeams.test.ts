import type { IDataObject } from 'n8n-workflow';

import { jsonOf, useSandbox } from '../harness/fixtures';
import type { LogEntry } from '../sandbox';

/**
 * Issue 22, items 2-4: Sync Members, Verify and every read of team membership use Vault's own
 * definition of the record's Quality Team (read/teamLayout.ts), confirm the member fields before
 * anything is sent, and check each row's application role against its record's team
 * (pipeline/teamChecks.ts). Through n8n-core and the sandbox, whose complaint__qdm has two teams by
 * object type (test/sandbox/qualityTeams.ts): odd records CP0000001, CP0000003 ... are
 * product_complaint__c (team product_complaint_team__c, members in pc_team_assignment__sys, fields
 * team_record__sys / team_user__sys / team_role__sys, removed members kept inactive), even records
 * CP0000002 ... adverse_event__c (complaint_team__c: complaint_members__c, roles record_owner__c and
 * reviewer__c only). Application role record ids are not their api names (0AR...).
 */
const vault = useSandbox();
const WAIT = { waitForCompletion: true, pollIntervalSeconds: 0.05 };
const SYNC = { resource: 'qualityTeam', operation: 'syncMembers', objectName: 'complaint__qdm' };
const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'complaint__qdm' };
type Member = [string, number, string];
const row = ([record, user, role]: Member, extra: IDataObject = {}) => ({ record_id: record, user_id: user, application_role: role, ...extra });
const seed = async (members: Member[], object = 'complaint__qdm') =>
	await vault.sandbox.client.seed({ teamMembers: members.map(([recordId, userId, role]) => ({ object, recordId, userId, role })) });
const log = async () => await vault.sandbox.client.log();
const sentRows = async () =>
	(await log())
		.filter((entry) => entry.path.includes('manageassignments'))
		.flatMap((entry) => (entry.body ?? '').trim().split(/\r?\n/).slice(1))
		.sort();
const memberReads = async () => (await log()).map((entry: LogEntry) => entry.vql ?? '').filter((vql) => / FROM \w+(team|member)\w* /.test(vql) || /FROM (pc_team_assignment__sys|complaint_members__c)/.test(vql));
const summaryOf = (items: IDataObject[]) => items.find((json) => json.summary === true);
const hintsOf = (run: { run: { data: { resultData: { runData: Record<string, Array<{ hints?: Array<{ message: string }> }>> } } } }) =>
	(run.run.data.resultData.runData.Vault?.[0]?.hints ?? []).map((hint) => hint.message);

const CURRENT: Member[] = [
	['CP0000001', 100001, 'record_owner__c'],
	['CP0000001', 100002, 'qa__c'],
	['CP0000002', 100003, 'record_owner__c'],
	['CP0000002', 100004, 'reviewer__c'],
];

describe('Sync Members against teams that follow no naming pattern', () => {
	it("reads each record in its own type's team, the role by api name through its relationship: no removal from a role-id/name mismatch", async () => {
		await seed(CURRENT);
		const roster = [...CURRENT, ['CP0000001', 100005, 'sme__c'] as Member, ['CP0000002', 100006, 'reviewer__c'] as Member].map((member) => row(member));
		const run = await vault.harness.run({ items: roster, parameters: { ...SYNC, options: { ...WAIT, maxRemovals: '100%' } } });
		expect(run.error).toBeUndefined();
		expect(await sentRows()).toEqual(['CP0000001,100005,sme__c,ADD', 'CP0000002,100006,reviewer__c,ADD']);
		expect(summaryOf(jsonOf(run.outputs[0]))).toMatchObject({
			adds: 2,
			removes: 0,
			unchanged: 4,
			teamDefinition: 'read from Vault',
			teams: [
				{ team: 'product_complaint_team__c', objectType: 'product_complaint__c', memberObject: 'pc_team_assignment__sys' },
				{ team: 'complaint_team__c', objectType: null, memberObject: 'complaint_members__c' },
			],
		});
		const reads = await memberReads();
		expect(reads).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^SELECT team_record__sys, team_user__sys, team_role__sysr\.api_name__v, status__v FROM pc_team_assignment__sys WHERE team_record__sys CONTAINS \('CP0000001'\)$/),
				expect.stringMatching(/^SELECT complaint__c, member__c, team_role__cr\.api_name__v FROM complaint_members__c WHERE complaint__c CONTAINS \('CP0000002'\)$/),
			]),
		);
		expect(hintsOf(run as never).join(' ')).not.toMatch(/assumed names/);
	});

	it('takes a member kept as an inactive record for one who is not on the team: re-added, never removed again', async () => {
		await seed([...CURRENT, ['CP0000001', 100007, 'sme__c']]);
		// taken off by Manage: the product complaint team keeps the member record, inactive
		const removed = await vault.harness.run({ items: [row(['CP0000001', 100007, 'sme__c'], { operation: 'REMOVE' })], parameters: { ...MANAGE, options: { verify: true, pollIntervalSeconds: 0.05 } } });
		expect(jsonOf(removed.outputs[0])[0]).toMatchObject({ applied: true });
		await vault.sandbox.client.clearLog();
		const roster = [...CURRENT, ['CP0000001', 100007, 'sme__c'] as Member].map((member) => row(member));
		const run = await vault.harness.run({ items: roster, parameters: { ...SYNC, options: WAIT } });
		expect(run.error).toBeUndefined();
		expect(await sentRows()).toEqual(['CP0000001,100007,sme__c,ADD']);
		expect(summaryOf(jsonOf(run.outputs[0]))).toMatchObject({ adds: 1, removes: 0, unchanged: 4, currentMembersInScope: 4 });
	});
});

describe('Verify against teams that follow no naming pattern', () => {
	it('marks ADDs and REMOVEs applied in both types\' member objects', async () => {
		await seed(CURRENT);
		const items = [row(['CP0000003', 100008, 'qa__c'], { operation: 'ADD' }), row(['CP0000002', 100004, 'reviewer__c'], { operation: 'REMOVE' }), row(['CP0000001', 100002, 'qa__c'], { operation: 'REMOVE' })];
		const run = await vault.harness.run({ items, parameters: { ...MANAGE, options: { verify: true, pollIntervalSeconds: 0.05 } } });
		expect(run.error).toBeUndefined();
		expect(jsonOf(run.outputs[0]).map((json) => json.applied)).toEqual([true, true, true]);
	});
});

describe("roles checked against the record's team before anything is sent (Manage and Sync)", () => {
	it("Manage: the team role's name instead of its application role is the item's error, naming the team's roles and the one meant; nothing is sent", async () => {
		const run = await vault.harness.run({ items: [row(['OP4000001', 100001, 'sme_role__c'], { operation: 'ADD' })], parameters: { ...MANAGE, objectName: 'quality_event__qdm' } });
		expect(run.error?.message).toBe('1 item(s) cannot be sent to Vault, so nothing was sent');
		expect(run.error?.description).toBe(
			'Item 0: application_role "sme_role__c" is not a role of the Quality Team Quality Event Team (quality_event_team__c) of record OP4000001; its roles: record_owner__c (Record Owner), sme__c (SME), qa__c (QA), approver__c (Approver), reviewer__c (Reviewer) (did you mean sme__c?)',
		);
		expect(await sentRows()).toEqual([]);
	});

	it("Manage: a role of one type's team is refused on a record of the other type; the rest is sent (continue on fail)", async () => {
		const items = [row(['CP0000001', 100001, 'sme__c'], { operation: 'ADD' }), row(['CP0000002', 100001, 'sme__c'], { operation: 'ADD' })];
		const run = await vault.harness.run({ items, parameters: MANAGE, onError: 'continueRegularOutput' });
		const out = jsonOf(run.outputs[0]);
		expect(out[1].error).toMatch(/^Not sent to Vault: application_role "sme__c" is not a role of the Quality Team Complaint Team \(complaint_team__c\) of record CP0000002; its roles: record_owner__c \(Complaint Owner\), reviewer__c \(Complaint Reviewer\)/);
		expect(await sentRows()).toEqual(['CP0000001,100001,sme__c,ADD']);
	});

	it("Sync: such a row is not sent and holds back its record's removals; the other records go on", async () => {
		await seed(CURRENT);
		const roster = [row(['CP0000001', 100001, 'record_owner__c']), row(['CP0000002', 100003, 'record_owner__c']), row(['CP0000002', 100009, 'qa__c'])];
		const run = await vault.harness.run({ items: roster, parameters: { ...SYNC, options: { ...WAIT, maxRemovals: '100%' } }, onError: 'continueRegularOutput' });
		expect(run.error).toBeUndefined();
		// CP0000001's qa__c member is not in the roster: removed; CP0000002's reviewer is held back by the refused row
		expect(await sentRows()).toEqual(['CP0000001,100002,qa__c,REMOVE']);
		const out = jsonOf(run.outputs[0]);
		expect(out.find((json) => json.error)?.error).toMatch(/application_role "qa__c" is not a role of the Quality Team Complaint Team/);
		expect(summaryOf(out)).toMatchObject({ removes: 1, removalsHeldBack: 1 });
	});
});

describe("Sync's Roles (scope) against the object's teams", () => {
	it('a role no team of the object has is refused before anything is read or sent, naming the teams\' roles', async () => {
		await seed(CURRENT);
		const run = await vault.harness.run({ items: CURRENT.map((member) => row(member)), parameters: { ...SYNC, scope: 'roles', scopeRoles: 'qa__c, approver__c', options: WAIT } });
		expect(run.error?.message).toBe('Role approver__c under Roles is not a role of any Quality Team of complaint__qdm, so nothing was sent');
		expect(run.error?.description).toBe('The roles of its Quality Teams: record_owner__c, sme__c, qa__c, reviewer__c. Roles takes application roles\' API names.');
		expect(await memberReads()).toEqual([]);
		expect(await sentRows()).toEqual([]);
	});
});

describe('when Vault will not give its team definitions: the labelled fallback', () => {
	it('reads with the assumed names (the old pattern) and says so in the summary and an execution hint', async () => {
		await vault.sandbox.client.settings({ refuseTeamConfiguration: true } as never);
		await seed([['OP4000008', 100001, 'qa__c']], 'quality_event__qdm');
		const run = await vault.harness.run({
			items: [row(['OP4000008', 100001, 'qa__c']), row(['OP4000008', 100002, 'sme_role__c'])],
			parameters: { ...SYNC, objectName: 'quality_event__qdm', options: WAIT },
		});
		expect(run.error).toBeUndefined();
		// without the team's roles a team role's name is not caught here: Vault refuses it in the job
		expect(await sentRows()).toEqual(['OP4000008,100002,sme_role__c,ADD']);
		const summary = summaryOf(jsonOf(run.outputs[0]));
		expect(summary).toMatchObject({ teamDefinition: 'assumed', teams: [{ team: null, objectType: null, memberObject: 'quality_event_quality_team_member__v' }] });
		expect(summary?.assumedNames).toEqual([
			expect.stringMatching(/^member object quality_event_quality_team_member__v \(named after quality_event__qdm; the Quality Team definitions could not be read: INSUFFICIENT_ACCESS: /),
			expect.stringMatching(/^application roles not checked against the record's team/),
		]);
		expect(hintsOf(run as never)).toEqual([expect.stringMatching(/^Quality Teams of quality_event__qdm read with assumed names: member object quality_event_quality_team_member__v .*Run Quality Team → Describe Teams as a Vault admin to check them\.$/)]);
	});

	it("with the member object's metadata refused too, the fields are the options' defaults, said as assumed", async () => {
		await vault.sandbox.client.settings({ refuseTeamConfiguration: true, refuseMetadata: true } as never);
		await seed([['OP4000008', 100001, 'qa__c']], 'quality_event__qdm');
		const run = await vault.harness.run({ items: [row(['OP4000008', 100001, 'qa__c'])], parameters: { ...SYNC, objectName: 'quality_event__qdm', options: WAIT } });
		expect(run.error).toBeUndefined();
		expect(summaryOf(jsonOf(run.outputs[0]))).toMatchObject({ unchanged: 1, teamDefinition: 'assumed' });
		expect(String(summaryOf(jsonOf(run.outputs[0]))?.assumedNames)).toMatch(
			/fields record quality_event__qdm, user user__sys, role application_role__vr\.api_name__v of quality_event_quality_team_member__v, and member records taken as active whatever their status \(the metadata of quality_event_quality_team_member__v could not be read: INSUFFICIENT_ACCESS/,
		);
	});
});

describe('before Sync removes anything, it confirms what it reads', () => {
	it("removes no one missing from the input when Vault's metadata could not confirm the member fields; adds and the input's own REMOVE rows still go", async () => {
		await vault.sandbox.client.settings({ refuseTeamConfiguration: true, refuseMetadata: true } as never);
		await seed([['OP4000008', 100001, 'qa__c'], ['OP4000008', 100002, 'qa__c'], ['OP4000009', 100004, 'qa__c']], 'quality_event__qdm');
		const roster = [row(['OP4000008', 100003, 'qa__c']), row(['OP4000009', 100004, 'qa__c'], { operation: 'REMOVE' })];
		const run = await vault.harness.run({ items: roster, parameters: { ...SYNC, objectName: 'quality_event__qdm', options: { ...WAIT, maxRemovals: '100%' } } });
		expect(run.error).toBeUndefined();
		const items = jsonOf(run.outputs[0]);
		const summary = summaryOf(items);
		expect(summary).toMatchObject({ adds: 1, removes: 1, removalsHeldBack: 2, teamDefinition: 'assumed' });
		expect(summary?.heldBack).toEqual([{ allRecords: true, reason: expect.stringMatching(/the fields of quality_event_quality_team_member__v could not be confirmed from Vault's metadata \(INSUFFICIENT_ACCESS.*no member missing from the input was removed/) }]);
		expect(items.filter((json) => json.change === 'heldBack').map((json) => json.user_id)).toEqual(['100001', '100002']);
		expect(await sentRows()).toEqual(['OP4000008,100003,qa__c,ADD', 'OP4000009,100004,qa__c,REMOVE']);
	});

	it('stops before sending when a member field is not the reference it must be, naming what it found', async () => {
		await seed([['OP4000008', 100001, 'qa__c']], 'quality_event__qdm');
		const run = await vault.harness.run({
			items: [row(['OP4000008', 100002, 'qa__c'])],
			parameters: { ...SYNC, objectName: 'quality_event__qdm', options: { ...WAIT, maxRemovals: '100%', memberRoleField: 'application_role__v', memberUserField: 'name__v' } },
		});
		expect(run.error?.message).toBe('The team member fields are not what the node must read, so nothing was sent');
		expect(run.error?.description).toContain(
			"quality_event_quality_team_member__v: user field: name__v is not a field of quality_event_quality_team_member__v; it must reference users (user__sys)",
		);
		expect(run.error?.description).toContain(
			"quality_event_quality_team_member__v: role field: application_role__v references application_role__v and so reads the role's record id, not the api name Manage takes: read it through the relationship, application_role__vr.api_name__v",
		);
		expect(await memberReads()).toEqual([]);
		expect(await sentRows()).toEqual([]);
	});

	it("stops when Vault's metadata says a member field is not a reference (or references something else), naming what it found", async () => {
		await seed(CURRENT);
		await vault.sandbox.client.settings({ bentFields: [{ object: 'pc_team_assignment__sys', field: 'team_role__sys', references: null }] } as never);
		const roster = CURRENT.map((member) => row(member));
		const run = await vault.harness.run({ items: roster, parameters: { ...SYNC, options: { ...WAIT, maxRemovals: '100%' } } });
		expect(run.error?.message).toBe('The team member fields are not what the node must read, so nothing was sent');
		expect(run.error?.description).toContain('no field of pc_team_assignment__sys references application roles (application_role__v) (set the field under the options)');
		expect(await sentRows()).toEqual([]);

		// the role field named by the option, and the user field Vault says references groups
		await vault.sandbox.client.settings({ bentFields: [{ object: 'complaint_members__c', field: 'member__c', references: 'group__sys' }] } as never);
		const overridden = await vault.harness.run({ items: roster, parameters: { ...SYNC, options: { ...WAIT, memberUserField: 'member__c' } } });
		expect(overridden.error?.description).toContain('complaint_members__c: user field: member__c references group__sys; it must reference users (user__sys)');
		expect(await memberReads()).toEqual([]);
		expect(await sentRows()).toEqual([]);
	});
});

describe('a CSV file streamed in two passes (Manage, one output item per batch)', () => {
	const file = (csv: string) => ({ json: {}, binary: { data: { data: Buffer.from(csv, 'utf8').toString('base64'), mimeType: 'text/csv', fileName: 'changes.csv' } } });

	it("refuses a role of no team of the object in the first pass, naming the team's roles; nothing is sent", async () => {
		const csv = ['record_id,user_id,application_role,operation', 'OP4000001,100001,qa__c,ADD', 'OP4000002,100002,sme_role__c,ADD'].join('\n');
		const run = await vault.harness.run({ items: [file(csv)], parameters: { ...MANAGE, objectName: 'quality_event__qdm', inputSource: 'binary', binaryPropertyName: 'data', options: { outputMode: 'perBatch' } } });
		expect(run.error?.description).toMatch(/^Item 0, CSV row 3: application_role "sme_role__c" is not a role of the Quality Team Quality Event Team \(quality_event_team__c\) of record OP4000002; its roles: .*\(did you mean sme__c\?\)$/);
		expect(await sentRows()).toEqual([]);
	});
});
