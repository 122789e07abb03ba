import type { SessionContext } from '../http/apiContext';
import { failure, success, type VaultResponse } from '../http/vaultResponse';
import { QUALITY_TEAMS, teamByName, type SandboxTeam, type SandboxTeamRole } from '../qualityTeams';
import type { SandboxSettings } from '../types';

/**
 * GET /api/{version}/configuration/{component_type} and /configuration/{component_type}.{record_name}:
 * Retrieve Component Record Collection and Retrieve Component Record (XML/JSON) (Veeva API reference,
 * "Metadata Definition Language (MDL) > Retrieve Component Records"), for the one component type the
 * sandbox has, `Qualityteam` (Veeva MDL reference, "Quality > Component Types > Qualityteam"). The
 * answer is the pages' Picklist example's shape: `{"responseStatus":"SUCCESS","data":{name, label, ...
 * attributes, "Picklistentry":[{...}]}}`, subcomponents as an array named by their type (here
 * `Qualityteamrole`); the collection's `data` is a list of such records. "If a field returns as blank or
 * null, it means the record has no value for that field": a team without an object type has
 * `"objecttype": null`. (role_assignment_rule, under the same path, has its own route, listed first.)
 */
export function retrieveConfiguration(context: SessionContext): VaultResponse {
	const { component } = context.params;
	const [type, ...rest] = component.split('.');
	if (type !== 'Qualityteam') {
		// Vault has many component types; the sandbox answers none but Qualityteam (its own reading, not Vault's answer)
		return failure('INVALID_DATA', `The sandbox has no ${type} components; it answers Qualityteam only.`);
	}
	const { settings } = context.world;
	if (settings.refuseTeamConfiguration) return failure('INSUFFICIENT_ACCESS', 'User does not have sufficient privileges to perform the action.');
	if (rest.length === 0) {
		const data = QUALITY_TEAMS.map((team) => (settings.teamCollection === 'nameAndLabel' ? { name: team.name, label: team.label } : teamRecord(team, settings)));
		return success({ data });
	}
	const team = teamByName(rest.join('.'));
	// the page documents no answer for a record that does not exist; INVALID_DATA is the sandbox's choice
	if (!team) return failure('INVALID_DATA', `Component record [${component}] not found.`);
	return success({ data: teamRecord(team, settings) });
}

/**
 * A component reference as MDL writes it, `Object.quality_event__qdm` (Component-typed attributes:
 * `object`, `objecttype`, `objectlifecycle`; the MDL pages write references so, and name an object
 * type `{object}.{type}`: "Command Syntax", "my_baseobject__c.my_objecttype__c"), or with the setting
 * componentReferences 'bare' the component's name alone (`quality_event__qdm`,
 * `complaint__qdm.product_complaint__c`): Veeva's pages do not show which a Qualityteam record answers.
 */
function reference(settings: SandboxSettings, type: string, name: string): string {
	return settings.componentReferences === 'bare' ? name : `${type}.${name}`;
}

/**
 * A Qualityteam record: the attributes of the MDL page (label, active, object, objecttype, objectlifecycle,
 * locked_in_states: String, multi-value, as a list of lifecycle state names; quality_team_member_object_name:
 * String) and its `Qualityteamrole` subcomponents. Attributes the sandbox does not model
 * (destination_state, initial_state, process_relationships) are left out.
 */
function teamRecord(team: SandboxTeam, settings: SandboxSettings): Record<string, unknown> {
	return {
		name: team.name,
		label: team.label,
		active: true,
		object: reference(settings, 'Object', team.object),
		objecttype: team.objectType === undefined ? null : reference(settings, 'Objecttype', `${team.object}.${team.objectType}`),
		objectlifecycle: reference(settings, 'Objectlifecycle', team.objectLifecycle),
		locked_in_states: [...team.lockedInStates],
		quality_team_member_object_name: team.memberObject,
		Qualityteamrole: team.roles.map((role) => teamRole(role, settings)),
	};
}

/**
 * A Qualityteamrole subcomponent: linked_application_role (read as a reference to the application role,
 * `Applicationrole.sme__c`, or `sme__c` with componentReferences 'bare'), minimum_user_in_role,
 * maximum_user_in_role, exclusive_membership, constraining_role (String on the Qualityteamlifecycleassociation
 * page: the application role's name, or null).
 */
function teamRole(role: SandboxTeamRole, settings: SandboxSettings): Record<string, unknown> {
	return {
		name: role.name,
		label: role.label,
		active: true,
		linked_application_role: reference(settings, 'Applicationrole', role.applicationRole),
		minimum_user_in_role: role.min,
		maximum_user_in_role: role.max,
		exclusive_membership: role.exclusive,
		constraining_role: role.constrainingRole ?? null,
	};
}
