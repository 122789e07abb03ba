import Papa from 'papaparse';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { jsonOf, useSandbox } from '../harness/fixtures';

const schema = (columns: string[]) => columns.map((id) => ({ id, displayName: id, type: 'string', required: false, display: true, defaultMatch: false }));
const MANAGE_COLUMNS = ['record_id', 'user_id', 'application_role', 'operation'];

describe('"Map Each Column Manually"', () => {
	const vault = useSandbox();
	const sentRows = async () =>
		(await vault.sandbox.client.log())
			.filter((entry) => entry.path.includes('manageassignments'))
			.flatMap((entry) => Papa.parse<IDataObject>(entry.body ?? '', { header: true, skipEmptyLines: true }).data);

	const people = [
		{ event: { id: 'OP4000001' }, employee: 100001, dept: 'qa', action: 'join' },
		{ event: { id: 'OP4000002' }, employee: 100002, dept: 'sme', action: 'join' },
		{ event: { id: 'OP4000003' }, employee: 100003, dept: 'qa', action: 'leave' },
	];
	const expected = [
		{ record_id: 'OP4000001', user_id: '100001', application_role: 'qa__c', operation: 'ADD' },
		{ record_id: 'OP4000002', user_id: '100002', application_role: 'sme__c', operation: 'ADD' },
		{ record_id: 'OP4000003', user_id: '100003', application_role: 'qa__c', operation: 'REMOVE' },
	];
	const withColumns = (value: IDataObject): INodeParameters => ({
		resource: 'qualityTeam',
		operation: 'manageAssignments',
		objectName: 'quality_event__qdm',
		columns: { mappingMode: 'defineBelow', value, schema: schema(MANAGE_COLUMNS) } as never,
	});

	it('evaluates computed expressions per item, next to plain field picks and fixed values', async () => {
		const result = await vault.harness.run({
			items: people,
			parameters: withColumns({
				record_id: '={{ $json.event.id }}',
				user_id: '={{ $json["employee"] }}',
				application_role: "={{ $json.dept + '__c' }}",
				operation: "={{ $json.action === 'join' ? 'ADD' : 'REMOVE' }}",
			}),
		});
		expect(result.error).toBeUndefined();
		expect(await sentRows()).toEqual(expected);
		expect(jsonOf(result.outputs[0]).map((json) => json.row)).toEqual(expected);
	});

	it('reads plain field picks straight from the item, with the same result as n8n evaluating them', async () => {
		const items = expected.map((row) => ({ rid: row.record_id, 'user id': Number(row.user_id), role: row.application_role, op: row.operation }));
		const plain = await vault.harness.run({
			items,
			parameters: withColumns({ record_id: '={{ $json.rid }}', user_id: "={{ $json['user id'] }}", application_role: '={{$json.role}}', operation: '={{ $json["op"] }}' }),
		});
		expect(plain.error).toBeUndefined();
		const viaPlain = await sentRows();
		await vault.sandbox.client.clearLog();
		// the same columns, each made a (trivially) computed expression so n8n evaluates it
		const evaluated = await vault.harness.run({
			items,
			parameters: withColumns({ record_id: '={{ $json.rid + "" }}', user_id: "={{ $json['user id'] }}", application_role: '={{$json.role}}', operation: '={{ $json["op"] }}' }),
		});
		expect(evaluated.error).toBeUndefined();
		expect(viaPlain).toEqual(expected);
		expect(await sentRows()).toEqual(viaPlain);
	});

	it('sends a fixed value given without an expression, and a missing field is that item\'s error', async () => {
		const result = await vault.harness.run({
			items: [{ rid: 'OP4000001', uid: 100001 }, { rid: 'OP4000002' }],
			parameters: withColumns({ record_id: '={{ $json.rid }}', user_id: '={{ $json.uid }}', application_role: 'qa__c', operation: 'ADD' }),
			onError: 'continueErrorOutput',
		});
		const [main, errors] = result.outputs;
		expect(jsonOf(main).map((json) => json.row)).toEqual([{ record_id: 'OP4000001', user_id: '100001', application_role: 'qa__c', operation: 'ADD' }]);
		expect(errors[0].json.error).toMatch(/column "user_id" is missing or empty/);
	});
});
