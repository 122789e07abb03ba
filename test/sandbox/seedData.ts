import { QUALITY_TEAMS } from './qualityTeams';
import type { VaultUser } from './types';

export const VAULTS = [
	{ id: 1001, name: 'QMS Sandbox' },
	{ id: 1002, name: 'QMS Sandbox Validation' },
] as const;

export const DEMO_USER = { username: 'demo@sandbox.veevavault.com', password: 'Demo-Passw0rd!' } as const;

/** Everyone who can log in, and the OAuth profile; `fallback` can reach Vault 1001 only. */
export const SANDBOX_USERS = {
	demo: DEMO_USER,
	inactive: { username: 'inactive@sandbox.veevavault.com', password: 'Inactive-Passw0rd!' },
	locked: { username: 'locked@sandbox.veevavault.com', password: 'Locked-Passw0rd!' },
	passwordChange: { username: 'changepw@sandbox.veevavault.com', password: 'ChangePw-Passw0rd!' },
	fallback: { username: 'fallback@sandbox.veevavault.com', password: 'Fallback-Passw0rd!' },
	oauth: { profileId: 'sandbox-oidc', accessToken: 'sandbox-access-token', username: DEMO_USER.username },
} as const;

export const LOGIN_USERS: VaultUser[] = [
	{ id: 61001, ...SANDBOX_USERS.demo, firstName: 'Demo', lastName: 'User' },
	{ id: 61002, ...SANDBOX_USERS.inactive, firstName: 'Inactive', lastName: 'User', active: false },
	{ id: 61003, ...SANDBOX_USERS.locked, firstName: 'Locked', lastName: 'User', locked: true },
	{ id: 61004, ...SANDBOX_USERS.passwordChange, firstName: 'Changepw', lastName: 'User', passwordChangeRequired: true },
	{ id: 61005, ...SANDBOX_USERS.fallback, firstName: 'Fallback', lastName: 'User', vaultIds: [1001] },
];

/** Row-target users 100001..102000, generated on demand: `user<id>@sandbox.veevavault.com`, global id `1001_<id>`. */
export const GENERATED_USER_IDS = { first: 100001, last: 102000 } as const;
export const INACTIVE_GENERATED_USER_IDS: readonly number[] = [100013, 100666];

export const APPLICATION_ROLES = ['record_owner__c', 'sme__c', 'qa__c', 'approver__c', 'reviewer__c'];

/**
 * The label (VQL `name__v` on application_role__v) of each application role in APPLICATION_ROLES; a seeded
 * role's label is made from its name (`lead_auditor__c` → "Lead Auditor", see labelFromName).
 */
export const APPLICATION_ROLE_LABELS: Record<string, string> = {
	record_owner__c: 'Record Owner',
	sme__c: 'SME',
	qa__c: 'QA',
	approver__c: 'Approver',
	reviewer__c: 'Reviewer',
};

/** "quality_event__qdm" → "Quality Event": the name without its suffix, words capitalised. */
export function labelFromName(name: string): string {
	const base = name.replace(/__[a-z0-9]+$/i, '');
	return base
		.split('_')
		.filter(Boolean)
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');
}

/**
 * Team-enabled objects, each with generated records 1..2000: id = idPrefix + 7 digits,
 * name = namePrefix + 6 digits. quality_event__qdm: OP4000001 / QE-000001 (as the Vault page's example).
 */
export const TEAM_OBJECTS: Record<string, { idPrefix: string; idBase: number; namePrefix: string }> = {
	quality_event__qdm: { idPrefix: 'OP', idBase: 4000000, namePrefix: 'QE-' },
	risk_event__v: { idPrefix: 'RE', idBase: 0, namePrefix: 'RE-' },
	investigation__qdm: { idPrefix: 'IN', idBase: 0, namePrefix: 'IN-' },
	lab_investigation__qdm: { idPrefix: 'LI', idBase: 0, namePrefix: 'LI-' },
	change_action__v: { idPrefix: 'CA', idBase: 0, namePrefix: 'CA-' },
	complaint__qdm: { idPrefix: 'CP', idBase: 0, namePrefix: 'CMP-' },
};
export const GENERATED_RECORDS_PER_OBJECT = 2000;

/** Labels (singular, plural) of the team-enabled objects in TEAM_OBJECTS, for Retrieve Object Collection. */
export const TEAM_OBJECT_LABELS: Record<string, { label: string; plural: string }> = {
	quality_event__qdm: { label: 'Quality Event', plural: 'Quality Events' },
	risk_event__v: { label: 'Risk Event', plural: 'Risk Events' },
	investigation__qdm: { label: 'Investigation', plural: 'Investigations' },
	lab_investigation__qdm: { label: 'Lab Investigation', plural: 'Lab Investigations' },
	change_action__v: { label: 'Change Action', plural: 'Change Actions' },
	complaint__qdm: { label: 'Complaint', plural: 'Complaints' },
};

/**
 * The Quality Team member object of each team (qualityTeams.ts, QUALITY_TEAMS) → its team-enabled object:
 * Migrate Quality Team Members takes it as {object_name} and lands its rows on the team-enabled object, and
 * VQL reads the team from it (vql/tables.ts). Veeva's Migrate page (seed 004) names two such objects,
 * lab_investigation_quality_team_member__v and change_action_quality_team_member__v; the other names of the
 * old reading follow that pattern, complaint__qdm's do not (UNVERIFIED: the pages document no member
 * object's name). Seeded team-enabled objects have none.
 */
