/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { IncomingMessage } from 'node:http';

import type { CsvRow } from '../csv/vaultCsv';
import type { SessionContext } from '../http/apiContext';
import { headerValue, mediaType } from '../http/incoming';
import { failure, success, type VaultResponse } from '../http/vaultResponse';
import type { SandboxTeam } from '../qualityTeams';
import { refusedMember } from '../settings';
import { isResponse, readBulkCsv, requireContentType, startBulkJob } from './bulkCsv';

const COLUMNS = ['record_id', 'user_id', 'application_role', 'operation'];

/**
 * POST /api/{version}/app/quality/qms/teams/vobjects/{object_name}/actions/manageassignments:
 * Manage Quality Team Assignments (a job; its id is a string, as the page shows).
 */
export function manageQualityTeamAssignments(context: SessionContext): VaultResponse {
	return manageAssignments(context, 'qms');
}

/**
 * POST /api/{version}/app/qualityone/qms/teams/vobjects/{object_name}/actions/manageassignments: QualityOne's
 * Manage Team Assignments (QualityOne API reference, v25.2): the same CSV, limits and job answer as QMS's,
 * and "REMOVE executes before ADD": a job applies its REMOVE rows first, whatever their order in the file.
 */
export function manageTeamAssignmentsQualityOne(context: SessionContext): VaultResponse {
	return manageAssignments(context, 'qualityOne');
}

/**
 * Either application's endpoint. A Vault runs one (settings.vaultApplication); the other's path answers as a
 * resource that does not exist, in the words the sandbox gives any unknown path (http/dispatchApi.ts).
 */
function manageAssignments(context: SessionContext, application: 'qms' | 'qualityOne'): VaultResponse {
	if (context.world.settings.vaultApplication !== application) return failure('MALFORMED_URL', `The resource ${context.path} does not exist.`);
	const { objectName } = context.params;
	const { directory, assignments } = context.world;
	if (!directory.isTeamObject(objectName)) return failure('INVALID_DATA', `Object "${objectName}" is not a team-enabled object.`);
	const wrongType = requireContentType(context, ['text/csv']);
	if (wrongType) return wrongType;
	const table = readBulkCsv(context, 'manage', context.body, COLUMNS);
	if (isResponse(table)) return table;
	// Rows are checked when the job runs, against the state and settings of that moment: a row Vault
	// refuses is a row error (the job ends ERRORS_ENCOUNTERED) and changes nothing.
	// QualityOne: REMOVE rows before ADD rows, each in file order (a stable sort); QMS: file order, the page says nothing
	const ordered = application === 'qualityOne' ? { ...table, rows: [...table.rows].sort((a, b) => removeFirst(a) - removeFirst(b)) } : table;
	const job = startBulkJob(context, ordered, ({ values }: CsvRow) => {
		const { record_id: recordId, user_id: userIdText, application_role: role, operation } = values;
		if (directory.recordName(objectName, recordId) === undefined) return `Record "${recordId}" does not exist in ${objectName}.`;
		const user = /^\d+$/.test(userIdText) ? directory.user(Number(userIdText)) : undefined;
		if (!user) return `user_id "${userIdText}" is not a Vault user.`;
		if (!directory.applicationRoleExists(role)) return `Application role "${role}" does not exist.`;
		if (operation !== 'ADD' && operation !== 'REMOVE') return `operation "${operation}" must be exactly ADD or REMOVE.`;
		// settings.refuseMembers: the team rules the page says Manage respects that the sandbox does not model (min/max...)
		const refused = refusedMember(context.world.settings, objectName, recordId, user.id, role, operation);
		if (refused !== undefined) return refused;
		const team = directory.recordTeam(objectName, recordId);
		const broken = team && teamRuleBroken(team, role, recordId, directory.recordTraits(objectName, recordId)?.state);
		if (broken) return broken;
		const member = { user_id: user.id, application_role: role };
		const overLimit = team && context.world.settings.teamRoleLimits ? roleLimitBroken(team, assignments.team(objectName, recordId), member, operation, recordId) : undefined;
		if (overLimit) return overLimit;
		if (operation === 'ADD') {
			if (user.active === false) return `User ${user.id} is inactive and cannot be added to a Quality Team.`;
			assignments.addMember(objectName, recordId, member, team?.memberObject);
			return undefined;
		}
		// a team that keeps removed members' records (status__v) marks the record inactive__v; the others delete it
		return assignments.removeMember(objectName, recordId, member, team?.keepsRemoved) ? undefined : `User ${user.id} is not a ${role} member of record ${recordId}.`;
	});
	return { ...success({ jobId: String(job.id) }), jobId: job.id };
}

