import type { SessionContext } from '../http/apiContext';
import { failure, success, type VaultResponse } from '../http/vaultResponse';
import { QUALITY_TEAMS } from '../qualityTeams';
import { labelFromName, LIFECYCLE_ROLE_RULES, TEAM_OBJECT_LABELS, TEAM_OBJECTS, type LifecycleRoleRule } from '../seedData';
import type { Directory } from '../state/directory';
import type { SandboxSettings } from '../types';

/**
 * What every metadata read (and VQL on application_role__v) answers while settings.refuseMetadata is on:
 * a user without the permission. INSUFFICIENT_ACCESS is "User does not have sufficient privileges to
 * perform the action" (Veeva API reference, "Errors"); Vault's messages are not contractual, so the
 * wording is the sandbox's (that type description).
 */
export function metadataRefusal(settings: SandboxSettings): VaultResponse | undefined {
	if (!settings.refuseMetadata) return undefined;
	return failure('INSUFFICIENT_ACCESS', 'User does not have sufficient privileges to perform the action.');
}

type ObjectSource = 'standard' | 'system' | 'custom' | 'application';

export interface ObjectSummary {
	name: string;
	label: string;
	label_plural: string;
	prefix: string;
	order?: number;
	in_menu: boolean;
	source: ObjectSource;
}

/**
 * Objects whose summary Veeva's Retrieve Object Collection examples show: product__v (prefix 00P,
 * order 1), country__v (00C), application_role__v (0AR, label_plural "Application Role", as the
 * v20.3 example has it), user__sys (V0A, order 87, source system: v26.1 example). group__sys is not in
 * any example: its prefix (V0B) and menu flag are the sandbox's own. `order` only where a page shows one.
 */
const FIXED_OBJECTS: ObjectSummary[] = [
	{ name: 'product__v', label: 'Product', label_plural: 'Products', prefix: '00P', order: 1, in_menu: true, source: 'standard' },
	{ name: 'country__v', label: 'Country', label_plural: 'Countries', prefix: '00C', in_menu: true, source: 'standard' },
	{ name: 'application_role__v', label: 'Application Role', label_plural: 'Application Role', prefix: '0AR', in_menu: true, source: 'standard' },
	{ name: 'user__sys', label: 'User', label_plural: 'Users', prefix: 'V0A', order: 87, in_menu: true, source: 'system' },
	{ name: 'group__sys', label: 'Group', label_plural: 'Groups', prefix: 'V0B', in_menu: true, source: 'system' },
];

/** The sandbox's reading of `source` for objects no page shows: by the name's suffix. */
function sourceOf(name: string): ObjectSource {
	if (name.endsWith('__sys')) return 'system';
	if (name.endsWith('__c')) return 'custom';
	if (name.endsWith('__v')) return 'standard';
	return 'application';
}

function teamObjectLabels(object: string): { label: string; plural: string } {
	const known = Object.hasOwn(TEAM_OBJECT_LABELS, object) ? TEAM_OBJECT_LABELS[object] : undefined;
	if (known) return known;
	const label = labelFromName(object);
	return { label, plural: `${label}s` };
}

/**
 * Every object the sandbox knows, in its fixed order: the page-shown objects (product__v, country__v,
 * application_role__v, user__sys, group__sys), then the team-enabled objects (TEAM_OBJECTS, then seeded
 * ones in seeding order), then the Quality Team member objects (QUALITY_TEAMS order). Vault documents no order;
 * neither example is sorted by name or label (v20.3: product__v, country__v, application_role__v, ...).
 * A team-enabled object's prefix is the first three characters of its record ids (OP4 of OP4000008, the
 * Manage page's record id; a seeded object's first seeded record); a member object's is QTM (its member
 * record ids, state/assignments.ts). Vault gives every object its own prefix; these are the sandbox's own.
 */
export function objectSummaries(directory: Directory): ObjectSummary[] {
	const teamObjects = directory.teamObjects().map((object): ObjectSummary => {
		const { label, plural } = teamObjectLabels(object);
		const scheme = Object.hasOwn(TEAM_OBJECTS, object) ? TEAM_OBJECTS[object] : undefined;
		const firstId = scheme ? `${scheme.idPrefix}${String(scheme.idBase + 1).padStart(7, '0')}` : (directory.teamRecords(object)[0]?.id ?? object.toUpperCase());
		return { name: object, label, label_plural: plural, prefix: firstId.slice(0, 3), in_menu: true, source: sourceOf(object) };
	});
	// each team's member object, labelled as its team has it (qualityTeams.ts)
	const memberObjects = QUALITY_TEAMS.map(
		(team): ObjectSummary => ({
			name: team.memberObject,
			label: team.memberLabel,
			label_plural: `${team.memberLabel}s`,
			prefix: 'QTM',
			in_menu: false,
			source: sourceOf(team.memberObject),
		}),
	);
	return [...FIXED_OBJECTS, ...teamObjects, ...memberObjects];
}

