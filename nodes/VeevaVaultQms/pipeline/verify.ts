import type { VaultClient } from '../transport/client';
import { VaultRequestError } from '../transport/errors';
import type { JobResult } from '../transport/jobs';
import type { PlannedRow } from './batch';
import type { SentBatch } from './output';
import { memberKey, readTeamMembers, type MemberObject } from './teamMembers';

/** Whether each sent row took effect, read back from Vault after its job finished. */
export interface Verification {
	applied: Map<PlannedRow, boolean>;
	/** why the read-back could not be made, when it could not */
	error?: string;
}

/**
 * Vault gives a QMS bulk job's per-row outcome only in the results CSV it emails (Manage Quality
 * Team Assignments page: "the authenticated user will receive an email notification with details
 * of any failures"). The teams themselves can be read: after the jobs finish, the affected records'
 * members are read with VQL and each row is marked applied: an ADD when the member is there, a
 * REMOVE when it is gone. Rows of a job that did not finish, or was not sent, get no mark.
 */
export async function readBack(client: VaultClient, member: MemberObject, sent: SentBatch[], jobs: Map<string, JobResult>): Promise<Verification> {
	const rows: PlannedRow[] = [];
	for (const { outcome } of sent) {
		const job = outcome.jobId ? jobs.get(outcome.jobId) : undefined;
		if (job && 'status' in job && job.status.finished === true) rows.push(...outcome.batch.rows);
	}
	const applied = new Map<PlannedRow, boolean>();
	if (rows.length === 0) return { applied };
	const records = new Set(rows.map((planned) => planned.row.record_id));
	const read = await readTeamMembers(client, member, records).then(
		(members) => ({ members }),
		(error: unknown) => ({ error: error instanceof VaultRequestError ? error.message : String((error as Error)?.message ?? error) }),
	);
	if ('error' in read) return { applied, error: `The jobs finished, but reading the teams back failed: ${read.error}` };
	const present = new Set(read.members.map((found) => memberKey(found.recordId, found.userId, found.role)));
	for (const planned of rows) {
		const there = present.has(memberKey(planned.row.record_id, planned.row.user_id, planned.row.application_role));
		applied.set(planned, planned.row.operation === 'REMOVE' ? !there : there);
	}
	return { applied };
}

export const NOT_APPLIED =
	"Vault did not apply this row. Vault gives its reason only in the job's results, emailed to the integration user and shown in Vault's notifications.";
