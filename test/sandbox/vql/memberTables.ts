import { relationshipOf, type SandboxTeam } from '../qualityTeams';
import { APPLICATION_ROLE_LABELS, labelFromName } from '../seedData';
import type { Assignments, HeldMember } from '../state/assignments';
import type { Directory } from '../state/directory';

type Value = string | string[] | null;

/**
 * A Quality Team member object as VQL reads it, from its team's definition (qualityTeams.ts; the same
 * fields Retrieve Object Metadata lists, handlers/objectFields.ts). UNVERIFIED: Veeva documents no member
 * object's fields. A reference field answers the referenced record's id and names come through the
 * field's relationship (VAULT-API.md, "Reference fields answer ids"; Veeva VQL reference, relationship
 * queries: `{field}r.{field of the referenced object}`, `__vr`, `__cr`, `__sysr`):
 * - `id`: the member record's id, `QTM` + 12 digits (state/assignments.ts, memberRecordId)
 * - the record field (`quality_event__qdm`, `team_record__sys`, ...): the team-enabled record's id (OP4000008)
 * - the user field (`user__sys`, `team_user__sys`, ...): the user's id, a string of digits as user__sys answers its `id`
 * - the role field (`application_role__v`, `team_role__sys`, ...): the application role's record id
 *   (`0AR000000000103`, Directory.applicationRoleId), not its api name
 * - through the relationships: `{role}r.api_name__v` (qa__c), `{role}r.name__v` (its label), `{user}r.username__sys`,
 *   `{user}r.email__sys`, `{record}r.name__v` (QE-000008)
 * - `status__v` (`["active__v"]` / `["inactive__v"]`) only where the team keeps removed members' records
 * - `created_date__v`, `modified_date__v`: the standard DateTimes every object record has (Retrieve Object
 *   Record), UTC, whole seconds; a record kept inactive is modified when its member is removed
 * For the old reading's teams these are the names the Migrate page's example CSV suggests
 * (`quality_event__qdm.name__v`, `user__sys.global_id__sys`, `application_role__v.api_name__v`).
 */
export function memberFields(team: SandboxTeam): string[] {
	const [record, user, role] = [team.fields.record, team.fields.user, team.fields.role].map(relationshipOf);
	const fields = ['id', team.fields.record, team.fields.user, team.fields.role, `${role}.api_name__v`, `${role}.name__v`, `${user}.username__sys`, `${user}.email__sys`, `${record}.name__v`, 'created_date__v', 'modified_date__v'];
	return team.keepsRemoved ? [...fields, 'status__v'] : fields;
}

/** One member record as a row of its member object. */
export function memberRow(team: SandboxTeam, directory: Directory, member: Pick<HeldMember, 'memberId' | 'user_id' | 'application_role' | 'active'> & Partial<Pick<HeldMember, 'created' | 'modified'>> & { recordId: string }): Record<string, Value> {
	const [record, user, role] = [team.fields.record, team.fields.user, team.fields.role].map(relationshipOf);
	const person = directory.user(member.user_id);
	const row: Record<string, Value> = {
		id: member.memberId,
		[team.fields.record]: member.recordId,
		[team.fields.user]: String(member.user_id),
		[team.fields.role]: directory.applicationRoleId(member.application_role) ?? null,
		[`${role}.api_name__v`]: member.application_role,
		[`${role}.name__v`]: Object.hasOwn(APPLICATION_ROLE_LABELS, member.application_role) ? APPLICATION_ROLE_LABELS[member.application_role] : labelFromName(member.application_role),
		[`${user}.username__sys`]: person?.username ?? null,
		[`${user}.email__sys`]: person ? (person.email ?? person.username) : null,
		[`${record}.name__v`]: directory.recordName(team.object, member.recordId) ?? null,
		created_date__v: member.created ?? null,
		modified_date__v: member.modified ?? null,
	};
	if (team.keepsRemoved) row.status__v = [member.active ? 'active__v' : 'inactive__v'];
	return row;
}

/** The rows of a team's member object: its member records (active ones, and inactive ones where the team keeps them), in creation order. */
export function memberRows(directory: Directory, assignments: Assignments, team: SandboxTeam): Array<Record<string, Value>> {
	const members = assignments.membersOf(team.object).filter((member) => member.memberObject === team.memberObject);
	return members.map((member) => memberRow(team, directory, member));
}
