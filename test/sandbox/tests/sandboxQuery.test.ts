import { DEMO_USER, NAMED_GROUPS, QUERY_USERS, SHARED_EMAIL } from '../index';
import { API as V, useSandboxSession, type Envelope } from '../../harness/sandboxSession';

/** A VQL string literal as Veeva's "Syntax Basics" escapes it: backslash before a backslash or a quote. */
const vql = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

describe('sandbox VQL: POST /api/{version}/query', () => {
	const vault = useSandboxSession();
	const { post, query, allPages } = vault;

	it('answers a query by = with the selected fields, in Vault\'s envelope', async () => {
		const answer = await query("SELECT id, username__sys, email__sys, federated_id__sys, status__v FROM user__sys WHERE username__sys = 'user100002@sandbox.veevavault.com'");
		expect(answer).toEqual({
			responseStatus: 'SUCCESS',
			responseDetails: { pagesize: 1000, pageoffset: 0, size: 1, total: 1 },
			data: [
				{
					// user__sys ids are strings (README, "user__sys")
					id: '100002',
					username__sys: 'user100002@sandbox.veevavault.com',
					email__sys: 'user100002@sandbox.veevavault.com',
					federated_id__sys: 'fed-100002',
					status__v: ['active__v'],
				},
			],
		});
		// keywords are case-insensitive; numbers compare by value; a multipart form is read too
		const form = new FormData();
		form.append('q', 'select id, name__v from user__sys where id = 61001');
		expect((await post(`${V}/query`, form)).data).toEqual([{ id: '61001', name__v: 'Demo User' }]);
		// values are case-sensitive
		expect((await query("SELECT id FROM user__sys WHERE username__sys = 'USER100002@sandbox.veevavault.com'")).responseDetails.total).toBe(0);

		const log = await vault.sandbox.client.log();
		const queries = log.filter((entry) => entry.vql !== undefined);
		expect(queries.map((entry) => entry.vql)).toEqual([
			"SELECT id, username__sys, email__sys, federated_id__sys, status__v FROM user__sys WHERE username__sys = 'user100002@sandbox.veevavault.com'",
			'select id, name__v from user__sys where id = 61001',
			"SELECT id FROM user__sys WHERE username__sys = 'USER100002@sandbox.veevavault.com'",
		]);
	});

	it('matches 2,000 federated ids in one CONTAINS call, and as many emails as fit in 50,000 characters', async () => {
		const ids = Array.from({ length: 2000 }, (_, n) => 100001 + n);
		const started = Date.now();
		const byFederatedId = await allPages(`SELECT id, federated_id__sys FROM user__sys WHERE federated_id__sys CONTAINS (${ids.map((id) => vql(`fed-${id}`)).join(', ')})`);
		expect(byFederatedId.map((page) => page.responseDetails.size)).toEqual([1000, 1000]);
		expect(byFederatedId.flatMap((page) => page.data.map((row: Envelope) => row.id))).toEqual(ids.map(String));

		const emails = ids.slice(0, 1300).map((id) => `user${id}@sandbox.veevavault.com`);
		const q = `SELECT id, email__sys FROM user__sys WHERE email__sys CONTAINS (${emails.map(vql).join(', ')})`;
		expect(q.length).toBeLessThanOrEqual(50_000);
		const byEmail = await allPages(q);
		expect(byEmail.map((page) => page.responseDetails)).toEqual([
			expect.objectContaining({ size: 1000, total: 1300 }),
			expect.objectContaining({ size: 300, total: 1300 }),
		]);
		expect(Date.now() - started).toBeLessThan(5000);
		expect((await vault.sandbox.client.log()).filter((entry) => entry.vql !== undefined)).toHaveLength(2);
	});

	it('returns both users of a shared email, the inactive status, and quotes and backslashes matched literally', async () => {
		const shared = await query(`SELECT id, username__sys, status__v FROM user__sys WHERE email__sys = ${vql(SHARED_EMAIL)}`);
		expect(shared.data).toEqual([
			{ id: '61012', username__sys: 'shared.one@sandbox.veevavault.com', status__v: ['active__v'] },
			{ id: '61013', username__sys: 'shared.two@sandbox.veevavault.com', status__v: ['active__v'] },
		]);
		const inactive = await query("SELECT id, status__v FROM user__sys WHERE id CONTAINS (100013, 100014, 61002)");
		expect(inactive.data).toEqual([
			{ id: '61002', status__v: ['inactive__v'] },
			{ id: '100013', status__v: ['inactive__v'] },
			{ id: '100014', status__v: ['active__v'] },
		]);
		expect((await query("SELECT id FROM user__sys WHERE status__v = 'inactive__v' AND id = 100666")).data).toEqual([{ id: '100666' }]);

		for (const user of QUERY_USERS.slice(0, 2)) {
			const answer = await query(`SELECT id, username__sys FROM user__sys WHERE username__sys = ${vql(user.username)}`);
			expect(answer.data).toEqual([{ id: String(user.id), username__sys: user.username }]);
		}
		// a quote may also be doubled (Syntax Basics)
		expect((await query("SELECT id FROM user__sys WHERE username__sys = 'o''brien@sandbox.veevavault.com'")).data).toEqual([{ id: '61010' }]);
	});

	it('never lets a literal change the query: hostile values match as text', async () => {
		const hostile = ["x' OR 1=1", "x') OR ('1'='1", ') OR (', "' OR username__sys CONTAINS ('", '\\'];
		for (const value of hostile) {
			const answer = await query(`SELECT id FROM user__sys WHERE username__sys = ${vql(value)}`);
			expect(answer).toMatchObject({ responseStatus: 'SUCCESS', responseDetails: { total: 0 }, data: [] });
			const listed = await query(`SELECT id FROM user__sys WHERE email__sys CONTAINS (${vql(value)}, 'nobody')`);
			expect(listed.responseDetails.total).toBe(0);
		}
		// a user whose name is that text is found, and only they
		await vault.sandbox.client.seed({ users: [{ id: 70001, username: "x' OR 1=1" }] });
		expect((await query(`SELECT id FROM user__sys WHERE username__sys = ${vql("x' OR 1=1")}`)).data).toEqual([{ id: '70001' }]);
		// the same text unescaped is not a quoted value: it is refused, not run
		const raw = await query("SELECT id FROM user__sys WHERE username__sys = 'x' OR 1=1'");
		expect(raw).toMatchObject({ responseStatus: 'FAILURE', errors: [{ type: 'INCORRECT_QUERY_SYNTAX_ERROR' }] });
		expect(raw.errors[0].message).toMatch(/^Query string used with VQL has an incorrect query syntax: unsupported 'OR'/);
	});

	it('pages 2,500 records by next_page and previous_page with POST, with correct responseDetails', async () => {
		const extra = Array.from({ length: 500 }, (_, n) => ({ object: 'quality_event__qdm', id: `OPX${String(n + 1).padStart(6, '0')}`, name: `QE-X${n + 1}` }));
		await vault.sandbox.client.seed({ records: extra });
		await vault.sandbox.client.clearLog();
		const pages = await allPages('SELECT id, name__v FROM quality_event__qdm PAGESIZE 1000');
		expect(pages).toHaveLength(3);
		const [first, second, third] = pages.map((page) => page.responseDetails);
		const id = /^\/api\/v25\.3\/query\/([0-9a-f-]{36})\?pagesize=1000&pageoffset=1000$/.exec(first.next_page)?.[1];
		expect(id).toBeDefined();
		expect(first).toEqual({ pagesize: 1000, pageoffset: 0, size: 1000, total: 2500, next_page: `/api/v25.3/query/${id}?pagesize=1000&pageoffset=1000` });
		expect(second).toEqual({
			pagesize: 1000,
			pageoffset: 1000,
			size: 1000,
			total: 2500,
			previous_page: `/api/v25.3/query/${id}?pagesize=1000&pageoffset=0`,
			next_page: `/api/v25.3/query/${id}?pagesize=1000&pageoffset=2000`,
		});
		expect(third).toEqual({ pagesize: 1000, pageoffset: 2000, size: 500, total: 2500, previous_page: `/api/v25.3/query/${id}?pagesize=1000&pageoffset=1000` });
		const rows = pages.flatMap((page) => page.data);
		expect(rows[0]).toEqual({ id: 'OP4000001', name__v: 'QE-000001' });
		expect(rows[2499]).toEqual({ id: 'OPX000500', name__v: 'QE-X500' });
		expect(new Set(rows.map((row) => row.id)).size).toBe(2500);

		// previous_page goes back; GET answers a page URL the same (VAPIL calls them with GET), other methods do
		// not; the log counts one query and the page calls
		expect((await post(second.previous_page)).data[0]).toEqual({ id: 'OP4000001', name__v: 'QE-000001' });
		expect(await post(first.next_page, undefined, {}, 'GET')).toEqual(await post(first.next_page));
		expect((await post(first.next_page, undefined, {}, 'DELETE')).errors[0].type).toBe('METHOD_NOT_SUPPORTED');
		const log = await vault.sandbox.client.log();
		expect(log.filter((entry) => entry.vql !== undefined)).toHaveLength(1);
		expect(log.filter((entry) => entry.path === `/api/v25.3/query/${id}`).map((entry) => entry.method)).toEqual(['POST', 'POST', 'POST', 'GET', 'POST', 'DELETE']);
		expect(log.every((entry) => entry.burstRemaining !== undefined)).toBe(true);

		// PAGESIZE sets the page size (over 1000 is capped at 1000); the page URLs stay valid until reset
		const small = await query("SELECT id FROM quality_event__qdm WHERE name__v CONTAINS ('QE-000001', 'QE-000002', 'QE-000003') PAGESIZE 2");
		expect(small.responseDetails).toMatchObject({ pagesize: 2, size: 2, total: 3 });
		expect((await query('SELECT id FROM quality_event__qdm PAGESIZE 5000')).responseDetails).toMatchObject({ pagesize: 1000, size: 1000 });
		await vault.sandbox.client.reset();
		vault.session = (await post(`${V}/auth`, new URLSearchParams({ username: DEMO_USER.username, password: DEMO_USER.password }))).sessionId;
		expect((await post(first.next_page)).errors[0].type).toBe('INVALID_DATA');
	});

	it('refuses what does not parse with INCORRECT_QUERY_SYNTAX_ERROR and unknown names with INVALID_DATA, naming no position', async () => {
		// Veeva's "Errors" page: INCORRECT_QUERY_SYNTAX_ERROR "Query string used with VQL has an incorrect query syntax";
		// Vault's messages name no line or position, so neither do the sandbox's
		const syntax = "Query string used with VQL has an incorrect query syntax: ";
		const cases: Array<[string, string, RegExp]> = [
			['SELECT id FROM user__sys WHER id = 1', 'INCORRECT_QUERY_SYNTAX_ERROR', /unexpected 'WHER'/],
			['SELECT id FROM user__sys WHERE id = 1 OR id = 2', 'INCORRECT_QUERY_SYNTAX_ERROR', /unsupported 'OR'/],
			['SELECT id FROM user__sys WHERE (id = 1)', 'INCORRECT_QUERY_SYNTAX_ERROR', /unexpected '\('/],
			["SELECT id FROM user__sys WHERE username__sys LIKE 'a%'", 'INCORRECT_QUERY_SYNTAX_ERROR', /unsupported 'LIKE'/],
			["SELECT id FROM user__sys\nWHERE username__sys = 'open", 'INCORRECT_QUERY_SYNTAX_ERROR', /unterminated string literal/],
			["SELECT id FROM user__sys WHERE username__sys = 'a\\qb'", 'INCORRECT_QUERY_SYNTAX_ERROR', /invalid escape sequence '\\q'/],
			['SELECT id FROM user__sys WHERE', 'INCORRECT_QUERY_SYNTAX_ERROR', /unexpected end of query/],
			['SELECT id FROM product__v', 'INVALID_DATA', /^product__v is not a queryable object/],
			['SELECT id, nickname__c FROM user__sys', 'INVALID_DATA', /^unknown field 'nickname__c' on user__sys/],
		];
		for (const [q, type, message] of cases) {
			const answer = await query(q);
			expect(answer).toEqual({ responseStatus: 'FAILURE', errors: [{ type, message: expect.stringMatching(message) }] });
			if (type === 'INCORRECT_QUERY_SYNTAX_ERROR') expect(answer.errors[0].message.startsWith(syntax)).toBe(true);
			expect(answer.errors[0].message).not.toMatch(/line \d|position \d/);
		}
		expect((await post(`${V}/query`, new URLSearchParams({}))).errors[0].type).toBe('PARAMETER_REQUIRED');
	});

	it('takes a query of 50,000 characters and refuses one longer', async () => {
		const head = "SELECT id FROM user__sys WHERE username__sys = '";
		const at = (length: number) => head + 'x'.repeat(length - head.length - 1) + "'";
		expect(at(50_000)).toHaveLength(50_000);
		expect(await query(at(50_000))).toMatchObject({ responseStatus: 'SUCCESS', responseDetails: { total: 0 } });
		const refused = await query(at(50_001));
		expect(refused).toEqual({ responseStatus: 'FAILURE', errors: [{ type: 'INVALID_DATA', message: expect.stringMatching(/too long: 50001 characters/) }] });
	});

	it('answers group__sys by name__v and label__v, team objects, and seeded users and groups', async () => {
		const reviewers = NAMED_GROUPS[0];
		expect((await query(`SELECT id, name__v, label__v FROM group__sys WHERE name__v = ${vql(reviewers.name)}`)).data).toEqual([
			{ id: 3311303, name__v: 'quality_reviewers__c', label__v: 'Quality Reviewers' },
		]);
		expect((await query("SELECT id FROM group__sys WHERE label__v = 'Quality Approvers'")).data).toEqual([{ id: 4411606 }]);
		expect((await query("SELECT id, name__v FROM group__sys WHERE id = 3311301")).data).toEqual([{ id: 3311301, name__v: 'group_3311301__c' }]);
		expect((await query("SELECT id FROM lab_investigation__qdm WHERE name__v CONTAINS ('LI-000002', 'LI-999999')")).data).toEqual([{ id: 'LI0000002' }]);

		await vault.sandbox.client.seed({
			users: [{ id: 70002, username: 'new.person@example.com', email: 'person@example.com', federatedId: 'EMP-1', active: false }],
			namedGroups: [{ id: 5500001, name: 'auditors__c', label: 'Auditors' }],
			records: [{ object: 'supplier_audit__c', id: 'SA001', name: 'SA-1' }],
		});
		expect((await query("SELECT id, username__sys, status__v FROM user__sys WHERE federated_id__sys = 'EMP-1'")).data).toEqual([
			{ id: '70002', username__sys: 'new.person@example.com', status__v: ['inactive__v'] },
		]);
		expect((await query("SELECT id FROM group__sys WHERE name__v = 'auditors__c'")).data).toEqual([{ id: 5500001 }]);
		// group__sys has status__v as user__sys has it: active unless seeded `active: false`
		await vault.sandbox.client.seed({ namedGroups: [{ id: 5500003, name: 'retired__c', label: 'Retired', active: false }] });
		expect((await query("SELECT id, status__v FROM group__sys WHERE name__v CONTAINS ('auditors__c', 'retired__c')")).data).toEqual([
			{ id: 5500001, status__v: ['active__v'] },
			{ id: 5500003, status__v: ['inactive__v'] },
		]);
		expect((await query("SELECT id FROM group__sys WHERE status__v = 'inactive__v'")).data).toEqual([{ id: 5500003 }]);
		expect((await query('SELECT id, name__v FROM supplier_audit__c')).data).toEqual([{ id: 'SA001', name__v: 'SA-1' }]);
		await expect(vault.sandbox.client.seed({ namedGroups: [{ id: 5500002, name: 'auditors__c' }] })).rejects.toThrow(/already group 5500001/);
	});
	it('matches CASEINSENSITIVE(field) with = and CONTAINS in any letter case, String fields only (VQL reference, "CASEINSENSITIVE")', async () => {
		await vault.sandbox.client.seed({
			users: [
				{ id: 70011, username: 'pat.lee@example.com', email: 'Pat.Lee@Example.com' },
				{ id: 70012, username: 'PAT.LEE.2@example.com', email: 'pat.lee@example.com' },
			],
		});
		// the page's own example, with =; and CONTAINS, as the page's "{operator}" and TONAME's CONTAINS example read
		expect((await query("SELECT id, email__sys FROM user__sys WHERE CASEINSENSITIVE(email__sys) = 'PAT.LEE@EXAMPLE.COM'")).data).toEqual([
			{ id: '70011', email__sys: 'Pat.Lee@Example.com' },
			{ id: '70012', email__sys: 'pat.lee@example.com' },
		]);
		const list = await query("select id from user__sys where caseinsensitive(username__sys) contains ('Pat.Lee.2@Example.com', 'USER100002@SANDBOX.VEEVAVAULT.COM', 'nobody@example.com') AND status__v = 'active__v'");
		expect(list.data).toEqual([{ id: '70012' }, { id: '100002' }]);
		// without it, values stay case-sensitive
		expect((await query("SELECT id FROM user__sys WHERE email__sys CONTAINS ('PAT.LEE@EXAMPLE.COM', 'pat.lee@example.com')")).data).toEqual([{ id: '70012' }]);
		// "The {field} parameter must be the name of an object field of type String"; in WHERE only
		expect(await query("SELECT id FROM user__sys WHERE CASEINSENSITIVE(status__v) = 'ACTIVE__V'")).toEqual({
			responseStatus: 'FAILURE',
			errors: [{ type: 'INVALID_DATA', message: "CASEINSENSITIVE() takes a field of type String; 'status__v' on user__sys is not one" }],
		});
		expect((await query("SELECT id FROM user__sys WHERE CASEINSENSITIVE(nickname__c) = 'x'")).errors[0]).toMatchObject({ type: 'INVALID_DATA', message: expect.stringMatching(/^unknown field 'nickname__c'/) });
		for (const q of ['SELECT CASEINSENSITIVE(email__sys) FROM user__sys', "SELECT id FROM user__sys WHERE CASEINSENSITIVE email__sys = 'x'", "SELECT id FROM user__sys WHERE CASEINSENSITIVE(email__sys = 'x'"]) {
			expect((await query(q)).errors[0].type).toBe('INCORRECT_QUERY_SYNTAX_ERROR');
		}
	});

	it('answers targets in noNextPageTargets without page URLs, and caps every page at maxPageSize (Pagination Best Practices)', async () => {
		await vault.sandbox.client.settings({ noNextPageTargets: ['user__sys'], maxPageSize: 300 });
		const first = await query('SELECT id FROM user__sys');
		expect(first.responseDetails).toEqual({ pagesize: 300, pageoffset: 0, size: 300, total: first.responseDetails.total });
		expect(first.responseDetails.total).toBeGreaterThan(2000);
		const next = await query('SELECT id FROM user__sys PAGEOFFSET 300');
		expect(next.responseDetails).toEqual({ pagesize: 300, pageoffset: 300, size: 300, total: first.responseDetails.total });
		expect(next.data[0].id).not.toEqual(first.data[0].id);
		// other targets keep their links, at the capped size
		const records = await query('SELECT id FROM quality_event__qdm PAGESIZE 500');
		expect(records.responseDetails).toMatchObject({ pagesize: 300, size: 300, next_page: expect.stringMatching(/pagesize=300&pageoffset=300$/) });
		await expect(vault.sandbox.client.settings({ maxPageSize: 0 })).rejects.toThrow(/answered 400.*maxPageSize/);
		await expect(vault.sandbox.client.settings({ noNextPageTargets: 'user__sys' as never })).rejects.toThrow(/answered 400.*noNextPageTargets/);
	});

	it('bends its answers on demand with the query faults, each as README "Query faults" says', async () => {
		const q = "SELECT id FROM quality_event__qdm WHERE name__v CONTAINS ('QE-000001', 'QE-000002', 'QE-000003')";
		const sound = await query(q);
		expect(sound.responseDetails).toEqual({ pagesize: 1000, pageoffset: 0, size: 3, total: 3 });

		await vault.sandbox.client.fault({ kind: 'noData', match: { path: '/query' } });
		expect(await query(q)).toEqual({ responseStatus: 'SUCCESS', responseDetails: { pagesize: 1000, pageoffset: 0, size: 3, total: 3 } });

		await vault.sandbox.client.fault({ kind: 'shortOfTotal', match: { path: '/query' } });
		const short = await query(q);
		expect(short.responseDetails).toEqual({ pagesize: 1000, pageoffset: 0, size: 2, total: 3 });
		expect(short.data).toEqual(sound.data.slice(0, 2));

		await vault.sandbox.client.fault({ kind: 'emptyPageThenNext', match: { path: '/query' } });
		const empty = await query(q);
		expect(empty).toMatchObject({ responseDetails: { size: 0, total: 3, next_page: expect.stringMatching(/pageoffset=0$/) }, data: [] });
		expect((await post(empty.responseDetails.next_page)).data).toEqual(sound.data);

		await vault.sandbox.client.fault({ kind: 'nextPageLoop', match: { path: '/query' }, count: 2 });
		const loop = await query(`${q} PAGESIZE 2`);
		const again = await post(loop.responseDetails.next_page);
		expect(again.responseDetails.next_page).toBe(loop.responseDetails.next_page);
		expect(again.data).toEqual(loop.data);

		await vault.sandbox.client.fault({ kind: 'shrinkingPages', match: { path: '/query' } });
		const shrinking = await query(`${q} PAGESIZE 2`);
		expect(shrinking.responseDetails.next_page).toMatch(/pagesize=1&pageoffset=2$/);
		expect((await post(shrinking.responseDetails.next_page)).responseDetails).toMatchObject({ pagesize: 1, pageoffset: 2, size: 1, total: 3 });

		// foreignMembers: member rows for a record (and a role) the query did not name, counted in total
		await vault.sandbox.client.seed({ teamMembers: [{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100002, role: 'qa__c' }] });
		await vault.sandbox.client.fault({ kind: 'foreignMembers', match: { path: '/query' } });
		const members = await query(
			"SELECT quality_event__qdm, user__sys, application_role__vr.api_name__v FROM quality_event_quality_team_member__v WHERE quality_event__qdm CONTAINS ('OP4000008') AND application_role__vr.api_name__v CONTAINS ('qa__c')",
		);
		expect(members.responseDetails).toMatchObject({ size: 3, total: 3 });
		expect(members.data).toEqual([
			{ quality_event__qdm: 'OP4000008', user__sys: '100002', 'application_role__vr.api_name__v': 'qa__c' },
			{ quality_event__qdm: 'OP4000001', user__sys: '100002', 'application_role__vr.api_name__v': 'qa__c' },
			{ quality_event__qdm: 'OP4000008', user__sys: '100002', 'application_role__vr.api_name__v': 'record_owner__c' },
		]);
		// a refused query stays refused; the log names the fault that hit
		await vault.sandbox.client.fault({ kind: 'noData', match: { path: '/query' } });
		expect((await query('SELECT id FROM user__sys WHER')).errors[0].type).toBe('INCORRECT_QUERY_SYNTAX_ERROR');
		const log = await vault.sandbox.client.log();
		expect(log.filter((entry) => entry.fault !== undefined).map((entry) => entry.fault)).toEqual([
			'noData',
			'shortOfTotal',
			'emptyPageThenNext',
			'nextPageLoop',
			'nextPageLoop',
			'shrinkingPages',
			'foreignMembers',
			'noData',
		]);
	});
});
