import Papa from 'papaparse';

import { planBatches } from '../../nodes/VeevaVaultQms/pipeline/plan';
import type { PlannedRow } from '../../nodes/VeevaVaultQms/pipeline/types';
import { toCell } from '../../nodes/VeevaVaultQms/pipeline/map';
import { rowProblems } from '../../nodes/VeevaVaultQms/pipeline/validate';
import { csvHeaderBytes, csvRowBytes, toVaultCsv } from '../../nodes/VeevaVaultQms/csv/vaultCsv';
import { manageQualityTeamAssignments } from '../../nodes/VeevaVaultQms/operations/manageAssignments';
import { migrateQualityTeamMembers, DEFAULT_MIGRATE_COLUMNS } from '../../nodes/VeevaVaultQms/operations/migrateMembers';
import { checkClientId, parseVaultAddress } from '../../nodes/VeevaVaultQms/transport/vaultAddress';
import { readJobId } from '../../nodes/VeevaVaultQms/pipeline/send';
import { prepareReconciled } from '../../nodes/VeevaVaultQms/pipeline/prepare';
import { syncQualityTeamMembers } from '../../nodes/VeevaVaultQms/operations/syncMembers';
import { rawOutputRun } from '../n8n/examples';

const rowsOf = (count: number, bytes = 10, key?: (i: number) => string): PlannedRow[] =>
	Array.from({ length: count }, (_, itemIndex) => ({ itemIndex, row: { k: key ? key(itemIndex) : String(itemIndex) }, bytes }));

describe('planBatches', () => {
	it.each([
		[0, 0],
		[1, 1],
		[500, 1],
		[501, 2],
		[1000, 2],
		[1001, 3],
		[1201, 3],
	])('%i rows at 500 per batch make %i batches, every row once, in order', (count, expected) => {
		const plan = planBatches(rowsOf(count), { rowLimit: 500, byteLimit: 1e9, headerBytes: 5 });
		expect(plan.batches).toHaveLength(expected);
		expect(plan.batches.flatMap((batch) => batch.rows.map((row) => row.itemIndex))).toEqual([...Array(count).keys()]);
		expect(plan.batches.every((batch) => batch.rows.length <= 500)).toBe(true);
	});

	it('splits on the byte limit, counting the header in every batch', () => {
		const plan = planBatches(rowsOf(10, 30), { rowLimit: 500, byteLimit: 100, headerBytes: 10 });
		expect(plan.batches.map((batch) => batch.rows.length)).toEqual([3, 3, 3, 1]);
		expect(plan.batches.every((batch) => batch.bytes <= 100)).toBe(true);
	});

	it('refuses a row bigger than a whole batch, and only that row', () => {
		const rows = rowsOf(3, 10);
		rows[1].bytes = 500;
		const plan = planBatches(rows, { rowLimit: 500, byteLimit: 100, headerBytes: 10 });
		expect(plan.refused.map((refused) => refused.rows.map((row) => row.itemIndex))).toEqual([[1]]);
		expect(plan.batches.flatMap((batch) => batch.rows.map((row) => row.itemIndex))).toEqual([0, 2]);
	});

	it('keeps every group whole and refuses a group larger than a batch', () => {
		// groups of 3 interleaved; a 4-row limit means no two groups share a batch
		const rows = rowsOf(12, 10, (i) => `R${i % 4}`);
		const plan = planBatches(rows, { rowLimit: 4, byteLimit: 1e9, headerBytes: 5, groupBy: 'k' });
		for (const batch of plan.batches) {
			const keys = new Set(batch.rows.map((row) => row.row.k));
			for (const key of keys) expect(rows.filter((row) => row.row.k === key).length).toBe(batch.rows.filter((row) => row.row.k === key).length);
		}
		const big = planBatches(rowsOf(6, 10, (i) => (i < 5 ? 'BIG' : 'small')), { rowLimit: 4, byteLimit: 1e9, headerBytes: 5, groupBy: 'k' });
		expect(big.refused[0].rows).toHaveLength(5);
		expect(big.refused[0].reason).toMatch(/record "BIG" has 5 rows.*at most 4 rows/);
		expect(big.batches.flatMap((batch) => batch.rows.map((row) => row.row.k))).toEqual(['small']);
	});
});

