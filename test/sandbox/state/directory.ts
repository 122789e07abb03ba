import {
	APPLICATION_ROLES,
	AUDITOR_ROLES,
	DOCUMENT_ROLES,
	GENERATED_AUDITOR_PROFILES,
	GENERATED_DOCUMENTS,
	GENERATED_RECORDS_PER_OBJECT,
	GENERATED_USER_IDS,
	GROUP_IDS,
	INACTIVE_GENERATED_USER_IDS,
	LOGIN_USERS,
	NAMED_AUDITOR_PROFILES,
	NAMED_GROUPS,
	QUERY_USERS,
	TEAM_OBJECTS,
} from '../seedData';
import { generatedTraits, teamOfType, type SandboxTeam } from '../qualityTeams';
import type { SandboxSeed, SeedGroup, VaultUser } from '../types';

const GENERATED_USERNAME = /^user(\d+)@sandbox\.veevavault\.com$/;
const GENERATED_GLOBAL_ID = /^1001_(\d+)$/;
const GENERATED_PROFILE = /^AuditorProfile-user(\d+)@veepharm\.com$/;

function generatedUser(id: number): VaultUser | undefined {
	if (!Number.isInteger(id) || id < GENERATED_USER_IDS.first || id > GENERATED_USER_IDS.last) return undefined;
	const active = !INACTIVE_GENERATED_USER_IDS.includes(id);
	return { id, username: `user${id}@sandbox.veevavault.com`, globalId: `1001_${id}`, firstName: 'User', lastName: String(id), active };
}

function inRange(text: string | undefined, max: number): number | undefined {
	const n = Number(text);
	return text !== undefined && Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
}

/**
 * What exists in the Vaults: users, team-enabled records, auditor profiles and roles, application
 * roles, documents and groups. The large default sets are computed on demand, so a reset only
 * drops the seeded extras.
 */
export class Directory {
	private users = new Map<number, VaultUser>();
	private records = new Map<string, Map<string, string>>();
	private recordIdsByName = new Map<string, Map<string, string>>();
	private extraProfiles = new Set<string>();
	private auditorRoles = new Set(AUDITOR_ROLES);
	private applicationRoles = new Set(APPLICATION_ROLES);
	private documents = new Map<number, string[]>();
	private groups = new Set<number>();
	private namedGroups = new Map<number, SeedGroup>();
	/** object → record id → the object type and lifecycle state a seed gave it */
	private seededTraits = new Map<string, Map<string, { objectType?: string; state?: string }>>();
	/** bumped by every seed, so views built from the directory (VQL tables) know to rebuild */
	revision = 0;

	constructor() {
		this.seed({ users: [...LOGIN_USERS, ...QUERY_USERS], namedGroups: NAMED_GROUPS });
	}

	seed(data: SandboxSeed): void {
		this.revision++;
		for (const group of data.namedGroups ?? []) this.addNamedGroup(group);
		for (const user of data.users ?? []) this.users.set(user.id, { ...user });
		for (const record of data.records ?? []) {
			this.addRecord(record.object, record.id, record.name);
			const traits = this.seededTraits.get(record.object) ?? new Map<string, { objectType?: string; state?: string }>();
			traits.set(record.id, { objectType: record.objectType, state: record.state });
			this.seededTraits.set(record.object, traits);
		}
		for (const name of data.auditorProfiles ?? []) this.extraProfiles.add(name);
		for (const role of data.auditorRoles ?? []) this.auditorRoles.add(role);
		for (const role of data.applicationRoles ?? []) this.applicationRoles.add(role);
		for (const document of data.documents ?? []) this.documents.set(document.id, [...document.roles]);
		for (const group of data.groups ?? []) this.groups.add(group);
	}

	user(id: number): VaultUser | undefined {
		return this.users.get(id) ?? generatedUser(id);
	}

	userByUsername(username: string): VaultUser | undefined {
		const seeded = [...this.users.values()].find((user) => user.username.toLowerCase() === username.toLowerCase());
		return seeded ?? this.generatedUnlessReplaced(GENERATED_USERNAME.exec(username.toLowerCase())?.[1]);
	}

	userByGlobalId(globalId: string): VaultUser | undefined {
		const seeded = [...this.users.values()].find((user) => user.globalId === globalId);
		return seeded ?? this.generatedUnlessReplaced(GENERATED_GLOBAL_ID.exec(globalId)?.[1]);
	}

	isTeamObject(object: string): boolean {
		return object in TEAM_OBJECTS || this.records.has(object);
	}

