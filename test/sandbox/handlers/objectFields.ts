import { teamByMemberObject } from '../qualityTeams';
import type { Directory } from '../state/directory';
import type { SandboxSettings } from '../types';

/**
 * The fields of every object the sandbox knows, as Retrieve Object Metadata lists them (Veeva API
 * reference, "Vault Objects > Retrieve Object Metadata": `object.fields[]`, each with `name`, `label`,
 * `type`, `required`, ...; the page's example shows only `id`). What a reference field carries is read from
 * MDL's Field attributes (`type('Object')`, `object(...)`, `relationship_type('reference')`,
 * `relationship_outbound_name(...)`, `relationship_inbound_name(...)`, `relationship_deletion(...)`) and the
 * example's `relationships[].object` summary ({url, label, name, label_plural, prefix}); VAULT-API.md,
 * "Object metadata of a reference field". Which fields each object has is the sandbox's own (UNVERIFIED
 * beyond user__sys's documented username__sys, email__sys, status__v), and matches what VQL answers.
 */

export interface FieldSpec {
	name: string;
	label: string;
	type: 'ID' | 'String' | 'Picklist' | 'Object';
	required?: boolean;
	unique?: boolean;
	/** for type Object: the referenced object */
	references?: string;
	/** for type Picklist */
	picklist?: string;
}

const id: FieldSpec = { name: 'id', label: 'ID', type: 'ID' };
const name: FieldSpec = { name: 'name__v', label: 'Name', type: 'String', required: true };
const status: FieldSpec = { name: 'status__v', label: 'Status', type: 'Picklist', picklist: 'default_status__v' };

/**
 * user__sys: the fields VQL answers (vql/tables.ts, userRow). username__sys, email__sys and status__v are
 * on Veeva's pages; federated_id__sys is not (VAULT-API.md, "user__sys": confirm it from this metadata),
 * hence the setting absentUserFields, which takes fields out of both this list and VQL.
 */
const USER_FIELDS: FieldSpec[] = [
	id,
	{ name: 'username__sys', label: 'User Name', type: 'String', required: true, unique: true },
	{ name: 'email__sys', label: 'Email', type: 'String', required: true },
	{ name: 'federated_id__sys', label: 'Federated ID', type: 'String', unique: true },
	{ name: 'first_name__sys', label: 'First Name', type: 'String', required: true },
	{ name: 'last_name__sys', label: 'Last Name', type: 'String', required: true },
	name,
	status,
];

const FIXED_FIELDS: Record<string, FieldSpec[]> = {
	product__v: [id, name, status],
	country__v: [id, name, status],
	application_role__v: [id, { name: 'api_name__v', label: 'API Name', type: 'String', required: true, unique: true }, name, status],
	user__sys: USER_FIELDS,
	group__sys: [id, name, { name: 'label__v', label: 'Label', type: 'String', required: true, unique: true }, status],
};

/** A team-enabled object's fields: id, name__v, its object type (a reference to object_type__v), its lifecycle state, status__v. */
function teamObjectFields(): FieldSpec[] {
	return [
		id,
		name,
		{ name: 'object_type__v', label: 'Object Type', type: 'Object', required: true, references: 'object_type__v' },
		{ name: 'state__v', label: 'Lifecycle State', type: 'String' },
		status,
	];
}

/**
 * A Quality Team member object's fields, from its team (qualityTeams.ts): id, the three references (to the
 * team-enabled object, to user__sys, to application_role__v) under the team's own field names, and
 * status__v only where removed members are kept inactive (a member object of the old reading has none, so
 * a reader that looks for status__v finds it only where it means something).
 */
function memberObjectFields(memberObject: string): FieldSpec[] | undefined {
	const team = teamByMemberObject(memberObject);
	if (!team) return undefined;
	const fields: FieldSpec[] = [
		id,
		{ name: team.fields.record, label: team.label.replace(/ Team$/, ''), type: 'Object', required: true, references: team.object },
		{ name: team.fields.user, label: 'User', type: 'Object', required: true, references: 'user__sys' },
		{ name: team.fields.role, label: 'Application Role', type: 'Object', required: true, references: 'application_role__v' },
	];
	if (team.keepsRemoved) fields.push(status);
	return fields;
}

/** The fields of an object, or undefined when the sandbox has no such object; bent by settings.bentFields. */
export function objectFields(directory: Directory, settings: SandboxSettings, object: string): FieldSpec[] | undefined {
	return bend(settings, object, ownFields(directory, settings, object));
}

function ownFields(directory: Directory, settings: SandboxSettings, object: string): FieldSpec[] | undefined {
	if (object === 'user__sys') return USER_FIELDS.filter((field) => !settings.absentUserFields.includes(field.name));
	if (Object.hasOwn(FIXED_FIELDS, object)) return FIXED_FIELDS[object];
	if (directory.isTeamObject(object)) return teamObjectFields();
	return memberObjectFields(object);
}

/**
 * settings.bentFields: the metadata of a field as another Vault might have it, for a reader that must check
 * what it reads (issue 22: a member field that is not the reference it expects): `references: null` makes the
 * field a String, `references: 'x'` a reference to x. Only this metadata is bent; VQL answers as before.
 */
function bend(settings: SandboxSettings, object: string, fields: FieldSpec[] | undefined): FieldSpec[] | undefined {
	const bent = settings.bentFields.filter((entry) => entry.object === object);
	if (!fields || bent.length === 0) return fields;
	return fields.map((field) => {
		const entry = bent.find((candidate) => candidate.field === field.name);
		if (!entry) return field;
		return entry.references === null ? { ...field, type: 'String', references: undefined } : { ...field, type: 'Object', references: entry.references };
	});
}

/** Every object a team-enabled object's field may reference that the object collection does not list: object_type__v. */
export const OBJECT_TYPE_SUMMARY = { name: 'object_type__v', label: 'Object Type', label_plural: 'Object Types', prefix: 'OOT' };
