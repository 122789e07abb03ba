/**
 * The sandbox's Quality Teams: Vault's own definition of each team (the `Qualityteam` MDL component and
 * its `Qualityteamrole` subcomponents: Veeva MDL reference, "Quality > Component Types > Qualityteam"),
 * the member object Vault created for it (QualityOne Help, "About Teams": "a system managed object that
 * Vault creates when you activate a team"), that object's fields, and the object types and lifecycle
 * states of the team-enabled records a team depends on.
 *
 * Veeva documents the component's attributes but not a member object's name or fields, nor whether a
 * removed member's record is deleted or kept inactive (VAULT-API.md, "Added 2026-12-07"). So the
 * sandbox holds teams of both kinds: the five objects of the old reading keep the names the node
 * guessed (`{object stem}_quality_team_member__v`, fields named after the objects they reference, removed
 * members deleted), so the node's fallback is tested end to end; complaint__qdm has two teams by object
 * type whose member objects, fields and removal follow none of that (README, "Quality Teams").
 */

export interface SandboxTeamRole {
	/** the Qualityteamrole subcomponent's name */
	name: string;
	label: string;
	/** the application role's api name (linked_application_role) */
	applicationRole: string;
	min: number;
	max: number;
	exclusive: boolean;
	/** an application role's api name (constraining_role), if any */
	constrainingRole?: string;
}

export interface SandboxTeam {
	/** the Qualityteam component's name */
	name: string;
	label: string;
	/** the team-enabled object (attribute `object`) */
	object: string;
	/** the object type's api name (attribute `objecttype`); undefined: every record whose type has no team of its own */
	objectType?: string;
	objectLifecycle: string;
	/** quality_team_member_object_name: the member object Vault created for the team */
	memberObject: string;
	memberLabel: string;
	/** the member object's reference fields: to the team-enabled record, to user__sys, to application_role__v */
	fields: { record: string; user: string; role: string };
	/** the member object has status__v and a removed member's record stays, inactive__v; else it is deleted */
	keepsRemoved: boolean;
	/** lifecycle state names (locked_in_states) in which no one may change the team */
	lockedInStates: string[];
	roles: SandboxTeamRole[];
}

/** The outbound relationship of a reference field, as VQL names it: `application_role__v` → `application_role__vr`, `member__sys` → `member__sysr`. */
export function relationshipOf(field: string): string {
	return `${field}r`;
}

/** The roles of the old reading's teams: every application role of the seed, owner exactly one. */
function standardRoles(): SandboxTeamRole[] {
	const role = (applicationRole: string, label: string, min: number, max: number): SandboxTeamRole => ({
		name: applicationRole.replace(/__c$/, '_role__c'),
		label,
		applicationRole,
		min,
		max,
		exclusive: false,
	});
	return [
		role('record_owner__c', 'Record Owner', 1, 1),
		role('sme__c', 'SME', 0, 10),
		role('qa__c', 'QA', 0, 10),
		role('approver__c', 'Approver', 0, 10),
		role('reviewer__c', 'Reviewer', 0, 10),
	];
}

/** A team of the old reading: member object named from the object's stem, fields named after what they reference, removals deleted. */
function patternTeam(object: string, label: string): SandboxTeam {
	const stem = object.replace(/__[a-z0-9]+$/, '');
	return {
		name: `${stem}_team__c`,
		label: `${label} Team`,
		object,
		objectLifecycle: `${stem}_lifecycle__c`,
		memberObject: `${stem}_quality_team_member__v`,
		memberLabel: `${label} Quality Team Member`,
		fields: { record: object, user: 'user__sys', role: 'application_role__v' },
		keepsRemoved: false,
		lockedInStates: [],
		roles: standardRoles(),
	};
}

/**
 * Every Quality Team of the sandbox, in a fixed order. quality_event__qdm (and the other four objects of
 * the old reading, whose member object names the Migrate page shows or follow them) keep the guessed
 * names. complaint__qdm has a team for its object type product_complaint__c and a team for every other
 * record (objecttype blank: "team will apply to all records of this object that do not have a team
 * defined for this type", MDL Qualityteam page); neither member object's name is derived from the object.
 */
