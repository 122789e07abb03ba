/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import Papa from 'papaparse';
import type { IDataObject, INode } from 'n8n-workflow';

import { Base64TextStream } from '../../nodes/VeevaVaultQms/csv/base64Stream';
import { parseCsv } from '../../nodes/VeevaVaultQms/csv/parse';
import type { WorkflowData } from '../harness/engine';
import { jsonOf, pairedOf, passwordCredential, useSandbox } from '../harness/fixtures';

const MANAGE_FILE = {
	resource: 'qualityTeam',
	operation: 'manageAssignments',
	objectName: 'quality_event__qdm',
	inputSource: 'binary',
	binaryPropertyName: 'data',
};
const records = Array.from({ length: 50 }, (_, i) => ({ object: 'quality_event__qdm', id: `OP${4000001 + i}`, name: `QE-${i}` }));

/** An input item carrying a CSV file, as Read/Write Files or Convert to File hand it on. */
function fileItem(csv: string, json: IDataObject = {}) {
	return { json, binary: { data: { data: Buffer.from(csv, 'utf8').toString('base64'), mimeType: 'text/csv', fileName: 'changes.csv' } } };
}

function memberCsv(from: number, count: number, edit: (row: string[], i: number) => string[] = (row) => row): string {
	const lines = ['record_id,user_id,application_role,operation'];
	for (let i = from; i < from + count; i++) lines.push(edit([`OP${4000001 + (i % 50)}`, String(100001 + i), 'qa__c', 'ADD'], i).join(','));
	return `${lines.join('\r\n')}\r\n`;
}

const membersOf = (teams: Record<string, Array<{ user_id: number }>>) =>
	Object.values(teams)
		.flat()
		.map((member) => member.user_id)
		.sort((a, b) => a - b);

