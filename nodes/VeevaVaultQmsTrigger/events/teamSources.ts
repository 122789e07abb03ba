import type { IDataObject } from 'n8n-workflow';

import {
	DELETIONS_KEPT_MS,
	deletionsDate,
	readDeletedRecordIds,
} from '../../VeevaVaultQms/read/deletedRecords';
import type { MemberObject } from '../../VeevaVaultQms/read/teams';
import { vqlPages, vqlRecords } from '../../VeevaVaultQms/read/vqlPages';
import { vqlString } from '../../VeevaVaultQms/read/vqlText';
import type { VaultClient } from '../../VeevaVaultQms/transport/client';
import { VaultRequestError } from '../../VeevaVaultQms/transport/errors';
import { vaultTime } from '../cursor';

/**
 * Where a Quality Team change shows in Vault, per member object (the team's
 * `quality_team_member_object_name`, read from Vault's definitions: read/teamLayout.ts). A member is a
 * record of that object, so:
 * - an add is a new member record: its `created_date__v` (Retrieve Object Record: every object record has
 *   `created_date__v` and `modified_date__v`, UTC; VQL reference, "Data Types & Formats");
 * - a removal is either the record deleted (Retrieve Deleted Object Record ID: its id and `date_deleted`,
 *   read/deletedRecords.ts) or, where the member object has `status__v`, the record made `inactive__v`
 *   (its `modified_date__v`). Which one Vault does is documented nowhere (VAULT-API.md, "Added 2026-12-07":
 *   "Whether a removed member's record is deleted or kept inactive is undocumented"), so both are read,
 *   always: a removal shows in one of them, whichever Vault does.
 * Each source gives its changes oldest first, by (time, key); teamChanged.ts merges them under one cursor.
 */

export interface MemberFacts {
	recordId: string;
	recordName: string | null;
	userId: string;
	userName: string | null;
	role: string;
}

/** One change as read: its time (one spelling, cursor.ts) and key (`added:{id}` / `removed:{id}`), the member record and what Vault said of it. */
export interface TeamChangeRow {
	time: string;
	key: string;
	change: 'added' | 'removed';
	memberObject: string;
	memberRecordId: string;
	/** read with the row (VQL); undefined for a deleted record, whose fields Vault no longer answers */
	facts?: MemberFacts;
	/** the source asked from before the cursor (deletions: a second earlier), so rows before it are expected and skipped */
	mayPrecedeCursor?: boolean;
}

/** The member object's fields, and the relationships its record and user names are read through. */
export interface MemberSource {
	member: MemberObject;
	recordRelationship: string;
	userRelationship: string;
}

function text(value: unknown): string {
	return value === null || value === undefined ? '' : String(value);
}

function selectFor(source: MemberSource, timeField: string): string[] {
	const { member } = source;
	return [
		'id',
		timeField,
		member.recordField,
		`${source.recordRelationship}.name__v`,
		member.userField,
		`${source.userRelationship}.username__sys`,
		member.roleField,
	];
}

function factsOf(source: MemberSource, record: IDataObject): MemberFacts {
	const { member } = source;
	const name = (value: unknown) => (value === null || value === undefined ? null : String(value));
	return {
		recordId: text(record[member.recordField]),
		recordName: name(record[`${source.recordRelationship}.name__v`]),
		userId: text(record[member.userField]),
		userName: name(record[`${source.userRelationship}.username__sys`]),
		role: text(record[member.roleField]),
	};
}

/** A row's time and id, or a read error: an answer without them cannot move a cursor. */
function keyOf(record: IDataObject, field: string, object: string): { time: string; id: string } {
	const id =
		typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : '';
	const time = vaultTime(record[field]);
	if (id === '' || time === undefined)
		throw new VaultRequestError(
			'garbled',
			`Vault's answer about ${object} does not add up, so it was not used: a member record comes without an id or without ${field} as a UTC DateTime (${JSON.stringify(record[field] ?? null)})`,
		);
	return { time, id };
}

/**
 * One VQL source, oldest first: `timeField >= 'from'` (the boundary again: the cursor skips what it
 * emitted), ordered by time, then id; with `newest`, that many of the newest, newest first (Fetch Test Event).
 */
