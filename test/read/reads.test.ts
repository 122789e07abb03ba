import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { pointAt } from '../../nodes/VeevaVaultQms/actions/vqlQuery';
import { setsOwnPageOffset, withPageOffset } from '../../nodes/VeevaVaultQms/read/vqlText';
import { jsonOf, pairedOf, useSandbox } from '../harness/fixtures';
import type { FaultSpec, LogEntry } from '../sandbox';

/**
 * Issue 20, items 4, 5 (paging), 8 (VQL paging, lookups, sandbox) and 9 (Verify): Vault's reads are
 * used only when they add up, every page is read (next_page, or PAGEOFFSET where Vault gives none),
 * and Verify says what happened to a REMOVE of someone who was not on the team. Through n8n-core and
 * the sandbox, whose query faults bend its answers the way a broken Vault (or what stands before it) could.
 */
const SYNC = { resource: 'qualityTeam', operation: 'syncMembers', objectName: 'quality_event__qdm' };
const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const WAIT = { waitForCompletion: true, pollIntervalSeconds: 0.05 };
type Member = [string, number, string];
const CURRENT: Member[] = [
	['OP4000008', 100001, 'qa__c'],
	['OP4000008', 100002, 'sme__c'],
	['OP4000008', 100003, 'record_owner__c'],
	['OP4000009', 100004, 'qa__c'],
	['OP4000009', 100005, 'sme__c'],
];
const row = ([record, user, role]: Member, extra: IDataObject = {}) => ({ record_id: record, user_id: user, application_role: role, ...extra });
const isQuery = (entry: LogEntry) => entry.path.includes('/query');
const isPageCall = (entry: LogEntry) => entry.path.includes('/query/');

