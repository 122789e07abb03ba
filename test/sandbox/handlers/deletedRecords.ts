import type { SessionContext } from '../http/apiContext';
import { failure, success, type VaultResponse } from '../http/vaultResponse';
import { teamByMemberObject } from '../qualityTeams';

/**
 * GET /api/{version}/objects/deletions/vobjects/{object_name}: Retrieve Deleted Object Record ID (Veeva API
 * reference, "Vault Objects > Retrieve Deleted Object Record ID", v26.2): the ids of the object's records
 * deleted in the past 30 days, `{"responseStatus":"SUCCESS","responseMessage":"OK","responseDetails":{"total",
 * "size","limit","offset"},"data":[{"id":"V29000000002001","date_deleted":"2022-06-22T15:24:27Z"}, …]}`.
 * Query parameters `start_date` ("a date … after which Vault will look") and `end_date` ("before which"),
 * `YYYY-MM-DDTHH:MM:SSZ`, UTC; `limit` 0..5000 (default 1000) and `offset` (default 0).
 *
 * Readings (the page leaves them open): the v17.3 page's example names the time `deleted_date` and lists the
 * newest first, v26.2's `date_deleted`, oldest first; the sandbox answers `date_deleted` (the current page),
 * newest first (so a client must not rely on the order); "after" and "before" are strict, to the second (the
 * stricter reading: a client asking from the second of its last change must step back). The 30-day horizon
 * is not enforced (tests drive their own clock); only the team member objects have deleted records here.
 */
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z)?$/;

function dateParameter(value: string | undefined, name: string): number | undefined | string {
	if (value === undefined || value === '') return undefined;
	if (!DATE.test(value) || Number.isNaN(Date.parse(value))) return `${name} must be in YYYY-MM-DDTHH:MM:SSZ format: ${value}`;
	return Math.floor(Date.parse(value) / 1000);
}

export function retrieveDeletedRecords(context: SessionContext): VaultResponse {
	const { objectName } = context.params;
	if (!teamByMemberObject(objectName) && !context.world.directory.teamObjects().includes(objectName)) {
		return failure('INVALID_DATA', `Object [${objectName}] not found.`);
	}
	const start = dateParameter(context.query.start_date, 'start_date');
	const end = dateParameter(context.query.end_date, 'end_date');
	if (typeof start === 'string' || typeof end === 'string') return failure('INVALID_DATA', (typeof start === 'string' ? start : end) as string);
	const limit = context.query.limit === undefined ? 1000 : Number(context.query.limit);
	const offset = context.query.offset === undefined ? 0 : Number(context.query.offset);
	if (!Number.isInteger(limit) || limit < 0 || limit > 5000) return failure('INVALID_DATA', `limit must be between 0 and 5000: ${context.query.limit}`);
	if (!Number.isInteger(offset) || offset < 0) return failure('INVALID_DATA', `offset must be a whole number: ${context.query.offset}`);
	const seconds = (at: string) => Math.floor(Date.parse(at) / 1000);
	const deleted = (context.world.assignments.deletions.get(objectName) ?? [])
		.filter((record) => (start === undefined || seconds(record.deleted) > start) && (end === undefined || seconds(record.deleted) < end))
		.reverse();
	const page = deleted.slice(offset, offset + limit).map((record) => ({ id: record.id, date_deleted: record.deleted.replace(/\.\d+Z$/, 'Z') }));
	return success({ responseMessage: 'OK', responseDetails: { total: deleted.length, size: page.length, limit, offset }, data: page });
}
