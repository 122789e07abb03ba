import type { SessionContext } from '../http/apiContext';
import { failure, success, type VaultResponse } from '../http/vaultResponse';
import { relationshipOf } from '../qualityTeams';
import { metadataRefusal, objectSummaries, type ObjectSummary } from './metadata';
import { OBJECT_TYPE_SUMMARY, objectFields, type FieldSpec } from './objectFields';

type Summary = Pick<ObjectSummary, 'name' | 'label' | 'label_plural' | 'prefix'>;

/**
 * GET /api/{version}/metadata/vobjects/{object_name}: Retrieve Object Metadata (Veeva API reference,
 * "Vault Objects > Retrieve Object Metadata"). `{"responseStatus":"SUCCESS","object":{...}}` with the
 * page's object keys (available_lifecycles, label_plural, prefix, data_store, description, source,
 * relationships, urls, object_class, in_menu, label, name, fields, status, ...), for every object the
 * object collection lists. Each field as handlers/objectFields.ts builds it. An object the sandbox does
 * not have is `INVALID_DATA` (the page documents no answer for it; "Invalid data provided in the API
 * call" is the type's description on the "Errors" page; MALFORMED_URL would be the other reading).
 * Refused with settings.refuseMetadata, as the other metadata reads. JSON whatever the Accept header.
 */
export function retrieveObjectMetadata(context: SessionContext): VaultResponse {
	const refused = metadataRefusal(context.world.settings);
	if (refused) return refused;
	const { version, objectName } = context.params;
	const { directory, settings } = context.world;
	const summaries = objectSummaries(directory);
	const summary = summaries.find((object) => object.name === objectName);
	const fields = summary && objectFields(directory, settings, objectName);
	if (!summary || !fields) return failure('INVALID_DATA', `Object [${objectName}] not found.`);
	const describe = describer(version, summaries, settings.userReferenceName);
	return success({
		object: {
			available_lifecycles: [],
			label_plural: summary.label_plural,
			prefix: summary.prefix,
			data_store: 'standard',
			description: null,
			source: summary.source,
			relationships: fields.filter((field) => field.references).map((field) => describe.relationship(field)),
			urls: {
				field: `/api/${version}/metadata/vobjects/${objectName}/fields/{name}`,
				record: `/api/${version}/vobjects/${objectName}/{id}`,
				list: `/api/${version}/vobjects/${objectName}`,
				metadata: `/api/${version}/metadata/vobjects/${objectName}`,
			},
			object_class: 'base',
			...(summary.order === undefined ? {} : { order: summary.order }),
			allow_types: fields.some((field) => field.name === 'object_type__v'),
			in_menu: summary.in_menu,
			label: summary.label,
			name: summary.name,
			system_managed: !summary.in_menu,
			fields: fields.map((field, order) => describe.field(field, order)),
			status: ['active__v'],
		},
	});
}

/**
 * GET /api/{version}/metadata/vobjects/{object_name}/fields/{object_field_name}: Retrieve Object Field Metadata
 * (Veeva API reference, "Vault Objects > Retrieve Object Field Metadata"): `{"responseStatus":"SUCCESS","field":{...}}`,
 * the field as Retrieve Object Metadata lists it. An object or field the sandbox does not have is INVALID_DATA
 * (no answer documented; the same reading as for an object).
 */
export function retrieveObjectFieldMetadata(context: SessionContext): VaultResponse {
	const refused = metadataRefusal(context.world.settings);
	if (refused) return refused;
	const { version, objectName, fieldName } = context.params;
	const { directory, settings } = context.world;
	const summaries = objectSummaries(directory);
	const fields = summaries.some((object) => object.name === objectName) ? objectFields(directory, settings, objectName) : undefined;
	const index = fields?.findIndex((field) => field.name === fieldName) ?? -1;
	if (!fields || index < 0) return failure('INVALID_DATA', `Field [${fieldName}] not found on object [${objectName}].`);
	return success({ field: describer(version, summaries, settings.userReferenceName).field(fields[index], index) });
}

/**
 * How fields and relationships are written. A reference's `object` is the referenced object's summary;
 * a reference to users names `user__sys`, or `users` with settings.userReferenceName 'users' (VAULT-API.md:
 * Veeva's Vault Toolbox looks for `object.name === 'users'`, so a Vault may answer either).
 */
function describer(version: string, summaries: ObjectSummary[], userReferenceName: 'user__sys' | 'users') {
	const target = (name: string): Record<string, unknown> => {
		const summary: Summary = summaries.find((object) => object.name === name) ?? OBJECT_TYPE_SUMMARY;
		const shownName = name === 'user__sys' ? userReferenceName : name;
		return { url: `/api/${version}/metadata/vobjects/${shownName}`, label: summary.label, name: shownName, label_plural: summary.label_plural, prefix: summary.prefix };
	};
	return {
		field(field: FieldSpec, order: number): Record<string, unknown> {
			const entry: Record<string, unknown> = {
				name: field.name,
				label: field.label,
				type: field.type,
				required: field.required ?? false,
				unique: field.unique ?? false,
				editable: field.type !== 'ID',
				source: field.name.endsWith('__sys') || field.name === 'id' ? 'system' : 'standard',
				list_column: field.name === 'name__v',
				status: ['active__v'],
				order,
			};
			if (field.picklist) entry.picklist = field.picklist;
			if (field.references) {
				Object.assign(entry, {
					object: target(field.references),
					relationship_type: 'reference',
					relationship_outbound_name: relationshipOf(field.name),
					relationship_inbound_name: null,
					relationship_deletion: 'block',
					relationship_criteria: null,
				});
			}
			return entry;
		},
		relationship(field: FieldSpec): Record<string, unknown> {
			return {
				relationship_name: relationshipOf(field.name),
				relationship_label: field.label,
				field: field.name,
				relationship_type: 'reference_outbound',
				relationship_deletion: 'block',
				object: target(field.references as string),
			};
		},
	};
}