export const MEMBER_OBJECTS: Record<string, string> = Object.fromEntries(QUALITY_TEAMS.map((team) => [team.memberObject, team.object]));

/** Named profiles, plus generated `AuditorProfile-user<n>@veepharm.com` for n in 1..2000. */
export const NAMED_AUDITOR_PROFILES = ['AuditorProfile-alex@veepharm.com', 'AuditorProfile-walter@veepharm.com'];
export const GENERATED_AUDITOR_PROFILES = 2000;
export const AUDITOR_ROLES = ['Lead Auditor', 'Co-Auditor', 'Auditor in Training', 'Technical Expert'];

/** Documents 1..3000, each with these roles; groups 3311301..3311400. */
export const GENERATED_DOCUMENTS = 3000;
export const DOCUMENT_ROLES = ['reviewer__v', 'approver__v', 'consumer__v'];

/**
 * One lifecycle role assignment rule (default rule) as Retrieve Lifecycle Role Assignment Rules (Default &
 * Override) answers it (Veeva API reference, "Document Lifecycle & Workflows > Lifecycle Role Assignment
 * Rules"): users by user name, groups by group name__v; the default users and groups are among the allowed
 * ones, as in the page's example (ally@veepharm.com is in both allowed_users__v and allowed_default_users__v).
 */
export interface LifecycleRoleRule {
	lifecycle__v: string;
	role__v: string;
	allowed_users__v: string[];
	allowed_groups__v: string[];
	allowed_default_users__v: string[];
	allowed_default_groups__v: string[];
}

/**
 * The document lifecycles' role rules: one default rule per role per lifecycle, only roles the document
 * role endpoints accept on the generated documents (DOCUMENT_ROLES; owner__v is refused there, so it is not
 * offered here). approver__v and reviewer__v are in two lifecycles, so a role name comes back twice.
 * No override rules (product__v / country__v conditions) are modelled. Groups are NAMED_GROUPS' names.
 */
export const LIFECYCLE_ROLE_RULES: readonly LifecycleRoleRule[] = [
	{
		lifecycle__v: 'general_lifecycle__c',
		role__v: 'reviewer__v',
		allowed_users__v: [DEMO_USER.username, 'user100001@sandbox.veevavault.com', 'user100002@sandbox.veevavault.com'],
		allowed_groups__v: ['quality_reviewers__c', 'document_control__c'],
		allowed_default_users__v: ['user100001@sandbox.veevavault.com'],
		allowed_default_groups__v: ['quality_reviewers__c'],
	},
	{
		lifecycle__v: 'general_lifecycle__c',
		role__v: 'approver__v',
		allowed_users__v: [DEMO_USER.username, 'user100003@sandbox.veevavault.com'],
		allowed_groups__v: ['quality_approvers__c'],
		allowed_default_users__v: ['user100003@sandbox.veevavault.com'],
		allowed_default_groups__v: ['quality_approvers__c'],
	},
	{
		lifecycle__v: 'general_lifecycle__c',
		role__v: 'consumer__v',
		allowed_users__v: [],
		allowed_groups__v: ['document_control__c'],
		allowed_default_users__v: [],
		allowed_default_groups__v: ['document_control__c'],
	},
	{
		lifecycle__v: 'sop_lifecycle__c',
		role__v: 'approver__v',
		allowed_users__v: [DEMO_USER.username, 'user100004@sandbox.veevavault.com'],
		allowed_groups__v: ['quality_approvers__c'],
		allowed_default_users__v: [DEMO_USER.username],
		allowed_default_groups__v: [],
	},
	{
		lifecycle__v: 'sop_lifecycle__c',
		role__v: 'reviewer__v',
		allowed_users__v: ['user100005@sandbox.veevavault.com'],
		allowed_groups__v: ['quality_reviewers__c'],
		allowed_default_users__v: [],
		allowed_default_groups__v: [],
	},
];
export const GROUP_IDS = { first: 3311301, last: 3311400 } as const;

/**
 * Users that exist for VQL on user__sys (no password: they cannot log in). Vault does not make
 * emails unique (VAULT-API.md, "Added after the first review"), so two active users share one; two
 * user names hold a quote and a backslash, for VQL string escaping.
 */
export const SHARED_EMAIL = 'shared.mailbox@sandbox.veevavault.com';
export const QUERY_USERS: VaultUser[] = [
	{ id: 61010, username: "o'brien@sandbox.veevavault.com", firstName: 'Aoife', lastName: "O'Brien" },
	{ id: 61011, username: 'back\\slash@sandbox.veevavault.com', firstName: 'Back', lastName: 'Slash' },
	{ id: 61012, username: 'shared.one@sandbox.veevavault.com', email: SHARED_EMAIL, firstName: 'Shared', lastName: 'One' },
	{ id: 61013, username: 'shared.two@sandbox.veevavault.com', email: SHARED_EMAIL, firstName: 'Shared', lastName: 'Two' },
];

/**
 * Groups with names for VQL on group__sys; the ids are those of Veeva's Retrieve Object Record example
 * (viewer__v group 3311303, editor__v group 4411606). Other groups get name `group_<id>__c`, label `Group <id>`.
 */
export const NAMED_GROUPS: Array<{ id: number; name: string; label: string }> = [
	{ id: 3311303, name: 'quality_reviewers__c', label: 'Quality Reviewers' },
	{ id: 3311304, name: 'document_control__c', label: 'Document Control' },
	{ id: 4411606, name: 'quality_approvers__c', label: 'Quality Approvers' },
];
