import type { INodeProperties } from 'n8n-workflow';

import { operationsWith, showFor } from './specOptions';

const SYNC = showFor((spec) => spec.sync === true);

/** Sync Members' own fields: what the sync owns (its scope). Its rails and the member object are options. */
export const syncFields: INodeProperties[] = [
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		default: 'recordsInInput',
		description:
			'Which current members the sync owns and may remove. Nothing outside the scope is ever removed.',
		options: [
			{
				name: 'Records in the Input',
				value: 'recordsInInput',
				description: 'The Quality Teams of the records the input names, every role',
			},
			{
				name: 'Records in the Input, These Roles',
				value: 'roles',
				description: 'The Quality Teams of the records the input names, only the roles listed',
			},
		],
		displayOptions: SYNC,
	},
	{
		displayName: 'Roles',
		name: 'scopeRoles',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. qa__c, sme__c',
		description:
			"The application roles the sync owns, comma-separated; other roles' members are never removed, and input rows in other roles are not sent",
		displayOptions: { show: { ...SYNC.show, scope: ['roles'] } },
	},
];

// the team member object and its fields: for the operations that read one object's teams (Verify, Sync);
// Remove Everywhere and Replace read every team as Vault defines it
const MEMBER_OPS = {
	show: {
		'/operation': operationsWith((spec) => spec.verify === 'teamReadBack' && !spec.everywhere),
	},
};
const VERIFY_OPS = {
	show: { '/operation': operationsWith((spec) => spec.verify === 'teamReadBack') },
};
const SYNC_OPS = { show: { '/operation': operationsWith((spec) => spec.sync === true) } };
const PLAN_OPS = {
	show: {
		'/operation': operationsWith((spec) => spec.sync === true || spec.everywhere !== undefined),
	},
};

/** Options of Manage Assignments and Sync Members, added to the bulk options collection. */
export const memberOptions: INodeProperties[] = [
	{
		displayName: 'Allow Empty Input',
		name: 'allowEmptyInput',
		type: 'boolean',
		default: false,
		description:
			'Whether a roster with no usable row may run (it still removes nothing outside the records it names). Off: an empty roster is refused.',
		displayOptions: SYNC_OPS,
	},
	{
		displayName: 'Max Removals',
		name: 'maxRemovals',
		type: 'string',
		default: '10%',
		placeholder: 'e.g. 10% or 25',
		description:
			'Most members one run may remove: a whole number (0: none), or a percentage of the current members in scope, rounded down but at least 1 (0%: none). The default 10% lets an ordinary leaver through even on a small team, and stops a truncated HR export, which removes many: above it nothing is sent and the node lists what it would remove.',
		displayOptions: SYNC_OPS,
	},
	{
		displayName: 'Member Record Field',
		name: 'memberRecordField',
		type: 'string',
		default: '',
		placeholder: 'e.g. quality_event__qdm',
		description:
			"Override: the team member object's field that references the team-enabled record. Empty: read from the member object's metadata (the field that references the Object); if Vault will not give it, the Object's name.",
		displayOptions: MEMBER_OPS,
	},
	{
		displayName: 'Member Role Field',
		name: 'memberRoleField',
		type: 'string',
		default: '',
		placeholder: 'e.g. application_role__vr.api_name__v',
		description:
			"Override: the team member object's relationship field that gives the application role's API name, as Manage takes it. Empty: read from the member object's metadata (its reference to application_role__v, read through the relationship); if Vault will not give it, application_role__vr.api_name__v.",
		displayOptions: MEMBER_OPS,
	},
	{
		displayName: 'Member User Field',
		name: 'memberUserField',
		type: 'string',
		default: '',
		placeholder: 'e.g. user__sys',
		description:
			"Override: the team member object's field that references the user (its ID). Empty: read from the member object's metadata (its reference to users); if Vault will not give it, user__sys.",
		displayOptions: MEMBER_OPS,
	},
	{
		displayName: 'Output Unchanged Members',
		name: 'outputUnchanged',
		type: 'boolean',
		default: true,
		description:
			"Whether to output an item for each roster row Vault already has as the roster says. Off: they are only counted in the summary (unchanged), so a large nightly roster's output, and what n8n holds and saves of the run, is the changes: 200,000 rows with 2% drift are ~4,000 items instead of ~200,000.",
		displayOptions: SYNC_OPS,
	},
	{
		displayName: 'Plan Only',
		name: 'planOnly',
		type: 'boolean',
		default: false,
		description:
			'Whether to read Vault and output the plan without sending anything: an item per add and removal with its reason, one per unchanged, duplicate, out-of-scope or skipped membership, and a summary (per person, on Remove User From All Teams and Replace User). Unlike Dry Run, which outputs the CSV batches that would be sent, a plan is never stopped by Max Removals: it shows what a blocked run would remove.',
		displayOptions: PLAN_OPS,
	},
	{
		displayName: 'Team Member Object',
		name: 'teamMemberObject',
		type: 'string',
		default: '',
		placeholder: 'e.g. quality_event_quality_team_member__v',
		description:
			"Override: the object Vault keeps the Quality Team's members in. Empty: the member object of the record's Quality Team, read from Vault's team definitions (Describe Teams lists them); if Vault will not give them, named after the Object (quality_event__qdm → quality_event_quality_team_member__v), which the output then says.",
		displayOptions: MEMBER_OPS,
	},
	{
		displayName: 'Verify',
		name: 'verify',
		type: 'boolean',
		default: false,
		description:
			"Whether to wait for the jobs, read the teams back and mark every row applied: true, false, or null when the read-back failed or did not add up. A REMOVE of someone not on the team (read before sending) is marked so. Vault's reason for a row it did not apply is in the job's results email.",
		displayOptions: VERIFY_OPS,
	},
];
