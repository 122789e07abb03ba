/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import fc from 'fast-check';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { readVaultCsv } from '../sandbox/csv/vaultCsv';
import { jsonOf, pairedOf, useSandbox } from '../harness/fixtures';

/**
 * Fuzzing: thousands of random items per operation never crash the node; each gives exactly one
 * output item or one item error; any value that is sent arrives in Vault (the sandbox, reading
 * the CSV by Vault's rules) unchanged. Seeds are fixed so a failure can be replayed; set
 * FUZZ_SEED to explore others.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const ITEMS_PER_OPERATION = 2000;
const figures = { items: 0, sentValues: 0 };

/** Text that is hard on CSV and on Vault: separators, quotes, backslashes, line breaks, formula starts, any Unicode, broken surrogates. */
const nastyChar = fc.oneof(
	{ weight: 40, arbitrary: fc.constantFrom(',', '"', '\\', '\t', '\n', ' ', '=', '+', '-', '@', ';', "'", '\u00a0', '\ufeff', '\u0000') },
	{ weight: 80, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) },
	{ weight: 40, arbitrary: fc.integer({ min: 0xa0, max: 0xd7ff }).map((code) => String.fromCharCode(code)) },
	{ weight: 20, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((code) => String.fromCodePoint(code)) },
	// what Vault cannot take: a CR, half of a surrogate pair
	{ weight: 1, arbitrary: fc.constantFrom('\r', '\ud800', '\udfff') },
);
const nastyText = fc.oneof(
	{ weight: 8, arbitrary: fc.array(nastyChar, { maxLength: 40 }).map((chars) => chars.join('')) },
	{ weight: 1, arbitrary: fc.constant('') },
	{ weight: 1, arbitrary: fc.array(nastyChar, { minLength: 1400, maxLength: 1700 }).map((chars) => chars.join('')) },
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 6, arbitrary: nastyText },
	{ weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, -0)) },
	{ weight: 1, arbitrary: fc.constantFrom(null, undefined, true, false) },
	{ weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }) },
	{ weight: 1, arbitrary: fc.array(fc.oneof(fc.integer({ min: 100001, max: 100200 }), fc.string({ maxLength: 6 }), fc.constant(null)), { maxLength: 4 }) },
	{ weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
);

/** An item with the operation's columns (usually), plausible values (often) and random extra keys. */
function itemsFor(columns: string[], plausible: Record<string, fc.Arbitrary<unknown>>, seed: number): IDataObject[] {
	const item = fc
		.tuple(
			...columns.map((column) =>
				fc.oneof(
					{ weight: 5, arbitrary: plausible[column] ?? nastyText },
					{ weight: 3, arbitrary: anyValue },
					{ weight: 1, arbitrary: fc.constant(undefined) },
				),
			),
			fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 3 }),
		)
		.map((values) => {
			const extra = values[values.length - 1] as IDataObject;
			const result: IDataObject = { ...extra };
			columns.forEach((column, index) => {
				if (values[index] !== undefined) result[column] = values[index] as IDataObject[string];
			});
			return result;
		});
	return fc.sample(item, { numRuns: ITEMS_PER_OPERATION, seed });
}

