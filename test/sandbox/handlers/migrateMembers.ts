import type { CsvRow } from '../csv/vaultCsv';
import type { SessionContext } from '../http/apiContext';
import { mediaType } from '../http/incoming';
import { namedPart } from '../http/multipart';
import { failure, success, type VaultResponse } from '../http/vaultResponse';
import { teamByMemberObject, type SandboxTeam } from '../qualityTeams';
import { isResponse, readBulkCsv, startBulkJob } from './bulkCsv';

const MAX_VALUE_LENGTH = 1500;

/**
 * POST /api/{version}/qms/teams/vobjects/{member_object}/actions/migration: Migrate Quality Team
 * Members (a job). The CSV must come as the multipart part named `file`. Its three columns are the member
 * object's fields and a text field of what each references, as the page's example
 * (`quality_event__qdm.name__v`, `user__sys.global_id__sys`, `application_role__v.api_name__v`): here
 * `{record field}.name__v`, `{user field}.global_id__sys` or `.username__sys`, `{role field}.api_name__v`
 * with the field names of the member object's team (qualityTeams.ts), the old reading's names for its teams.
 */
export function migrateQualityTeamMembers(context: SessionContext): VaultResponse {
	const team = teamByMemberObject(context.params.objectName);
	if (!team) return failure('INVALID_DATA', `Object "${context.params.objectName}" is not a Quality Team member object.`);
	const csv = uploadedCsv(context);
	if (isResponse(csv)) return csv;
	const recordColumn = `${team.fields.record}.name__v`;
	const roleColumn = `${team.fields.role}.api_name__v`;
	const userColumns = [`${team.fields.user}.global_id__sys`, `${team.fields.user}.username__sys`];
	const table = readBulkCsv(context, 'migrate', csv, [recordColumn, roleColumn]);
	if (isResponse(table)) return table;
	const userColumn = table.headers.find((header) => userColumns.includes(header));
	if (!userColumn) return failure('INVALID_DATA', `Missing the user column: ${userColumns.join(' or ')}.`);
	if (table.headers.length !== 3) {
		return failure('INVALID_DATA', `Expected exactly three columns, found ${table.headers.length}: ${table.headers.join(', ')}.`);
	}

	const { directory, assignments } = context.world;
	const job = startBulkJob(context, table, ({ values }: CsvRow) => {
		const tooLong = Object.keys(values).find((column) => values[column].length >= MAX_VALUE_LENGTH);
		if (tooLong) return `The value of ${tooLong} is ${values[tooLong].length} characters; values must be under ${MAX_VALUE_LENGTH}.`;
		const recordId = directory.recordIdByName(team.object, values[recordColumn]);
		if (recordId === undefined) return `No ${team.object} record is named "${values[recordColumn]}".`;
		const userValue = values[userColumn];
		const user = userColumn === userColumns[0] ? directory.userByGlobalId(userValue) : directory.userByUsername(userValue);
		if (!user) return `No user matches ${userColumn} "${values[userColumn]}".`;
		if (user.active === false) return `User ${user.id} is inactive.`;
		const role = values[roleColumn];
		if (!directory.applicationRoleExists(role)) return `Application role "${role}" does not exist.`;
		const wrongTeam = teamMismatch(team, directory.recordTeam(team.object, recordId), role, values[recordColumn]);
		if (wrongTeam) return wrongTeam;
		assignments.addMember(team.object, recordId, { user_id: user.id, application_role: role }, team.memberObject);
		return undefined;
	});
	return { ...success({ jobId: job.id }), jobId: job.id };
}

/**
 * A row this member object cannot hold: a record whose object type has another team (its members live in
 * that team's member object), or a role that is none of the team's roles. The page lists "The assigned
 * application role must exist" and not the team's roles; refusing a role the team lacks is the sandbox's
 * reading (a member record is a team role's membership). The texts are the sandbox's own.
 */
function teamMismatch(team: SandboxTeam, recordTeam: SandboxTeam | undefined, role: string, recordName: string): string | undefined {
	if (recordTeam !== team) return `Record "${recordName}" belongs to the Quality Team ${recordTeam?.name ?? '(none)'}, whose members are ${recordTeam?.memberObject ?? 'nowhere'}; not ${team.memberObject}.`;
	if (!team.roles.some((teamRole) => teamRole.applicationRole === role)) {
		return `Application role "${role}" is not a role of the Quality Team ${team.name}; its roles: ${team.roles.map((teamRole) => teamRole.applicationRole).join(', ')}.`;
	}
	return undefined;
}

/**
 * The page (seed 004) is ambiguous: its header table says `Content-Type: text/csv`, but its body
 * parameter is `file` and its curl example uploads `-F file=@…` (which curl sends as
 * `text/csv; boundary=…` with a multipart body). The sandbox reads only the multipart `file` part and
 * refuses a bare CSV body loudly; sandbox.test.ts documents the choice.
 */
function uploadedCsv(context: SessionContext): Buffer | VaultResponse {
	const contentType = context.request.headers['content-type'];
	const file = namedPart(context.body, contentType, 'file');
	if (file) return file.content;
	const type = mediaType(contentType) || '(none)';
	const why = type === 'multipart/form-data' ? 'the form has no part named "file"' : `a bare ${type} body is not read`;
	return failure('PARAMETER_REQUIRED', `Missing required parameter: file. Upload the CSV as the multipart/form-data field "file"; ${why}.`);
}
