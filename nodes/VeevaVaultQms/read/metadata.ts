import type { IDataObject } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { vqlRecords } from './vqlPages';

/**
 * What the Vault is configured with: its objects, document roles and application roles, for the
 * editor's lists and the column mapper.
 */

/** One Vault object as the object collection lists it. */
export interface VaultObjectInfo {
	name: string;
	label: string;
	source: string;
	active: boolean;
}

/**
 * Every Vault object of the Vault: Retrieve Object Collection, `GET /api/{version}/metadata/vobjects`
 * (Veeva API reference, "Vault Objects"), answered as `objects: [{ name, label, label_plural,
 * source, status: ["active__v"], ... }]`. A read: sent again after an unknown outcome.
 */
export async function listVaultObjects(client: VaultClient): Promise<VaultObjectInfo[]> {
	const { envelope } = await client.request({
		method: 'GET',
		path: '/metadata/vobjects',
		accept: 'application/json',
		retryUnknownOutcome: true,
	});
	const objects = Array.isArray(envelope.objects) ? (envelope.objects as IDataObject[]) : [];
	return objects
		.filter((object) => typeof object.name === 'string' && object.name !== '')
		.map((object) => ({
			name: object.name as string,
			label:
				typeof object.label === 'string' && object.label !== ''
					? object.label
					: (object.name as string),
			source: String(object.source ?? ''),
			// the page gives status as a list (["active__v"]); an object without one is taken as active
			active: !Array.isArray(object.status) || (object.status as unknown[]).includes('active__v'),
		}));
}

/** A document role and the lifecycles that have it. */
export interface DocumentRoleInfo {
	name: string;
	lifecycles: string[];
}

/**
 * The document roles of the Vault's document lifecycles: Retrieve Lifecycle Role Assignment Rules
 * (Default & Override), `GET /api/{version}/configuration/role_assignment_rule` (Veeva API
 * reference, "Lifecycle Role Assignment Rules"): "all lifecycle role assignment rules ... from all
 * roles in all lifecycles", each `{ lifecycle__v, role__v, ... }`. A role of several lifecycles
 * (and its override rules) appears more than once: listed once here, with its lifecycles. The page
 * gives no role labels, so roles are named by their Vault name.
 */
export async function listDocumentRoles(client: VaultClient): Promise<DocumentRoleInfo[]> {
	const { envelope } = await client.request({
		method: 'GET',
		path: '/configuration/role_assignment_rule',
		accept: 'application/json',
		retryUnknownOutcome: true,
	});
	const rules = Array.isArray(envelope.data) ? (envelope.data as IDataObject[]) : [];
	const roles = new Map<string, Set<string>>();
	for (const rule of rules) {
		const role = rule.role__v;
		if (typeof role !== 'string' || role === '') continue;
		const lifecycles = roles.get(role) ?? new Set<string>();
		if (typeof rule.lifecycle__v === 'string' && rule.lifecycle__v !== '')
			lifecycles.add(rule.lifecycle__v);
		roles.set(role, lifecycles);
	}
	return [...roles]
		.map(([name, lifecycles]) => ({ name, lifecycles: [...lifecycles].sort() }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** An application role: the name Manage's application_role column takes, and its label. */
export interface ApplicationRoleInfo {
	apiName: string;
	label: string;
}

/**
 * The Vault's active application roles, by VQL on the Application Role object (`application_role__v`,
 * listed by Retrieve Object Collection; Manage Quality Team Assignments' `application_role` column
 * takes a role's API name, and Migrate's example column is `application_role__v.api_name__v`).
 */
export async function listApplicationRoles(
	client: VaultClient,
	limit = 1000,
): Promise<ApplicationRoleInfo[]> {
	const records = await vqlRecords(
		client,
		"SELECT api_name__v, name__v FROM application_role__v WHERE status__v = 'active__v'",
		limit,
	);
	return records
		.filter((record) => typeof record.api_name__v === 'string' && record.api_name__v !== '')
		.map((record) => ({
			apiName: record.api_name__v as string,
			label:
				typeof record.name__v === 'string' && record.name__v !== ''
					? record.name__v
					: (record.api_name__v as string),
		}))
		.sort((a, b) => a.label.localeCompare(b.label));
}

/** One field of a Vault object, as far as the node needs it: its type and, for a reference, what it points to. */
export interface ObjectField {
	name: string;
	type: string;
	/** the object a reference field points to (`object.name`), if any */
	referenceTo?: string;
	/** the relationship a reference is read through in VQL (`application_role__vr`), if the metadata gives it */
	relationship?: string;
}

/**
 * An object's fields: Retrieve Object Metadata, `GET /api/{version}/metadata/vobjects/{object_name}`
 * (Veeva API reference, "Vault Objects"): `object.fields[]` with `name`, `type` (`Object` for a
 * reference), the referenced `object` (`{ name, ... }`; a reference to users may name `users`, as
 * Veeva's Vault Toolbox allows) and the outbound relationship name (`relationship_outbound_name`),
 * and `object.relationships[]` (`{ field, relationship_name, relationship_type: "reference_outbound" }`),
 * read where a field gives no relationship name. A read: sent again after an unknown outcome.
 */
export async function readObjectFields(
	client: VaultClient,
	objectName: string,
): Promise<ObjectField[]> {
	const { envelope } = await client.request({
		method: 'GET',
		path: `/metadata/vobjects/${objectName}`,
		accept: 'application/json',
		retryUnknownOutcome: true,
	});
	const object = (envelope.object ?? {}) as IDataObject;
	if (!Array.isArray(object.fields))
		throw new Error(`Vault's metadata of ${objectName} lists no fields`);
	const outbound = new Map<string, string>();
	for (const relation of Array.isArray(object.relationships)
		? (object.relationships as IDataObject[])
		: []) {
		if (
			typeof relation?.field === 'string' &&
			typeof relation.relationship_name === 'string' &&
			String(relation.relationship_type ?? '').includes('outbound')
		) {
			outbound.set(relation.field, relation.relationship_name);
		}
	}
	return (object.fields as IDataObject[])
		.filter((field) => typeof field?.name === 'string' && field.name !== '')
		.map((field) => {
			const name = field.name as string;
			const target = field.object as IDataObject | string | undefined;
			const referenceTo =
				typeof target === 'string'
					? target
					: typeof target?.name === 'string'
						? target.name
						: undefined;
			const relationship =
				typeof field.relationship_outbound_name === 'string' &&
				field.relationship_outbound_name !== ''
					? field.relationship_outbound_name
					: outbound.get(name);
			return {
				name,
				type: String(field.type ?? ''),
				...(referenceTo ? { referenceTo } : {}),
				...(relationship ? { relationship } : {}),
			};
		});
}