describe('a CSV file as input', () => {
	const vault = useSandbox();
	beforeEach(async () => {
		await vault.sandbox.client.seed({ records });
	});
	const bulkCalls = async (fragment: string) => (await vault.sandbox.client.log()).filter((entry) => entry.path.includes(fragment));

	it('streams two files into full batches across them, one output per batch paired to its files', async () => {
		const result = await vault.harness.run({
			items: [fileItem(memberCsv(0, 700)), fileItem(memberCsv(700, 501))],
			parameters: { ...MANAGE_FILE, options: { outputMode: 'perBatch', waitForCompletion: true, pollIntervalSeconds: 0.1 } },
		});
		expect(result.error).toBeUndefined();
		const calls = await bulkCalls('manageassignments');
		expect(calls.map((call) => Papa.parse(call.body ?? '', { header: true, skipEmptyLines: true }).data.length)).toEqual([500, 500, 201]);
		const outputs = result.outputs[0];
		expect(jsonOf(outputs).map((json) => [json.batch, json.batchCount, json.rows, json.submitted, json.status])).toEqual([
			// the sandbox's users 100013 and 100666 are inactive: Vault's job refuses their rows
			[1, 3, 500, 500, 'ERRORS_ENCOUNTERED'],
			[2, 3, 500, 500, 'ERRORS_ENCOUNTERED'],
			[3, 3, 201, 201, 'SUCCESS'],
		]);
		expect(pairedOf(outputs)).toEqual([[0], [0, 1], [1]]);
		const state = await vault.sandbox.client.state();
		const inactive = [100013, 100666];
		expect(membersOf(state.teams.quality_event__qdm)).toEqual(
			Array.from({ length: 1201 }, (_, i) => 100001 + i).filter((user) => !inactive.includes(user)),
		);
		expect(state.jobs.map((job) => job.status)).toEqual(['ERRORS_ENCOUNTERED', 'ERRORS_ENCOUNTERED', 'SUCCESS']);
	});

	it('gives one output item per row in per-item mode, each paired to the file it came from, with its CSV row number', async () => {
		const result = await vault.harness.run({
			items: [fileItem(memberCsv(0, 3)), fileItem(memberCsv(3, 2))],
			parameters: MANAGE_FILE,
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).map((json) => [json.csvRow, (json.row as IDataObject).user_id])).toEqual([
			[2, '100001'],
			[3, '100002'],
			[4, '100003'],
			[2, '100004'],
			[3, '100005'],
		]);
		expect(pairedOf(result.outputs[0])).toEqual([[0], [0], [0], [1], [1]]);
	});

	it.each(['perBatch', 'perItem'])('stops before sending when a row of the file is bad (%s), naming the file item and CSV row', async (outputMode) => {
		const csv = memberCsv(0, 600, (row, i) => (i === 3 ? [row[0], row[1], row[2], 'add'] : i === 550 ? [row[0], '', row[2], row[3]] : row));
		const result = await vault.harness.run({ items: [fileItem(csv)], parameters: { ...MANAGE_FILE, options: { outputMode } } });
		expect(result.error?.message).toBe('2 item(s) cannot be sent to Vault, so nothing was sent');
		expect(result.error?.description).toContain('Item 0, CSV row 5: column "operation" is "add"');
		expect(result.error?.description).toContain('Item 0, CSV row 552: column "user_id" is missing or empty');
		expect(await bulkCalls('manageassignments')).toHaveLength(0);
	});

	it('with continue on fail, sends the good rows and puts each bad row on the error output', async () => {
		const csv = memberCsv(0, 600, (row, i) => (i === 3 ? [row[0], row[1], row[2], 'add'] : row));
		const result = await vault.harness.run({
			items: [fileItem(csv)],
			parameters: { ...MANAGE_FILE, options: { outputMode: 'perBatch' } },
			onError: 'continueErrorOutput',
		});
		const [batches, errors] = result.outputs;
		expect(jsonOf(batches).map((json) => json.rows)).toEqual([500, 99]);
		expect(errors).toHaveLength(1);
		expect(errors[0].json.error).toMatch(/^Not sent to Vault: column "operation" is "add"/);

		expect((errors[0].json.details as IDataObject).csvRow).toBe(5);
		expect(pairedOf(errors)).toEqual([[0]]);
		const members = membersOf((await vault.sandbox.client.state()).teams.quality_event__qdm);
		expect(members).toHaveLength(598); // 599 good rows; the sandbox user 100013 is inactive, so Vault skips that one
		expect(members).not.toContain(100004);
	});

	it('with continue on fail, a batch Vault refuses gives each of its rows an error item with its row, CSV row number and file item', async () => {
		await vault.sandbox.client.fault({ kind: 'http500', match: { path: 'manageassignments' }, skip: 1, count: 10 });
		const csv = memberCsv(0, 503);
		const result = await vault.harness.run({
			items: [fileItem(csv)],
			parameters: { ...MANAGE_FILE, options: { outputMode: 'perBatch', retryWaitSeconds: 0 } },
			onError: 'continueErrorOutput',
		});
		const [batches, errors] = result.outputs;
		expect(jsonOf(batches).map((json) => [json.batch, json.batchCount, json.rows, json.submitted])).toEqual([[1, 2, 500, 500]]);
		expect(errors.map((item) => [(item.json.details as IDataObject).csvRow, (item.json.details as IDataObject).row, (item.json.details as IDataObject).batch])).toEqual([
			[502, { record_id: 'OP4000001', user_id: '100501', application_role: 'qa__c', operation: 'ADD' }, 2],
			[503, { record_id: 'OP4000002', user_id: '100502', application_role: 'qa__c', operation: 'ADD' }, 2],
			[504, { record_id: 'OP4000003', user_id: '100503', application_role: 'qa__c', operation: 'ADD' }, 2],
		]);
		expect(errors[0].json.error).toMatch(/^Batch 2 of 2 failed/);
		expect(pairedOf(errors)).toEqual([[0], [0], [0]]);
	});

	it('reads a BOM, blank and blank-looking lines and quoted values with commas, quotes and line breaks, and sends each batch as Vault CSV', async () => {
		const csv = ['\uFEFFid,reviewer__v.users,consumer__v.users', '', '11,100001,', '  ,  ', '12,,"100002,100003"', ',,', '13," 100004",', ''].join('\r\n');
		const result = await vault.harness.run({
			items: [fileItem(csv)],
			parameters: { resource: 'documentRole', operation: 'assign', inputSource: 'binary', options: { outputMode: 'perBatch', batchSize: 2 } },
		});
		expect(result.error).toBeUndefined();
		expect((await bulkCalls('/roles/batch')).map((call) => call.body)).toEqual([
			'id,consumer__v.users,reviewer__v.users\r\n11,,100001\r\n12,"100002,100003",\r\n',
			'id,consumer__v.users,reviewer__v.users\r\n13,,100004\r\n',
		]);
		expect(jsonOf(result.outputs[0]).map((json) => [json.batch, json.rows, json.succeeded])).toEqual([
			[1, 2, 2],
			[2, 1, 1],
		]);
	});

	it.each(['perBatch', 'perItem'])('numbers a row by the records before it (%s): a quoted line break is one row, a blank line none', async (outputMode) => {
		const csv = ['record_id,user_id,application_role,operation', 'OP4000001,100001,qa__c,ADD', '', 'OP4000002,100002,qa__c,"AD', 'D"', 'OP4000003,"say ""hi""",qa__c,ADD', '   ', 'OP4000004,100004,qa__c,add', ''].join('\r\n');
		const result = await vault.harness.run({ items: [fileItem(csv)], parameters: { ...MANAGE_FILE, options: { outputMode } } });
		expect(result.error?.message).toBe('3 item(s) cannot be sent to Vault, so nothing was sent');
		expect(result.error?.description).toMatch(/Item 0, CSV row 3: column "operation"/);
		expect(result.error?.description).toMatch(/Item 0, CSV row 4: column "user_id"/);
		expect(result.error?.description).toMatch(/Item 0, CSV row 5: column "operation" is "add"/);
		expect(await bulkCalls('manageassignments')).toHaveLength(0);
	});

	it('builds one header for every batch of document roles, from the role columns any row uses', async () => {
		const csv = ['id,reviewer__v.users,approver__v.groups,consumer__v.users', '11,100001,,', '12,,3311301,', '13,,,"100002,100003"', '14,100004,,'].join('\n');
		const result = await vault.harness.run({
			items: [fileItem(csv)],
			parameters: { resource: 'documentRole', operation: 'assign', inputSource: 'binary', options: { outputMode: 'perBatch', batchSize: 2 } },
		});
		expect(result.error).toBeUndefined();
		const calls = await bulkCalls('/roles/batch');
		expect(calls.map((call) => call.body?.split('\r\n')[0])).toEqual([
			'id,approver__v.groups,consumer__v.users,reviewer__v.users',
			'id,approver__v.groups,consumer__v.users,reviewer__v.users',
		]);
		expect(jsonOf(result.outputs[0]).map((json) => [json.batch, json.succeeded])).toEqual([
			[1, 2],
			[2, 2],
		]);
		const roles = (await vault.sandbox.client.state()).documentRoles;
		expect(roles['13'].consumer__v.users).toEqual([100002, 100003]);
		expect(roles['12'].approver__v.groups).toEqual([3311301]);
	});

	it('dry-runs a file: one item per batch with its CSV, and nothing sent', async () => {
		const result = await vault.harness.run({
			items: [fileItem(memberCsv(0, 1001))],
			parameters: { ...MANAGE_FILE, options: { outputMode: 'perBatch', dryRun: true } },
		});
		expect(result.error).toBeUndefined();
		const outputs = result.outputs[0];
		expect(jsonOf(outputs).map((json) => [json.batch, json.batchCount, json.rows])).toEqual([
			[1, 3, 500],
			[2, 3, 500],
			[3, 3, 1],
		]);
		const sentRows = outputs.flatMap(
			(item) => Papa.parse<IDataObject>(Buffer.from(item.binary?.csv.data ?? '', 'base64').toString('utf8'), { header: true, skipEmptyLines: true }).data,
		);
		expect(sentRows.map((row) => row.user_id)).toEqual(Array.from({ length: 1001 }, (_, i) => String(100001 + i)));
		expect((await vault.sandbox.client.log()).filter((entry) => !entry.path.startsWith('/_sandbox'))).toHaveLength(0);
	});

	it('runs the new-hire and nightly CSV sync examples: the hire joins, the nightly file adds joiners and removes the leaver', async () => {
		const example = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', name), 'utf8')) as WorkflowData & { nodes: INode[] };
		const vaultNodeOf = (workflow: WorkflowData & { nodes: INode[] }) => workflow.nodes.find((node) => node.type.endsWith('.veevaVaultQms')) as INode;
		await vault.sandbox.client.seed({
			records: [
				{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' },
				{ object: 'quality_event__qdm', id: 'OP4000009', name: 'QE-000009' },
			],
		});
		vault.harness.credentials.add(passwordCredential(vault.sandbox, {}, 'vault-sandbox'));
		for (const workflow of [example('new-hire-to-quality-team.json'), example('nightly-csv-sync.json')]) {
			vaultNodeOf(workflow).parameters.options = { ...(vaultNodeOf(workflow).parameters.options as IDataObject), pollIntervalSeconds: 0.1 };
		}
		const hire = example('new-hire-to-quality-team.json');
		const hireRun = await vault.harness.runWorkflow(hire, 'Try it');
		expect(hireRun.data.resultData.error).toBeUndefined();
		expect((await vault.sandbox.client.state()).teams.quality_event__qdm.OP4000008).toEqual([{ user_id: 100001, application_role: 'record_owner__c' }]);

		const nightly = example('nightly-csv-sync.json');
		const run = await vault.harness.runWorkflow(nightly, 'Try it');
		expect(run.data.resultData.error).toBeUndefined();
		const [summary] = run.data.resultData.runData[vaultNodeOf(nightly).name][0].data?.main[0] ?? [];
		expect(summary.json).toMatchObject({ batch: 1, rows: 4, submitted: 4, state: 'finished', status: 'SUCCESS' });
		expect(Buffer.from(summary.binary?.csv.data ?? '', 'base64').toString('utf8')).toContain('OP4000008,100001,record_owner__c,REMOVE');
		const team = (await vault.sandbox.client.state()).teams.quality_event__qdm;
		expect(team.OP4000008.map((member) => member.user_id).sort()).toEqual([100002, 100003]);
		expect(team.OP4000009.map((member) => member.user_id)).toEqual([100004]);
	});
});

describe('parseCsv', () => {
	it('keeps a character whole when a stream splits its bytes across chunks', async () => {
		const text = `name\r\n${Array.from({ length: 300 }, (_, i) => `é€ü-${i}`).join('\r\n')}\r\n`;
		const bytes = Buffer.from(text, 'utf8');
		const chunks: Buffer[] = [];
		for (let at = 0; at < bytes.length; at += 7) chunks.push(bytes.subarray(at, at + 7));
		const names: unknown[] = [];
		await parseCsv(Readable.from(chunks), (fields) => {
			names.push(fields.name);
		});
		expect(names).toEqual(Array.from({ length: 300 }, (_, i) => `é€ü-${i}`));
	});

	it('reads a file kept as base64 piece by piece, pausing at every row, with every row and character whole', async () => {
		// ~200 KB: several 48 KiB pieces, multibyte characters and quoted line breaks across their edges
		const expected = Array.from({ length: 8_000 }, (_, i) => (i % 7 === 0 ? `line\nbreak, "quoted" é€ü😀-${i}` : `é€ü😀-${i}`));
		const text = `name\r\n${expected.map((name) => `"${name.replace(/"/g, '""')}"`).join('\r\n')}\r\n`;
		const names: unknown[] = [];
		await parseCsv(new Base64TextStream(Buffer.from(text, 'utf8').toString('base64')), async (fields) => {
			names.push(fields.name);
			await Promise.resolve();
		});
		expect(names).toEqual(expected);
	});

	it('reads no further into the file while a row\'s promise is pending: the stream is paused with the parser', async () => {
		// ~1 MB in 16 KiB pieces (48 KiB before); the first row's promise looks at how much of the file was decoded by then
		const text = `name\r\n${Array.from({ length: 100_000 }, (_, i) => `row-${i}`).join('\r\n')}\r\n`;
		let pieces = 0;
		const input = new Base64TextStream(Buffer.from(text, 'utf8').toString('base64'), 16_384);
		input.on('data', () => pieces++);
		let seenAtFirstPause = -1;
		let rows = 0;
		await parseCsv(input, async () => {
			rows++;
			if (rows !== 1) return;
			await new Promise((resolve) => setTimeout(resolve, 20));
			seenAtFirstPause = pieces;
		});
		expect(rows).toBe(100_000);
		expect(pieces).toBeGreaterThan(20);
		expect(seenAtFirstPause).toBeLessThanOrEqual(2);
	});

	it('decodes base64 with line breaks in it whole, as Buffer does', async () => {
		const base64 = Buffer.from('name\r\nAnna\r\nBo\r\n', 'utf8').toString('base64').replace(/(.{8})/g, '$1\n');
		const names: unknown[] = [];
		await parseCsv(new Base64TextStream(base64), (fields) => {
			names.push(fields.name);
		});
		expect(names).toEqual(['Anna', 'Bo']);
	});
});