describe('Vault CSV', () => {
	const header = ['a', 'b'];
	const tricky = ['comma, inside', 'quote " inside', 'line\nbreak', 'tab\there', 'back\\slash', 'ünïcødé ✓', ' padded ', '=SUM(A1)'];

	it('round-trips every tricky value through papaparse once backslashes are undone, and counts its bytes exactly', () => {
		for (const value of tricky) {
			const row = { a: value, b: 'x' };
			const csv = toVaultCsv(header, [row]);
			const parsed = Papa.parse<string[]>(csv.trim(), { header: false }).data;
			expect(parsed[1][0].replace(/\\\\/g, '\\')).toBe(value);
			expect(Buffer.byteLength(csv)).toBe(csvHeaderBytes(header) + csvRowBytes(header, row));
		}
	});

	it('doubles each backslash, as Vault requires', () => {
		expect(toVaultCsv(['a'], [{ a: 'C:\\dir\\' }])).toBe('a\r\nC:\\\\dir\\\\\r\n');
	});
});

describe('cell values and column rules', () => {
	it('turns lists into comma-separated ids and refuses objects', () => {
		expect(toCell([12021, '12022', ' '], true)).toBe('12021,12022');
		expect(toCell([1, 2], false)).toEqual({ problem: expect.stringContaining('list') });
		expect(toCell({ a: 1 }, false)).toEqual({ problem: expect.stringContaining('object') });
		expect(toCell(Number.NaN, false)).toEqual({ problem: expect.stringContaining('NaN') });
		expect(toCell(null, false)).toBe('');
	});

	it('says what Vault would refuse, in words', () => {
		const columns = manageQualityTeamAssignments.columns({ objectName: 'x', columnNames: DEFAULT_MIGRATE_COLUMNS });
		const problems = rowProblems({ record_id: 'OP1', user_id: '5\r', operation: 'add' }, columns);
		expect(problems).toEqual([
			expect.stringMatching(/"user_id" contains a carriage return/),
			expect.stringMatching(/"application_role" is missing/),
			expect.stringMatching(/"operation" is "add"; Vault accepts exactly ADD or REMOVE \(case-sensitive: write ADD\)/),
		]);
		const migrate = migrateQualityTeamMembers.columns({ objectName: 'x', columnNames: DEFAULT_MIGRATE_COLUMNS });
		const long = 'x'.repeat(1500);
		expect(rowProblems({ [DEFAULT_MIGRATE_COLUMNS[0]]: long, [DEFAULT_MIGRATE_COLUMNS[1]]: 'u', [DEFAULT_MIGRATE_COLUMNS[2]]: 'r' }, migrate)).toEqual([
			expect.stringMatching(/1500 characters long; Vault accepts values under 1500/),
		]);
		expect(rowProblems({ [DEFAULT_MIGRATE_COLUMNS[0]]: 'x'.repeat(1499), [DEFAULT_MIGRATE_COLUMNS[1]]: 'u', [DEFAULT_MIGRATE_COLUMNS[2]]: 'r' }, migrate)).toEqual([]);
	});
});

describe('prepareReconciled: Sync\'s rows enter the plan after validation, each row validated once (issue 21)', () => {
	const context = { objectName: 'quality_event__qdm' };
	const teamRow = (record: string, user: string, role: string, operation: string) => ({ record_id: record, user_id: user, application_role: role, operation });

	it('a roster row goes on as reconcile built it, not mapped again; a member read from Vault is checked by the column rules, its only time', () => {
		const roster = { itemIndex: 0, fields: teamRow('OP4000008', '100006', 'sme__c', 'ADD'), note: { change: 'add' } };
		const fromVault = { itemIndex: -1, fields: teamRow('OP4000008', '100002', 'sme__c', 'REMOVE'), note: { change: 'remove' } };
		const oddFromVault = { itemIndex: -1, fields: teamRow('OP4000008', '100003', 'SME__c', 'REMOVE'), note: { change: 'remove' } };
		const prepared = prepareReconciled([roster, fromVault, oddFromVault], syncQualityTeamMembers, context);
		expect(prepared.header).toEqual(['record_id', 'user_id', 'application_role', 'operation']);
		// the very object reconcile built: mapRow makes a new one
		expect(prepared.rows[0].row).toBe(roster.fields);
		expect(prepared.rows[1].row).not.toBe(fromVault.fields);
		expect(prepared.rows.map((row) => [row.itemIndex, row.note, row.bytes])).toEqual([
			[0, { change: 'add' }, csvRowBytes(prepared.header, roster.fields)],
			[-1, { change: 'remove' }, csvRowBytes(prepared.header, fromVault.fields)],
		]);
		expect(prepared.problems).toEqual([expect.objectContaining({ itemIndex: -1, problems: [expect.stringMatching(/SME__c/)] })]);
	});
});

