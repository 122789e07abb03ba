import { QUALITY_TEAMS } from '../qualityTeams';
import { API as V, useSandboxSession, type Envelope } from '../../harness/sandboxSession';

const OBJECTS = `${V}/metadata/vobjects`;
const REFUSED = { responseStatus: 'FAILURE', errors: [{ type: 'INSUFFICIENT_ACCESS', message: 'User does not have sufficient privileges to perform the action.' }] };

/**
 * GET /api/{version}/metadata/vobjects/{object_name} (Retrieve Object Metadata): the shape of Veeva's
 * page, every object of the collection, the member objects' fields as their teams have them, and the
 * settings that bend it (refuseMetadata, userReferenceName, absentUserFields).
 */
describe('sandbox Retrieve Object Metadata', () => {
	const vault = useSandboxSession();
	const { query } = vault;

	async function get(path: string): Promise<Envelope> {
		const response = await fetch(vault.sandbox.url + path, { headers: { Authorization: vault.session } });
		expect(response.status).toBe(200);
		return (await response.json()) as Envelope;
	}
	const fieldsOf = (body: Envelope) => Object.fromEntries((body.object.fields as Envelope[]).map((field) => [field.name, field]));

	it("answers user__sys in the page's shape: object keys, fields with name, type, label, required", async () => {
		const body = await get(`${OBJECTS}/user__sys`);
		expect(Object.keys(body)).toEqual(['responseStatus', 'object']);
		expect(body.responseStatus).toBe('SUCCESS');
		expect(body.object).toEqual(
			expect.objectContaining({
				name: 'user__sys',
				label: 'User',
				label_plural: 'Users',
				prefix: 'V0A',
				order: 87,
				source: 'system',
				in_menu: true,
				status: ['active__v'],
				relationships: [],
				urls: expect.objectContaining({ metadata: `${V}/metadata/vobjects/user__sys`, field: `${V}/metadata/vobjects/user__sys/fields/{name}` }),
			}),
		);
		const names = body.object.fields.map((field: Envelope) => field.name);
		expect(names).toEqual(['id', 'username__sys', 'email__sys', 'federated_id__sys', 'first_name__sys', 'last_name__sys', 'name__v', 'status__v']);
		const fields = fieldsOf(body);
		expect(fields.id).toEqual(expect.objectContaining({ name: 'id', label: 'ID', type: 'ID', required: false, status: ['active__v'], order: 0 }));
		expect(fields.username__sys).toEqual(expect.objectContaining({ type: 'String', required: true, unique: true, label: 'User Name' }));
		expect(fields.status__v).toEqual(expect.objectContaining({ type: 'Picklist', picklist: 'default_status__v' }));
		expect(fields.email__sys).not.toHaveProperty('object');
	});

	it('answers every object the collection lists, and the same fields VQL reads', async () => {
		const collection = await get(OBJECTS);
		for (const { name } of collection.objects as Envelope[]) {
			const body = await get(`${OBJECTS}/${name}`);
			expect(body.responseStatus).toBe('SUCCESS');
			expect(body.object.name).toBe(name);
			expect(body.object.fields[0].name).toBe('id');
		}
		const roles = fieldsOf(await get(`${OBJECTS}/application_role__v`));
		expect(Object.keys(roles)).toEqual(['id', 'api_name__v', 'name__v', 'status__v']);
		const events = fieldsOf(await get(`${OBJECTS}/quality_event__qdm`));
		expect(Object.keys(events)).toEqual(['id', 'name__v', 'object_type__v', 'state__v', 'status__v']);
		expect(events.object_type__v).toEqual(
			expect.objectContaining({
				type: 'Object',
				object: { url: `${V}/metadata/vobjects/object_type__v`, label: 'Object Type', name: 'object_type__v', label_plural: 'Object Types', prefix: 'OOT' },
				relationship_type: 'reference',
				relationship_outbound_name: 'object_type__vr',
			}),
		);
	});

	it("describes each member object's references as its team has them: object, relationship, status__v only where removals are kept", async () => {
		for (const team of QUALITY_TEAMS) {
			const body = await get(`${OBJECTS}/${team.memberObject}`);
			const fields = fieldsOf(body);
			const reference = (field: string, object: string) =>
				expect(fields[field]).toEqual(
					expect.objectContaining({ type: 'Object', object: expect.objectContaining({ name: object }), relationship_type: 'reference', relationship_outbound_name: `${field}r` }),
				);
			reference(team.fields.record, team.object);
			reference(team.fields.user, 'user__sys');
			reference(team.fields.role, 'application_role__v');
			expect('status__v' in fields).toBe(team.keepsRemoved);
			expect(body.object.relationships.map((relationship: Envelope) => relationship.field)).toEqual([team.fields.record, team.fields.user, team.fields.role]);
			expect(body.object.relationships[2]).toEqual(
				expect.objectContaining({ relationship_name: `${team.fields.role}r`, relationship_type: 'reference_outbound', object: expect.objectContaining({ name: 'application_role__v', prefix: '0AR' }) }),
			);
		}
		const productComplaints = fieldsOf(await get(`${OBJECTS}/pc_team_assignment__sys`));
		expect(Object.keys(productComplaints)).toEqual(['id', 'team_record__sys', 'team_user__sys', 'team_role__sys', 'status__v']);
		const oldPattern = fieldsOf(await get(`${OBJECTS}/quality_event_quality_team_member__v`));
		expect(Object.keys(oldPattern)).toEqual(['id', 'quality_event__qdm', 'user__sys', 'application_role__v']);
		expect(oldPattern.application_role__v.relationship_outbound_name).toBe('application_role__vr');
	});

	it('answers one field by Retrieve Object Field Metadata, as the object metadata lists it', async () => {
		const object = fieldsOf(await get(`${OBJECTS}/pc_team_assignment__sys`));
		expect(await get(`${OBJECTS}/pc_team_assignment__sys/fields/team_role__sys`)).toEqual({ responseStatus: 'SUCCESS', field: object.team_role__sys });
		expect((await get(`${OBJECTS}/user__sys/fields/federated_id__sys`)).field).toEqual(expect.objectContaining({ name: 'federated_id__sys', type: 'String', unique: true }));
		await vault.sandbox.client.settings({ absentUserFields: ['federated_id__sys'] });
		for (const path of ['user__sys/fields/federated_id__sys', 'no_such__c/fields/id']) {
			expect((await get(`${OBJECTS}/${path}`)).errors[0].type).toBe('INVALID_DATA');
		}
	});

	it('answers an object it does not have with INVALID_DATA', async () => {
		for (const name of ['no_such_object__c', 'users', 'object_type__v']) {
			expect(await get(`${OBJECTS}/${name}`)).toEqual({ responseStatus: 'FAILURE', errors: [{ type: 'INVALID_DATA', message: `Object [${name}] not found.` }] });
		}
	});

	it('settings.userReferenceName names a reference to users `users`, as Vault Toolbox allows', async () => {
		expect((await vault.sandbox.client.getSettings()).userReferenceName).toBe('user__sys');
		await vault.sandbox.client.settings({ userReferenceName: 'users' });
		const fields = fieldsOf(await get(`${OBJECTS}/pc_team_assignment__sys`));
		expect(fields.team_user__sys.object).toEqual(expect.objectContaining({ name: 'users', url: `${V}/metadata/vobjects/users`, label: 'User' }));
		expect(fields.team_role__sys.object.name).toBe('application_role__v');
		await expect(vault.sandbox.client.settings({ userReferenceName: 'people' as never })).rejects.toThrow(/answered 400.*userReferenceName must be one of user__sys, users/);
	});

	it('settings.absentUserFields takes a user__sys field out of the metadata and out of VQL', async () => {
		expect((await query("SELECT federated_id__sys FROM user__sys WHERE id = '61001'")).data).toEqual([{ federated_id__sys: 'fed-61001' }]);
		await vault.sandbox.client.settings({ absentUserFields: ['federated_id__sys'] });
		const names = Object.keys(fieldsOf(await get(`${OBJECTS}/user__sys`)));
		expect(names).not.toContain('federated_id__sys');
		expect(names).toContain('email__sys');
		const refused = await query("SELECT id FROM user__sys WHERE federated_id__sys CONTAINS ('fed-61001')");
		expect(refused.errors[0]).toEqual({ type: 'INVALID_DATA', message: expect.stringMatching(/^unknown field 'federated_id__sys' on user__sys \(fields: id, username__sys, email__sys, first_name__sys/) });
		await expect(vault.sandbox.client.settings({ absentUserFields: 'federated_id__sys' as never })).rejects.toThrow(/answered 400/);
	});

	it('settings.bentFields answers a field as a String or as a reference to another object; VQL is unchanged', async () => {
		await vault.sandbox.client.settings({
			bentFields: [
				{ object: 'pc_team_assignment__sys', field: 'team_role__sys', references: null },
				{ object: 'pc_team_assignment__sys', field: 'team_user__sys', references: 'group__sys' },
			],
		});
		const fields = fieldsOf(await get(`${OBJECTS}/pc_team_assignment__sys`));
		expect(fields.team_role__sys).toEqual(expect.objectContaining({ type: 'String' }));
		expect(fields.team_role__sys).not.toHaveProperty('object');
		expect(fields.team_role__sys).not.toHaveProperty('relationship_outbound_name');
		expect(fields.team_user__sys).toEqual(expect.objectContaining({ type: 'Object', object: expect.objectContaining({ name: 'group__sys' }) }));
		expect(fields.team_record__sys.object.name).toBe('complaint__qdm');
		expect(fieldsOf(await get(`${OBJECTS}/quality_event_quality_team_member__v`)).application_role__v.type).toBe('Object');
		expect((await query('SELECT team_role__sys FROM pc_team_assignment__sys')).responseStatus).toBe('SUCCESS');
		await expect(vault.sandbox.client.settings({ bentFields: [{ object: 'x__c', field: 'y__c' }] as never })).rejects.toThrow(/answered 400.*bentFields/);
	});

	it('X-VaultAPI-DescribeQuery: true adds queryDescribe to a query: the target and each selected field as the metadata has it', async () => {
		const q = 'SELECT id, team_role__sys, team_role__sysr.api_name__v, status__v FROM pc_team_assignment__sys';
		const described = await vault.post(`${V}/query`, new URLSearchParams({ q }), { 'X-VaultAPI-DescribeQuery': 'true' });
		expect(Object.keys(described)).toEqual(['responseStatus', 'queryDescribe', 'responseDetails', 'data']);
		expect(described.queryDescribe).toEqual({
			type: 'select__sys',
			object: { name: 'pc_team_assignment__sys', label: 'Product Complaint Team Assignment', label_plural: 'Product Complaint Team Assignments' },
			fields: [
				{ type: 'id', required: true, name: 'id' },
				{ label: 'Application Role', type: 'Object', required: true, name: 'team_role__sys' },
				{ label: 'API Name', type: 'String', required: true, name: 'team_role__sysr.api_name__v' },
				{ label: 'Status', type: 'Picklist', required: false, name: 'status__v' },
			],
		});
		const user = await vault.post(`${V}/query`, new URLSearchParams({ q: "SELECT email__sys FROM user__sys WHERE id = '61001'" }), { 'X-VaultAPI-DescribeQuery': 'true' });
		expect(user.queryDescribe.fields).toEqual([{ label: 'Email', type: 'String', required: true, name: 'email__sys' }]);
		// without the header, or on a refused query, no queryDescribe
		expect(await query(q)).not.toHaveProperty('queryDescribe');
		const refused = await vault.post(`${V}/query`, new URLSearchParams({ q: 'SELECT nope__c FROM user__sys' }), { 'X-VaultAPI-DescribeQuery': 'true' });
		expect(Object.keys(refused)).toEqual(['responseStatus', 'errors']);
	});

	it('settings.refuseMetadata refuses it with INSUFFICIENT_ACCESS, as the other metadata reads', async () => {
		await vault.sandbox.client.settings({ refuseMetadata: true });
		expect(await get(`${OBJECTS}/user__sys`)).toEqual(REFUSED);
		expect(await get(`${OBJECTS}/no_such_object__c`)).toEqual(REFUSED);
	});
});
