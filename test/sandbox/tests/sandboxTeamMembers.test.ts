import { DEMO_SEED } from '../demoVault';
import { API as V, useSandboxSession, type Envelope } from '../../harness/sandboxSession';

const MANAGE = `${V}/app/quality/qms/teams/vobjects/complaint__qdm/actions/manageassignments`;
const MIGRATE = (memberObject: string) => `${V}/qms/teams/vobjects/${memberObject}/actions/migration`;
const PRODUCT = 'pc_team_assignment__sys';
const OTHER = 'complaint_members__c';

/**
 * Quality Teams that do not follow the old reading (README, "Quality Teams"): complaint__qdm's records carry
 * object types, each type's members live in its team's member object under its own field names, the role
 * field answers role ids (api names through the relationship), the product complaint team keeps removed
 * members as inactive records and is locked in closed states; Manage and Migrate refuse a role the team lacks.
 */
describe('sandbox Quality Teams by object type, with their own member objects', () => {
	const vault = useSandboxSession();
	const { post, query } = vault;
	const manage = async (rows: string[]) => {
		const answer = await post(MANAGE, ['record_id,user_id,application_role,operation', ...rows].join('\n'), { 'Content-Type': 'text/csv' });
		await vault.sandbox.client.completeJobs();
		return vault.sandbox.client.job(answer.jobId);
	};
	const migrate = async (memberObject: string, csv: string): Promise<Envelope> => {
		const form = new FormData();
		form.append('file', new Blob([csv], { type: 'text/csv' }), 'members.csv');
		const answer = await post(MIGRATE(memberObject), form);
		await vault.sandbox.client.completeJobs();
		return answer.responseStatus === 'SUCCESS' ? vault.sandbox.client.job(answer.jobId) : answer;
	};

	it('answers each record its object type (id, and api name through object_type__vr) and lifecycle state', async () => {
		const answer = await query("SELECT id, name__v, object_type__v, object_type__vr.api_name__v, state__v FROM complaint__qdm WHERE id CONTAINS ('CP0000001', 'CP0000002', 'CP0000005')");
		expect(answer.data).toEqual([
			{ id: 'CP0000001', name__v: 'CMP-000001', object_type__v: 'OOT00000000C002', 'object_type__vr.api_name__v': 'product_complaint__c', state__v: 'open_state__c' },
			{ id: 'CP0000002', name__v: 'CMP-000002', object_type__v: 'OOT00000000C003', 'object_type__vr.api_name__v': 'adverse_event__c', state__v: 'open_state__c' },
			{ id: 'CP0000005', name__v: 'CMP-000005', object_type__v: 'OOT00000000C002', 'object_type__vr.api_name__v': 'product_complaint__c', state__v: 'closed_state__c' },
		]);
		expect((await query("SELECT id FROM complaint__qdm WHERE object_type__vr.api_name__v = 'product_complaint__c'")).responseDetails.total).toBe(1000);
		expect((await query("SELECT object_type__vr.api_name__v FROM quality_event__qdm WHERE id = 'OP4000008'")).data).toEqual([{ 'object_type__vr.api_name__v': 'base__v' }]);
		// a seed may give a record its type and state; a seeded object's records have no type
		await vault.sandbox.client.seed({ records: [{ object: 'complaint__qdm', id: 'CP9000001', name: 'CMP-X', objectType: 'base__v', state: 'cancelled_state__c' }, { object: 'supplier_audit__c', id: 'SA1', name: 'SA-1' }] });
		expect((await query("SELECT object_type__v, state__v FROM complaint__qdm WHERE id = 'CP9000001'")).data).toEqual([{ object_type__v: 'OOT00000000C001', state__v: 'cancelled_state__c' }]);
		expect((await query('SELECT object_type__v, state__v FROM supplier_audit__c')).data).toEqual([{ object_type__v: null, state__v: 'open_state__c' }]);
	});

	it("Manage writes each member into its record's team's member object, under that team's fields; the role field answers ids", async () => {
		const job = await manage(['CP0000001,100001,qa__c,ADD', 'CP0000002,100002,reviewer__c,ADD', 'CP0000003,100003,sme__c,ADD']);
		expect(job.status).toBe('SUCCESS');
		const product = await query(`SELECT id, team_record__sys, team_user__sys, team_role__sys, team_role__sysr.api_name__v, team_role__sysr.name__v, team_user__sysr.username__sys, team_record__sysr.name__v, status__v FROM ${PRODUCT}`);
		expect(product.data).toEqual([
			{
				id: 'QTM000000000001',
				team_record__sys: 'CP0000001',
				team_user__sys: '100001',
				team_role__sys: '0AR000000000103',
				'team_role__sysr.api_name__v': 'qa__c',
				'team_role__sysr.name__v': 'QA',
				'team_user__sysr.username__sys': 'user100001@sandbox.veevavault.com',
				'team_record__sysr.name__v': 'CMP-000001',
				status__v: ['active__v'],
			},
			expect.objectContaining({ team_record__sys: 'CP0000003', team_role__sys: '0AR000000000102', 'team_role__sysr.api_name__v': 'sme__c' }),
		]);
		const other = await query(`SELECT complaint__c, member__c, team_role__c, team_role__cr.api_name__v, member__cr.email__sys FROM ${OTHER}`);
		expect(other.data).toEqual([
			{ complaint__c: 'CP0000002', member__c: '100002', team_role__c: '0AR000000000105', 'team_role__cr.api_name__v': 'reviewer__c', 'member__cr.email__sys': 'user100002@sandbox.veevavault.com' },
		]);
		// each member object has only its own team's fields
		expect((await query(`SELECT status__v FROM ${OTHER}`)).errors[0].message).toMatch(/^unknown field 'status__v' on complaint_members__c/);
		expect((await query(`SELECT complaint__qdm FROM ${PRODUCT}`)).errors[0].type).toBe('INVALID_DATA');
		expect((await vault.sandbox.client.state()).teams.complaint__qdm).toEqual({
			CP0000001: [{ user_id: 100001, application_role: 'qa__c' }],
			CP0000002: [{ user_id: 100002, application_role: 'reviewer__c' }],
			CP0000003: [{ user_id: 100003, application_role: 'sme__c' }],
		});
	});

	it('keeps a removed member of the product complaint team as an inactive record; status__v filters; the other team deletes', async () => {
		await manage(['CP0000001,100001,qa__c,ADD', 'CP0000001,100002,sme__c,ADD', 'CP0000002,100003,reviewer__c,ADD']);
		const job = await manage(['CP0000001,100001,qa__c,REMOVE', 'CP0000002,100003,reviewer__c,REMOVE']);
		expect(job.status).toBe('SUCCESS');
		const all = await query(`SELECT id, team_user__sys, team_role__sysr.api_name__v, status__v FROM ${PRODUCT} WHERE team_record__sys = 'CP0000001'`);
		expect(all.data).toEqual([
			{ id: 'QTM000000000001', team_user__sys: '100001', 'team_role__sysr.api_name__v': 'qa__c', status__v: ['inactive__v'] },
			{ id: 'QTM000000000002', team_user__sys: '100002', 'team_role__sysr.api_name__v': 'sme__c', status__v: ['active__v'] },
		]);
		expect((await query(`SELECT id FROM ${PRODUCT} WHERE status__v = 'active__v'`)).data).toEqual([{ id: 'QTM000000000002' }]);
		expect((await query(`SELECT id FROM ${OTHER}`)).data).toEqual([]);
		// removing it again is an error (no active member); adding it again is a new active record beside the inactive one
		expect((await manage(['CP0000001,100001,qa__c,REMOVE'])).rowErrors[0].message).toBe('User 100001 is not a qa__c member of record CP0000001.');
		await manage(['CP0000001,100001,qa__c,ADD']);
		expect((await query(`SELECT id, status__v FROM ${PRODUCT} WHERE team_user__sys = '100001'`)).data).toEqual([
			{ id: 'QTM000000000001', status__v: ['inactive__v'] },
			{ id: 'QTM000000000004', status__v: ['active__v'] },
		]);
		const state = await vault.sandbox.client.state();
		expect(state.teams.complaint__qdm.CP0000001).toEqual([
			{ user_id: 100002, application_role: 'sme__c' },
			{ user_id: 100001, application_role: 'qa__c' },
		]);
		expect(state.memberRecords[PRODUCT].map((record) => [record.id, record.active])).toEqual([
			['QTM000000000001', false],
			['QTM000000000002', true],
			['QTM000000000004', true],
		]);
	});

	it("refuses a role the record's team does not have, naming the team's roles, and a record in a locked state", async () => {
		await vault.sandbox.client.seed({ applicationRoles: ['lead_investigator__c'] });
		const job = await manage(['CP0000001,100001,approver__c,ADD', 'CP0000002,100002,qa__c,ADD', 'CP0000005,100003,qa__c,ADD', 'CP0000002,100004,reviewer__c,ADD']);
		expect(job.status).toBe('ERRORS_ENCOUNTERED');
		expect(job.rowErrors).toEqual([
			{ row: 1, message: 'Application role "approver__c" is not a role of the Quality Team product_complaint_team__c of record CP0000001; its roles: record_owner__c, sme__c, qa__c.' },
			{ row: 2, message: 'Application role "qa__c" is not a role of the Quality Team complaint_team__c of record CP0000002; its roles: record_owner__c, reviewer__c.' },
			{ row: 3, message: 'Record CP0000005 is in state closed_state__c, in which the Quality Team product_complaint_team__c is locked.' },
		]);
		expect((await vault.sandbox.client.state()).teams.complaint__qdm).toEqual({ CP0000002: [{ user_id: 100004, application_role: 'reviewer__c' }] });
		// the old reading's teams have the seed's five roles: a seeded role is on none
		const old = await post(`${V}/app/quality/qms/teams/vobjects/quality_event__qdm/actions/manageassignments`, 'record_id,user_id,application_role,operation\nOP4000008,100001,lead_investigator__c,ADD', { 'Content-Type': 'text/csv' });
		await vault.sandbox.client.completeJobs();
		expect((await vault.sandbox.client.job(old.jobId)).rowErrors[0].message).toMatch(/^Application role "lead_investigator__c" is not a role of the Quality Team quality_event_team__c of record OP4000008; its roles: record_owner__c, sme__c, qa__c, approver__c, reviewer__c\.$/);
	});

	it('with settings.teamRoleLimits, refuses a REMOVE under the minimum, an ADD over the maximum and an ADD beside an exclusive role, in CSV order', async () => {
		await vault.sandbox.client.seed({ teamMembers: [{ object: 'complaint__qdm', recordId: 'CP0000001', userId: 100001, role: 'record_owner__c' }, { object: 'complaint__qdm', recordId: 'CP0000001', userId: 100002, role: 'qa__c' }] });
		// declared only by default: a second owner is taken
		expect((await manage(['CP0000003,100005,record_owner__c,ADD', 'CP0000003,100006,record_owner__c,ADD'])).status).toBe('SUCCESS');
		await vault.sandbox.client.settings({ teamRoleLimits: true });
		const job = await manage(['CP0000001,100002,qa__c,REMOVE', 'CP0000001,100003,record_owner__c,ADD', 'CP0000001,100001,sme__c,ADD', 'CP0000001,100004,qa__c,ADD', 'CP0000001,100002,qa__c,REMOVE', 'CP0000001,100001,record_owner__c,REMOVE', 'CP0000001,100003,record_owner__c,ADD']);
		expect(job.rowErrors).toEqual([
			{ row: 1, message: 'Removing user 100002 would leave role qa__c on record CP0000001 with fewer than 1 member(s).' },
			{ row: 2, message: 'Role record_owner__c on record CP0000001 already has its maximum of 1 member(s).' },
			{ row: 3, message: 'User 100001 holds record_owner__c on record CP0000001, and an exclusive role may not be held beside another.' },
			{ row: 6, message: 'Removing user 100001 would leave role record_owner__c on record CP0000001 with fewer than 1 member(s).' },
			// the owner stayed, so the role is still at its maximum
			{ row: 7, message: 'Role record_owner__c on record CP0000001 already has its maximum of 1 member(s).' },
		]);
		// the stand-in QA on first, then the QA off: both applied in order
		expect((await vault.sandbox.client.state()).teams.complaint__qdm.CP0000001).toEqual([{ user_id: 100001, application_role: 'record_owner__c' }, { user_id: 100004, application_role: 'qa__c' }]);
	});

	it("Migrate reads the member object's own columns, and refuses a record of another team's type or a role the team lacks", async () => {
		const csv = ['team_record__sys.name__v,team_user__sys.username__sys,team_role__sys.api_name__v', 'CMP-000001,user100001@sandbox.veevavault.com,record_owner__c', 'CMP-000002,user100002@sandbox.veevavault.com,qa__c', 'CMP-000003,user100003@sandbox.veevavault.com,reviewer__c'].join('\n');
		const job = await migrate(PRODUCT, csv);
		expect(job.rowErrors).toEqual([
			{ row: 2, message: 'Record "CMP-000002" belongs to the Quality Team complaint_team__c, whose members are complaint_members__c; not pc_team_assignment__sys.' },
			{ row: 3, message: 'Application role "reviewer__c" is not a role of the Quality Team product_complaint_team__c; its roles: record_owner__c, sme__c, qa__c.' },
		]);
		expect((await query(`SELECT team_record__sys, team_role__sysr.api_name__v FROM ${PRODUCT}`)).data).toEqual([{ team_record__sys: 'CP0000001', 'team_role__sysr.api_name__v': 'record_owner__c' }]);
		// the old reading's column names are not this member object's
		const old = await migrate(OTHER, 'complaint__qdm.name__v,user__sys.global_id__sys,application_role__v.api_name__v\nCMP-000002,1001_100002,reviewer__c\n');
		expect(old.responseStatus).toBe('FAILURE');
		expect((await migrate(OTHER, 'complaint__c.name__v,member__c.global_id__sys,team_role__c.api_name__v\nCMP-000002,1001_100002,reviewer__c\n')).status).toBe('SUCCESS');
		expect((await query(`SELECT complaint__c, member__c FROM ${OTHER}`)).data).toEqual([{ complaint__c: 'CP0000002', member__c: '100002' }]);
	});

	it('seeds members into their team, inactive ones too', async () => {
		await vault.sandbox.client.seed({
			teamMembers: [
				{ object: 'complaint__qdm', recordId: 'CP0000007', userId: 100007, role: 'qa__c', active: false },
				{ object: 'complaint__qdm', recordId: 'CP0000007', userId: 100008, role: 'qa__c' },
				{ object: 'complaint__qdm', recordId: 'CP0000008', userId: 100009, role: 'record_owner__c' },
			],
		});
		expect((await query(`SELECT team_user__sys, status__v FROM ${PRODUCT}`)).data).toEqual([
			{ team_user__sys: '100007', status__v: ['inactive__v'] },
			{ team_user__sys: '100008', status__v: ['active__v'] },
		]);
		expect((await query(`SELECT member__c FROM ${OTHER}`)).data).toEqual([{ member__c: '100009' }]);
		expect((await vault.sandbox.client.state()).teams.complaint__qdm.CP0000007).toEqual([{ user_id: 100008, application_role: 'qa__c' }]);
	});

	it("the demo Vault's complaint teams: two active members and an inactive record on CP0000001, one member on CP0000002, and the termination example's leaver on two more", async () => {
		await vault.sandbox.client.seed(DEMO_SEED);
		expect((await query(`SELECT team_user__sys, team_role__sysr.api_name__v FROM ${PRODUCT} WHERE status__v = 'active__v'`)).data).toEqual([
			{ team_user__sys: '100021', 'team_role__sysr.api_name__v': 'record_owner__c' },
			{ team_user__sys: '100022', 'team_role__sysr.api_name__v': 'qa__c' },
			{ team_user__sys: '100031', 'team_role__sysr.api_name__v': 'sme__c' },
		]);
		expect((await query(`SELECT team_user__sys FROM ${PRODUCT} WHERE status__v = 'inactive__v'`)).data).toEqual([{ team_user__sys: '100023' }]);
		expect((await query(`SELECT complaint__c, member__c FROM ${OTHER}`)).data).toEqual([
			{ complaint__c: 'CP0000002', member__c: '100024' },
			{ complaint__c: 'CP0000004', member__c: '100031' },
		]);
		expect(Object.keys((await vault.sandbox.client.state()).teams.quality_event__qdm)).toEqual(['OP4000009', 'OP4000010', 'OP4000012', 'OP4000013', 'OP4000014', 'OP4000015']);
	});

	it("fault foreignMembers adds rows in the member object's own fields", async () => {
		await vault.sandbox.client.seed({ teamMembers: [{ object: 'complaint__qdm', recordId: 'CP0000001', userId: 100001, role: 'qa__c' }] });
		await vault.sandbox.client.fault({ kind: 'foreignMembers', match: { path: '/query' } });
		const answer = await query(`SELECT team_record__sys, team_role__sysr.api_name__v FROM ${PRODUCT} WHERE team_record__sys CONTAINS ('CP0000001') AND team_role__sysr.api_name__v CONTAINS ('qa__c')`);
		expect(answer.data).toEqual([
			{ team_record__sys: 'CP0000001', 'team_role__sysr.api_name__v': 'qa__c' },
			{ team_record__sys: 'CP0000003', 'team_role__sysr.api_name__v': 'qa__c' },
			{ team_record__sys: 'CP0000001', 'team_role__sysr.api_name__v': 'record_owner__c' },
		]);
		expect(answer.data.every((row: Envelope) => row.team_record__sys !== 'CP0000002')).toBe(true);
	});
});