function removeFirst(row: CsvRow): number {
	return row.values.operation === 'REMOVE' ? 0 : 1;
}

/**
 * The rules of the record's team (qualityTeams.ts) a Manage row breaks, as a row error: a role the team
 * does not have (the page's `application_role`: "The name of the application_role__v of the Quality Team
 * Role to which to assign the user", so only the team's roles' application roles can be managed), or a
 * record in one of the team's locked_in_states (the page: Manage respects "Object records in locked
 * states"; MDL: "no user in the Vault may change team member assignments for any role"). Vault's wording
 * (in the results CSV it emails) is undocumented: these texts are the sandbox's own.
 */
function teamRuleBroken(team: SandboxTeam, role: string, recordId: string, state: string | undefined): string | undefined {
	if (!team.roles.some((teamRole) => teamRole.applicationRole === role)) {
		const roles = team.roles.map((teamRole) => teamRole.applicationRole).join(', ');
		return `Application role "${role}" is not a role of the Quality Team ${team.name} of record ${recordId}; its roles: ${roles}.`;
	}
	if (state !== undefined && team.lockedInStates.includes(state)) return `Record ${recordId} is in state ${state}, in which the Quality Team ${team.name} is locked.`;
	return undefined;
}

/**
 * With the setting teamRoleLimits: the record's team roles' minimum_user_in_role, maximum_user_in_role and
 * exclusive_membership (Quality MDL, "Qualityteamrole"), against the record's active members at the moment the row
 * is applied (rows of a job apply in CSV order: the sandbox's reading; Veeva documents an order only for
 * QualityOne, "REMOVE executes before ADD"). The texts are the sandbox's own.
 */
function roleLimitBroken(team: SandboxTeam, held: Array<{ user_id: number; application_role: string; active: boolean }>, member: { user_id: number; application_role: string }, operation: string, recordId: string): string | undefined {
	const active = held.filter((entry) => entry.active);
	const rule = team.roles.find((teamRole) => teamRole.applicationRole === member.application_role);
	if (!rule) return undefined;
	const inRole = active.filter((entry) => entry.application_role === member.application_role);
	if (operation === 'REMOVE') {
		const there = inRole.some((entry) => entry.user_id === member.user_id);
		return there && inRole.length - 1 < rule.min ? `Removing user ${member.user_id} would leave role ${rule.applicationRole} on record ${recordId} with fewer than ${rule.min} member(s).` : undefined;
	}
	if (inRole.some((entry) => entry.user_id === member.user_id)) return undefined;
	if (inRole.length + 1 > rule.max) return `Role ${rule.applicationRole} on record ${recordId} already has its maximum of ${rule.max} member(s).`;
	const otherRoles = active.filter((entry) => entry.user_id === member.user_id && entry.application_role !== member.application_role).map((entry) => entry.application_role);
	const exclusive = (role: string) => team.roles.some((teamRole) => teamRole.applicationRole === role && teamRole.exclusive);
	if (otherRoles.length > 0 && (rule.exclusive || otherRoles.some(exclusive))) return `User ${member.user_id} holds ${otherRoles.join(', ')} on record ${recordId}, and an exclusive role may not be held beside another.`;
	return undefined;
}

/**
 * Every Vault answer of this endpoint, FAILURE ones and the pipeline's (session, client id, faults)
 * included, is the JSON envelope. The page (seeds 001/003) lists `Accept: text/csv` yet shows only
 * the JSON answer {"responseStatus":"SUCCESS","jobId":"243001"}; it is ambiguous about the label, so
 * when asked for text/csv the JSON is labelled text/csv: the reading that breaks a client trusting it.
 */
export function labelAsAsked<T extends VaultResponse>(request: IncomingMessage, answer: T): T {
	const firstAccepted = mediaType(headerValue(request, 'accept')?.split(',')[0]);
	if (firstAccepted !== 'text/csv' || !answer.contentType.startsWith('application/json')) return answer;
	return { ...answer, contentType: 'text/csv;charset=UTF-8' };
}
