import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { jsonOf, useSandbox } from '../harness/fixtures';
import type { RunResult } from '../harness/engine';
import { asOneTable } from '../../nodes/VeevaVaultQms/pipeline/outputTable';

/**
 * The output as n8n's Table view shows it (issue 27): the Table makes a column of every key any
 * item has, and shows a red "undefined" in the cells of items that lack it (n8n's RunDataTable.vue,
 * convertToTable). So every item on one output carries the same keys in the same order, null
 * where it has no value; an item for n8n's error output keeps only `error` and `details`, the
 * shape n8n routes there (n8n-core workflow-execute, handleNodeErrorOutput). Through n8n-core and
 * the sandbox.
 */
const vault = useSandbox();
const SYNC = { resource: 'qualityTeam', operation: 'syncMembers', objectName: 'quality_event__qdm' };
const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const ASSIGN = { resource: 'documentRole', operation: 'assign' };
const WAIT = { waitForCompletion: true, pollIntervalSeconds: 0.05 };
/** n8n's Table view shows at most this many columns (RunDataTable.vue, MAX_COLUMNS_LIMIT) */
const TABLE_COLUMNS = 40;

const keysOf = (items: INodeExecutionData[]) => jsonOf(items).map((json) => Object.keys(json));
const hasUndefined = (items: INodeExecutionData[]) => jsonOf(items).some((json) => Object.values(json).some((value) => value === undefined));

/** One table: every item the same keys in the same order, no undefined value, and no more columns than the Table shows. */
function expectOneTable(items: INodeExecutionData[]) {
	expect(items.length).toBeGreaterThan(1);
	const [first, ...rest] = keysOf(items);
	for (const keys of rest) expect(keys).toEqual(first);
	expect(hasUndefined(items)).toBe(false);
	expect(first.length).toBeLessThanOrEqual(TABLE_COLUMNS);
}

const member = (record: string, user: number, role: string, extra: IDataObject = {}) => ({ record_id: record, user_id: user, application_role: role, ...extra });

