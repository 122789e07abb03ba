import { useSandboxSession } from '../../harness/sandboxSession';

/**
 * Records created and modified at times the tests choose (created_date__v / modified_date__v), and the
 * VQL a polling trigger needs on them: comparisons on DateTimes and ORDER BY with a secondary key.
 */
describe('sandbox: record times and VQL ORDER BY / comparisons', () => {
	const vault = useSandboxSession();
	const { query } = vault;
	const object = 'quality_event__qdm';

	it('answers created_date__v and modified_date__v as UTC DateTimes, generated record n at 2026-01-01 + n minutes', async () => {
		const answer = await query(`SELECT id, name__v, created_date__v, modified_date__v FROM ${object} WHERE id CONTAINS ('OP4000001', 'OP4000060')`);
		expect(answer.data).toEqual([
			{ id: 'OP4000001', name__v: 'QE-000001', created_date__v: '2026-01-01T00:01:00.000Z', modified_date__v: '2026-01-01T00:01:00.000Z' },
			{ id: 'OP4000060', name__v: 'QE-000060', created_date__v: '2026-01-01T01:00:00.000Z', modified_date__v: '2026-01-01T01:00:00.000Z' },
		]);
	});

	it('creates and modifies records at the times a change names; ORDER BY a DateTime then id, with > and >=', async () => {
		const at = '2026-12-07T10:00:00.000Z';
		await vault.sandbox.client.changeRecords([
			{ object, id: 'OP4100002', kind: 'create', name: 'QE-100002', at, site: 'boston__c' },
			{ object, id: 'OP4100001', kind: 'create', at },
			{ object, id: 'OP4000005', at: '2026-12-07T10:00:01.000Z' },
			{ object, id: 'OP4000004', at },
		]);
		const sorted = await query(`SELECT id, created_date__v, modified_date__v FROM ${object} WHERE modified_date__v >= '${at}' ORDER BY modified_date__v ASC, id ASC`);
		expect(sorted.data).toEqual([
			{ id: 'OP4000004', created_date__v: '2026-01-01T00:04:00.000Z', modified_date__v: at },
			{ id: 'OP4100001', created_date__v: at, modified_date__v: at },
			{ id: 'OP4100002', created_date__v: at, modified_date__v: at },
			{ id: 'OP4000005', created_date__v: '2026-01-01T00:05:00.000Z', modified_date__v: '2026-12-07T10:00:01.000Z' },
		]);
		// > excludes the boundary; a Date literal is midnight; fraction digits may be any number ("Data Types & Formats")
		const after = await query(`SELECT id FROM ${object} WHERE modified_date__v > '2026-12-07T10:00:00Z' ORDER BY id DESC`);
		expect(after.data).toEqual([{ id: 'OP4000005' }]);
		expect((await query(`SELECT id FROM ${object} WHERE created_date__v >= '2026-12-07' AND name__v != 'QE-100002'`)).data).toEqual([{ id: 'OP4100001' }]);
		expect((await query(`SELECT id FROM ${object} WHERE modified_date__v = '2026-12-07T10:00:01.0Z'`)).data).toEqual([{ id: 'OP4000005' }]);
		// site__c, the sandbox's own custom field (the examples route by site): null unless a change sets it
		expect((await query(`SELECT id, site__c FROM ${object} WHERE site__c = 'boston__c'`)).data).toEqual([{ id: 'OP4100002', site__c: 'boston__c' }]);
		expect((await query(`SELECT site__c FROM ${object} WHERE id = 'OP4100001'`)).data).toEqual([{ site__c: null }]);
		const newest = await query(`SELECT id, modified_date__v FROM ${object} ORDER BY modified_date__v DESC, id DESC PAGESIZE 2`);
		expect(newest.data.map((row: { id: string }) => row.id)).toEqual(['OP4000005', 'OP4100002']);
	});

	it('refuses a bad change as a whole, and ORDER BY on an unknown field as VQL does', async () => {
		const refused = vault.sandbox.client.changeRecords([
			{ object, id: 'OP4100001', kind: 'create', at: '2026-12-07T10:00:00.000Z' },
			{ object, id: 'OP4199999', at: '2026-12-07T10:00:00.000Z' },
		]);
		await expect(refused).rejects.toThrow(/no record OP4199999 in quality_event__qdm to update/);
		await expect(vault.sandbox.client.changeRecords([{ object, id: 'OP4000001', at: '2026-12-07 10:00' }])).rejects.toThrow(/UTC DateTime/);
		expect((await query(`SELECT id FROM ${object} WHERE id = 'OP4100001'`)).data).toEqual([]);
		const unknown = await query(`SELECT id FROM ${object} ORDER BY color__c`);
		expect(unknown.errors[0]).toMatchObject({ type: 'INVALID_DATA', message: expect.stringMatching(/unknown field 'color__c'/) });
		const syntax = await query(`SELECT id FROM ${object} ORDER modified_date__v`);
		expect(syntax.errors[0].type).toBe('INCORRECT_QUERY_SYNTAX_ERROR');
	});
});
