import type { ObjectField } from './metadata';
import type { MemberObject } from './teams';

/**
 * Which fields of a team member object hold the record, the user and the application role, found
 * from the object's metadata (read/metadata.ts, readObjectFields), and the check that the fields a
 * run uses (found, or set by the options) are what they must be before anything is read from them.
 *
 * Veeva documents no member object's fields (VAULT-API.md, "Added 2026-12-07"): what is known is
 * that a reference field answers the referenced record's id, and the api name comes through the
 * relationship (`application_role__vr.api_name__v`; `__sysr` for a system field: VQL,
 * "Relationship Queries"); a reference to users may name `users` rather than `user__sys` (as
 * Veeva's Vault Toolbox reads it).
 */

export const USER_OBJECTS: ReadonlySet<string> = new Set(['user__sys', 'users']);
export const APPLICATION_ROLE_OBJECT = 'application_role__v';
/** the role's api name, as Manage's application_role column takes it, on the application role object */
const ROLE_NAME_FIELD = 'api_name__v';
/** Vault's audit references to users, on every object: never the member */
export const AUDIT_FIELDS: ReadonlySet<string> = new Set([
	'created_by__v',
	'modified_by__v',
	'created_by__sys',
	'modified_by__sys',
]);

/** What the metadata says of the member fields: each found, or why not. */
export interface FoundMemberFields {
	recordField?: string;
	userField?: string;
	roleField?: string;
	statusField?: string;
	/** a field that could not be chosen: none, or several, with their names */
	problems: string[];
}

/** The relationship a reference is read through: the metadata's, else the field name with "r" (application_role__v → application_role__vr). */
export function relationshipOf(field: ObjectField): string {
	return field.relationship ?? `${field.name}r`;
}

/** The one field among `candidates`, preferring one named `preferred`; none or several is a problem in words. */
function pick(
	candidates: ObjectField[],
	preferred: readonly string[],
	what: string,
	memberObject: string,
	problems: string[],
): ObjectField | undefined {
	const named = candidates.find((field) => preferred.includes(field.name));
	if (named || candidates.length === 1) return named ?? candidates[0];
	problems.push(
		candidates.length === 0
			? `no field of ${memberObject} references ${what}`
			: `several fields of ${memberObject} reference ${what} (${candidates.map((field) => field.name).join(', ')}), and none is named ${preferred.join(' or ')}`,
	);
	return undefined;
}

/** The record, user and role fields of a member object and whether its records have a status, from its metadata. */
export function findMemberFields(
	fields: ObjectField[],
	memberObject: string,
	teamObject: string,
): FoundMemberFields {
	const problems: string[] = [];
	const references = fields.filter(
		(field) => field.referenceTo !== undefined && !AUDIT_FIELDS.has(field.name),
	);
	const record = pick(
		references.filter((field) => field.referenceTo === teamObject),
		[teamObject],
		teamObject,
		memberObject,
		problems,
	);
	const user = pick(
		references.filter((field) => USER_OBJECTS.has(field.referenceTo as string)),
		['user__sys', 'user__v'],
		'users (user__sys)',
		memberObject,
		problems,
	);
	const role = pick(
		references.filter((field) => field.referenceTo === APPLICATION_ROLE_OBJECT),
		[APPLICATION_ROLE_OBJECT],
		'application roles (application_role__v)',
		memberObject,
		problems,
	);
	return {
		...(record ? { recordField: record.name } : {}),
		...(user ? { userField: user.name } : {}),
		...(role ? { roleField: `${relationshipOf(role)}.${ROLE_NAME_FIELD}` } : {}),
		...(fields.some((field) => field.name === 'status__v') ? { statusField: 'status__v' } : {}),
		problems,
	};
}

/**
 * Item 3 of issue 22: the fields a run reads are references to the team-enabled object, to users
 * and (through the relationship, by api name) to application roles. Each one that is not is said,
 * naming what it is instead; empty when all are sound.
 */
export function confirmMemberFields(
	member: MemberObject,
	fields: ObjectField[],
	teamObject: string,
): string[] {
	const byName = new Map(fields.map((field) => [field.name, field]));
	const found: string[] = [];
	const describe = (field: ObjectField | undefined, name: string) =>
		!field
			? `${name} is not a field of ${member.object}`
			: field.referenceTo
				? `${name} references ${field.referenceTo}`
				: `${name} is a ${field.type || 'non-reference'} field, not a reference`;
	const record = byName.get(member.recordField);
	if (record?.referenceTo !== teamObject)
		found.push(
			`record field: ${describe(record, member.recordField)}; it must reference ${teamObject}`,
		);
	const user = byName.get(member.userField);
	if (!USER_OBJECTS.has(user?.referenceTo ?? ''))
		found.push(
			`user field: ${describe(user, member.userField)}; it must reference users (user__sys)`,
		);
	const roleProblem = roleFieldProblem(member.roleField, fields, byName, describe);
	if (roleProblem) found.push(`role field: ${roleProblem}`);
	return found;
}

function roleFieldProblem(
	path: string,
	fields: ObjectField[],
	byName: Map<string, ObjectField>,
	describe: (field: ObjectField | undefined, name: string) => string,
): string | undefined {
	const [head, tail, ...rest] = path.split('.');
	if (tail === undefined) {
		const field = byName.get(head);
		if (field?.referenceTo === APPLICATION_ROLE_OBJECT) {
			return `${head} references ${APPLICATION_ROLE_OBJECT} and so reads the role's record id, not the api name Manage takes: read it through the relationship, ${relationshipOf(field)}.${ROLE_NAME_FIELD}`;
		}
		return `${describe(field, head)}; it must be read through a reference to ${APPLICATION_ROLE_OBJECT}, e.g. application_role__vr.${ROLE_NAME_FIELD}`;
	}
	const field = fields.find(
		(candidate) => candidate.referenceTo !== undefined && relationshipOf(candidate) === head,
	);
	if (!field) return `${head} is not the relationship of a reference field of the member object`;
	if (field.referenceTo !== APPLICATION_ROLE_OBJECT)
		return `${head} is the relationship of ${field.name}, which references ${field.referenceTo}, not ${APPLICATION_ROLE_OBJECT}`;
	if (tail !== ROLE_NAME_FIELD || rest.length > 0)
		return `${path} reads ${rest.length > 0 ? path.slice(head.length + 1) : tail} of the application role; Manage takes its ${ROLE_NAME_FIELD}`;
	return undefined;
}
