import type { CsvRow } from '../csv/vaultCsv';
import type { SessionContext } from '../http/apiContext';
import { failure, success, type VaultResponse } from '../http/vaultResponse';
import { isResponse, readBulkCsv, requireContentType, startBulkJob } from './bulkCsv';

const COLUMNS = ['record_id', 'user_id', 'application_role', 'operation'];

/**
 * POST /api/{version}/app/quality/qms/teams/vobjects/{object_name}/actions/manageassignments:
 * Manage Quality Team Assignments (a job; its id is a string, as the page shows).
 */
export function manageQualityTeamAssignments(context: SessionContext): VaultResponse {
	const { objectName } = context.params;
	const { directory, assignments, settings } = context.world;
	if (!directory.isTeamObject(objectName)) return failure('INVALID_DATA', `Object "${objectName}" is not a team-enabled object.`);
	const wrongType = requireContentType(context, ['text/csv']);
	if (wrongType) return wrongType;
	const table = readBulkCsv(context, 'manage', context.body, COLUMNS);
	if (isResponse(table)) return table;
	const job = startBulkJob(context, table, ({ values }: CsvRow) => {
		const { record_id: recordId, user_id: userIdText, application_role: role, operation } = values;
		if (directory.recordName(objectName, recordId) === undefined) return `Record "${recordId}" does not exist in ${objectName}.`;
		const user = /^\d+$/.test(userIdText) ? directory.user(Number(userIdText)) : undefined;
		if (!user) return `user_id "${userIdText}" is not a Vault user.`;
		if (!directory.applicationRoleExists(role)) return `Application role "${role}" does not exist.`;
		const member = { user_id: user.id, application_role: role };
		if (operation === 'ADD') {
			if (user.active === false) return `User ${user.id} is inactive and cannot be added to a Quality Team.`;
			assignments.addMember(objectName, recordId, member);
			return undefined;
		}
		if (operation === 'REMOVE') {
			return assignments.removeMember(objectName, recordId, member) ? undefined : `User ${user.id} is not a ${role} member of record ${recordId}.`;
		}
		return `operation "${operation}" must be exactly ADD or REMOVE.`;
	});
	const accept = (context.request.headers.accept ?? '').split(',')[0].split(';')[0].trim().toLowerCase();
	if (settings.csvAnswers && accept === 'text/csv') {
		const body = `responseStatus,jobId\r\nSUCCESS,${job.id}\r\n`;
		return { status: 200, contentType: 'text/csv;charset=UTF-8', body, responseStatus: 'SUCCESS', jobId: job.id };
	}
	return { ...success({ jobId: String(job.id) }), jobId: job.id };
}
