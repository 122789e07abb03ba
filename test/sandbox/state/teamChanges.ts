import type { Directory } from './directory';
import type { Assignments } from './assignments';

/**
 * Quality Team members added and removed at the times a test names, for the trigger's Quality Team
 * Changed event (issue 25): the control API's `POST /_sandbox/teams/changes` (http/control.ts).
 *
 * What a change leaves in Vault follows the pages where they speak, and the sandbox's readings where
 * they do not (test/sandbox/README.md, "Quality Teams over time"):
 * - an add is a new member record of the record's team's member object, `created_date__v` and
 *   `modified_date__v` both `at` (Retrieve Object Record: every object record has both, UTC);
 * - a removal deletes the member record (listed by Retrieve Deleted Object Record ID with its
 *   `date_deleted`), or, where the team keeps removed members (a member object with status__v), marks it
 *   `inactive__v` with `modified_date__v` `at`. Which of the two Vault does is undocumented
 *   (VAULT-API.md, "Added 2026-12-07"), so the sandbox has teams of both kinds.
 * Vault stamps whole seconds, so tests put many changes in one second on purpose.
 */

export interface TeamChange {
	/** the team-enabled object, e.g. quality_event__qdm */
	object: string;
	recordId: string;
	userId: number;
	/** the application role's api name, e.g. qa__c */
	role: string;
	/** a UTC DateTime, e.g. 2026-12-07T10:00:00.000Z */
	at: string;
	/** default 'add' */
	kind?: 'add' | 'remove';
}

function checkedAt(at: unknown): string {
	if (typeof at !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at) || Number.isNaN(Date.parse(at))) {
		throw new Error(`a team change's "at" must be a UTC DateTime like 2026-12-07T10:00:00.000Z: ${JSON.stringify(at)}`);
	}
	return new Date(at).toISOString();
}

/** Checks every change (record, user, role, time) before applying any, then applies them in order; a change that cannot apply (a removal of no member) is an error naming it. */
export function applyTeamChanges(directory: Directory, assignments: Assignments, changes: TeamChange[]): void {
	if (!Array.isArray(changes)) throw new Error('changes must be a list');
	const checked = changes.map((change, index) => {
		const where = `team change ${index + 1}`;
		if (directory.recordName(change?.object, change?.recordId) === undefined) throw new Error(`${where}: no record ${change?.recordId} in ${change?.object}`);
		if (!directory.user(change.userId)) throw new Error(`${where}: no user ${change.userId}`);
		if (directory.applicationRoleId(change.role) === undefined) throw new Error(`${where}: no application role ${change.role}`);
		if (change.kind !== undefined && change.kind !== 'add' && change.kind !== 'remove') throw new Error(`${where}: kind is add or remove, not ${JSON.stringify(change.kind)}`);
		return { ...change, at: checkedAt(change.at), team: directory.recordTeam(change.object, change.recordId) };
	});
	for (const [index, change] of checked.entries()) {
		const member = { user_id: change.userId, application_role: change.role };
		const done =
			change.kind === 'remove'
				? assignments.removeMember(change.object, change.recordId, member, change.team?.keepsRemoved, change.at)
				: assignments.addMember(change.object, change.recordId, member, change.team?.memberObject, true, change.at);
		if (!done) throw new Error(`team change ${index + 1}: user ${change.userId} is ${change.kind === 'remove' ? 'not' : 'already'} a ${change.role} member of ${change.recordId} (changes before it were applied)`);
	}
}
