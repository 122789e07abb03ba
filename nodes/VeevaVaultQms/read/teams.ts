import type { VaultClient } from '../transport/client';
import { isActive } from './lookups';
import { recordsWhereIn } from './vqlPages';
import { containsClause } from './vqlText';

/**
 * Where Vault keeps Quality Team membership: records of the team's member object (the Qualityteam
 * component's `quality_team_member_object_name`, read in teamDefinitions.ts), whose fields are read
 * from its metadata (teamLayout.ts). The names below are used as they are given: discovered, set
 * by the options, or (when Vault's definitions cannot be read) the labelled fallback
 * (`defaultMemberObject` and the options' defaults, from the Migrate page's example CSV).
 */
export interface MemberObject {
	object: string;
	/** reference to the team-enabled record (its id), by default the team-enabled object's name */
	recordField: string;
	/** reference to the user (its id) */
	userField: string;
	/** the application role's name as Manage takes it (e.g. record_owner__c), read through the relationship: application_role__vr.api_name__v */
	roleField: string;
	/**
	 * `status__v` when the member object has it: only active member records are members (whether
	 * Vault deletes a removed member's record or keeps it inactive is undocumented, VAULT-API.md)
	 */
	statusField?: string;
}

export interface TeamMember {
	recordId: string;
	userId: string;
	role: string;
}

export const memberKey = (recordId: string, userId: string, role: string) =>
	JSON.stringify([recordId, userId, role]);

/**
 * The fallback only (the team definitions could not be read): a member object named after its
 * team-enabled object, quality_event__qdm → quality_event_quality_team_member__v, as the Migrate
 * page's examples are named. Vault documents no such rule; teamLayout.ts says when it is used.
 */
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
export async function readTeamMembers(
	client: VaultClient,
	member: MemberObject,
	recordIds: Iterable<string>,
	roles?: readonly string[],
): Promise<TeamMember[]> {
	return readActiveMembers(client, member, 'recordField', recordIds, roles);
}

/**
 * The active members whose record (`recordField`) or user (`userField`) is one of `keys`,
 * optionally only in these roles: one VQL query per chunk of keys (recordsWhereIn), each read to
 * its last page; only active member records where the member object has status__v (whether Vault
 * deletes a removed member's record or keeps it inactive is undocumented, VAULT-API.md). A row for
 * another key or role (which a sound Vault never answers to this WHERE) is dropped.
 */
export async function readActiveMembers(
	client: VaultClient,
	member: MemberObject,
	keyField: 'recordField' | 'userField',
	keys: Iterable<string>,
	roles?: readonly string[],
): Promise<TeamMember[]> {
	const select = [
		member.recordField,
		member.userField,
		member.roleField,
		...(member.statusField ? [member.statusField] : []),
	];
	const wanted = new Set(keys);
	const scopedRoles = roles && roles.length > 0 ? new Set(roles) : undefined;
	const roleClause = scopedRoles ? containsClause(member.roleField, [...scopedRoles]) : '';
	const members: TeamMember[] = [];
	const keyOf = (found: TeamMember) => (keyField === 'recordField' ? found.recordId : found.userId);
	for await (const record of recordsWhereIn(
		client,
		select,
		member.object,
		member[keyField],
		wanted,
		roleClause,
	)) {
		if (member.statusField && !isActive({ status__v: record[member.statusField] })) continue;
		const found = {
			recordId: text(record[member.recordField]),
			userId: text(record[member.userField]),
			role: text(record[member.roleField]),
		};
		if (wanted.has(keyOf(found)) && (!scopedRoles || scopedRoles.has(found.role)))
			members.push(found);
	}
	return members;
}

/** A field's value as text: Vault gives ids as strings or numbers (user__sys ids read as strings in Veeva's own code). */
function text(value: unknown): string {
	return value === null || value === undefined ? '' : String(value);
}
