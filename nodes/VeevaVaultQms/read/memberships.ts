import type { IDataObject } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { readActiveMembers, type MemberObject, type TeamMember } from './teams';
import { recordsWhereIn } from './vqlPages';

/**
 * A person's Quality Team memberships, read in bulk from a team's member object: one VQL query
 * per chunk of users (containsQueries: up to 500 ids), each read to its last page (vqlPages), and
 * only active member records (where the member object has status__v: whether Vault deletes a
 * removed member's record or keeps it inactive is undocumented, VAULT-API.md). And the records
 * they are on: name and lifecycle state, for the plan and the team's locked_in_states.
 */
export async function readMembershipsOf(
	client: VaultClient,
	member: MemberObject,
	userIds: Iterable<string>,
	roles: readonly string[] = [],
): Promise<TeamMember[]> {
	return readActiveMembers(client, member, 'userField', userIds, roles);
}

/** A team-enabled record as the plan names it. */
export interface RecordFacts {
	name: string;
	/** its lifecycle state (state__v), for the team's locked_in_states */
	state: string;
}

/**
 * The name and state of these records of the object (`SELECT id, name__v, state__v`: VQL reference,
 * object records), only those the record filter keeps (`filter`, a clause recordFilterClause built).
 */
export async function readRecordFacts(
	client: VaultClient,
	object: string,
	ids: Iterable<string>,
	filter = '',
): Promise<Map<string, RecordFacts>> {
	const facts = new Map<string, RecordFacts>();
	for await (const record of recordsWhereIn(
		client,
		['id', 'name__v', 'state__v'],
		object,
		'id',
		ids,
		filter,
	)) {
		facts.set(text(record.id), { name: text(record.name__v), state: stateOf(record) });
	}
	return facts;
}

/** state__v as text: a lifecycle state is one value; taken from a one-element list too. */
function stateOf(record: IDataObject): string {
	const state = record.state__v;
	return Array.isArray(state) ? text(state[0]) : text(state);
}

function text(value: unknown): string {
	return value === null || value === undefined ? '' : String(value);
}