describe('Sync Members reads the teams only when Vault\'s answer adds up; otherwise nothing is sent', () => {
	const vault = useSandbox();
	const log = async () => await vault.sandbox.client.log();
	const sentRows = async () =>
		(await log())
			.filter((entry) => entry.path.includes('manageassignments'))
			.flatMap((entry) => (entry.body ?? '').trim().split(/\r?\n/).slice(1))
			.sort();
	// every current member, and one new: a sound read sends exactly one ADD and removes nobody
	const ROSTER = [...CURRENT, ['OP4000009', 100006, 'qa__c'] as Member].map((member) => row(member));

	beforeEach(async () => {
		await vault.sandbox.client.seed({ teamMembers: CURRENT.map(([recordId, userId, role]) => ({ object: 'quality_event__qdm', recordId, userId, role })) });
	});

	it('sends exactly the one ADD when the read is sound, over pages of two rows (the baseline the faults below bend)', async () => {
		await vault.sandbox.client.settings({ maxPageSize: 2 });
		const run = await vault.harness.run({ items: ROSTER, parameters: { ...SYNC, options: WAIT } });
		expect(run.error).toBeUndefined();
		expect(await sentRows()).toEqual(['OP4000009,100006,qa__c,ADD']);
		expect((await log()).filter(isQuery)).toHaveLength(3);
	});

	// [what, the fault, Vault's page size (1000 unless lowered)]
	const faults: Array<[string, FaultSpec, number]> = [
		['a SUCCESS answer without data', { kind: 'noData', match: { path: '/query' } }, 1000],
		['rows short of total (every answer one row short)', { kind: 'shortOfTotal', match: { path: '/query' }, count: 10 }, 1000],
		['a page short of total in the middle of a next_page sequence', { kind: 'shortOfTotal', match: { path: '/query/' } }, 2],
		['an empty page followed by a next_page', { kind: 'emptyPageThenNext', match: { path: '/query' } }, 1000],
		['a next_page that points to its own page', { kind: 'nextPageLoop', match: { path: '/query/' }, count: 50 }, 2],
	];
	it.each(faults)('%s is a read error: nothing is sent, and the error says why', async (_, fault, pageSize) => {
		await vault.sandbox.client.settings({ maxPageSize: pageSize });
		await vault.sandbox.client.faults([fault]);
		const run = await vault.harness.run({ items: ROSTER, parameters: { ...SYNC, options: WAIT } });
		expect(run.error?.message).toMatch(/^Reading the current Quality Team members failed, so nothing was sent: Vault's answer to a query does not add up, so it was not used: /);
		expect(await sentRows()).toEqual([]);
		// 5 members at 2 a page: 3 pages; a loop is refused at its first repeat, far below what total implies
		expect((await log()).filter(isPageCall).length).toBeLessThanOrEqual(Math.ceil(5 / pageSize) + 1);
	});

	it('keeps only the records and roles it asked about: member rows for another record are not planned as removals', async () => {
		await vault.sandbox.client.faults([{ kind: 'foreignMembers', match: { path: '/query' } }]);
		const run = await vault.harness.run({ items: ROSTER, parameters: { ...SYNC, scope: 'roles', scopeRoles: 'qa__c', options: { ...WAIT, maxRemovals: '100%' } } });
		expect(run.error).toBeUndefined();
		// the fault added OP4000001 (a record the input never named) in qa__c, and OP4000008 in record_owner__c (a role outside the scope)
		const read = (await log()).find((entry) => entry.vql !== undefined);
		expect(read?.vql).toMatch(/quality_event__qdm CONTAINS \('OP4000008', 'OP4000009'\)/);
		expect(await sentRows()).toEqual(['OP4000009,100006,qa__c,ADD']);
		const summary = jsonOf(run.outputs[0]).find((json) => json.summary === true);
		expect(summary).toMatchObject({ removes: 0, currentMembersInScope: 2 });
	});

	it('reads a member object Vault answers without next_page by PAGEOFFSET, to the last member', async () => {
		await vault.sandbox.client.settings({ maxPageSize: 2, noNextPageTargets: ['quality_event_quality_team_member__v'] });
		const run = await vault.harness.run({ items: ROSTER, parameters: { ...SYNC, options: WAIT } });
		expect(run.error).toBeUndefined();
		expect(await sentRows()).toEqual(['OP4000009,100006,qa__c,ADD']);
		const reads = (await log()).filter((entry) => entry.vql !== undefined).map((entry) => entry.vql ?? '');
		expect(reads.map((vql) => /PAGEOFFSET \d+$/.exec(vql)?.[0] ?? 'first')).toEqual(['first', 'PAGEOFFSET 2', 'PAGEOFFSET 4']);
	});
});

describe('lookups and Run Query page on where Vault gives no next_page; groups by name must be active', () => {
	const vault = useSandbox();
	const log = async () => await vault.sandbox.client.log();
	const userReads = async () => (await log()).filter((entry) => /FROM user__sys/.test(entry.vql ?? ''));
	const email = (id: number) => `user${id}@sandbox.veevavault.com`;

	beforeEach(async () => {
		await vault.sandbox.client.seed({ records: [{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' }] });
	});

	it('resolves 1,200 users by email when user__sys answers without next_page, 200 rows a page: every one found', async () => {
		await vault.sandbox.client.settings({ maxPageSize: 200, noNextPageTargets: ['user__sys'] });
		const items = Array.from({ length: 1_200 }, (_, i) => ({ record_id: 'OP4000008', user_id: email(100101 + i), application_role: 'sme__c', operation: 'ADD' }));
		const run = await vault.harness.run({ items, parameters: { ...MANAGE, findUsersBy: 'email', options: { dryRun: true } }, onError: 'continueErrorOutput' });
		expect(run.error).toBeUndefined();
		// user 100666 is inactive in the sandbox: the one item error
		expect(pairedOf(run.outputs[1])).toEqual([[565]]);
		const csv = run.outputs[0].map((item) => Buffer.from(item.binary!.csv.data, 'base64').toString('utf8')).join('\n');
		expect(csv).toContain('OP4000008,100101,sme__c,ADD');
		expect(csv).toContain('OP4000008,101300,sme__c,ADD');
		// 500 + 500 + 200 values: 3 + 3 + 1 answers of at most 200 rows
		const reads = await userReads();
		expect(reads).toHaveLength(7);
		expect(reads.filter((entry) => /PAGEOFFSET (200|400)$/.test(entry.vql ?? ''))).toHaveLength(4);
	});

	it('Run Query returns every row of a target answered without next_page, and refuses a PAGEOFFSET of the query\'s own it cannot page past', async () => {
		await vault.sandbox.client.settings({ noNextPageTargets: ['user__sys'] });
		const run = await vault.harness.run({ items: [{}], parameters: { resource: 'vql', operation: 'query', query: 'SELECT id FROM user__sys' } });
		expect(run.error).toBeUndefined();
		const ids = jsonOf(run.outputs[0]).map((json) => json.id);
		const [first] = (await log()).filter(isQuery);
		expect(ids.length).toBeGreaterThan(2_000);
		expect(new Set(ids).size).toBe(ids.length);
		expect((await log()).filter(isQuery).map((entry) => entry.vql)).toEqual([first.vql, 'SELECT id FROM user__sys PAGEOFFSET 1000', 'SELECT id FROM user__sys PAGEOFFSET 2000']);

		// a PAGESIZE of the query's own is kept: the node's PAGEOFFSET follows it, in steps of the page size Vault answered
		await vault.sandbox.client.clearLog();
		const sized = await vault.harness.run({ items: [{}], parameters: { resource: 'vql', operation: 'query', query: 'SELECT id FROM user__sys PAGESIZE 900' } });
		expect(sized.outputs[0]).toHaveLength(ids.length);
		expect((await log()).filter(isQuery).map((entry) => entry.vql)).toEqual([
			'SELECT id FROM user__sys PAGESIZE 900',
			'SELECT id FROM user__sys PAGESIZE 900 PAGEOFFSET 900',
			'SELECT id FROM user__sys PAGESIZE 900 PAGEOFFSET 1800',
		]);

		const own = await vault.harness.run({ items: [{}], parameters: { resource: 'vql', operation: 'query', query: 'SELECT id FROM user__sys PAGESIZE 100 PAGEOFFSET 5' } });
		expect(own.error?.message).toMatch(/without a next_page .* and the query sets its own PAGEOFFSET, so the node cannot page on: remove PAGEOFFSET/);
		// with a limit the first answer covers, there is nothing to page
		const limited = await vault.harness.run({ items: [{}], parameters: { resource: 'vql', operation: 'query', query: 'SELECT id FROM user__sys PAGEOFFSET 5', returnAll: false, limit: 10 } });
		expect(limited.outputs[0]).toHaveLength(10);
	});

	it('Run Query follows next_page links to the end, and refuses a next_page that repeats, within the pages total implies', async () => {
		const all = await vault.harness.run({ items: [{}], parameters: { resource: 'vql', operation: 'query', query: 'SELECT id FROM user__sys PAGESIZE 500' } });
		const total = all.outputs[0].length;
		expect(total).toBeGreaterThan(2_000);
		await vault.sandbox.client.clearLog();
		await vault.sandbox.client.faults([{ kind: 'nextPageLoop', match: { path: '/query/' }, skip: 1, count: 300 }]);
		const run = await vault.harness.run({ items: [{}], parameters: { resource: 'vql', operation: 'query', query: 'SELECT id FROM user__sys PAGESIZE 500' } });
		expect(run.error?.message).toMatch(/does not add up, so it was not used: its next_page points to a page already read \(\/api\/v25\.3\/query\/[0-9a-f-]+\?pagesize=500&pageoffset=1000\)/);
		expect((await log()).filter(isPageCall).length).toBeLessThanOrEqual(Math.ceil(total / 500) + 1);
		expect((await log()).filter(isPageCall)).toHaveLength(2);
	});

	it('Run Query stops reading once the pages go past what total at the first page\'s size implies', async () => {
		// 2,000 records at 500 a page take 4 pages; the fault makes every page after the first one row long
		await vault.sandbox.client.faults([{ kind: 'shrinkingPages', match: { path: '/query' } }]);
		const run = await vault.harness.run({ items: [{}], parameters: { resource: 'vql', operation: 'query', query: 'SELECT id FROM quality_event__qdm PAGESIZE 500' } });
		expect(run.error?.message).toMatch(/does not add up, so it was not used: its pages go on past the 4 that 2000 rows at 500 a page take/);
		expect((await log()).filter(isQuery)).toHaveLength(Math.ceil(2_000 / 500) + 1);
	});

	it('Find Groups By: Name takes only active groups: an inactive one is its item\'s error, naming it; nothing is sent for it', async () => {
		await vault.sandbox.client.seed({ namedGroups: [{ id: 5500003, name: 'retired_reviewers__c', label: 'Retired Reviewers', active: false }] });
		const items = [
			{ id: 11, 'approver__v.groups': 'retired_reviewers__c' },
			{ id: 12, 'approver__v.groups': 'quality_reviewers__c' },
		];
		const run = await vault.harness.run({ items, parameters: { resource: 'documentRole', operation: 'assign', findGroupsBy: 'name' }, onError: 'continueErrorOutput' });
		const [main, errors] = run.outputs;
		expect(pairedOf(errors)).toEqual([[0]]);
		expect(String(errors[0].json.error)).toMatch(/column "approver__v\.groups": the Vault group named "retired_reviewers__c" \(id 5500003\) is inactive; only active Vault groups are looked up/);
		expect(jsonOf(main).map((json) => (json.row as IDataObject)['approver__v.groups'])).toEqual(['3311303']);
		const sent = (await log()).filter((entry) => entry.path.endsWith('/objects/documents/roles/batch'));
		expect(sent.map((entry) => entry.body ?? '').join('\n')).not.toContain('5500003');
		const groupRead = (await log()).find((entry) => /FROM group__sys/.test(entry.vql ?? ''));
		expect(groupRead?.vql).toMatch(/^SELECT id, name__v, status__v FROM group__sys WHERE name__v CONTAINS/);
	});
});

describe('Verify: never applied: true from a read it cannot trust, and a REMOVE of a non-member says so', () => {
	const vault = useSandbox();
	const log = async () => await vault.sandbox.client.log();
	const verify = (items: IDataObject[]) =>
		vault.harness.run({ items, parameters: { ...MANAGE, options: { verify: true, pollIntervalSeconds: 0.05 } } });
	const byUser = (items: INodeExecutionData[]) => Object.fromEntries(jsonOf(items).map((json) => [String((json.row as IDataObject).user_id), json]));

	beforeEach(async () => {
		await vault.sandbox.client.seed({
			records: [{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' }],
			teamMembers: [{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100002, role: 'qa__c' }],
		});
	});

	it('says "was not on the team; nothing to remove" for a REMOVE of someone who was not, at one read before sending', async () => {
		const items = [row(['OP4000008', 100001, 'qa__c'], { operation: 'ADD' }), row(['OP4000008', 100002, 'qa__c'], { operation: 'REMOVE' }), row(['OP4000008', 100009, 'qa__c'], { operation: 'REMOVE' })];
		const run = await verify(items);
		expect(run.error).toBeUndefined();
		const out = byUser(run.outputs[0]);
		// the job ends ERRORS_ENCOUNTERED because of the non-member's row, and the item says why
		expect(out['100009']).toMatchObject({ status: 'ERRORS_ENCOUNTERED', applied: false, wasOnTeam: false });
		expect(out['100009'].notApplied).toBe(
			'User 100009 was not on the team of record OP4000008 as qa__c when the batch was sent; nothing to remove. Vault counts such a row as an error of the job.',
		);
		expect(out['100002']).toMatchObject({ applied: true });
		expect(out['100002'].wasOnTeam).toBeNull(); // said only of a member who was not on the team; null on the others (every item has every key)
		expect(out['100001']).toMatchObject({ applied: true });
		// the cost: one read of the REMOVE rows' records (in their roles) before sending, one read-back after
		const reads = (await log()).filter((entry) => entry.vql !== undefined).map((entry) => entry.vql ?? '');
		expect(reads).toEqual([
			"SELECT quality_event__qdm, user__sys, application_role__vr.api_name__v FROM quality_event_quality_team_member__v WHERE application_role__vr.api_name__v CONTAINS ('qa__c') AND quality_event__qdm CONTAINS ('OP4000008')",
			"SELECT quality_event__qdm, user__sys, application_role__vr.api_name__v FROM quality_event_quality_team_member__v WHERE quality_event__qdm CONTAINS ('OP4000008')",
		]);
	});

	it('reads nothing before sending when no row removes, or when Verify is off', async () => {
		await verify([row(['OP4000008', 100001, 'qa__c'], { operation: 'ADD' })]);
		expect((await log()).filter(isQuery)).toHaveLength(1);
		await vault.sandbox.client.clearLog();
		await vault.harness.run({ items: [row(['OP4000008', 100002, 'qa__c'], { operation: 'REMOVE' })], parameters: { ...MANAGE, options: WAIT } });
		expect((await log()).filter(isQuery)).toHaveLength(0);
	});

	it('a read before sending that does not add up stops the run before anything is sent', async () => {
		await vault.sandbox.client.faults([{ kind: 'noData', match: { path: '/query' } }]);
		const run = await verify([row(['OP4000008', 100002, 'qa__c'], { operation: 'REMOVE' })]);
		expect(run.error?.message).toMatch(/^Reading the teams of the REMOVE rows \(Verify\) failed, so nothing was sent: Vault's answer to a query does not add up/);
		expect((await log()).filter((entry) => entry.path.includes('manageassignments'))).toEqual([]);
	});

	it.each([
		['without data', { kind: 'noData', match: { path: '/query' }, skip: 1 }],
		['short of its total', { kind: 'shortOfTotal', match: { path: '/query' }, skip: 1, count: 10 }],
		['an empty page followed by a next_page', { kind: 'emptyPageThenNext', match: { path: '/query' }, skip: 1 }],
	] as Array<[string, FaultSpec]>)('a read-back %s marks every row applied: null with the reason, never true', async (_, fault) => {
		// skip 1: the read before sending (of the REMOVE row) is sound; the read-back after the job is not
		await vault.sandbox.client.faults([fault]);
		const run = await verify([row(['OP4000008', 100001, 'qa__c'], { operation: 'ADD' }), row(['OP4000008', 100002, 'qa__c'], { operation: 'REMOVE' })]);
		expect(run.error).toBeUndefined();
		const out = jsonOf(run.outputs[0]);
		expect(out.map((json) => json.applied)).toEqual([null, null]);
		for (const json of out) {
			expect(json.verifyError).toMatch(/^The jobs finished, but reading the teams back failed, so no row is marked applied: Vault's answer to a query does not add up/);
		}
		// the rows did apply: only the read-back was bent
		await vault.sandbox.client.completeJobs();
		expect((await vault.sandbox.client.state()).teams.quality_event__qdm.OP4000008).toEqual([{ user_id: 100001, application_role: 'qa__c' }]);
	});
});

describe('VQL text the node adds, and the error it shows', () => {
	it('finds a PAGEOFFSET or OFFSET of the query\'s own, not one inside a value', () => {
		expect(setsOwnPageOffset('SELECT id FROM user__sys PAGESIZE 10 PAGEOFFSET 20')).toBe(true);
		expect(setsOwnPageOffset('select id from documents limit 10 offset 20')).toBe(true);
		expect(setsOwnPageOffset("SELECT id FROM user__sys WHERE username__sys = 'PAGEOFFSET 5'")).toBe(false);
		expect(setsOwnPageOffset("SELECT id FROM user__sys WHERE username__sys = 'o\\'brien PAGEOFFSET' AND email__sys = 'it''s OFFSET'")).toBe(false);
		expect(setsOwnPageOffset('SELECT id, pageoffset_note__c FROM x__c')).toBe(false);
		expect(withPageOffset('SELECT id FROM user__sys PAGESIZE 100 \n', 200)).toBe('SELECT id FROM user__sys PAGESIZE 100 PAGEOFFSET 200');
		expect(() => withPageOffset('SELECT id FROM user__sys', -1)).toThrow();
	});

	it('shows the query under a syntax error of either type Vault uses, with a caret only where the message names a position', () => {
		const query = 'SELECT id FROM user__sys WHER id = 1';
		for (const type of ['INCORRECT_QUERY_SYNTAX_ERROR', 'INCORRECT_QUERY_SYNTAX']) {
			expect(pointAt(query, 'Cannot parse the search phrase', type)).toBe(
				`Vault could not parse this query (its message names no position): check the VQL syntax, quotes and escapes.\nQuery: ${query}`,
			);
		}
		expect(pointAt(query, 'Error at position 26', 'INVALID_DATA')).toBe(`Query (Vault points at position 26):\n${query}\n${' '.repeat(25)}^`);
		expect(pointAt(query, 'position 0', 'INVALID_DATA')).toBe(`Query: ${query}`);
		expect(pointAt(query, 'position 99', 'INVALID_DATA')).toBe(`Query: ${query}`);
	});
});
