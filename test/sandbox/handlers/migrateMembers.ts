import type { CsvRow } from '../csv/vaultCsv';
import type { SessionContext } from '../http/apiContext';
import { mediaType } from '../http/incoming';
import { namedPart } from '../http/multipart';
import { failure, success, type VaultResponse } from '../http/vaultResponse';
import { MEMBER_OBJECTS } from '../seedData';
import { isResponse, readBulkCsv, startBulkJob } from './bulkCsv';

const ROLE_COLUMN = 'application_role__v.api_name__v';
const USER_COLUMNS = ['user__sys.global_id__sys', 'user__sys.username__sys'];
const MAX_VALUE_LENGTH = 1500;

/**
 * POST /api/{version}/qms/teams/vobjects/{member_object}/actions/migration: Migrate Quality Team
 * Members (a job). The CSV must come as the multipart part named `file`.
 */
export function migrateQualityTeamMembers(context: SessionContext): VaultResponse {
	const teamObject = MEMBER_OBJECTS[context.params.objectName];
	if (!teamObject) return failure('INVALID_DATA', `Object "${context.params.objectName}" is not a Quality Team member object.`);
	const csv = uploadedCsv(context);
	if (isResponse(csv)) return csv;
	const recordColumn = `${teamObject}.name__v`;
	const table = readBulkCsv(context, 'migrate', csv, [recordColumn, ROLE_COLUMN]);
	if (isResponse(table)) return table;
	const userColumn = table.headers.find((header) => USER_COLUMNS.includes(header));
	if (!userColumn) return failure('INVALID_DATA', `Missing the user column: ${USER_COLUMNS.join(' or ')}.`);
	if (table.headers.length !== 3) {
		return failure('INVALID_DATA', `Expected exactly three columns, found ${table.headers.length}: ${table.headers.join(', ')}.`);
	}

	const { directory, assignments } = context.world;
	const job = startBulkJob(context, table, ({ values }: CsvRow) => {
		const tooLong = Object.keys(values).find((column) => values[column].length >= MAX_VALUE_LENGTH);
		if (tooLong) return `The value of ${tooLong} is ${values[tooLong].length} characters; values must be under ${MAX_VALUE_LENGTH}.`;
		const recordId = directory.recordIdByName(teamObject, values[recordColumn]);
		if (recordId === undefined) return `No ${teamObject} record is named "${values[recordColumn]}".`;
		const userValue = values[userColumn];
		const user = userColumn === USER_COLUMNS[0] ? directory.userByGlobalId(userValue) : directory.userByUsername(userValue);
		if (!user) return `No user matches ${userColumn} "${values[userColumn]}".`;
		if (user.active === false) return `User ${user.id} is inactive.`;
		if (!directory.applicationRoleExists(values[ROLE_COLUMN])) return `Application role "${values[ROLE_COLUMN]}" does not exist.`;
		assignments.addMember(teamObject, recordId, { user_id: user.id, application_role: values[ROLE_COLUMN] });
		return undefined;
	});
	return { ...success({ jobId: job.id }), jobId: job.id };
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