describe('Vault address and client id', () => {
	it.each([
		['myvault.veevavault.com', 'https://myvault.veevavault.com'],
		['https://MyVault.veevavault.com/', 'https://myvault.veevavault.com'],
		['http://127.0.0.1:8470', 'http://127.0.0.1:8470'],
		['http://localhost:8470', 'http://localhost:8470'],
	])('accepts %s', (input, origin) => {
		expect(parseVaultAddress(input).origin).toBe(origin);
	});

	it.each([
		['http://myvault.veevavault.com', /plain http/],
		['ftp://myvault.veevavault.com', /https only/],
		['myvault.veevavault.com/api', /not a host name/],
		['https://myvault.veevavault.com/api/v25.3', /path or query/],
		['user@myvault.veevavault.com', /must not contain a user name or password/],
		['https://user:pw@myvault.veevavault.com', /user name or password/],
		['https://myvault.veevavault.com?x=1', /path or query/],
		['https://myvault.veevavault.com#frag', /path or query/],
		['my vault.veevavault.com', /not a host name/],
		['', /empty/],
	])('refuses %s', (input, message) => {
		expect(() => parseVaultAddress(input)).toThrow(message);
	});

	it('accepts only 1-100 letters, digits, ".", "_", "-" as client id', () => {
		expect(checkClientId('n8n-nodes-veeva-vault-qms')).toBe('n8n-nodes-veeva-vault-qms');
		for (const bad of ['', 'has space', 'a/b', 'x'.repeat(101), 'ünï']) expect(() => checkClientId(bad)).toThrow(/Client ID/);
	});
});

describe('readJobId', () => {
	it('accepts jobId or job_id, number or string', () => {
		expect(readJobId({ jobId: 571902 })).toBe('571902');
		expect(readJobId({ jobId: '243001' })).toBe('243001');
		expect(readJobId({ job_id: 7 })).toBe('7');
		expect(readJobId({ responseStatus: 'SUCCESS' })).toBeUndefined();
		expect(readJobId({ jobId: '../1' })).toBeUndefined();
	});
});

describe('reading what `n8n execute --rawOutput` printed (test/n8n)', () => {
	const run = { data: { resultData: { runData: { 'Try it': [{ note: '{ not a line of its own }' }] } } }, status: 'success', finished: true };
	const printed = JSON.stringify(run, null, 2);

	it.each([
		['log lines before it', `n8n Task Broker ready on 127.0.0.1, port 41993\n[license SDK] Skipping renewal {renewOnInit: false}\n${printed}\n`],
		['the task runner registering after it', `Legacy aes-256-cbc encryption key not found\n${printed}\nRegistered runner "JS Task Runner" (zyT3_LWASeSfLFfXAVAOl) \n`],
		['nothing else', printed],
	])('finds the run with %s', (_, stdout) => {
		const read = rawOutputRun<typeof run>(stdout);
		expect(read.error).toBeUndefined();
		expect(read.run).toEqual(run);
		expect(read.otherLines.join('\n')).toBe(stdout.replace(printed, '').split('\n').filter((text) => text.trim()).join('\n'));
	});

	it('says so when there is no run, or a cut-off one', () => {
		expect(rawOutputRun('Error: workflow not found').error).toMatch(/no JSON object/);
		expect(rawOutputRun(`${printed.slice(0, 40)}\n}`).error).toMatch(/does not parse/);
	});
});