/** `trimmed`: columns of Vault ids and names, sent without the blank space around them (the item says so in `normalised`) */
const OPERATIONS: Array<{ name: string; parameters: INodeParameters; columns: string[]; list?: RegExp; trimmed?: RegExp; plausible: Record<string, fc.Arbitrary<unknown>>; path: string }> = [
	{
		name: 'Manage Quality Team Assignments',
		parameters: { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' },
		columns: ['record_id', 'user_id', 'application_role', 'operation'],
		trimmed: /^(record_id|user_id|application_role)$/,
		plausible: {
			record_id: fc.integer({ min: 4000001, max: 4000100 }).map((n) => `OP${n}`),
			user_id: fc.integer({ min: 100001, max: 100500 }),
			application_role: fc.constantFrom('qa__c', 'sme__c', 'record_owner__c'),
			operation: fc.constantFrom('ADD', 'REMOVE', 'add', ' ADD'),
		},
		path: 'manageassignments',
	},
	{
		name: 'Associate Auditor Roles',
		parameters: { resource: 'auditor', operation: 'associateRoles' },
		columns: ['auditor_profile__v.name__v', 'auditor_role__v.name__v'],
		plausible: {},
		path: 'auditor_profiles/roles',
	},
	{
		name: 'Migrate Quality Team Members',
		parameters: { resource: 'qualityTeam', operation: 'migrateMembers', objectName: 'quality_event_quality_team_member__v' },
		columns: ['quality_event__qdm.name__v', 'user__sys.global_id__sys', 'application_role__v.api_name__v'],
		plausible: {
			'quality_event__qdm.name__v': fc.integer({ min: 1, max: 60 }).map((n) => `QE-${String(n).padStart(6, '0')}`),
			'user__sys.global_id__sys': fc.integer({ min: 100001, max: 100500 }).map((n) => `1001_${n}`),
			'application_role__v.api_name__v': fc.constantFrom('qa__c', 'sme__c'),
		},
		path: '/actions/migration',
	},
	{
		name: 'Assign Users & Groups to Roles on Multiple Documents',
		parameters: { resource: 'documentRole', operation: 'assign' },
		columns: ['id', 'reviewer__v.users', 'approver__v.groups', 'Consumer__v.users', 'consumer__v.users'],
		list: /\.(users|groups)$/,
		plausible: {
			id: fc.integer({ min: 1, max: 3000 }),
			'reviewer__v.users': fc.array(fc.integer({ min: 100001, max: 100300 }), { maxLength: 3 }),
			'approver__v.groups': fc.integer({ min: 3311301, max: 3311400 }).map(String),
		},
		path: '/roles/batch',
	},
	{
		name: 'Remove Users & Groups from Roles on Multiple Documents',
		parameters: { resource: 'documentRole', operation: 'remove' },
		columns: ['id', 'reviewer__v.users', 'consumer__v.groups'],
		list: /\.(users|groups)$/,
		plausible: { id: fc.integer({ min: 1, max: 3000 }), 'reviewer__v.users': fc.integer({ min: 100001, max: 100300 }) },
		path: '/roles/batch',
	},
];

const canonical = (row: IDataObject) => JSON.stringify(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

describe('fuzzing: random items per operation', () => {
	const vault = useSandbox();

	it.each(OPERATIONS.map((operation, index) => [operation.name, index] as const))('%s: no crash, one output per item, sent values arrive unchanged', async (_name, index) => {
		const operation = OPERATIONS[index];
		const items = itemsFor(operation.columns, operation.plausible, SEED + index);
		figures.items += items.length;
		const result = await vault.harness.run({ items, parameters: operation.parameters, onError: 'continueErrorOutput' });
		expect(result.error).toBeUndefined();
		const [main, errors] = result.outputs as INodeExecutionData[][];

		// every input item in exactly one output item
		expect(
			pairedOf([...main, ...errors])
				.flat()
				.sort((a, b) => a - b),
		).toEqual(items.map((_, i) => i));
		for (const item of errors) expect(String(item.json.error)).toMatch(/\w{4,}/);

		// what was sent is what Vault read: the rows on the items equal the rows parsed from the requests
		const sent = (await vault.sandbox.client.log()).filter((entry) => entry.path.includes(operation.path) && entry.method !== 'GET');
		const vaultRows = sent.flatMap((entry) => {
			const read = readVaultCsv(entry.body ?? '');
			if ('problem' in read) throw new Error(`Vault could not read a batch: ${read.problem}`);
			expect(read.table.headers.every((header) => operation.columns.includes(header))).toBe(true);
			return read.table.rows.map((row) => canonical(Object.fromEntries(Object.entries(row.values).filter(([, value]) => value !== ''))));
		});
		const itemRows = [...main, ...errors]
			.map((item) => (item.json.row ?? (item.json.details as IDataObject | undefined)?.row) as IDataObject | undefined)
			.filter((row): row is IDataObject => row !== undefined);
		expect(itemRows.map(canonical).sort()).toEqual([...vaultRows].sort());

		// and each sent text value is the item's own value, unchanged (an id or name without blank space around it, said on the item)
		const sentItems = [...main, ...errors].filter((item) => item.json.row ?? (item.json.details as IDataObject | undefined)?.row);
		for (const item of sentItems) {
			const input = items[pairedOf([item])[0][0]];
			const row = (item.json.row ?? (item.json.details as IDataObject).row) as IDataObject;
			for (const [column, value] of Object.entries(row)) {
				const given = input[column];
				if (typeof given === 'string' && operation.trimmed?.test(column) && given.trim() !== given) {
					expect(value).toBe(given.trim());
					expect(item.json.normalised ?? (item.json.details as IDataObject).normalised).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${column} `))]));
				} else if (typeof given === 'string' && !operation.list?.test(column)) expect(value).toBe(given);
				figures.sentValues++;
			}
		}
		expect(sent.length).toBeGreaterThan(0);
	});

	it('auditor profile and role names of any Unicode text land in Vault exactly as given', async () => {
		const names = fc.sample(
			fc.tuple(nastyText, nastyText).filter(([profile, role]) => profile.trim() !== '' && role.trim() !== ''),
			{ numRuns: ITEMS_PER_OPERATION, seed: SEED },
		);
		figures.items += names.length;
		await vault.sandbox.client.seed({ auditorProfiles: names.map(([profile]) => profile), auditorRoles: names.map(([, role]) => role) });
		const items = names.map(([profile, role]) => ({ 'auditor_profile__v.name__v': profile, 'auditor_role__v.name__v': role }));
		const result = await vault.harness.run({
			items,
			parameters: { resource: 'auditor', operation: 'associateRoles' },
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		const [main, errors] = result.outputs as INodeExecutionData[][];
		const refusable = (text: string) => text.includes('\r') || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
		const expectedBad = names.map(([profile, role], index) => (refusable(profile) || refusable(role) ? index : -1)).filter((index) => index >= 0);
		expect(pairedOf(errors).flat()).toEqual(expectedBad);
		expect(main.length + errors.length).toBe(names.length);
		await vault.sandbox.client.completeJobs();
		const state = await vault.sandbox.client.state();
		for (const item of main) {
			const [profile, role] = names[pairedOf([item])[0][0]];
			expect(state.auditorRoles[profile]).toContain(role);
			figures.sentValues += 2;
		}
		expect(jsonOf(main).length).toBeGreaterThan(ITEMS_PER_OPERATION / 2);
	});

	afterAll(() => {
		process.stdout.write(`fuzz: ${figures.items} random items, ${figures.sentValues} sent values compared\n`);
	});
});
