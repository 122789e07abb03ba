import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_MIGRATE_COLUMNS } from './operations/migrateMembers';
import { VAULT_NAME, VAULT_NAME_HINT, type BulkOperationSpec, type SpecContext } from './operations/types';
import type { BulkSettings } from './pipeline/runBulk';
import type { SourceRow } from './pipeline/prepare';
import type { LookupSettings } from './pipeline/resolve';
import { parseMaxRemovals, type SyncSettings } from './pipeline/sync';
import { defaultMemberObject, type MemberObject } from './pipeline/teamMembers';
import type { VaultClientOptions } from './transport/client';

const FIELD_PATH = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/** Caps on waiting (docs/reliability.md, "Caps"): a day covers Vault's longest bulk jobs; 10 minutes between checks is already slow. */
const MAX_WAIT_MINUTES = 24 * 60;
const MAX_POLL_INTERVAL_SECONDS = 600;

/** The node's parameters for a bulk operation, read once per run and checked. */
export function readBulkSettings(fx: IExecuteFunctions, spec: BulkOperationSpec): { settings: BulkSettings; clientOptions: Partial<VaultClientOptions> } {
	const options = fx.getNodeParameter('options', 0, {}) as IDataObject;
	const migrateColumns = (['recordColumn', 'userColumn', 'roleColumn'] as const).map((name, index) => {
		if (spec.operation !== 'migrateMembers') return DEFAULT_MIGRATE_COLUMNS[index];
		const value = String(fx.getNodeParameter(name, 0, DEFAULT_MIGRATE_COLUMNS[index]) ?? '').trim();
		if (!FIELD_PATH.test(value)) {
			throw new NodeOperationError(fx.getNode(), `"${value}" is not a Vault field name for a Migrate column`, {
				description: 'Use lower-case Vault names joined by dots, e.g. quality_event__qdm.name__v',
			});
		}
		return value;
	}) as [string, string, string];
	if (new Set(migrateColumns).size < 3) {
		throw new NodeOperationError(fx.getNode(), 'The three Migrate columns must be different fields');
	}
	const context: SpecContext = { objectName: '', migrateColumns };
	const choice = <T extends string>(name: string, allowed: readonly T[]): T => {
		const value = fx.getNodeParameter(name, 0, 'id') as T;
		return allowed.includes(value) ? value : ('id' as T);
	};
	const lookups: LookupSettings = {
		user: choice('findUsersBy', ['id', 'userName', 'email', 'federatedId'] as const),
		group: choice('findGroupsBy', ['id', 'name'] as const),
		record: choice('findRecordsBy', ['id', 'name'] as const),
	};
	// Verify reads the teams back once the jobs are done, so it waits for them
	const verify = options.verify === true && (spec.operation === 'manageAssignments' || spec.operation === 'syncMembers');
	const wait = options.waitForCompletion === true || verify;
	const settings: BulkSettings = {
		spec,
		context,
		outputMode: options.outputMode === 'perBatch' ? 'perBatch' : 'perItem',
		dryRun: options.dryRun === true,
		attachCsv: options.attachCsv === true,
		rowLimit: capped(options.batchSize, spec.rowLimit),
		byteLimit: capped(options.maxBatchBytes, spec.byteLimit),
		wait: wait
			? {
					intervalMs: Math.min(Number(options.pollIntervalSeconds ?? 10), MAX_POLL_INTERVAL_SECONDS) * 1000,
					timeoutMs: Math.min(Number(options.waitTimeoutMinutes ?? 60), MAX_WAIT_MINUTES) * 60_000,
				}
			: undefined,
		continueOnFail: fx.continueOnFail(),
		lookups,
		verify,
	};
	const clientOptions: Partial<VaultClientOptions> = {
		timeoutMs: Number(options.requestTimeoutSeconds ?? 300) * 1000,
		maxAttempts: Math.max(1, Math.floor(Number(options.maxAttempts ?? 3))),
		retryWaitMs: Number(options.retryWaitSeconds ?? 2) * 1000,
	};
	return { settings, clientOptions };
}

function capped(value: unknown, limit: number): number {
	const number = Math.floor(Number(value ?? 0));
	return number > 0 ? Math.min(number, limit) : limit;
}

/**
 * The object name for the run: one per run, as one Vault path serves one object. A name that
 * is not a Vault name, or that differs from the first item's, is that item's problem.
 */
export function readObjectName(fx: IExecuteFunctions, spec: BulkOperationSpec, itemCount: number): { name: string; problems: Map<number, string> } {
	const problems = new Map<number, string>();
	if (!spec.objectName) return { name: '', problems };
	// a picked or typed object (resource locator: { mode, value }), or plain text from an earlier version
	const raw = fx.getNode().parameters.objectName;
	const rawValue = raw !== null && typeof raw === 'object' && 'value' in raw ? (raw as { value: unknown }).value : raw;
	const perItem = typeof rawValue === 'string' && rawValue.startsWith('=');
	let name = '';
	for (let itemIndex = 0; itemIndex < (perItem ? itemCount : Math.min(1, itemCount)); itemIndex++) {
		const value = String(fx.getNodeParameter('objectName', itemIndex, '', { extractValue: true }) ?? '').trim();
		if (!VAULT_NAME.test(value)) problems.set(itemIndex, `Object name "${value}" is not ${VAULT_NAME_HINT}`);
		else if (name === '') name = value;
		else if (value !== name) problems.set(itemIndex, `Object name "${value}" differs from "${name}" named by an earlier item; one run sends to one object`);
	}
	if (!perItem && problems.has(0)) for (let itemIndex = 1; itemIndex < itemCount; itemIndex++) problems.set(itemIndex, problems.get(0) as string);
	return { name, problems };
}