	teamObjects(): string[] {
		return [...new Set([...Object.keys(TEAM_OBJECTS), ...this.records.keys()])];
	}

	/** The record's name, if the record exists in that object. */
	recordName(object: string, id: string): string | undefined {
		const seeded = this.records.get(object)?.get(id);
		if (seeded !== undefined) return seeded;
		const scheme = TEAM_OBJECTS[object];
		if (!scheme || !id.startsWith(scheme.idPrefix)) return undefined;
		const n = inRange(String(Number(id.slice(scheme.idPrefix.length)) - scheme.idBase), GENERATED_RECORDS_PER_OBJECT);
		if (n === undefined || id !== this.generatedRecordId(object, n)) return undefined;
		return `${scheme.namePrefix}${String(n).padStart(6, '0')}`;
	}

	recordIdByName(object: string, name: string): string | undefined {
		const seeded = this.recordIdsByName.get(object)?.get(name);
		if (seeded !== undefined) return seeded;
		const scheme = TEAM_OBJECTS[object];
		if (!scheme || !name.startsWith(scheme.namePrefix)) return undefined;
		const digits = name.slice(scheme.namePrefix.length);
		const n = /^\d{6}$/.test(digits) ? inRange(digits, GENERATED_RECORDS_PER_OBJECT) : undefined;
		if (n === undefined) return undefined;
		const id = this.generatedRecordId(object, n);
		return this.recordName(object, id) === name ? id : undefined;
	}

	/**
	 * A record's object type (api name) and lifecycle state: as seeded, else qualityTeams.ts generatedTraits for
	 * a generated record; a seeded record of a generated object without a type is base__v, of a seeded object
	 * none. Undefined when the record does not exist.
	 */
	recordTraits(object: string, id: string): { objectType?: string; state: string } | undefined {
		if (this.recordName(object, id) === undefined) return undefined;
		const seeded = this.seededTraits.get(object)?.get(id);
		const scheme = TEAM_OBJECTS[object];
		const n = scheme && id.startsWith(scheme.idPrefix) ? inRange(String(Number(id.slice(scheme.idPrefix.length)) - scheme.idBase), GENERATED_RECORDS_PER_OBJECT) : undefined;
		const generated = n !== undefined && this.generatedRecordId(object, n) === id ? generatedTraits(object, n) : { objectType: scheme ? 'base__v' : undefined, state: 'open_state__c' };
		return { objectType: seeded?.objectType ?? generated.objectType, state: seeded?.state ?? generated.state };
	}

	/**
	 * The Quality Team a record belongs to: the team of its object type, else its object's team without a type
	 * (qualityTeams.ts); for a record that does not exist (a seed may name one), the object's team without a type.
	 */
	recordTeam(object: string, id: string): SandboxTeam | undefined {
		return teamOfType(object, this.recordTraits(object, id)?.objectType);
	}

	/**
	 * An application role's record id: `0AR` and 12 digits, from 101 in applicationRoleNames order
	 * (record_owner__c `0AR000000000101`). In Vault a role's id is a record id, not its api name (the Object
	 * Collection's prefix 0AR; VAULT-API.md, "Reference fields answer ids"); the numbering is the sandbox's own.
	 */
	applicationRoleId(name: string): string | undefined {
		const index = [...this.applicationRoles].indexOf(name);
		return index < 0 ? undefined : `0AR${String(101 + index).padStart(12, '0')}`;
	}

	/** The api name of the application role with that record id (applicationRoleId), if any. */
	applicationRoleById(id: string): string | undefined {
		return [...this.applicationRoles].find((name) => this.applicationRoleId(name) === id);
	}

	auditorProfileExists(name: string): boolean {
		if (NAMED_AUDITOR_PROFILES.includes(name) || this.extraProfiles.has(name)) return true;
		return inRange(GENERATED_PROFILE.exec(name)?.[1], GENERATED_AUDITOR_PROFILES) !== undefined;
	}

	/** Profiles that are listed in the state even before they hold a role. */
	listedAuditorProfiles(): string[] {
		return [...NAMED_AUDITOR_PROFILES, ...this.extraProfiles];
	}

	auditorRoleExists(name: string): boolean {
		return this.auditorRoles.has(name);
	}

	applicationRoleExists(name: string): boolean {
		return this.applicationRoles.has(name);
	}

	/** Every application role's api name: APPLICATION_ROLES, then seeded ones in seeding order. */
	applicationRoleNames(): string[] {
		return [...this.applicationRoles];
	}