export const QUALITY_TEAMS: readonly SandboxTeam[] = [
	patternTeam('quality_event__qdm', 'Quality Event'),
	patternTeam('risk_event__v', 'Risk Event'),
	patternTeam('investigation__qdm', 'Investigation'),
	patternTeam('lab_investigation__qdm', 'Lab Investigation'),
	patternTeam('change_action__v', 'Change Action'),
	{
		name: 'product_complaint_team__c',
		label: 'Product Complaint Team',
		object: 'complaint__qdm',
		objectType: 'product_complaint__c',
		objectLifecycle: 'complaint_lifecycle__c',
		memberObject: 'pc_team_assignment__sys',
		memberLabel: 'Product Complaint Team Assignment',
		fields: { record: 'team_record__sys', user: 'team_user__sys', role: 'team_role__sys' },
		keepsRemoved: true,
		lockedInStates: ['closed_state__c', 'cancelled_state__c'],
		roles: [
			{ name: 'complaint_owner__c', label: 'Complaint Owner', applicationRole: 'record_owner__c', min: 1, max: 1, exclusive: true },
			{ name: 'complaint_investigator__c', label: 'Complaint Investigator', applicationRole: 'sme__c', min: 0, max: 5, exclusive: false, constrainingRole: 'qa__c' },
			{ name: 'complaint_qa__c', label: 'Complaint QA', applicationRole: 'qa__c', min: 1, max: 2, exclusive: false },
		],
	},
	{
		name: 'complaint_team__c',
		label: 'Complaint Team',
		object: 'complaint__qdm',
		objectLifecycle: 'complaint_lifecycle__c',
		memberObject: 'complaint_members__c',
		memberLabel: 'Complaint Member',
		fields: { record: 'complaint__c', user: 'member__c', role: 'team_role__c' },
		keepsRemoved: false,
		lockedInStates: [],
		roles: [
			{ name: 'complaint_owner__c', label: 'Complaint Owner', applicationRole: 'record_owner__c', min: 1, max: 1, exclusive: false },
			{ name: 'complaint_reviewer__c', label: 'Complaint Reviewer', applicationRole: 'reviewer__c', min: 0, max: 3, exclusive: false },
		],
	},
];

/** An object type of a team-enabled object: its api name (object_type__vr.api_name__v) and record id (object_type__v). */
export interface SandboxObjectType {
	apiName: string;
	label: string;
	id: string;
}

/**
 * The object types of the generated team-enabled objects. Every object has `base__v`; complaint__qdm also
 * has product_complaint__c and adverse_event__c. Ids as VAULT-API.md's example (`OOT00000002E002`): `OOT` and
 * 12 characters, the sandbox's own.
 */
export const OBJECT_TYPES: Record<string, readonly SandboxObjectType[]> = {
	quality_event__qdm: [{ apiName: 'base__v', label: 'Base', id: 'OOT00000000Q001' }],
	risk_event__v: [{ apiName: 'base__v', label: 'Base', id: 'OOT00000000R001' }],
	investigation__qdm: [{ apiName: 'base__v', label: 'Base', id: 'OOT00000000I001' }],
	lab_investigation__qdm: [{ apiName: 'base__v', label: 'Base', id: 'OOT00000000L001' }],
	change_action__v: [{ apiName: 'base__v', label: 'Base', id: 'OOT00000000A001' }],
	complaint__qdm: [
		{ apiName: 'base__v', label: 'Base', id: 'OOT00000000C001' },
		{ apiName: 'product_complaint__c', label: 'Product Complaint', id: 'OOT00000000C002' },
		{ apiName: 'adverse_event__c', label: 'Adverse Event', id: 'OOT00000000C003' },
	],
};

/** The lifecycle state every generated record is in, unless generatedTraits says otherwise. */
export const OPEN_STATE = 'open_state__c';

/**
 * The object type and lifecycle state of generated record n (1..2000) of a team-enabled object: base__v and
 * open_state__c, except complaint__qdm: odd n are product_complaint__c (CP0000001), even n adverse_event__c
 * (CP0000002); n ending in 5 (CP0000005, CP0000015, ...) are in closed_state__c, a locked state of the
 * product complaint team.
 */
export function generatedTraits(object: string, n: number): { objectType: string; state: string } {
	if (object !== 'complaint__qdm') return { objectType: 'base__v', state: OPEN_STATE };
	return { objectType: n % 2 === 1 ? 'product_complaint__c' : 'adverse_event__c', state: n % 10 === 5 ? 'closed_state__c' : OPEN_STATE };
}

/** The team a record of that object type belongs to: the team for its type, else the object's team without a type. */
export function teamOfType(object: string, objectType: string | undefined): SandboxTeam | undefined {
	const teams = QUALITY_TEAMS.filter((team) => team.object === object);
	return teams.find((team) => team.objectType !== undefined && team.objectType === objectType) ?? teams.find((team) => team.objectType === undefined);
}

export function teamByMemberObject(memberObject: string): SandboxTeam | undefined {
	return QUALITY_TEAMS.find((team) => team.memberObject === memberObject);
}

export function teamByName(name: string): SandboxTeam | undefined {
	return QUALITY_TEAMS.find((team) => team.name === name);
}
