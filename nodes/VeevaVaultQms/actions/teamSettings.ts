import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { VAULT_NAME, VAULT_NAME_HINT } from '../operations/types';
import type { EverywhereSettings } from '../pipeline/everywhereRead';
import type { SyncSettings } from '../pipeline/reconcile';
import { parseMaxRemovals } from '../pipeline/rosterRails';
import type { MemberOverrides } from '../read/teamLayout';
import { VAULT_FIELD, type FilterCondition } from '../read/vqlText';

/**
 * The settings of the runs that read Quality Teams, read once per run and checked before anything
 * is read or sent: the team member overrides, Sync Members' scope and rails, and the options of
 * Remove User From All Teams and Replace User. Apart from parameters.ts, which reads what every
 * bulk run shares and calls these for the specs that need them.
 */

/**
 * The options Team Member Object and Member Record / User / Role Field: overrides of what is read
 * from Vault (read/teamLayout.ts), each empty or a Vault name.
 */
export function readMemberOverrides(fx: IExecuteFunctions): MemberOverrides {
	const options = fx.getNodeParameter('options', 0, {}) as IDataObject;
	const text = (name: string) => String(options[name] ?? '').trim();
	const overrides: MemberOverrides = {
		object: text('teamMemberObject'),
		recordField: text('memberRecordField'),
		userField: text('memberUserField'),
		roleField: text('memberRoleField'),
	};
	for (const [label, value] of Object.entries(overrides)) {
		if (value !== '' && !VAULT_FIELD.test(value)) {
			throw new NodeOperationError(
				fx.getNode(),
				`"${value}" is not a Vault name for the team member ${label === 'object' ? 'object' : label.replace(/Field$/, ' field')}`,
				{
					description:
						'Use lower-case Vault names, e.g. quality_event_quality_team_member__v, user__sys, application_role__vr.api_name__v; or leave it empty to read it from Vault',
				},
			);
		}
	}
	return overrides;
}

/** Sync Members' scope and rails, read once per run and checked before anything is sent. */
export function readSyncSettings(fx: IExecuteFunctions): SyncSettings {
	const options = fx.getNodeParameter('options', 0, {}) as IDataObject;
	const scope = fx.getNodeParameter('scope', 0, 'recordsInInput') as string;
	const roles = scope === 'roles' ? listOption(fx.getNodeParameter('scopeRoles', 0, '')) : [];
	if (scope === 'roles' && roles.length === 0)
		throw new NodeOperationError(
			fx.getNode(),
			'Scope is "these roles" but no role is listed under Roles',
		);
	checkRoleNames(fx, roles);
	const maxText = String(options.maxRemovals ?? '10%');
	const maxRemovals = parseMaxRemovals(maxText);
	if (!maxRemovals)
		throw new NodeOperationError(
			fx.getNode(),
			`Max Removals "${maxText}" is neither a whole number (e.g. 25) nor a percentage (e.g. 10%)`,
		);
	return {
		roles,
		maxRemovals,
		allowEmptyInput: options.allowEmptyInput === true,
		planOnly: options.planOnly === true,
		outputUnchanged: options.outputUnchanged !== false,
	};
}

/** The names of an option (Roles; Team Objects to Search), each a Vault name. */
function checkRoleNames(fx: IExecuteFunctions, roles: string[], what = 'Role'): void {
	const badRole = roles.find((role) => !VAULT_NAME.test(role));
	if (badRole)
		throw new NodeOperationError(
			fx.getNode(),
			`${what} "${badRole}" under ${what === 'Role' ? 'Roles' : 'Team Objects to Search'} is not ${VAULT_NAME_HINT}`,
		);
}

/** A comma-separated option: its names, trimmed. */
function listOption(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
}

/**
 * Remove User From All Teams' and Replace User's options, checked before anything is read: Max
 * Removals a whole number, roles and the record filter's fields Vault names. The filter is the
 * node's parameter (never an item's value), and its values are quoted when the query is built.
 */
export function readEverywhereSettings(
	fx: IExecuteFunctions,
	mode: 'remove' | 'replace',
): EverywhereSettings {
	const options = fx.getNodeParameter('options', 0, {}) as IDataObject;
	const maxRemovals = Number(options.maxRemovals ?? 50);
	if (!Number.isSafeInteger(maxRemovals) || maxRemovals < 0)
		throw new NodeOperationError(
			fx.getNode(),
			`Max Removals "${String(options.maxRemovals)}" is not a whole number of at least 0`,
		);
	const roles = listOption(options.roles);
	checkRoleNames(fx, roles);
	const teamObjects = listOption(options.teamObjects);
	checkRoleNames(fx, teamObjects, 'Object');
	const conditions = (
		((options.recordFilter as IDataObject | undefined)?.conditions ?? []) as IDataObject[]
	).map((condition): FilterCondition => {
		const field = String(condition.field ?? '').trim();
		if (!VAULT_FIELD.test(field))
			throw new NodeOperationError(
				fx.getNode(),
				`"${field}" under Record Filter is not a Vault field name`,
				{ description: "Use the field's API name, e.g. state__v" },
			);
		const values = listOption(condition.values);
		if (values.length === 0)
			throw new NodeOperationError(fx.getNode(), `The Record Filter on ${field} has no value`);
		return { field, operator: condition.operator === 'in' ? 'in' : 'notIn', values };
	});
	return {
		mode,
		planOnly: options.planOnly === true,
		maxRemovals,
		teams: listOption(options.teams),
		roles,
		teamObjects,
		skipLockedRecords: options.skipLockedRecords !== false,
		removeLastInRole: options.removeLastInRole === true,
		sendPairsAtMaximum: options.sendPairsAtMaximum === true,
		recordFilter: conditions,
	};
}
