import type { VaultClient } from '../transport/client';
import { recordsWhereIn } from './vqlPages';
import { containsClause } from './vqlText';

/**
 * Where Vault keeps Quality Team membership: records of a team member object (the Migrate Quality
 * Team Members page names such objects, e.g. lab_investigation_quality_team_member__v, and its
 * example CSV refers to the member's record, user and application role as
 * `quality_event__qdm.name__v`, `user__sys...`, `application_role__v.api_name__v`). Veeva's pages
 * do not list these objects' fields, so every name here is settable; the defaults follow that
 * example and are UNVERIFIED against a real Vault.
 */
export interface MemberObject {
	object: string;
	/** reference to the team-enabled record (its id), by default the team-enabled object's name */
	recordField: string;
	/** reference to the user (its id) */
	userField: string;
	/** the application role's name as Manage takes it (e.g. record_owner__c) */
	roleField: string;
}

export interface TeamMember {
	recordId: string;
	userId: string;
	role: string;
}

export const memberKey = (recordId: string, userId: string, role: string) => JSON.stringify([recordId, userId, role]);

/** The default team member object of a team-enabled object: quality_event__qdm → quality_event_quality_team_member__v. */
export function defaultMemberObject(objectName: string): string {
	return `${objectName.replace(/__[a-z0-9]+$/, '')}_quality_team_member__v`;
}

/**
 * The current members of these records (optionally only in these roles), read with VQL in as few
 * calls as the query length allows. Only rows for the records and roles asked about are kept: a
 * row for anything else (which a sound Vault never answers to this WHERE) is not taken for a member
 * of the teams in scope, so no caller plans a change from it. A read that does not add up (see
 * vqlPages) is an error, never a shorter team.
 */
export async function readTeamMembers(client: VaultClient, member: MemberObject, recordIds: Iterable<string>, roles?: readonly string[]): Promise<TeamMember[]> {
	const select = [member.recordField, member.userField, member.roleField];
	const records = new Set(recordIds);
	const scopedRoles = roles && roles.length > 0 ? new Set(roles) : undefined;
	const roleClause = scopedRoles ? containsClause(member.roleField, [...scopedRoles]) : '';
	const members: TeamMember[] = [];
	for await (const record of recordsWhereIn(client, select, member.object, member.recordField, records, roleClause)) {
		const found = { recordId: text(record[member.recordField]), userId: text(record[member.userField]), role: text(record[member.roleField]) };
		if (records.has(found.recordId) && (!scopedRoles || scopedRoles.has(found.role))) members.push(found);
	}
	return members;
}

/** A field's value as text: Vault gives ids as strings or numbers (user__sys ids read as strings in Veeva's own code). */
function text(value: unknown): string {
	return value === null || value === undefined ? '' : String(value);
}