describe('the output as one table: every item of an output has the same keys', () => {
	beforeEach(async () => {
		await vault.sandbox.client.seed({
			records: ['OP4000008', 'OP4000009'].map((id) => ({ object: 'quality_event__qdm', id, name: `QE-${id.slice(-6)}` })),
			teamMembers: [
				{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100001, role: 'qa__c' },
				{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100002, role: 'sme__c' },
				{ object: 'quality_event__qdm', recordId: 'OP4000009', userId: 100004, role: 'qa__c' },
			],
		});
	});
	/** an unchanged member, an add, a removal (100002), a row that is an item error (its record held back), and the summary */
	const roster = [member('OP4000008', 100001, 'qa__c'), member('OP4000008', 100006, 'sme__c'), member('OP4000009', 100004, 'qa__c', { operation: 'add' })];
	const sync = async (options: IDataObject, onError: 'continueRegularOutput' | 'continueErrorOutput'): Promise<RunResult> => {
		const run = await vault.harness.run({ items: roster, parameters: { ...SYNC, options: { maxRemovals: '100%', ...options } }, onError });
		expect(run.error).toBeUndefined();
		return run;
	};
	const kinds = (items: INodeExecutionData[]) => jsonOf(items).map((json) => (json.summary === true ? 'summary' : json.error ? 'error' : String(json.change)));

	it('Sync Members sending, verified, continue (regular output): changes, plan, an error and the summary share their keys', async () => {
		const run = await sync({ ...WAIT, verify: true }, 'continueRegularOutput');
		const items = run.outputs[0];
		expect(kinds(items).sort()).toEqual(['add', 'error', 'remove', 'summary', 'unchanged']);
		expectOneTable(items);
		const [add, summary, error] = ['add', 'summary', 'error'].map((kind) => jsonOf(items)[kinds(items).indexOf(kind)]);
		// each keeps its own fields; what it lacks is null
		expect(add).toMatchObject({ change: 'add', applied: true, error: null, details: null, adds: null });
		expect(summary).toMatchObject({ summary: true, adds: 1, removes: 1, unchanged: 1, notSent: 1, change: null, error: null });
		expect(error).toMatchObject({ error: expect.stringMatching(/case-sensitive: write ADD/), details: expect.objectContaining({ problems: expect.any(Array) }), change: null, adds: null });
	});

	it('Sync Members, Plan Only: the change items, the plan and the summary share their keys', async () => {
		const run = await sync({ planOnly: true }, 'continueRegularOutput');
		expect(kinds(run.outputs[0]).sort()).toEqual(['add', 'error', 'remove', 'summary', 'unchanged']);
		expectOneTable(run.outputs[0]);
	});

	it('with continue (error output): the main output is one table, and the error item keeps the shape n8n routes to the error output', async () => {
		const run = await sync(WAIT, 'continueErrorOutput');
		const [main, errors] = run.outputs;
		expect(kinds(main).sort()).toEqual(['add', 'remove', 'summary', 'unchanged']);
		expectOneTable(main);
		// on the error output: n8n moved it there (its json was error and details only) and added the input item's fields
		expect(errors).toHaveLength(1);
		expect(errors[0].json).toMatchObject({ error: expect.stringMatching(/case-sensitive: write ADD/), details: expect.any(Object), operation: 'add' });
	});

	it('a bulk run with a rejected row, per item and per batch: rows and errors share their keys', async () => {
		const rows = [member('OP4000008', 100003, 'qa__c', { operation: 'ADD' }), member('OP4000008', 100004, 'qa__c', { operation: 'add' }), member('OP4000009', 100005, 'qa__c', { operation: 'ADD' })];
		for (const outputMode of ['perItem', 'perBatch']) {
			const run = await vault.harness.run({ items: rows, parameters: { ...MANAGE, options: { ...WAIT, outputMode } }, onError: 'continueRegularOutput' });
			expect(run.error).toBeUndefined();
			expect(jsonOf(run.outputs[0]).filter((json) => json.error)).toHaveLength(1);
			expectOneTable(run.outputs[0]);
		}
	});

	it('document roles: a row Vault refuses and the rows it took share their keys (Vault\'s own row fields included)', async () => {
		const items = [{ id: 1, 'reviewer__v.users': '100001' }, { id: 999999, 'reviewer__v.users': '100001' }, { id: 2, 'approver__v.users': '100002' }];
		const run = await vault.harness.run({ items, parameters: ASSIGN, onError: 'continueRegularOutput' });
		expect(run.error).toBeUndefined();
		const json = jsonOf(run.outputs[0]);
		expect(json[1]).toMatchObject({ error: expect.stringMatching(/Document 999999 does not exist/), responseStatus: null });
		expect(json[0]).toMatchObject({ responseStatus: 'SUCCESS', 'reviewer__v.users': [100001], 'approver__v.users': null, error: null });
		expectOneTable(run.outputs[0]);
	});

	it('a dry run with a bad row: the batches and the error share their keys', async () => {
		const rows = [member('OP4000008', 100003, 'qa__c', { operation: 'ADD' }), member('OP4000008', 100004, 'qa__c', { operation: 'add' })];
		const run = await vault.harness.run({ items: rows, parameters: { ...MANAGE, options: { dryRun: true } }, onError: 'continueRegularOutput' });
		expectOneTable(run.outputs[0]);
		expect(run.outputs[0][0].binary?.csv).toBeDefined();
	});

	it('Job → Get Status with an id that is not a job id: the status and the error share their keys', async () => {
		const sent = await vault.harness.run({ items: [member('OP4000008', 100003, 'qa__c', { operation: 'ADD' })], parameters: MANAGE });
		const jobId = String(jsonOf(sent.outputs[0])[0].jobId);
		const run = await vault.harness.run({ items: [{ jobId }, { jobId: 'not-a-job' }], parameters: { resource: 'job', operation: 'getStatus', jobId: '={{ $json.jobId }}' }, onError: 'continueRegularOutput' });
		expect(run.error).toBeUndefined();
		expectOneTable(run.outputs[0]);
		expect(jsonOf(run.outputs[0])[1]).toMatchObject({ error: expect.any(String), jobId: null });
	});
});

describe('asOneTable: where the error goes when a run has more columns than the Table shows', () => {
	// a pure function of the items; the execute context only tells whether the node routes errors to an error output
	const fx = { getNode: () => ({ onError: 'continueRegularOutput' }) } as unknown as Parameters<typeof asOneTable>[0];
	const counts = Object.fromEntries(Array.from({ length: 45 }, (_, index) => [`count${index}`, index]));

	it("puts error and details right after the first item's own columns, ahead of the keys only the summary has", () => {
		const items: INodeExecutionData[] = [
			{ json: { change: 'add', record_id: 'OP4000008', user_id: 100001 } },
			{ json: { change: null, record_id: 'OP4000009', error: 'not a Vault user id', details: { problems: [] } } },
			{ json: { summary: true, ...counts } },
		];
		const [first] = keysOf(asOneTable(fx, items));
		expect(first.length).toBeGreaterThan(TABLE_COLUMNS);
		expect(first.slice(0, 5)).toEqual(['change', 'record_id', 'user_id', 'error', 'details']);
		expect(first.indexOf('count44')).toBe(first.length - 1);
	});
});
