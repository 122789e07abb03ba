import type { MemberRecord, RoleAssignees, TeamMember } from '../types';

type Assignees = { users: Set<number>; groups: Set<number> };

/**
 * A Quality Team member record as held: the member, the id of its record (VQL `id`), the member object it
 * is a record of (its team's, qualityTeams.ts; none for a seeded team-enabled object without a team), and
 * whether it is active: a team that keeps removed members (status__v) marks the record inactive__v instead
 * of deleting it.
 */
export interface HeldMember extends TeamMember {
	memberId: string;
	memberObject?: string;
	active: boolean;
	/** the member record's created_date__v and modified_date__v (UTC, whole seconds as Vault stamps them: state/teamChanges.ts) */
	created: string;
	modified: string;
}

/** A deleted member record, as Retrieve Deleted Object Record ID lists it (handlers/deletedRecords.ts). */
export interface DeletedRecord {
	id: string;
	/** when it was deleted: a UTC DateTime */
	deleted: string;
}

/** Now as Vault stamps a change: UTC, whole seconds (Retrieve Object Record: `"modified_date__v": "2016-05-10T21:06:11.000Z"`). */
export const vaultNow = (): string => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();

/**
 * The id of a team member record: `QTM` and 12 digits (QTM000000000001...), 15 characters like
 * Vault's object record ids, counted from 1 after every reset and never reused: a member removed and
 * added again is a new record with a new id. Vault documents neither these objects nor their ids; the
 * format is the sandbox's own.
 */
export const memberRecordId = (n: number) => `QTM${String(n).padStart(12, '0')}`;

/** Who holds which role: Quality Team members, auditor profile roles, document role assignees. */
export class Assignments {
	/** object → record id → member records (active and, for teams that keep them, inactive), in the order they were created */
	readonly teams = new Map<string, Map<string, HeldMember[]>>();
	readonly auditorRoles = new Map<string, Set<string>>();
	readonly documentRoles = new Map<number, Map<string, Assignees>>();
	/** member object → its deleted member records, oldest first (kept for Retrieve Deleted Object Record ID) */
	readonly deletions = new Map<string, DeletedRecord[]>();
	/** bumped by every change to a team, so views built from the teams (VQL member tables) know to rebuild */
	teamRevision = 0;
	private memberRecords = 0;

	team(object: string, recordId: string): HeldMember[] {
		const records = this.teams.get(object) ?? new Map<string, HeldMember[]>();
		this.teams.set(object, records);
		const members = records.get(recordId) ?? [];
		records.set(recordId, members);
		return members;
	}

	/**
	 * false when the member was already there (active). A new member record otherwise, in `memberObject`,
	 * active unless `active` is false (a seed of an inactive record); an inactive record of the same member
	 * stays as it is (the sandbox's reading: Vault documents neither). `at`: its created_date__v (default: now).
	 */
	addMember(object: string, recordId: string, member: TeamMember, memberObject?: string, active = true, at = vaultNow()): boolean {
		const members = this.team(object, recordId);
		if (active && members.some((held) => held.active && sameMember(held, member))) return false;
		members.push({ user_id: member.user_id, application_role: member.application_role, memberId: memberRecordId(++this.memberRecords), memberObject, active, created: at, modified: at });
		this.teamRevision++;
		return true;
	}

	/**
	 * false when there was no such active member; `keepRecord`: mark its record inactive (modified at `at`)
	 * instead of deleting it; a deleted record is listed among its member object's deletions at `at`.
	 */
	removeMember(object: string, recordId: string, member: TeamMember, keepRecord = false, at = vaultNow()): boolean {
		const members = this.team(object, recordId);
		const index = members.findIndex((held) => held.active && sameMember(held, member));
		if (index < 0) return false;
		const held = members[index];
		if (keepRecord) Object.assign(held, { active: false, modified: at });
		else {
			members.splice(index, 1);
			if (held.memberObject !== undefined) {
				const deleted = this.deletions.get(held.memberObject) ?? [];
				deleted.push({ id: held.memberId, deleted: at });
				this.deletions.set(held.memberObject, deleted);
			}
		}
		this.teamRevision++;
		return true;
	}

	/** Every member record of every record of the object, with its record id, in the order the member records were created. */
	membersOf(object: string): Array<HeldMember & { recordId: string }> {
		const all: Array<HeldMember & { recordId: string }> = [];
		for (const [recordId, members] of this.teams.get(object) ?? []) for (const member of members) all.push({ ...member, recordId });
		return all.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
	}

	addAuditorRole(profile: string, role: string): void {
		const roles = this.auditorRoles.get(profile) ?? new Set<string>();
		roles.add(role);
		this.auditorRoles.set(profile, roles);
	}

	documentRole(documentId: number, roles: string[], role: string): Assignees {
		const byRole = this.documentRoles.get(documentId) ?? new Map(roles.map((name) => [name, { users: new Set<number>(), groups: new Set<number>() }]));
		this.documentRoles.set(documentId, byRole);
		const assignees = byRole.get(role) ?? { users: new Set<number>(), groups: new Set<number>() };
		byRole.set(role, assignees);
		return assignees;
	}

	teamsSnapshot(teamObjects: string[]): Record<string, Record<string, TeamMember[]>> {
		const snapshot: Record<string, Record<string, TeamMember[]>> = {};
		for (const object of teamObjects) snapshot[object] = {};
		for (const [object, records] of this.teams) {
			for (const [recordId, members] of records) {
				const active = members.filter((member) => member.active);
				(snapshot[object] ??= {})[recordId] = active.map((member) => ({ user_id: member.user_id, application_role: member.application_role }));
			}
		}
		return snapshot;
	}

	/** Every member record of each member object, inactive ones too, in creation order (SandboxState.memberRecords). */
	memberRecordsSnapshot(): Record<string, MemberRecord[]> {
		const snapshot: Record<string, MemberRecord[]> = {};
		for (const object of this.teams.keys()) {
			for (const member of this.membersOf(object)) {
				if (member.memberObject === undefined) continue;
				(snapshot[member.memberObject] ??= []).push({ id: member.memberId, recordId: member.recordId, user_id: member.user_id, application_role: member.application_role, active: member.active });
			}
		}
		return snapshot;
	}

	auditorRolesSnapshot(listedProfiles: string[]): Record<string, string[]> {
		const snapshot: Record<string, string[]> = {};
		for (const profile of listedProfiles) snapshot[profile] = [];
		for (const [profile, roles] of this.auditorRoles) snapshot[profile] = [...roles];
		return snapshot;
	}

	documentRolesSnapshot(): Record<string, Record<string, RoleAssignees>> {
		const snapshot: Record<string, Record<string, RoleAssignees>> = {};
		for (const [documentId, byRole] of this.documentRoles) {
			snapshot[documentId] = {};
			for (const [role, assignees] of byRole) snapshot[documentId][role] = { users: [...assignees.users], groups: [...assignees.groups] };
		}
		return snapshot;
	}
}

function sameMember(a: TeamMember, b: TeamMember): boolean {
	return a.user_id === b.user_id && a.application_role === b.application_role;
}