async function* vqlChanges(
	client: VaultClient,
	source: MemberSource,
	change: 'added' | 'removed',
	timeField: string,
	from: string | null,
	where: string[],
	newest?: number,
): AsyncGenerator<TeamChangeRow> {
	const object = source.member.object;
	const clauses = [...where, ...(from === null ? [] : [`${timeField} >= ${vqlString(from)}`])];
	const order = newest === undefined ? 'ASC' : 'DESC';
	const query = `SELECT ${selectFor(source, timeField).join(', ')} FROM ${object}${clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY ${timeField} ${order}, id ${order}${newest === undefined ? '' : ` PAGESIZE ${newest}`}`;
	const rows =
		newest === undefined
			? vqlPages(client, query)
			: (async function* () {
					yield { records: await vqlRecords(client, query, newest), total: newest };
				})();
	for await (const page of rows) {
		for (const record of page.records) {
			const { time, id } = keyOf(record, timeField, object);
			const facts = factsOf(source, record);
			yield {
				time,
				key: `${change}:${id}`,
				change,
				memberObject: object,
				memberRecordId: id,
				facts,
			};
		}
	}
}

/** Adds: every member record created from `from` on (or the `newest` few, newest first). */
export function addedMembers(
	client: VaultClient,
	source: MemberSource,
	from: string | null,
	newest?: number,
) {
	return vqlChanges(client, source, 'added', 'created_date__v', from, [], newest);
}

/** Removals kept as inactive records (only where the member object has status__v): made inactive from `from` on, by modified_date__v. */
export function inactivatedMembers(client: VaultClient, source: MemberSource, from: string | null) {
	const status = source.member.statusField;
	if (!status) return undefined;
	return vqlChanges(client, source, 'removed', 'modified_date__v', from, [
		`${status} = ${vqlString('inactive__v')}`,
	]);
}

/**
 * Removals that deleted the record: ids Vault lists as deleted after a second before `from` (so the
 * boundary second is read whichever way Vault takes "after"), at most 30 days back (all Vault keeps),
 * sorted here by (time, id) since the pages' examples disagree on the order.
 */
export async function* deletedMembers(
	client: VaultClient,
	source: MemberSource,
	from: string | null,
	now: number,
): AsyncGenerator<TeamChangeRow> {
	const object = source.member.object;
	const horizon = now - DELETIONS_KEPT_MS + 60_000;
	const since =
		from === null ? undefined : deletionsDate(Math.max(Date.parse(from) - 1000, horizon));
	const rows = (await readDeletedRecordIds(client, object, since)).map(({ id, deleted }) => {
		const time = vaultTime(deleted);
		if (time === undefined)
			throw new VaultRequestError(
				'garbled',
				`Vault's list of deleted ${object} records does not add up, so it was not used: record ${id} comes without its deletion time as a UTC DateTime (${JSON.stringify(deleted ?? null)})`,
			);
		return { time, id };
	});
	rows.sort((a, b) => (a.time === b.time ? (a.id < b.id ? -1 : 1) : a.time < b.time ? -1 : 1));
	for (const { time, id } of rows)
		yield {
			time,
			key: `removed:${id}`,
			change: 'removed' as const,
			memberObject: object,
			memberRecordId: id,
			mayPrecedeCursor: true,
		};
}

/** Rows in (time, key) order. */
function before(a: TeamChangeRow, b: TeamChangeRow): boolean {
	return a.time === b.time ? a.key < b.key : a.time < b.time;
}

/**
 * Several sources merged into one stream in (time, key) order, each read only as far as the merge needs
 * it. A source that answers out of its own order is refused: the cursor could skip what came after.
 */
export async function* mergedChanges(
	sources: Array<AsyncGenerator<TeamChangeRow>>,
): AsyncGenerator<TeamChangeRow> {
	// one source at a time: Vault allows a user at most 5 concurrent queries (VAULT-API.md, "VQL limits")
	const heads: Array<TeamChangeRow | undefined> = [];
	for (const source of sources)
		heads.push((await source.next()).value as TeamChangeRow | undefined);
	for (;;) {
		let next = -1;
		for (const [index, head] of heads.entries())
			if (head && (next < 0 || before(head, heads[next] as TeamChangeRow))) next = index;
		if (next < 0) return;
		const row = heads[next] as TeamChangeRow;
		yield row;
		const following = (await sources[next].next()).value as TeamChangeRow | undefined;
		if (following && before(following, row))
			throw new VaultRequestError(
				'garbled',
				`Vault's answer about ${row.memberObject} does not add up, so it was not used: member record ${following.memberRecordId} (${following.time}) comes after ${row.memberRecordId} (${row.time}), out of the order asked for`,
			);
		heads[next] = following;
	}
}
