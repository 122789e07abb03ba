import { jsonOf, pairedOf, useSandbox } from '../harness/fixtures';

/** VQL → Run Query (actions/vqlQuery.ts), through n8n-core and the sandbox; moved from lookups.test.ts. */
describe('VQL → Run Query', () => {
	const vault = useSandbox();
	const QUERY = { resource: 'vql', operation: 'query', query: 'SELECT id, name__v FROM quality_event__qdm' };
	const pageCalls = async () => (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('/query'));

	beforeEach(async () => {
		// 2,000 generated records, and 500 more: 2,500 in all
		await vault.sandbox.client.seed({
			records: Array.from({ length: 500 }, (_, i) => ({ object: 'quality_event__qdm', id: `OP49${String(i).padStart(5, '0')}`, name: `QE-9${String(i).padStart(5, '0')}` })),
		});
	});

	it('pages through next_page: 2,500 records at 1,000 a page come out as 2,500 items', async () => {
		const run = await vault.harness.run({ items: [{}], parameters: QUERY });
		expect(run.error).toBeUndefined();
		const out = jsonOf(run.outputs[0]);
		expect(out).toHaveLength(2_500);
		expect(new Set(out.map((json) => json.id)).size).toBe(2_500);
		expect(Object.keys(out[0])).toEqual(['id', 'name__v']);
		expect(pairedOf(run.outputs[0]).every((pair) => pair[0] === 0)).toBe(true);
		expect(await pageCalls()).toHaveLength(3);
	});

	it('honours the limit without reading further pages than needed', async () => {
		const run = await vault.harness.run({ items: [{}], parameters: { ...QUERY, returnAll: false, limit: 1_200 } });
		expect(run.outputs[0]).toHaveLength(1_200);
		expect(await pageCalls()).toHaveLength(2);
		await vault.sandbox.client.clearLog();
		const small = await vault.harness.run({ items: [{}], parameters: { ...QUERY, returnAll: false, limit: 5 } });
		expect(small.outputs[0]).toHaveLength(5);
		expect(await pageCalls()).toHaveLength(1);
	});

	it("surfaces a VQL syntax error in Vault's words with the query; Vault's message names no position, so no caret is drawn", async () => {
		const run = await vault.harness.run({ items: [{}], parameters: { ...QUERY, query: 'SELECT id FROM user__sys WHER id = 1' } });
		expect(run.error?.message).toMatch(/Vault refused the request \(INCORRECT_QUERY_SYNTAX_ERROR\): Query string used with VQL has an incorrect query syntax/);
		expect(run.error?.description).toBe('Vault could not parse this query (its message names no position): check the VQL syntax, quotes and escapes.\nQuery: SELECT id FROM user__sys WHER id = 1');
		const kept = await vault.harness.run({ items: [{}, {}], parameters: { ...QUERY, query: 'SELECT id FROM nothing__x' }, onError: 'continueRegularOutput' });
		expect(jsonOf(kept.outputs[0]).map((json) => String(json.error))).toEqual([expect.stringMatching(/not a queryable object/), expect.stringMatching(/not a queryable object/)]);
	});

	it('a refused query goes to the error output under "continue (using error output)", with its query, paired to its item', async () => {
		const routed = await vault.harness.run({ items: [{}, {}], parameters: { ...QUERY, query: 'SELECT id FROM nothing__x' }, onError: 'continueErrorOutput' });
		expect(routed.outputs[0] ?? []).toHaveLength(0);
		expect(jsonOf(routed.outputs[1]).map((json) => [String(json.error), json.details])).toEqual([
			[expect.stringMatching(/not a queryable object/), { query: 'SELECT id FROM nothing__x' }],
			[expect.stringMatching(/not a queryable object/), { query: 'SELECT id FROM nothing__x' }],
		]);
		expect(routed.outputs[1]?.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});
