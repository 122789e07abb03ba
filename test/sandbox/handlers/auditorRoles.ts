import type { CsvRow } from '../csv/vaultCsv';
import type { SessionContext } from '../http/apiContext';
import { success, type VaultResponse } from '../http/vaultResponse';
import { isResponse, readBulkCsv, requireContentType, startBulkJob } from './bulkCsv';

const PROFILE = 'auditor_profile__v.name__v';
const ROLE = 'auditor_role__v.name__v';

/** POST /api/{version}/app/quality/qms/auditor_profiles/roles/batch: Associate Auditor Roles (a job). */
export function associateAuditorRoles(context: SessionContext): VaultResponse {
	const wrongType = requireContentType(context, ['text/csv']);
	if (wrongType) return wrongType;
	const table = readBulkCsv(context, 'auditor', context.body, [PROFILE, ROLE]);
	if (isResponse(table)) return table;
	const { directory, assignments } = context.world;
	const job = startBulkJob(context, table, (row: CsvRow) => {
		const profile = existingName(row.values[PROFILE], (name) => directory.auditorProfileExists(name));
		if (profile === undefined) return `Auditor Profile "${row.values[PROFILE]}" does not exist.`;
		const role = existingName(row.values[ROLE], (name) => directory.auditorRoleExists(name));
		if (role === undefined) return `Auditor Role "${row.values[ROLE]}" does not exist.`;
		assignments.addAuditorRole(profile, role);
		return undefined;
	});
	return { ...success({ jobId: job.id }), jobId: job.id };
}

/**
 * The name as given if it exists, else the name without surrounding spaces: the Vault page's own
 * example writes `Lead Auditor, AuditorProfile-alex@veepharm.com ` with spaces around values.
 */
function existingName(value: string, exists: (name: string) => boolean): string | undefined {
	if (exists(value)) return value;
	return exists(value.trim()) ? value.trim() : undefined;
}
