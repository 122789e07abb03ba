/**
 * The Vault the examples are written against: the sandbox's generated data plus the Quality Teams
 * the examples expect to find (a leaver to take off, a team for the nightly roster to reconcile).
 * One module for `npm run demo`, `npm run sandbox` (`--demo`) and `npm run test:n8n`, so that the
 * sandbox a user starts by hand holds what the demo shows.
 */
import {
	APPLICATION_ROLES,
	AUDITOR_ROLES,
	DEMO_USER,
	DOCUMENT_ROLES,
	GROUP_IDS,
	INACTIVE_GENERATED_USER_IDS,
	NAMED_AUDITOR_PROFILES,
	TEAM_OBJECTS,
} from './seedData';
import { QUALITY_TEAMS } from './qualityTeams';
import type { SandboxSeed, SandboxSettingsPatch } from './types';

/** Jobs finish in about a second, and a job's status may be read every second (a real Vault: every 10 s). */
export const DEMO_SETTINGS: SandboxSettingsPatch = { jobQueuedMs: 200, jobRunMs: 800, jobStatusMinIntervalMs: 1000 };

/** The Quality Teams the examples start from; every other team is empty. */
export const DEMO_TEAMS: Array<{ object: string; recordId: string; userId: number; role: string; why: string; active?: boolean }> = [
	{ object: 'quality_event__qdm', recordId: 'OP4000009', userId: 100007, role: 'sme__c', why: 'the leavers example takes them off, by federated id fed-100007' },
	{ object: 'quality_event__qdm', recordId: 'OP4000010', userId: 100011, role: 'qa__c', why: 'in the roster example\'s roster: kept' },
	{ object: 'quality_event__qdm', recordId: 'OP4000010', userId: 100012, role: 'sme__c', why: 'not in the roster: the roster example removes them' },
	{ object: 'quality_event__qdm', recordId: 'OP4000010', userId: 100015, role: 'approver__c', why: 'in the roster: kept' },
	// complaint__qdm: teams by object type whose member objects and fields the node must read from Vault (README, "Quality Teams")
	{ object: 'complaint__qdm', recordId: 'CP0000001', userId: 100021, role: 'record_owner__c', why: 'product complaint team (pc_team_assignment__sys)' },
	{ object: 'complaint__qdm', recordId: 'CP0000001', userId: 100022, role: 'qa__c', why: 'product complaint team' },
	{ object: 'complaint__qdm', recordId: 'CP0000001', userId: 100023, role: 'sme__c', why: 'removed earlier: an inactive member record, not on the team', active: false },
	{ object: 'complaint__qdm', recordId: 'CP0000002', userId: 100024, role: 'record_owner__c', why: 'complaint team of the other types (complaint_members__c)' },
	// the HR termination example: user100031@sandbox.veevavault.com leaves; planned, approved, removed everywhere
	{ object: 'quality_event__qdm', recordId: 'OP4000012', userId: 100031, role: 'qa__c', why: 'the termination example removes them' },
	{ object: 'quality_event__qdm', recordId: 'OP4000013', userId: 100031, role: 'sme__c', why: 'the termination example removes them' },
	{ object: 'quality_event__qdm', recordId: 'OP4000014', userId: 100031, role: 'record_owner__c', why: "the record's only owner (minimum 1): the termination example skips and lists it" },
	{ object: 'risk_event__v', recordId: 'RE0000003', userId: 100031, role: 'sme__c', why: 'the termination example removes them' },
	{ object: 'complaint__qdm', recordId: 'CP0000004', userId: 100031, role: 'reviewer__c', why: 'the termination example removes them (complaint_members__c)' },
	{ object: 'complaint__qdm', recordId: 'CP0000015', userId: 100031, role: 'sme__c', why: 'a closed complaint, its team locked: the termination example skips it' },
	// the leave-of-absence example: user100041 goes on leave, user100042 stands in
	{ object: 'quality_event__qdm', recordId: 'OP4000015', userId: 100041, role: 'approver__c', why: 'the leave example puts the stand-in on, then takes them off' },
	{ object: 'risk_event__v', recordId: 'RE0000004', userId: 100041, role: 'qa__c', why: 'the leave example puts the stand-in on, then takes them off' },
	{ object: 'risk_event__v', recordId: 'RE0000005', userId: 100041, role: 'sme__c', why: 'the stand-in is on already: the leave example only takes them off' },
	{ object: 'risk_event__v', recordId: 'RE0000005', userId: 100042, role: 'sme__c', why: 'the stand-in of the leave example, on already' },
];

/** The LMS example's learner: a Vault user whose email the LMS sends, linked to AuditorProfile-alex@veepharm.com. */
export const DEMO_LEARNER = { id: 61020, username: 'alex@veepharm.com', firstName: 'Alex', lastName: 'Auditor' } as const;

export const DEMO_SEED: SandboxSeed = {
	users: [{ ...DEMO_LEARNER }],
	auditorProfiles: [{ name: 'AuditorProfile-alex@veepharm.com', userId: DEMO_LEARNER.id }],
	records: [
		{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' },
		{ object: 'quality_event__qdm', id: 'OP4000009', name: 'QE-000009' },
	],
	teamMembers: DEMO_TEAMS.map(({ object, recordId, userId, role, active }) => ({ object, recordId, userId, role, ...(active === false ? { active } : {}) })),
};

/** What the demo Vault holds, in lines a person reads before pointing n8n at it. */
export function describeDemoVault(url: string): string[] {
	const objects = Object.entries(TEAM_OBJECTS).map(([name, scheme]) => `${name} (${scheme.idPrefix}…, names ${scheme.namePrefix}…)`);
	return [
		`Credential "Veeva Vault API": Vault DNS ${url}, Username & Password ${DEMO_USER.username} / ${DEMO_USER.password}`,
		'  (examples/sandbox-credential.json is this credential for the default port 8470: n8n import:credentials --input=examples/sandbox-credential.json)',
		`Users: 100001-102000, user name and email user<id>@sandbox.veevavault.com, federated id fed-<id>; inactive: ${INACTIVE_GENERATED_USER_IDS.join(', ')}`,
		`Groups: ${GROUP_IDS.first}-${GROUP_IDS.last}`,
		`Application roles: ${APPLICATION_ROLES.join(', ')}`,
		`Team-enabled objects, 2,000 records each: ${objects.join('; ')}`,
		`  e.g. quality_event__qdm OP4000008 is QE-000008; team members live in quality_event_quality_team_member__v (VQL)`,
		`Quality Team definitions (GET /api/{version}/configuration/Qualityteam): ${QUALITY_TEAMS.map((team) => `${team.name} (${team.object}${team.objectType ? `, type ${team.objectType}` : ''}: members in ${team.memberObject})`).join('; ')}`,
		'Quality Teams (every other team starts empty):',
		...DEMO_TEAMS.map((member) => `  ${member.object} ${member.recordId} (${TEAM_OBJECTS[member.object].namePrefix}${member.recordId.slice(-6)}): user ${member.userId} as ${member.role}: ${member.why}`),
		`Auditor profiles: ${NAMED_AUDITOR_PROFILES.join(', ')}, AuditorProfile-user<n>@veepharm.com (user 100000+n); alex's is user ${DEMO_LEARNER.id} ${DEMO_LEARNER.username}'s; auditor roles ${AUDITOR_ROLES.join(', ')}`,
		`Documents 1-3000, roles ${DOCUMENT_ROLES.join(', ')}`,
		'Everything it holds: test/sandbox/README.md, "Seeded data"',
	];
}
