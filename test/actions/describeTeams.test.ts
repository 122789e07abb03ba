import type { IDataObject } from 'n8n-workflow';

import { parseTeamDefinition } from '../../nodes/VeevaVaultQms/read/teamDefinitions';
import { jsonOf, pairedOf, useSandbox } from '../harness/fixtures';
import { QUALITY_TEAMS } from '../sandbox/qualityTeams';

/**
 * Issue 22, item 1: Quality Team → Describe Teams (actions/describeTeams.ts), through n8n-core and the
 * sandbox, whose Quality Teams (test/sandbox/qualityTeams.ts) follow the old naming guess for five
 * objects and none of it for complaint__qdm's two teams by object type.
 */
const DESCRIBE = { resource: 'qualityTeam', operation: 'describeTeams' };

describe('Quality Team → Describe Teams', () => {
	const vault = useSandbox();
	const describeAll = async () => {
		const run = await vault.harness.run({ items: [{}, {}], parameters: DESCRIBE });
		expect(run.error).toBeUndefined();
		return run;
	};
	const byName = (items: IDataObject[]) => Object.fromEntries(items.map((json) => [json.name, json]));

	it('gives one item per Quality Team of the Vault, every sandbox team, with what Sync and Verify will read', async () => {
		const run = await describeAll();
		const items = jsonOf(run.outputs[0]);
		expect(items.map((json) => json.name)).toEqual(QUALITY_TEAMS.map((team) => team.name));
		// once, whatever the number of input items; each item paired to all of them
		expect(pairedOf(run.outputs[0])[0]).toEqual([0, 1]);
		for (const team of QUALITY_TEAMS) {
			expect(byName(items)[team.name]).toMatchObject({
				label: team.label,
				active: true,
				object: team.object,
				objectType: team.objectType ?? null,
				memberObject: team.memberObject,
				memberFields: { record: team.fields.record, user: team.fields.user, role: team.fields.role, roleNameReadAs: `${team.fields.role}r.api_name__v`, status: team.keepsRemoved ? 'status__v' : null },
				memberRecordsHaveStatus: team.keepsRemoved,
				lockedInStates: team.lockedInStates,
				roles: team.roles.map((role) => ({
					name: role.name,
					label: role.label,
					applicationRole: role.applicationRole,
					minimumUsers: role.min,
					maximumUsers: role.max,
					exclusive: role.exclusive,
					constrainingRole: role.constrainingRole ?? null,
				})),
				notRead: [],
			});
		}
		expect(byName(items).product_complaint_team__c.appliesTo).toBe('records of complaint__qdm of object type product_complaint__c');
		expect(byName(items).complaint_team__c.appliesTo).toBe('records of complaint__qdm whose object type has no team of its own');
	});

	it('reads the same from bare names and from a collection that gives only names and labels (each team then read on its own)', async () => {
		const expected = jsonOf((await describeAll()).outputs[0]);
		await vault.sandbox.client.settings({ componentReferences: 'bare', teamCollection: 'nameAndLabel' } as never);
		await vault.sandbox.client.clearLog();
		expect(jsonOf((await describeAll()).outputs[0])).toEqual(expected);
		const reads = (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('/configuration/Qualityteam'));
		expect(reads.map((entry) => entry.path.replace(/^\/api\/v[\d.]+/, ''))).toEqual(['/configuration/Qualityteam', ...QUALITY_TEAMS.map((team) => `/configuration/Qualityteam.${team.name}`)]);
	});

	it('finds the user field when the metadata names the referenced object `users`, as Vault Toolbox allows', async () => {
		await vault.sandbox.client.settings({ userReferenceName: 'users' } as never);
		const items = byName(jsonOf((await describeAll()).outputs[0]));
		expect(items.product_complaint_team__c.memberFields).toMatchObject({ user: 'team_user__sys' });
	});

	it('says what it could not read, and why: a member object whose metadata Vault refuses', async () => {
		await vault.sandbox.client.faults([{ kind: 'http500', match: { path: '/metadata/vobjects/pc_team_assignment__sys' }, count: 10 }] as never);
		const items = byName(jsonOf((await describeAll()).outputs[0]));
		expect(items.product_complaint_team__c.memberFields).toBeNull();
		expect(items.product_complaint_team__c.notRead).toEqual([expect.stringMatching(/^the fields of pc_team_assignment__sys \(its metadata could not be read: .*500/)]);
		expect(items.complaint_team__c.notRead).toEqual([]);
	});

	it("a user who may not read Vault's configuration gets one clear error naming Vault's refusal and what to do", async () => {
		await vault.sandbox.client.settings({ refuseTeamConfiguration: true } as never);
		const run = await vault.harness.run({ items: [{}], parameters: DESCRIBE });
		expect(run.error?.message).toMatch(/^Vault did not give its Quality Team definitions: INSUFFICIENT_ACCESS: /);
		expect(run.error?.description).toMatch(/Vault admins.*assumed names/);
	});
});

describe('reading a Qualityteam record (read/teamDefinitions.ts)', () => {
	it('takes MDL references and bare names alike, and what the pages leave open in either form', () => {
		const mdl = parseTeamDefinition({
			name: 'x_team__c',
			label: 'X Team',
			active: 'true',
			object: 'Object.x__qdm',
			objecttype: 'Objecttype.x__qdm.y__c',
			quality_team_member_object_name: 'x_members__c',
			locked_in_states: 'closed__c, cancelled__c',
			Qualityteamrole: [{ name: 'owner__c', label: 'Owner', linked_application_role: 'Applicationrole.record_owner__c', minimum_user_in_role: '1', maximum_user_in_role: 1, exclusive_membership: 'false', constraining_role: null }],
		});
		const bare = parseTeamDefinition({
			name: 'x_team__c',
			label: 'X Team',
			object: 'x__qdm',
			objecttype: 'y__c',
			quality_team_member_object_name: 'x_members__c',
			locked_in_states: [{ name: 'closed__c' }, 'cancelled__c'],
			qualityteamrole: { name: 'owner__c', label: 'Owner', linked_application_role: 'record_owner__c', minimum_user_in_role: 1, maximum_user_in_role: 1, exclusive_membership: false },
		});
		expect(mdl).toEqual(bare);
		expect(mdl).toEqual({
			name: 'x_team__c',
			label: 'X Team',
			active: true,
			object: 'x__qdm',
			objectType: 'y__c',
			memberObject: 'x_members__c',
			lockedInStates: ['closed__c', 'cancelled__c'],
			roles: [{ name: 'owner__c', label: 'Owner', applicationRole: 'record_owner__c', minimumUsers: 1, maximumUsers: 1, exclusive: false }],
			notRead: [],
		});
	});

	it('names what a record does not give', () => {
		const team = parseTeamDefinition({ name: 'bare_team__c', label: 'Bare', objecttype: null });
		expect(team.notRead).toEqual([
			'the team-enabled object (attribute "object")',
			'the member object (attribute "quality_team_member_object_name")',
			'the team roles (subcomponent "Qualityteamrole")',
		]);
		expect(team.objectType).toBeUndefined();
	});
});