/**
 * GET /api/{version}/metadata/vobjects: Retrieve Object Collection (Veeva API reference, "Vault Objects >
 * Retrieve Object Collection"). `{"responseStatus":"SUCCESS","objects":[{url, label, name, label_plural,
 * prefix, order?, in_menu, source, status: ["active__v"], configuration_state: "STEADY_STATE"}]}`, keys in
 * the page's order. `loc=true` adds `localized_data` ({label_plural: {en}, label: {en}}: the sandbox has
 * English strings only; the page: "only if localized Strings have been configured"). Any other `loc` value
 * is false, the page's default. JSON whatever the Accept header (the page also offers XML).
 */
export function retrieveObjectCollection(context: SessionContext): VaultResponse {
	const refused = metadataRefusal(context.world.settings);
	if (refused) return refused;
	const localized = context.query.loc === 'true';
	const objects = objectSummaries(context.world.directory).map((object) => {
		const entry: Record<string, unknown> = {
			url: `/api/${context.params.version}/metadata/vobjects/${object.name}`,
			label: object.label,
			name: object.name,
			label_plural: object.label_plural,
			prefix: object.prefix,
		};
		if (object.order !== undefined) entry.order = object.order;
		Object.assign(entry, { in_menu: object.in_menu, source: object.source, status: ['active__v'], configuration_state: 'STEADY_STATE' });
		if (localized) entry.localized_data = { label_plural: { en: object.label_plural }, label: { en: object.label } };
		return entry;
	});
	return success({ objects });
}

/** Query parameters that filter by an override condition (the page's product__v, country__v, study__v, study_country__v, by id or `.name__v`). */
const OVERRIDE_FILTERS = /^(product__v|country__v|study__v|study_country__v)(\.name__v)?$/;

/**
 * GET /api/{version}/configuration/role_assignment_rule: Retrieve Lifecycle Role Assignment Rules (Default
 * & Override) (Veeva API reference, "Document Lifecycle & Workflows > Lifecycle Role Assignment Rules").
 * `{"responseStatus":"SUCCESS","data":[{lifecycle__v, role__v, allowed_users__v, allowed_groups__v,
 * allowed_default_users__v, allowed_default_groups__v}]}`, the field names of the page's example. Filters
 * `lifecycle__v` and `role__v` match exactly (names are case-sensitive). The sandbox has default rules only:
 * "If you filter the results by one or more override conditions (product__v or country__v), the response
 * will exclude the default role assignments", so any override filter leaves no rule. An unknown lifecycle
 * or role is no error, just no rule (the page documents no answer for it). JSON whatever the Accept header.
 */
export function retrieveRoleAssignmentRules(context: SessionContext): VaultResponse {
	const refused = metadataRefusal(context.world.settings);
	if (refused) return refused;
	const { lifecycle__v: lifecycle, role__v: role } = context.query;
	if (Object.keys(context.query).some((name) => OVERRIDE_FILTERS.test(name))) return success({ data: [] });
	const data = lifecycleRoleRules(context.world.directory).filter(
		(rule) => (lifecycle === undefined || rule.lifecycle__v === lifecycle) && (role === undefined || rule.role__v === role),
	);
	return success({ data });
}

/**
 * LIFECYCLE_ROLE_RULES, plus a rule with empty lists in general_lifecycle__c for each role a seeded document
 * defines that no lifecycle has yet (the sandbox does not model which lifecycle a document is in), so the
 * roles listed are the roles the document role endpoints accept on some document.
 */
export function lifecycleRoleRules(directory: Directory): LifecycleRoleRule[] {
	const rules = LIFECYCLE_ROLE_RULES.map((rule) => structuredClone(rule));
	const known = new Set(rules.map((rule) => rule.role__v));
	for (const role of directory.seededDocumentRoles()) {
		if (known.has(role)) continue;
		known.add(role);
		rules.push({ lifecycle__v: 'general_lifecycle__c', role__v: role, allowed_users__v: [], allowed_groups__v: [], allowed_default_users__v: [], allowed_default_groups__v: [] });
	}
	return rules;
}
