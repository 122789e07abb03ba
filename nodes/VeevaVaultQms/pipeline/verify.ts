import type { TeamColumns } from '../operations/types';
import type { TeamCatalog, TeamLayout } from '../read/teamLayout';
import { memberKey } from '../read/teams';
import type { VaultClient } from '../transport/client';
import { VaultRequestError } from '../transport/errors';
import type { JobResult } from '../transport/jobs';
import type { Batch, PlannedRow, SentBatch, Verification } from './types';

/** Where the run reads the teams: the run's catalog and the object's layout (read/teamLayout.ts). */
export interface TeamRead {
	catalog: TeamCatalog;
	layout: TeamLayout;
}

/**
 * With Verify, the REMOVE rows whose member is not on the team before anything is sent. Vault
 * refuses such a row in the job (the job ends ERRORS_ENCOUNTERED) and the read-back then finds the
 * member absent, which alone would read as "applied"; knowing it was absent before, the item says
 * what happened: it was not on the team, there was nothing to remove. Cost: one VQL query per 500
 * distinct records of REMOVE rows (and a page per further 1,000 members), scoped to their roles;
 * none for a run without REMOVE rows. Rows Sync planned (note.change) are skipped: Sync removes
 * only members it has just read on the team, so reading them again would only cost a call.
 */
export async function membersAbsentBefore(
	client: VaultClient,
	team: TeamRead,
	columns: TeamColumns,
	batches: Batch[],
): Promise<Set<PlannedRow>> {
	const keyOf = teamKey(columns);
	const removals = batches
		.flatMap((batch) => batch.rows)
		.filter(
			(planned) =>
				planned.row[columns.operation] === 'REMOVE' && planned.note?.change === undefined,
		);
	const absent = new Set<PlannedRow>();
	if (removals.length === 0) return absent;
	const records = new Set(removals.map((planned) => planned.row[columns.record]));
	const roles = [...new Set(removals.map((planned) => planned.row[columns.role]))];
	const members = await team.catalog.members(client, team.layout, records, roles);
	const present = new Set(
		members.map((found) => memberKey(found.recordId, found.userId, found.role)),
	);
	for (const planned of removals) {
		if (!present.has(keyOf(planned))) absent.add(planned);
	}
	return absent;
}

/**
 * Vault gives a QMS bulk job's per-row outcome only in the results CSV it emails (Manage Quality
 * Team Assignments page: "the authenticated user will receive an email notification with details
 * of any failures"). The teams themselves can be read: after the jobs finish, the affected records'
 * members are read with VQL and each row is marked applied: an ADD when the member is there, a
 * REMOVE when it is gone. Rows of a job that did not finish, or was not sent, get no mark.
 */
export async function readBack(
	client: VaultClient,
	team: TeamRead,
	columns: TeamColumns,
	sent: SentBatch[],
	jobs: Map<string, JobResult>,
	absentBefore?: ReadonlySet<PlannedRow>,
): Promise<Verification> {
	const keyOf = teamKey(columns);
	const rows: PlannedRow[] = [];
	for (const { outcome } of sent) {
		const job = outcome.jobId ? jobs.get(outcome.jobId) : undefined;
		if (job && 'status' in job && job.status.finished === true) rows.push(...outcome.batch.rows);
	}
	const applied = new Map<PlannedRow, boolean>();
	if (rows.length === 0) return { applied, absentBefore, columns };
	const records = new Set(rows.map((planned) => planned.row[columns.record]));
	const read = await team.catalog.members(client, team.layout, records).then(
		(members) => ({ members }),
		(error: unknown) => ({
			error:
				error instanceof VaultRequestError
					? error.message
					: String((error as Error)?.message ?? error),
		}),
	);
	// an untrustworthy read (no data, rows short of total, a broken page sequence) fails like a failed one:
	// no row is marked applied from it (applied: null, with this reason)
	if ('error' in read)
		return {
			applied,
			absentBefore,
			columns,
			error: `The jobs finished, but reading the teams back failed, so no row is marked applied: ${read.error}`,
		};
	const present = new Set(
		read.members.map((found) => memberKey(found.recordId, found.userId, found.role)),
	);
	for (const planned of rows) {
		const there = present.has(keyOf(planned));
		// a REMOVE of someone who was not on the team did nothing: absent now is not "applied"
		if (planned.row[columns.operation] === 'REMOVE')
			applied.set(planned, !there && !absentBefore?.has(planned));
		else applied.set(planned, there);
	}
	return { applied, absentBefore, columns };
}

/** A row's membership key (read/teams.ts memberKey) from the spec's team columns. */
function teamKey(columns: TeamColumns): (planned: PlannedRow) => string {
	return (planned) =>
		memberKey(planned.row[columns.record], planned.row[columns.user], planned.row[columns.role]);
}