	/** The roles seeded documents define, each once, in seeding order (generated documents have DOCUMENT_ROLES). */
	seededDocumentRoles(): string[] {
		return [...new Set([...this.documents.values()].flat())];
	}

	/** The roles defined on the document, or undefined if there is no such document. */
	documentRoles(id: number): string[] | undefined {
		return this.documents.get(id) ?? (inRange(String(id), GENERATED_DOCUMENTS) === undefined ? undefined : DOCUMENT_ROLES);
	}

	groupExists(id: number): boolean {
		return this.groups.has(id) || this.namedGroups.has(id) || (Number.isInteger(id) && id >= GROUP_IDS.first && id <= GROUP_IDS.last);
	}

	/** Every user, by id: seeded ones (login and VQL users) and the generated row targets not replaced by a seed. */
	allUsers(): VaultUser[] {
		const users = [...this.users.values()];
		for (let id = GENERATED_USER_IDS.first; id <= GENERATED_USER_IDS.last; id++) {
			if (!this.users.has(id)) users.push(generatedUser(id) as VaultUser);
		}
		return users.sort((a, b) => a.id - b.id);
	}

	/** Every group, by id: generated name `group_<id>__c` / label `Group <id>`, active, unless seeded with a name (and maybe `active: false`). */
	allGroups(): Array<Required<SeedGroup>> {
		const ids = new Set<number>([...this.groups, ...this.namedGroups.keys()]);
		for (let id = GROUP_IDS.first; id <= GROUP_IDS.last; id++) ids.add(id);
		return [...ids]
			.sort((a, b) => a - b)
			.map((id) => {
				const named = this.namedGroups.get(id);
				return named
					? { id, name: named.name, label: named.label ?? named.name, active: named.active !== false }
					: { id, name: `group_${id}__c`, label: `Group ${id}`, active: true };
			});
	}

	/** The records of a team-enabled object, id and name: generated ones (a seed may rename them), then seeded ones. */
	teamRecords(object: string): Array<{ id: string; name: string }> {
		const seeded = this.records.get(object) ?? new Map<string, string>();
		const records: Array<{ id: string; name: string }> = [];
		const generatedIds = new Set<string>();
		if (TEAM_OBJECTS[object]) {
			for (let n = 1; n <= GENERATED_RECORDS_PER_OBJECT; n++) {
				const id = this.generatedRecordId(object, n);
				generatedIds.add(id);
				records.push({ id, name: seeded.get(id) ?? (this.recordName(object, id) as string) });
			}
		}
		for (const [id, name] of seeded) if (!generatedIds.has(id)) records.push({ id, name });
		return records;
	}

	/** name__v and label__v are each unique among a Vault's groups (Veeva VQL reference, "Groups"). */
	private addNamedGroup(group: SeedGroup): void {
		if (!Number.isInteger(group.id) || typeof group.name !== 'string' || group.name === '') throw new Error('a named group needs an integer id and a name');
		const label = group.label ?? group.name;
		for (const other of this.namedGroups.values()) {
			if (other.id === group.id) continue;
			if (other.name === group.name) throw new Error(`group name__v ${group.name} is already group ${other.id}'s`);
			if ((other.label ?? other.name) === label) throw new Error(`group label__v ${label} is already group ${other.id}'s`);
		}
		if (group.active !== undefined && typeof group.active !== 'boolean') throw new Error(`group ${group.id}: active must be true or false`);
		this.namedGroups.set(group.id, { id: group.id, name: group.name, label, active: group.active !== false });
	}

	private addRecord(object: string, id: string, name: string): void {
		const byId = this.records.get(object) ?? new Map<string, string>();
		const byName = this.recordIdsByName.get(object) ?? new Map<string, string>();
		const previousName = byId.get(id);
		if (previousName !== undefined && byName.get(previousName) === id) byName.delete(previousName);
		byId.set(id, name);
		byName.set(name, id);
		this.records.set(object, byId);
		this.recordIdsByName.set(object, byName);
	}

	private generatedRecordId(object: string, n: number): string {
		const scheme = TEAM_OBJECTS[object];
		return `${scheme.idPrefix}${String(scheme.idBase + n).padStart(7, '0')}`;
	}

	private generatedUnlessReplaced(idText: string | undefined): VaultUser | undefined {
		const id = Number(idText);
		return idText === undefined || this.users.has(id) ? undefined : generatedUser(id);
	}
}
