import type { RoleAssignees, TeamMember } from '../types';

type Assignees = { users: Set<number>; groups: Set<number> };

/** Who holds which role: Quality Team members, auditor profile roles, document role assignees. */
export class Assignments {
	/** object → record id → members, in the order they were added */
	readonly teams = new Map<string, Map<string, TeamMember[]>>();
	readonly auditorRoles = new Map<string, Set<string>>();
	readonly documentRoles = new Map<number, Map<string, Assignees>>();

	team(object: string, recordId: string): TeamMember[] {
		const records = this.teams.get(object) ?? new Map<string, TeamMember[]>();
		this.teams.set(object, records);
		const members = records.get(recordId) ?? [];
		records.set(recordId, members);
		return members;
	}

	/** false when the member was already there */
	addMember(object: string, recordId: string, member: TeamMember): boolean {
		const members = this.team(object, recordId);
		if (members.some((held) => sameMember(held, member))) return false;
		members.push({ ...member });
		return true;
	}

	/** false when there was no such member */
	removeMember(object: string, recordId: string, member: TeamMember): boolean {
		const members = this.team(object, recordId);
		const index = members.findIndex((held) => sameMember(held, member));
		if (index < 0) return false;
		members.splice(index, 1);
		return true;
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
			for (const [recordId, members] of records) (snapshot[object] ??= {})[recordId] = members.map((member) => ({ ...member }));
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
