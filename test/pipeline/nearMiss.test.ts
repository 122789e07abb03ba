import type { IDataObject } from 'n8n-workflow';

import { jsonOf, useSandbox } from '../harness/fixtures';

const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const DOCS = { resource: 'documentRole', operation: 'assign' };

describe('a field that nearly names a Vault column is its item\'s error, never dropped in silence', () => {
	const vault = useSandbox();
	const sent = async (fragment: string) => (await vault.sandbox.client.log()).filter((entry) => entry.method !== 'GET' && entry.path.includes(fragment));

	beforeEach(async () => {
		await vault.sandbox.client.seed({ records: [{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' }] });
	});

	it('document roles: a singular role column and a capitalised one name both spellings; nothing is sent', async () => {
		const items = [
			{ id: 11, 'reviewer__v.users': '100001', 'approver__v.user': [100003] },
			{ id: 12, 'Reviewer__v.users': '100002' },
		];
		const run = await vault.harness.run({ items, parameters: DOCS });
		expect(run.error?.message).toMatch(/^2 item\(s\) cannot be sent to Vault/);
		expect(run.error?.description).toContain('Item 0: field "approver__v.user" looks like the Vault column "approver__v.users"');
		expect(run.error?.description).toContain('Item 1: field "Reviewer__v.users" looks like the Vault column "reviewer__v.users"');
		expect(await sent('/roles/batch')).toEqual([]);
	});

	it.each([
		['another case', { Record_ID: 'OP4000008', user_id: 100001, application_role: 'qa__c', operation: 'ADD' }, 'Record_ID', 'record_id'],
		['a letter off', { record_id: 'OP4000008', user_id: 100001, aplication_role: 'qa__c', operation: 'ADD' }, 'aplication_role', 'application_role'],
		['a plural', { record_id: 'OP4000008', user_id: 100001, application_role: 'qa__c', operations: 'ADD' }, 'operations', 'operation'],
	])('Manage: %s', async (_kind, item, field, column) => {
		const run = await vault.harness.run({ items: [item], parameters: MANAGE, onError: 'continueErrorOutput' });
		expect(String(jsonOf(run.outputs[1])[0].error)).toContain(`field "${field}" looks like the Vault column "${column}"`);
		expect(await sent('manageassignments')).toEqual([]);
	});

	it('a missing column names the fields the item had, so the user sees what came instead', async () => {
		const run = await vault.harness.run({ items: [{ rid: 'OP4000008', person: 100001, application_role: 'qa__c', operation: 'ADD' }], parameters: MANAGE });
		expect(run.error?.description).toContain('Item 0: column "record_id" is missing or empty; Vault requires it');
		expect(run.error?.description).toMatch(/the item's fields are "rid", "person", "application_role", "operation"/);
		expect(await sent('manageassignments')).toEqual([]);
	});

	it('other fields are fine: not sent, and listed once in an execution hint', async () => {
		const items: IDataObject[] = [{ record_id: 'OP4000008', user_id: 100001, application_role: 'qa__c', operation: 'ADD', hrSystemId: 'E-1', Record_ID: 'OP4000008' }];
		const run = await vault.harness.run({ items, parameters: MANAGE });
		expect(run.error).toBeUndefined();
		// the right column has a value: a near-named extra field is not an error then
		expect(jsonOf(run.outputs[0])[0].row).toEqual({ record_id: 'OP4000008', user_id: '100001', application_role: 'qa__c', operation: 'ADD' });
		const hints = run.run.data.resultData.runData.Vault?.[0]?.hints ?? [];
		expect(hints.map((hint) => hint.message)).toEqual([expect.stringMatching(/Input fields not sent to Vault .*: hrSystemId, Record_ID$/)]);
	});
});
