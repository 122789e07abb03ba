import type { INodeListSearchResult, INodePropertyOptions, ResourceMapperFields } from 'n8n-workflow';

import { callEditorMethod } from '../harness/editor';
import { createHarness } from '../harness/engine';
import { jsonOf, useSandbox } from '../harness/fixtures';

/**
 * The editor's lists, as n8n's editor asks for them (n8n-core's LoadOptionsContext, real HTTP to
 * the sandbox): the object pickers, the document roles and the typed column mapper; and what a
 * user keeps when the Vault refuses its metadata: a typed or chosen value still runs.
 */
const vault = useSandbox();
const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments' };
const ASSIGN = { resource: 'documentRole', operation: 'assign' };
const RUN_MANAGE = { ...MANAGE, objectName: 'quality_event__qdm' };
const metadataCalls = async () => (await vault.sandbox.client.log()).filter((entry) => /\/metadata\/|\/configuration\//.test(entry.path) || /application_role__v/.test(entry.vql ?? ''));
const fieldsOf = (result: ResourceMapperFields) => Object.fromEntries(result.fields.map((field) => [field.id, field]));

describe('object pickers (resource locator, From list)', () => {
	// issue 22, item 5 changed this: the objects with a Quality Team come from Vault's team definitions, not from a name pattern
	it("lists the objects that have a Quality Team (Vault's team definitions) first, each naming its teams and member objects, then the other objects", async () => {
		const list = await callEditorMethod<INodeListSearchResult>(vault.harness, 'listSearch', 'searchTeamObjects', MANAGE);
		const values = list.results.map((entry) => entry.value);
		const teamEnabled = list.results.filter((entry) => entry.description?.startsWith('Quality Team: '));
		expect(teamEnabled.map((entry) => entry.value).sort()).toEqual(['change_action__v', 'complaint__qdm', 'investigation__qdm', 'lab_investigation__qdm', 'quality_event__qdm', 'risk_event__v']);
		expect(values.slice(0, teamEnabled.length)).toEqual(teamEnabled.map((entry) => entry.value));
		expect(list.results.find((entry) => entry.value === 'quality_event__qdm')).toMatchObject({ name: 'Quality Event (quality_event__qdm)', description: 'Quality Team: Quality Event Team, members in quality_event_quality_team_member__v' });
		// complaint__qdm's member objects follow no pattern: named as its definitions name them, one team per object type
		expect(list.results.find((entry) => entry.value === 'complaint__qdm')?.description).toBe(
			'Quality Team: Product Complaint Team (type product_complaint__c), members in pc_team_assignment__sys; Complaint Team, members in complaint_members__c',
		);
		// member objects are not offered as team-enabled objects
		expect(teamEnabled.map((entry) => entry.value)).not.toContain('pc_team_assignment__sys');
		expect(values).toContain('application_role__v');
	});

	it("falls back to the name pattern, said in every such entry, when Vault will not give its team definitions", async () => {
		await vault.sandbox.client.settings({ refuseTeamConfiguration: true } as never);
		const list = await callEditorMethod<INodeListSearchResult>(vault.harness, 'listSearch', 'searchTeamObjects', MANAGE);
		const guessed = list.results.filter((entry) => entry.description !== undefined);
		expect(guessed.map((entry) => entry.value).sort()).toEqual(['change_action__v', 'investigation__qdm', 'lab_investigation__qdm', 'quality_event__qdm', 'risk_event__v']);
		expect(guessed[0].description).toMatch(/^Has Quality Teams\? members in \w+_quality_team_member__v, by name only: Vault did not give its Quality Team definitions \(INSUFFICIENT_ACCESS: /);
		const members = await callEditorMethod<INodeListSearchResult>(vault.harness, 'listSearch', 'searchTeamMemberObjects', { resource: 'qualityTeam', operation: 'migrateMembers' });
		expect(members.results.filter((entry) => entry.description !== undefined).map((entry) => entry.value)).not.toContain('pc_team_assignment__sys');
	});

	it('filters by what the user types, in the label or the name', async () => {
		const byLabel = await callEditorMethod<INodeListSearchResult>(vault.harness, 'listSearch', 'searchTeamObjects', MANAGE, { filter: 'risk' });
		expect(byLabel.results.map((entry) => entry.value)).toEqual(['risk_event__v']);
		const byName = await callEditorMethod<INodeListSearchResult>(vault.harness, 'listSearch', 'searchTeamObjects', MANAGE, { filter: 'INVESTIGATION__qdm' });
		expect(byName.results.map((entry) => entry.value).sort()).toEqual(['investigation__qdm', 'lab_investigation__qdm']);
	});

	it("Migrate's picker offers the member objects of the Vault's Quality Teams first, each naming its team", async () => {
		const list = await callEditorMethod<INodeListSearchResult>(vault.harness, 'listSearch', 'searchTeamMemberObjects', { resource: 'qualityTeam', operation: 'migrateMembers' });
		const members = list.results.filter((entry) => entry.description?.startsWith('Members of ')).map((entry) => entry.value);
		expect(members.sort()).toEqual([
			'change_action_quality_team_member__v',
			'complaint_members__c',
			'investigation_quality_team_member__v',
			'lab_investigation_quality_team_member__v',
			'pc_team_assignment__sys',
			'quality_event_quality_team_member__v',
			'risk_event_quality_team_member__v',
		]);
		expect(list.results.slice(0, members.length).map((entry) => entry.value).sort()).toEqual(members);
		expect(list.results.find((entry) => entry.value === 'pc_team_assignment__sys')?.description).toBe('Members of Product Complaint Team (complaint__qdm, type product_complaint__c)');
	});

	it('logs in once and reuses the session for the next list, as runs do', async () => {
		await callEditorMethod(vault.harness, 'listSearch', 'searchTeamObjects', MANAGE);
		await callEditorMethod(vault.harness, 'listSearch', 'searchTeamMemberObjects', MANAGE);
		await callEditorMethod(vault.harness, 'loadOptions', 'getDocumentRoles', ASSIGN);
		const log = await vault.sandbox.client.log();
		expect(log.filter((entry) => entry.path.endsWith('/auth'))).toHaveLength(1);
		expect(log.filter((entry) => entry.path.endsWith('/metadata/vobjects'))).toHaveLength(2);
	});
});

describe('document roles (dynamic options)', () => {
	it("offers each role of the Vault's lifecycles once, naming its lifecycles", async () => {
		const roles = await callEditorMethod<INodePropertyOptions[]>(vault.harness, 'loadOptions', 'getDocumentRoles', ASSIGN);
		const names = roles.map((role) => role.value);
		expect(new Set(names).size).toBe(names.length);
		expect(names).toEqual(expect.arrayContaining(['approver__v', 'consumer__v', 'reviewer__v']));
		expect(roles.find((role) => role.value === 'approver__v')?.description).toMatch(/^In .*general_lifecycle__c/);
	});
});

describe('the typed column mapper ("Map Each Column Manually")', () => {
	it('Manage: operation is a list of ADD and REMOVE, application_role a list of the Vault application roles', async () => {
		const fields = fieldsOf(await callEditorMethod<ResourceMapperFields>(vault.harness, 'resourceMapping', 'getColumns', MANAGE));
		expect(Object.keys(fields)).toEqual(['record_id', 'user_id', 'application_role', 'operation']);
		expect(fields.operation).toMatchObject({ type: 'options', required: true, options: [{ name: 'ADD', value: 'ADD' }, { name: 'REMOVE', value: 'REMOVE' }] });
		expect(fields.application_role.type).toBe('options');
		expect(fields.application_role.options?.map((option) => option.value).sort()).toEqual(['approver__c', 'qa__c', 'record_owner__c', 'reviewer__c', 'sme__c']);
		expect(fields.record_id).toMatchObject({ type: 'string', displayName: 'record_id' });
	});

	it("Manage with an Object chosen: application_role offers the roles of that object's Quality Teams, not every role of the Vault", async () => {
		const complaint = fieldsOf(await callEditorMethod<ResourceMapperFields>(vault.harness, 'resourceMapping', 'getColumns', { ...MANAGE, objectName: { __rl: true, mode: 'list', value: 'complaint__qdm' } }));
		expect(complaint.application_role.options?.map((option) => option.value).sort()).toEqual(['qa__c', 'record_owner__c', 'reviewer__c', 'sme__c']);
		expect(complaint.application_role.options?.find((option) => option.value === 'reviewer__c')).toMatchObject({ name: 'Complaint Reviewer (reviewer__c)', description: 'A role of Complaint Team' });
		// without the definitions: every application role of the Vault, as before
		await vault.sandbox.client.settings({ refuseTeamConfiguration: true } as never);
		const fallback = fieldsOf(await callEditorMethod<ResourceMapperFields>(vault.harness, 'resourceMapping', 'getColumns', { ...MANAGE, objectName: 'complaint__qdm' }));
		expect(fallback.application_role.options?.map((option) => option.value).sort()).toEqual(['approver__c', 'qa__c', 'record_owner__c', 'reviewer__c', 'sme__c']);
	});

	it("Document roles: the document id is a number; the role columns are the Vault's roles, or those chosen", async () => {
		const all = fieldsOf(await callEditorMethod<ResourceMapperFields>(vault.harness, 'resourceMapping', 'getColumns', ASSIGN));
		expect(all.id).toMatchObject({ type: 'number', required: true });
		expect(Object.keys(all)).toEqual(expect.arrayContaining(['consumer__v.users', 'consumer__v.groups', 'reviewer__v.users', 'approver__v.groups']));
		const chosen = await callEditorMethod<ResourceMapperFields>(vault.harness, 'resourceMapping', 'getColumns', { ...ASSIGN, documentRoles: ['approver__v'] });
		expect(chosen.fields.map((field) => field.id)).toEqual(['id', 'approver__v.users', 'approver__v.groups']);
		// a workflow saved by an earlier version holds the roles as text
		const legacy = await callEditorMethod<ResourceMapperFields>(vault.harness, 'resourceMapping', 'getColumns', { ...ASSIGN, documentRoles: 'reviewer__v, approver__v' });
		expect(legacy.fields.map((field) => field.id)).toEqual(['id', 'reviewer__v.users', 'reviewer__v.groups', 'approver__v.users', 'approver__v.groups']);
	});

	it('without a credential the columns are still offered, as text', async () => {
		const harness = createHarness([]);
		const fields = fieldsOf(await callEditorMethod<ResourceMapperFields>(harness, 'resourceMapping', 'getColumns', MANAGE));
		expect(fields.application_role.type).toBe('string');
		expect(fields.operation.type).toBe('options');
	});
});

describe('a Vault that refuses its metadata', () => {
	beforeEach(async () => {
		await vault.sandbox.client.settings({ refuseMetadata: true } as never);
	});

	it('the picker says why and what to do instead, naming no secret', async () => {
		const failure = await callEditorMethod(vault.harness, 'listSearch', 'searchTeamObjects', MANAGE).then(
			() => undefined,
			(error: Error & { description?: string }) => error,
		);
		expect(failure?.message).toMatch(/^Could not load the objects from Vault: Vault refused the request \(INSUFFICIENT_ACCESS\)/);
		expect(failure?.description).toMatch(/By Name/);
		expect(JSON.stringify({ message: failure?.message, description: failure?.description })).not.toContain('demo-password');
	});

	// issue 22, item 4 changed this: a Manage run reads the Quality Team definitions once (to check each row's role
	// against its record's team), never the editor's lists
	it('the mapper falls back to text columns, and a chosen object still runs: runs read only the team definitions, never the lists', async () => {
		const fields = fieldsOf(await callEditorMethod<ResourceMapperFields>(vault.harness, 'resourceMapping', 'getColumns', MANAGE));
		expect(fields.application_role.type).toBe('string');
		await vault.sandbox.client.clearLog();
		const run = await vault.harness.run({
			items: [{ record_id: 'OP4000001', user_id: '100001', application_role: 'qa__c', operation: 'ADD' }],
			parameters: { ...MANAGE, objectName: { __rl: true, mode: 'list', value: 'quality_event__qdm', cachedResultName: 'Quality Event (quality_event__qdm)' } },
		});
		expect(run.error).toBeUndefined();
		expect(jsonOf(run.outputs[0])[0]).toMatchObject({ jobId: expect.any(String), state: 'submitted' });
		expect((await metadataCalls()).map((entry) => entry.path)).toEqual(['/api/v25.3/configuration/Qualityteam']);
	});
});

describe('the object as a resource locator value', () => {
	it('typed by name, or per item by an expression', async () => {
		const byName = await vault.harness.run({
			items: [{ record_id: 'OP4000001', user_id: '100001', application_role: 'qa__c', operation: 'ADD' }],
			parameters: { ...MANAGE, objectName: { __rl: true, mode: 'name', value: 'risk_event__v' } },
		});
		expect(byName.error).toBeUndefined();
		const perItem = await vault.harness.run({
			items: [
				{ object: 'quality_event__qdm', record_id: 'OP4000001', user_id: '100001', application_role: 'qa__c', operation: 'ADD' },
				{ object: 'Quality Event', record_id: 'OP4000002', user_id: '100001', application_role: 'qa__c', operation: 'ADD' },
			],
			parameters: { ...MANAGE, objectName: { __rl: true, mode: 'name', value: '={{ $json.object }}' } },
			onError: 'continueErrorOutput',
		});
		expect(jsonOf(perItem.outputs[0])).toHaveLength(1);
		expect(String(jsonOf(perItem.outputs[1])[0].error)).toMatch(/Object name "Quality Event" is not a Vault name/);
		const paths = (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments')).map((entry) => entry.path.split('/')[8]);
		expect(paths).toEqual(['risk_event__v', 'quality_event__qdm']);
	});
});

describe('mapped columns checked by the node, not by n8n', () => {
	it('an expression giving "add" is that item\'s error in the words of the column rules; the other items go', async () => {
		const run = await vault.harness.run({
			items: [
				{ ...{ record_id: 'OP4000001', user_id: '100001', application_role: 'qa__c' }, op: 'add' },
				{ ...{ record_id: 'OP4000002', user_id: '100001', application_role: 'qa__c' }, op: 'ADD' },
			],
			parameters: {
				...RUN_MANAGE,
				columns: {
					mappingMode: 'defineBelow',
					value: { record_id: '={{ $json.record_id }}', user_id: '={{ $json.user_id }}', application_role: '={{ $json.application_role }}', operation: '={{ $json.op.trim() }}' },
					schema: [
						{ id: 'record_id', displayName: 'record_id', required: true, defaultMatch: false, display: true, type: 'string' },
						{ id: 'user_id', displayName: 'user_id', required: true, defaultMatch: false, display: true, type: 'string' },
						{ id: 'application_role', displayName: 'application_role', required: true, defaultMatch: false, display: true, type: 'string' },
						{ id: 'operation', displayName: 'operation', required: true, defaultMatch: false, display: true, type: 'options', options: [{ name: 'ADD', value: 'ADD' }, { name: 'REMOVE', value: 'REMOVE' }] },
					],
				},
			},
			onError: 'continueErrorOutput',
		});
		expect(jsonOf(run.outputs[0])).toHaveLength(1);
		expect(String(jsonOf(run.outputs[1])[0].error)).toMatch(/column "operation".*ADD.*REMOVE/);
	});

	it('several bad items: one line each in the error the editor shows', async () => {
		const run = await vault.harness.run({
			items: [{ record_id: 'OP4000001' }, { record_id: 'OP4000002' }, { user_id: '100001' }],
			parameters: RUN_MANAGE,
		});
		const lines = String(run.error?.description).split('<br>\n');
		expect(lines).toHaveLength(3);
		expect(lines.map((line) => line.split(':')[0])).toEqual(['Item 0', 'Item 1', 'Item 2']);
	});
});

describe("the mapper's column notes", () => {
	it('every bulk operation says above its mapper what each Vault column holds', async () => {
		const { VeevaVaultQms } = await import('../../nodes/VeevaVaultQms/VeevaVaultQms.node');
		const { BULK_OPERATIONS } = await import('../../nodes/VeevaVaultQms/operations');
		const notices = new VeevaVaultQms().description.properties.filter((property) => property.type === 'notice' && property.name.startsWith('columnsNotice_'));
		expect(notices.map((notice) => notice.name).sort()).toEqual(BULK_OPERATIONS.map((spec) => `columnsNotice_${spec.resource}_${spec.operation}`).sort());
		const manage = notices.find((notice) => notice.name === 'columnsNotice_qualityTeam_manageAssignments');
		for (const column of ['record_id:', 'user_id:', 'application_role:', 'operation: ADD or REMOVE']) expect(manage?.displayName).toContain(column);
	});
});

describe('the fields of columns the user names (issue 21: the spec carries them)', () => {
	it("each spec's configurable column is a field of the panel as the spec describes it, shown for that operation only", async () => {
		const { VeevaVaultQms } = await import('../../nodes/VeevaVaultQms/VeevaVaultQms.node');
		const { BULK_OPERATIONS } = await import('../../nodes/VeevaVaultQms/operations');
		const properties = new VeevaVaultQms().description.properties;
		const specs = BULK_OPERATIONS.filter((spec) => spec.configurableColumns);
		expect(specs.map((spec) => spec.operation)).toEqual(['migrateMembers']);
		for (const spec of specs) {
			for (const field of spec.configurableColumns?.fields ?? []) {
				expect(properties.filter((property) => property.name === field.parameter)).toEqual([
					expect.objectContaining({
						displayName: field.displayName,
						type: 'string',
						default: field.default,
						description: field.description,
						displayOptions: { show: { resource: [spec.resource], operation: [spec.operation] } },
					}),
				]);
			}
		}
		expect(specs[0].configurableColumns?.fields.map((field) => field.parameter)).toEqual(['recordColumn', 'userColumn', 'roleColumn']);
	});
});
