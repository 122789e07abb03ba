import type { IDataObject } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { VaultRequestError } from '../transport/errors';

/**
 * Retrieve Deleted Object Record ID (Veeva API reference, "Vault Objects > Retrieve Deleted Object Record
 * ID"): `GET /api/{version}/objects/deletions/vobjects/{object_name}`, the ids of the object's records
 * deleted "within the past 30 days", with `start_date` ("a date (no more than 30 days past) after which
 * Vault will look for deleted object records", `YYYY-MM-DDTHH:MM:SSZ`, UTC), `limit` (up to 5000, default
 * 1000) and `offset`; the answer's `responseDetails` has `total`, `size`, `limit`, `offset`.
 *
 * Left open by the pages, read defensively: the time is `date_deleted` in the v26.2 example and
 * `deleted_date` in v17.3's (both are read); v26.2 lists oldest first and v17.3 newest first (no order is
 * taken for granted: the caller sorts); whether "after" includes the second named is not said (the caller
 * asks from a second earlier and skips what it has).
 */

/** How far back Vault keeps deleted record ids ("After that, they cannot be retrieved"). */
export const DELETIONS_KEPT_MS = 30 * 24 * 60 * 60 * 1000;
const PAGE_SIZE = 1000;

export interface DeletedRecordId {
	id: string;
	/** when it was deleted, as Vault wrote it (whole seconds, UTC) */
	deleted: unknown;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the format the page asks for (no fraction). */
export function deletionsDate(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Every id of the object's records deleted after `since` (or all Vault keeps), read to the last page and checked to add up. */
export async function readDeletedRecordIds(
	client: VaultClient,
	object: string,
	since?: string,
): Promise<DeletedRecordId[]> {
	const found: DeletedRecordId[] = [];
	let total: number | undefined;
	for (let page = 0; total === undefined || found.length < total; page++) {
		const query = new URLSearchParams({
			...(since ? { start_date: since } : {}),
			limit: String(PAGE_SIZE),
			offset: String(found.length),
		});
		// a read: sent again after an unknown outcome
		const { envelope } = await client.request({
			method: 'GET',
			path: `/objects/deletions/vobjects/${encodeURIComponent(object)}?${query.toString()}`,
			accept: 'application/json',
			retryUnknownOutcome: true,
		});
		const details = (envelope.responseDetails ?? {}) as IDataObject;
		const rows = envelope.data;
		if (!Array.isArray(rows) || typeof details.total !== 'number')
			throw garbled(object, 'without a data list and a total');
		total ??= details.total;
		if (
			details.total !== total ||
			(rows.length === 0 && found.length < total) ||
			page > total / PAGE_SIZE + 1
		)
			throw garbled(object, `whose pages do not add up to its total (${total})`);
		for (const row of rows as IDataObject[]) {
			const id = typeof row?.id === 'string' || typeof row?.id === 'number' ? String(row.id) : '';
			if (id === '') throw garbled(object, 'with a deleted record without an id');
			found.push({ id, deleted: row.date_deleted ?? row.deleted_date });
		}
	}
	return found;
}

function garbled(object: string, what: string): VaultRequestError {
	return new VaultRequestError(
		'garbled',
		`Vault's list of deleted ${object} records does not add up, so it was not used: it came ${what}`,
	);
}