/** The fields each item contributes: its json ("Map Automatically") or its evaluated columns. */
export function readSourceRows(fx: IExecuteFunctions, itemCount: number, objectProblems: Map<number, string>): SourceRow[] {
	const mode = fx.getNodeParameter('columns.mappingMode', 0, 'autoMapInputData') as string;
	const items = fx.getInputData();
	const columns = mode === 'defineBelow' ? columnReaders(fx) : undefined;
	const rows: SourceRow[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const problem = objectProblems.get(itemIndex);
		if (problem) {
			rows.push({ itemIndex, fields: {}, problems: [problem] });
			continue;
		}
		if (!columns) {
			rows.push({ itemIndex, fields: items[itemIndex].json });
			continue;
		}
		try {
			rows.push({ itemIndex, fields: columns(itemIndex, items[itemIndex].json) });
		} catch (error) {
			// an expression that fails for this item (a missing node, a syntax error) is this item's problem alone
			const description = (error as { description?: unknown }).description;
			rows.push({ itemIndex, fields: {}, problems: [`a column's expression failed: ${(error as Error).message}${typeof description === 'string' && description ? ` (${description})` : ''}`] });
		}
	}
	return rows;
}

/** `={{ $json.field }}`, `={{ $json["field"] }}` or `={{ $json['field'] }}`: the field's name */
const PLAIN_FIELD = /^=\{\{\s*\$json(?:\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\])\s*\}\}$/;

/**
 * "Map Each Column Manually": each column's value per item. A column that only picks a field of the
 * item (what dragging a field onto it writes) is read straight from the item; n8n's expression
 * engine would return the same value at some hundred times the cost. Any other expression is
 * evaluated by n8n, all columns of an item in one call, once per item.
 */
function columnReaders(fx: IExecuteFunctions): (itemIndex: number, json: IDataObject) => IDataObject {
	const raw = ((fx.getNode().parameters.columns as IDataObject | undefined)?.value ?? {}) as IDataObject;
	const plain: Array<[string, string]> = [];
	const literal: Array<[string, unknown]> = [];
	let evaluated = false;
	for (const [column, value] of Object.entries(raw)) {
		const match = typeof value === 'string' ? PLAIN_FIELD.exec(value) : null;
		if (match) plain.push([column, match[1] ?? match[2] ?? match[3]]);
		else if (typeof value === 'string' && value.startsWith('=')) evaluated = true;
		else literal.push([column, value]);
	}
	return (itemIndex, json) => {
		// skipValidation: the column rules (validate.ts) check every value, with the same words whether the
		// column picks a field or computes one; n8n's type check would refuse "add" before they could say why
		const fields: IDataObject = evaluated ? { ...((fx.getNodeParameter('columns.value', itemIndex, {}, { skipValidation: true }) as IDataObject) ?? {}) } : {};
		for (const [column, field] of plain) fields[column] = json[field];
		if (!evaluated) for (const [column, value] of literal) fields[column] = value as IDataObject[string];
		return fields;
	};
}

/** The team member object and its fields, for Sync Members and Verify; checked to be Vault names. */
export function readMemberObject(fx: IExecuteFunctions, objectName: string): MemberObject {
	const options = fx.getNodeParameter('options', 0, {}) as IDataObject;
	const text = (name: string, fallback: string) => String(options[name] ?? '').trim() || fallback;
	const member: MemberObject = {
		object: text('teamMemberObject', defaultMemberObject(objectName)),
		recordField: text('memberRecordField', objectName),
		userField: text('memberUserField', 'user__sys'),
		roleField: text('memberRoleField', 'application_role__vr.api_name__v'),
	};
	for (const [label, value] of Object.entries(member)) {
		if (!FIELD_PATH.test(value)) {
			throw new NodeOperationError(fx.getNode(), `"${value}" is not a Vault name for the team member ${label === 'object' ? 'object' : label.replace(/Field$/, ' field')}`, {
				description: 'Use lower-case Vault names, e.g. quality_event_quality_team_member__v, user__sys, application_role__vr.api_name__v',
			});
		}
	}
	return member;
}

/** Sync Members' scope and rails, read once per run and checked before anything is sent. */
export function readSyncSettings(fx: IExecuteFunctions, objectName: string): SyncSettings {
	const options = fx.getNodeParameter('options', 0, {}) as IDataObject;
	const scope = fx.getNodeParameter('scope', 0, 'recordsInInput') as string;
	const roles =
		scope === 'roles'
			? String(fx.getNodeParameter('scopeRoles', 0, '') ?? '')
					.split(',')
					.map((role) => role.trim())
					.filter(Boolean)
			: [];
	if (scope === 'roles' && roles.length === 0) throw new NodeOperationError(fx.getNode(), 'Scope is "these roles" but no role is listed under Roles');
	const badRole = roles.find((role) => !VAULT_NAME.test(role));
	if (badRole) throw new NodeOperationError(fx.getNode(), `Role "${badRole}" under Roles is not ${VAULT_NAME_HINT}`);
	const maxText = String(options.maxRemovals ?? '10%');
	const maxRemovals = parseMaxRemovals(maxText);
	if (!maxRemovals) throw new NodeOperationError(fx.getNode(), `Max Removals "${maxText}" is neither a whole number (e.g. 25) nor a percentage (e.g. 10%)`);
	return { roles, maxRemovals, allowEmptyInput: options.allowEmptyInput === true, planOnly: options.planOnly === true, member: readMemberObject(fx, objectName) };
}
