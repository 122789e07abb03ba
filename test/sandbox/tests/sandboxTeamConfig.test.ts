import { QUALITY_TEAMS } from '../qualityTeams';
import { API as V, useSandboxSession, type Envelope } from '../../harness/sandboxSession';

const TEAMS = `${V}/configuration/Qualityteam`;
const REFUSED = { responseStatus: 'FAILURE', errors: [{ type: 'INSUFFICIENT_ACCESS', message: 'User does not have sufficient privileges to perform the action.' }] };

/**
 * GET /api/{version}/configuration/Qualityteam and /configuration/Qualityteam.{name} (Retrieve Component
 * Record Collection / Retrieve Component Record): the Picklist example's shape with the Qualityteam MDL
 * attributes, both reference forms, the brief collection, and the refusal for the node's fallback path.
 */
describe('sandbox Quality Team definitions (Retrieve Component Record)', () => {
	const vault = useSandboxSession();

	async function get(path: string): Promise<Envelope> {
		const response = await fetch(vault.sandbox.url + path, { headers: { Authorization: vault.session } });
		expect(response.status).toBe(200);
		return (await response.json()) as Envelope;
	}

	it('answers one team in the component record shape: attributes as MDL references, Qualityteamrole as an array', async () => {
		const body = await get(`${TEAMS}.product_complaint_team__c`);
		expect(body).toEqual({
			responseStatus: 'SUCCESS',
			data: {
				name: 'product_complaint_team__c',
				label: 'Product Complaint Team',
				active: true,
				object: 'Object.complaint__qdm',
				objecttype: 'Objecttype.complaint__qdm.product_complaint__c',
				objectlifecycle: 'Objectlifecycle.complaint_lifecycle__c',
				locked_in_states: ['closed_state__c', 'cancelled_state__c'],
				quality_team_member_object_name: 'pc_team_assignment__sys',
				Qualityteamrole: [
					{
						name: 'complaint_owner__c',
						label: 'Complaint Owner',
						active: true,
						linked_application_role: 'Applicationrole.record_owner__c',
						minimum_user_in_role: 1,
						maximum_user_in_role: 1,
						exclusive_membership: true,
						constraining_role: null,
					},
					expect.objectContaining({ name: 'complaint_investigator__c', linked_application_role: 'Applicationrole.sme__c', maximum_user_in_role: 5, constraining_role: 'qa__c' }),
					expect.objectContaining({ name: 'complaint_qa__c', linked_application_role: 'Applicationrole.qa__c', minimum_user_in_role: 1, maximum_user_in_role: 2 }),
				],
			},
		});
		// a team for every record without a team of its type: objecttype null ("no value for that field")
		const other = (await get(`${TEAMS}.complaint_team__c`)).data;
		expect(other).toEqual(expect.objectContaining({ objecttype: null, quality_team_member_object_name: 'complaint_members__c', locked_in_states: [] }));
		expect(other.Qualityteamrole.map((role: Envelope) => role.linked_application_role)).toEqual(['Applicationrole.record_owner__c', 'Applicationrole.reviewer__c']);
		// the old reading's team: member object named from the object's stem, every application role of the seed
		const events = (await get(`${TEAMS}.quality_event_team__c`)).data;
		expect(events).toEqual(expect.objectContaining({ object: 'Object.quality_event__qdm', objecttype: null, quality_team_member_object_name: 'quality_event_quality_team_member__v' }));
		expect(events.Qualityteamrole).toHaveLength(5);
	});

	it('answers the collection: every team, whole, in a fixed order', async () => {
		const body = await get(TEAMS);
		expect(Object.keys(body)).toEqual(['responseStatus', 'data']);
		expect(body.data.map((team: Envelope) => team.name)).toEqual(QUALITY_TEAMS.map((team) => team.name));
		for (const team of body.data) expect(team).toEqual((await get(`${TEAMS}.${team.name}`)).data);
		expect(body.data.filter((team: Envelope) => team.object === 'Object.complaint__qdm').map((team: Envelope) => team.objecttype)).toEqual([
			'Objecttype.complaint__qdm.product_complaint__c',
			null,
		]);
	});

	it("settings.componentReferences 'bare' writes each reference as the component's name alone", async () => {
		expect((await vault.sandbox.client.getSettings()).componentReferences).toBe('mdl');
		await vault.sandbox.client.settings({ componentReferences: 'bare' });
		const team = (await get(`${TEAMS}.product_complaint_team__c`)).data;
		expect(team).toEqual(
			expect.objectContaining({ object: 'complaint__qdm', objecttype: 'complaint__qdm.product_complaint__c', objectlifecycle: 'complaint_lifecycle__c' }),
		);
		expect(team.Qualityteamrole.map((role: Envelope) => role.linked_application_role)).toEqual(['record_owner__c', 'sme__c', 'qa__c']);
		expect((await get(TEAMS)).data[0].object).toBe('quality_event__qdm');
		await expect(vault.sandbox.client.settings({ componentReferences: 'Object' as never })).rejects.toThrow(/answered 400.*componentReferences must be one of mdl, bare/);
	});

	it("settings.teamCollection 'nameAndLabel' gives the collection's minimum, name and label, so a reader must retrieve each record", async () => {
		await vault.sandbox.client.settings({ teamCollection: 'nameAndLabel' });
		const body = await get(TEAMS);
		expect(body.data[5]).toEqual({ name: 'product_complaint_team__c', label: 'Product Complaint Team' });
		expect(body.data.every((team: Envelope) => Object.keys(team).join() === 'name,label')).toBe(true);
		expect((await get(`${TEAMS}.product_complaint_team__c`)).data.Qualityteamrole).toHaveLength(3);
	});

	it('settings.refuseTeamConfiguration refuses both reads with INSUFFICIENT_ACCESS; object metadata and VQL still answer', async () => {
		await vault.sandbox.client.settings({ refuseTeamConfiguration: true });
		expect(await get(TEAMS)).toEqual(REFUSED);
		expect(await get(`${TEAMS}.quality_event_team__c`)).toEqual(REFUSED);
		expect((await get(`${V}/metadata/vobjects/quality_event_quality_team_member__v`)).responseStatus).toBe('SUCCESS');
		expect((await vault.query('SELECT id FROM quality_event_quality_team_member__v')).responseStatus).toBe('SUCCESS');
		await vault.sandbox.client.reset();
		expect((await vault.sandbox.client.getSettings()).refuseTeamConfiguration).toBe(false);
	});

	it('answers an unknown team or component type with INVALID_DATA, and still answers role_assignment_rule', async () => {
		expect(await get(`${TEAMS}.no_such_team__c`)).toEqual({
			responseStatus: 'FAILURE',
			errors: [{ type: 'INVALID_DATA', message: 'Component record [Qualityteam.no_such_team__c] not found.' }],
		});
		expect((await get(`${V}/configuration/Picklist`)).errors[0].type).toBe('INVALID_DATA');
		expect((await get(`${V}/configuration/role_assignment_rule?role__v=approver__v`)).data).toHaveLength(2);
	});

	it('can be failed by a fault on its path, as any endpoint', async () => {
		await vault.sandbox.client.fault({ kind: 'apiLimit', match: { path: '/configuration/Qualityteam' } });
		expect((await get(TEAMS)).errors[0].type).toBe('API_LIMIT_EXCEEDED');
		expect((await get(TEAMS)).responseStatus).toBe('SUCCESS');
	});
});
