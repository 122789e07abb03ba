/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { MEMBER_OBJECTS, TEAM_OBJECTS } from '../index';
import { API as V, useSandboxSession, type Envelope } from '../../harness/sandboxSession';
import { tokenize, VqlError } from '../vql/lexer';
import { parseVql } from '../vql/parser';

const MANAGE = `${V}/app/quality/qms/teams/vobjects/quality_event__qdm/actions/manageassignments`;
const MIGRATE = `${V}/qms/teams/vobjects/quality_event_quality_team_member__v/actions/migration`;
const MEMBER_FIELDS = 'id, quality_event__qdm, user__sys, application_role__v, application_role__vr.api_name__v';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The parts of a member row a test compares: record, user, role (ids are checked apart); user__sys must be a string of digits (README, "user__sys"). */
const userNumber = (value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN);
const triple = (row: Envelope) => [row.quality_event__qdm, userNumber(row.user__sys), row['application_role__vr.api_name__v']];

describe('sandbox VQL: Quality Team member objects', () => {
	const vault = useSandboxSession();
	const { post, query, allPages } = vault;
	const manage = (rows: string[]) => post(MANAGE, ['record_id,user_id,application_role,operation', ...rows].join('\n'), { 'Content-Type': 'text/csv' });

	async function allRows(q: string): Promise<{ pages: Envelope[]; rows: Envelope[] }> {
		const pages = await allPages(q);
		return { pages, rows: pages.flatMap((page) => page.data) };
	}

	const seedMembers = (members: Array<[string, number, string]>, object = 'quality_event__qdm') =>
		vault.sandbox.client.seed({ teamMembers: members.map(([recordId, userId, role]) => ({ object, recordId, userId, role })) });

	it('has a team member object for every team (two on complaint__qdm, one per object type reading)', () => {
		expect(MEMBER_OBJECTS).toEqual({
			quality_event_quality_team_member__v: 'quality_event__qdm',
			risk_event_quality_team_member__v: 'risk_event__v',
			investigation_quality_team_member__v: 'investigation__qdm',
			lab_investigation_quality_team_member__v: 'lab_investigation__qdm',
			change_action_quality_team_member__v: 'change_action__v',
			pc_team_assignment__sys: 'complaint__qdm',
			complaint_members__c: 'complaint__qdm',
		});
		expect(new Set(Object.values(MEMBER_OBJECTS))).toEqual(new Set(Object.keys(TEAM_OBJECTS)));
	});

	it('reads seeded members back by record CONTAINS, narrowed by role, in Vault\'s envelope', async () => {
		await seedMembers([
			['OP4000008', 100001, 'record_owner__c'],
			['OP4000008', 100002, 'qa__c'],
			['OP4000009', 100003, 'qa__c'],
			['OP4000009', 100004, 'sme__c'],
			['OP4000010', 100005, 'qa__c'],
		]);
		const answer = await query(`SELECT ${MEMBER_FIELDS} FROM quality_event_quality_team_member__v WHERE quality_event__qdm CONTAINS ('OP4000008', 'OP4000009')`);
		expect(answer).toEqual({
			responseStatus: 'SUCCESS',
			responseDetails: { pagesize: 1000, pageoffset: 0, size: 4, total: 4 },
			data: [
				{ id: 'QTM000000000001', quality_event__qdm: 'OP4000008', user__sys: '100001', application_role__v: '0AR000000000101', 'application_role__vr.api_name__v': 'record_owner__c' },
				{ id: 'QTM000000000002', quality_event__qdm: 'OP4000008', user__sys: '100002', application_role__v: '0AR000000000103', 'application_role__vr.api_name__v': 'qa__c' },
				{ id: 'QTM000000000003', quality_event__qdm: 'OP4000009', user__sys: '100003', application_role__v: '0AR000000000103', 'application_role__vr.api_name__v': 'qa__c' },
				{ id: 'QTM000000000004', quality_event__qdm: 'OP4000009', user__sys: '100004', application_role__v: '0AR000000000102', 'application_role__vr.api_name__v': 'sme__c' },
			],
		});
		const qa = await query(
			"SELECT quality_event__qdm, user__sys FROM quality_event_quality_team_member__v WHERE quality_event__qdm CONTAINS ('OP4000008', 'OP4000009') AND application_role__vr.api_name__v CONTAINS ('qa__c')",
		);
		expect(qa.data).toEqual([
			{ quality_event__qdm: 'OP4000008', user__sys: '100002' },
			{ quality_event__qdm: 'OP4000009', user__sys: '100003' },
		]);
		// the role's record id (not its api name) and the user's id filter too; a record with no team has no rows
		expect((await query("SELECT id FROM quality_event_quality_team_member__v WHERE application_role__v = '0AR000000000103' AND user__sys = 100005")).data).toEqual([{ id: 'QTM000000000005' }]);
		expect((await query("SELECT id FROM quality_event_quality_team_member__v WHERE application_role__v = 'qa__c'")).data).toEqual([]);
		expect((await query("SELECT id FROM quality_event_quality_team_member__v WHERE quality_event__qdm = 'OP4000011'")).responseDetails.total).toBe(0);
		// another object's members live in its own member object, under its own record field
		await seedMembers([['LI0000002', 100006, 'sme__c']], 'lab_investigation__qdm');
		expect((await query('SELECT lab_investigation__qdm, user__sys FROM lab_investigation_quality_team_member__v')).data).toEqual([{ lab_investigation__qdm: 'LI0000002', user__sys: '100006' }]);
		expect((await query("SELECT id FROM risk_event_quality_team_member__v WHERE risk_event__v = 'RE0000001'")).responseDetails.total).toBe(0);
		expect((await query('SELECT id FROM quality_event_quality_team_member__v')).responseDetails.total).toBe(5);
	});

	it('reflects a finished Manage job\'s ADD and REMOVE, and a Migrate job, in the next query', async () => {
		await seedMembers([
			['OP4000008', 100001, 'record_owner__c'],
			['OP4000008', 100002, 'qa__c'],
			['OP4000009', 100003, 'qa__c'],
		]);
		const q = `SELECT ${MEMBER_FIELDS} FROM quality_event_quality_team_member__v WHERE quality_event__qdm CONTAINS ('OP4000008', 'OP4000009')`;
		const before = (await query(q)).data;
		expect(before.map(triple)).toEqual([
			['OP4000008', 100001, 'record_owner__c'],
			['OP4000008', 100002, 'qa__c'],
			['OP4000009', 100003, 'qa__c'],
		]);

		await vault.sandbox.client.settings({ jobQueuedMs: 60_000 });
		const submitted = await manage(['OP4000008,100004,sme__c,ADD', 'OP4000008,100002,qa__c,REMOVE', 'OP4000009,100003,qa__c,REMOVE']);
		expect(submitted).toEqual({ responseStatus: 'SUCCESS', jobId: '243001' });
		// a job that has not finished changes nothing yet
		expect((await query(q)).data).toEqual(before);
		await vault.sandbox.client.completeJobs();
		const after = (await query(q)).data;
		expect(after.map(triple)).toEqual([
			['OP4000008', 100001, 'record_owner__c'],
			['OP4000008', 100004, 'sme__c'],
		]);
		// an untouched member keeps its record id; the added one is a new record
		expect(after[0].id).toBe(before[0].id);
		expect(after[1].id).toBe('QTM000000000004');
		// OP4000009's team is now empty: no rows for it
		expect((await query("SELECT id FROM quality_event_quality_team_member__v WHERE quality_event__qdm = 'OP4000009'")).data).toEqual([]);

		// a job finished by the clock alone (no status call, no control call) is seen by the next query
		await vault.sandbox.client.settings({ jobQueuedMs: 20, jobRunMs: 20 });
		await manage(['OP4000009,100005,approver__c,ADD']);
		await sleep(120);
		expect((await query("SELECT user__sys FROM quality_event_quality_team_member__v WHERE quality_event__qdm = 'OP4000009'")).data).toEqual([{ user__sys: '100005' }]);

		// Migrate's rows land on the same team
		const form = new FormData();
		const csv = 'quality_event__qdm.name__v,user__sys.global_id__sys,application_role__v.api_name__v\nQE-000009,1001_100006,reviewer__c\n';
		form.append('file', new Blob([csv], { type: 'text/csv' }), 'members.csv');
		expect((await post(MIGRATE, form)).responseStatus).toBe('SUCCESS');
		await vault.sandbox.client.completeJobs();
		const migrated = await query("SELECT user__sys, application_role__vr.api_name__v FROM quality_event_quality_team_member__v WHERE quality_event__qdm = 'OP4000009'");
		expect(migrated.data).toEqual([
			{ user__sys: '100005', 'application_role__vr.api_name__v': 'approver__c' },
			{ user__sys: '100006', 'application_role__vr.api_name__v': 'reviewer__c' },
		]);
	});

	it('refuses a member object the sandbox does not know with INVALID_DATA, and names it cannot read as a syntax error', async () => {
		await vault.sandbox.client.seed({ records: [{ object: 'supplier_audit__c', id: 'SA001', name: 'SA-1' }] });
		// an unknown object or field is INVALID_DATA; what does not parse (a malformed name) INCORRECT_QUERY_SYNTAX_ERROR; no message names a position
		const cases: Array<[string, string, RegExp]> = [
			['SELECT id FROM product_quality_team_member__v', 'INVALID_DATA', /^product_quality_team_member__v is not a queryable object/],
			// a seeded team-enabled object has no member object
			['SELECT id FROM supplier_audit_quality_team_member__v', 'INVALID_DATA', /^supplier_audit_quality_team_member__v is not a queryable object/],
			// fields are the member object's own: another object's record field, or a relationship it does not list, is unknown
			["SELECT id FROM quality_event_quality_team_member__v WHERE lab_investigation__qdm = 'LI0000001'", 'INVALID_DATA', /^unknown field 'lab_investigation__qdm' on quality_event_quality_team_member__v/],
			['SELECT user__sysr.federated_id__sys FROM quality_event_quality_team_member__v', 'INVALID_DATA', /^unknown field 'user__sysr\.federated_id__sys'/],
			['SELECT team_role__sysr.api_name__v FROM quality_event_quality_team_member__v', 'INVALID_DATA', /^unknown field 'team_role__sysr\.api_name__v'/],
			// the relationship field is not on other targets
			['SELECT application_role__vr.api_name__v FROM user__sys', 'INVALID_DATA', /unknown field 'application_role__vr\.api_name__v' on user__sys/],
			// names are case-sensitive
			['SELECT id FROM Quality_Event_Quality_Team_Member__v', 'INVALID_DATA', /is not a queryable object/],
			['SELECT application_role__vr.API_NAME__V FROM quality_event_quality_team_member__v', 'INVALID_DATA', /unknown field/],
			// a dotted name must be names joined by single dots
			['SELECT application_role__vr..api_name__v FROM quality_event_quality_team_member__v', 'INCORRECT_QUERY_SYNTAX_ERROR', /malformed name 'application_role__vr\.\.api_name__v'/],
			['SELECT application_role__vr. FROM quality_event_quality_team_member__v', 'INCORRECT_QUERY_SYNTAX_ERROR', /malformed name 'application_role__vr\.'/],
			['SELECT id FROM quality_event_quality_team_member__v WHERE application_role__vr.1x = 1', 'INCORRECT_QUERY_SYNTAX_ERROR', /malformed name/],
			['SELECT .api_name__v FROM quality_event_quality_team_member__v', 'INCORRECT_QUERY_SYNTAX_ERROR', /unexpected '\.'/],
		];
		for (const [q, type, message] of cases) {
			expect(await query(q)).toEqual({ responseStatus: 'FAILURE', errors: [{ type, message: expect.stringMatching(message) }] });
			expect((await query(q)).errors[0].message).not.toMatch(/position \d/);
		}
	});

	it('reads dotted names as one field in SELECT and WHERE (parser)', () => {
		const parsed = parseVql("SELECT id, application_role__vr.api_name__v FROM m__v WHERE application_role__vr.api_name__v CONTAINS ('qa__c') AND a__vr.b__vr.c__v = 1");
		expect(parsed.fields.map((field) => field.text)).toEqual(['id', 'application_role__vr.api_name__v']);
		expect(parsed.where.map((condition) => [condition.field.text, condition.operator, condition.values])).toEqual([
			['application_role__vr.api_name__v', 'CONTAINS', [{ kind: 'string', value: 'qa__c' }]],
			['a__vr.b__vr.c__v', '=', [{ kind: 'number', value: '1' }]],
		]);
		expect([...tokenize('a.b .c')].map((token) => [token.kind, token.text])).toEqual([
			['word', 'a.b'],
			['punct', '.'],
			['word', 'c'],
		]);
		for (const good of ['a._b', 'a__vr.b__vr.c__v']) expect([...tokenize(good)]).toEqual([{ kind: 'word', text: good, value: good, at: 0 }]);
		for (const bad of ['a..b', 'a.', 'a.9', 'a.b.']) expect(() => [...tokenize(`SELECT ${bad} FROM x`)]).toThrow(new VqlError(7, `malformed name '${bad}' (a relationship path is names joined by single dots)`));
	});

	it('pages 2,500 members across 500 records by next_page', async () => {
		const roles = ['record_owner__c', 'sme__c', 'qa__c', 'approver__c', 'reviewer__c'];
		const records = Array.from({ length: 500 }, (_, n) => `OP${4000001 + n}`);
		const members = records.flatMap((recordId, n) => roles.map((role, r): [string, number, string] => [recordId, 100001 + ((n * 5 + r) % 2000), role]));
		await seedMembers(members);
		const { pages, rows } = await allRows(
			`SELECT ${MEMBER_FIELDS} FROM quality_event_quality_team_member__v WHERE quality_event__qdm CONTAINS (${records.map((id) => `'${id}'`).join(', ')})`,
		);
		expect(pages.map((page) => page.responseDetails)).toEqual([
			{ pagesize: 1000, pageoffset: 0, size: 1000, total: 2500, next_page: expect.stringMatching(/^\/api\/v25\.3\/query\/[0-9a-f-]{36}\?pagesize=1000&pageoffset=1000$/) },
			expect.objectContaining({ pageoffset: 1000, size: 1000, total: 2500, previous_page: expect.any(String), next_page: expect.any(String) }),
			expect.objectContaining({ pageoffset: 2000, size: 500, total: 2500, previous_page: expect.any(String) }),
		]);
		expect(pages[2].responseDetails.next_page).toBeUndefined();
		expect(rows.map(triple)).toEqual(members);
		expect(new Set(rows.map((row) => row.id)).size).toBe(2500);
		expect(rows[2499].id).toBe('QTM000000002500');

		const qa = await allRows(
			`SELECT user__sys FROM quality_event_quality_team_member__v WHERE quality_event__qdm CONTAINS (${records.map((id) => `'${id}'`).join(', ')}) AND application_role__vr.api_name__v CONTAINS ('qa__c', 'sme__c') PAGESIZE 400`,
		);
		expect(qa.pages.map((page) => page.responseDetails.size)).toEqual([400, 400, 200]);
		const log = await vault.sandbox.client.log();
		expect(log.filter((entry) => entry.vql !== undefined)).toHaveLength(2);
	});

	it('refuses the rows settings.refuseMembers names when the job runs: row errors, and absent from the read-back', async () => {
		await seedMembers([
			['OP4000008', 100001, 'record_owner__c'],
			['OP4000009', 100003, 'reviewer__c'],
		]);
		expect((await vault.sandbox.client.getSettings()).refuseMembers).toEqual([]);
		await vault.sandbox.client.settings({ jobQueuedMs: 60_000 });
		const rows = [
			'OP4000008,100002,qa__c,ADD',
			'OP4000008,100004,sme__c,ADD',
			'OP4000009,100002,qa__c,ADD',
			'OP4000009,100003,reviewer__c,REMOVE',
			'OP4000009,100013,sme__c,ADD',
			'OP4000008,100001,record_owner__c,REMOVE',
		];
		expect((await manage(rows)).jobId).toBe('243001');
		// set after submission: the setting is read when the job runs
		await vault.sandbox.client.settings({
			refuseMembers: [
				{ recordId: 'OP4000008', userId: 100002, role: 'qa__c' },
				{ recordId: 'OP4000009', userId: 100003, role: 'reviewer__c', operation: 'REMOVE', reason: 'Record OP4000009 needs at least one reviewer__c.' },
				// another object's record: not this job's
				{ object: 'risk_event__v', recordId: 'OP4000008', userId: 100004, role: 'sme__c' },
				// ADD only: the REMOVE row passes
				{ recordId: 'OP4000008', userId: 100001, role: 'record_owner__c', operation: 'ADD' },
			],
		});
		await vault.sandbox.client.completeJobs();
		const job = await vault.sandbox.client.job(243001);
		expect(job).toMatchObject({ status: 'ERRORS_ENCOUNTERED', rowCount: 6 });
		expect(job.rowErrors).toEqual([
			{ row: 1, message: 'Role qa__c on record OP4000008 is locked in the current state.' },
			{ row: 4, message: 'Record OP4000009 needs at least one reviewer__c.' },
			{ row: 5, message: 'User 100013 is inactive and cannot be added to a Quality Team.' },
		]);
		const read = await query(
			"SELECT quality_event__qdm, user__sys, application_role__vr.api_name__v FROM quality_event_quality_team_member__v WHERE quality_event__qdm CONTAINS ('OP4000008', 'OP4000009')",
		);
		expect(read.data.map(triple)).toEqual([
			['OP4000009', 100003, 'reviewer__c'],
			['OP4000008', 100004, 'sme__c'],
			['OP4000009', 100002, 'qa__c'],
		]);
		// what a client comparing the job's rows with the read-back sees: the refused rows did not apply
		const applied = (row: string) => {
			const [recordId, userId, role, operation] = row.split(',');
			const held = read.data.some((member: Envelope) => member.quality_event__qdm === recordId && member.user__sys === userId && member['application_role__vr.api_name__v'] === role);
			return operation === 'ADD' ? held : !held;
		};
		expect(rows.map(applied)).toEqual([false, true, true, false, false, true]);

		// a malformed entry is refused by the control API and leaves the settings as they were
		await expect(vault.sandbox.client.settings({ refuseMembers: [{ recordId: 'OP4000008', userId: '100002', role: 'qa__c' } as never] })).rejects.toThrow(/answered 400.*refuseMembers/);
		expect((await vault.sandbox.client.getSettings()).refuseMembers).toHaveLength(4);
		// reset returns to none
		await vault.sandbox.client.reset();
		expect((await vault.sandbox.client.getSettings()).refuseMembers).toEqual([]);
	});
});
