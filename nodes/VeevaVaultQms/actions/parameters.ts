import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import {
	VAULT_NAME,
	VAULT_NAME_HINT,
	type BulkOperationSpec,
	type SpecContext,
	type VaultApplication,
} from '../operations/types';
import type { EverywhereSettings } from '../pipeline/everywhereRead';
import type { SyncSettings } from '../pipeline/reconcile';
import { parseMaxRemovals } from '../pipeline/rosterRails';
import type { BulkSettings, LookupSettings } from '../pipeline/types';
import type { FilterCondition } from '../read/vqlText';
import { TeamCatalog, type MemberOverrides } from '../read/teamLayout';
import type { VaultClientOptions } from '../transport/clientOptions';
import { credentialAccessFor } from '../transport/credentialAccess';

/**
 * The node's parameters, read once per run and checked before anything is sent: the bulk settings
 * (complete: object name and the team member overrides included), the client's, Sync's, and where the
 * rows come from (sources/).
 */

/** Everything a bulk run needs from the node's parameters, read once. */
export interface RunSettings {
	settings: BulkSettings;
	clientOptions: Partial<VaultClientOptions>;
	/** the object name's problems, per item (readObjectName) */
	objectProblems: Map<number, string>;
	/** Sync Members' scope and rails */
	sync?: SyncSettings;
	/** Remove User From All Teams' and Replace User's options */
	everywhere?: EverywhereSettings;
	/** rows from the CSV file in this binary property of each item, or from the items themselves */
	file?: { binaryPropertyName: string };
}

/**
 * A bulk run's settings, whole: the options, the object name (one per run), for the specs with
 * team columns (Manage, Sync) the run's TeamCatalog (read/teamLayout.ts: Vault's team definitions,
 * read once for the run, with the options as overrides), Sync's settings, and where the rows come from.
 */
export function readRunSettings(fx: IExecuteFunctions, spec: BulkOperationSpec): RunSettings {
	const itemCount = fx.getInputData().length;
	const { options, context, clientOptions } = readOptions(fx, spec);
	const settings = bulkSettings(fx, spec, options, context);
	// the object name is read after the options, as it always was; the context is complete before anyone uses it
	const objectName = readObjectName(fx, spec, itemCount);
	context.objectName = objectName.name;
	if (spec.teamColumns) {
		// every team of the Vault is read as its definition says (no member options): one override cannot fit them all
		settings.teams = new TeamCatalog(spec.everywhere ? {} : readMemberOverrides(fx));
		// the input names people, not roles: the rows Vault gets are built from the teams' own roles
		settings.checkRoles = !spec.everywhere;
	}
	const sync = spec.sync ? readSyncSettings(fx) : undefined;
	const everywhere = spec.everywhere ? readEverywhereSettings(fx, spec.everywhere) : undefined;
	const fromFile = fx.getNodeParameter('inputSource', 0, 'items') === 'binary';
	const binaryPropertyName = fx.getNodeParameter('binaryPropertyName', 0, 'data') as string;
	return {
		settings,
		clientOptions,
		objectProblems: objectName.problems,
		sync,
		everywhere,
		file: fromFile ? { binaryPropertyName } : undefined,
	};
}

/**
 * The credential's Vault Application (QMS or QualityOne), for the specs whose path depends on it
 * (operations/manageAssignments.ts). A credential that cannot be read leaves QMS: nothing can be sent
 * without it, and connecting says why.
 */
export async function readVaultApplication(fx: IExecuteFunctions): Promise<VaultApplication> {
	// the credential the node's Authentication names (the API credential or the OAuth2 one): both have the field
	const credentials = await fx.getCredentials(credentialAccessFor(fx).type).catch(() => undefined);
	return credentials?.vaultApplication === 'qualityOne' ? 'qualityOne' : 'qms';
}

const FIELD_PATH = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/** Caps on waiting (docs/reliability.md, "Caps"): a day covers Vault's longest bulk jobs; 10 minutes between checks is already slow. */
const MAX_WAIT_MINUTES = 24 * 60;
const MAX_POLL_INTERVAL_SECONDS = 600;

/** The Options collection and the spec's configurable columns, checked; the client's options from them. */
function readOptions(
	fx: IExecuteFunctions,
	spec: BulkOperationSpec,
): { options: IDataObject; context: SpecContext; clientOptions: Partial<VaultClientOptions> } {
	const options = fx.getNodeParameter('options', 0, {}) as IDataObject;
	const context: SpecContext = { objectName: '' };
	if (spec.configurableColumns) context.columnNames = readColumnNames(fx, spec.configurableColumns);
	const clientOptions: Partial<VaultClientOptions> = {
		timeoutMs: Number(options.requestTimeoutSeconds ?? 300) * 1000,
		maxAttempts: Math.max(1, Math.floor(Number(options.maxAttempts ?? 3))),
		retryWaitMs: Number(options.retryWaitSeconds ?? 2) * 1000,
	};
	return { options, context, clientOptions };
}

/** The column names of a spec's configurable columns (Migrate's three), each a Vault field name, all different. */
function readColumnNames(
	fx: IExecuteFunctions,
	configurable: NonNullable<BulkOperationSpec['configurableColumns']>,
): string[] {
	const { fields, label } = configurable;
	const names = fields.map((field) => {
		const value = String(fx.getNodeParameter(field.parameter, 0, field.default) ?? '').trim();
		if (!FIELD_PATH.test(value)) {
			throw new NodeOperationError(
				fx.getNode(),
				`"${value}" is not a Vault field name for a ${label} column`,
				{
					description: `Use lower-case Vault names joined by dots, e.g. ${fields[0].default}`,
				},
			);
		}
		return value;
	});
	if (new Set(names).size < names.length) {
		throw new NodeOperationError(
			fx.getNode(),
			`The ${COUNT_WORDS[names.length] ?? names.length} ${label} columns must be different fields`,
		);
	}
	return names;
}

const COUNT_WORDS: Record<number, string> = { 2: 'two', 3: 'three', 4: 'four' };

/** The bulk settings from the options; `context` gets the object name next (readRunSettings). */
function bulkSettings(
	fx: IExecuteFunctions,
	spec: BulkOperationSpec,
	options: IDataObject,
	context: SpecContext,
): BulkSettings {
	const choice = <T extends string>(name: string, allowed: readonly T[]): T => {
		const value = fx.getNodeParameter(name, 0, 'id') as T;
		return allowed.includes(value) ? value : ('id' as T);
	};
	const lookups: LookupSettings = {
		user: choice('findUsersBy', ['id', 'userName', 'email', 'federatedId'] as const),
		group: choice('findGroupsBy', ['id', 'name'] as const),
		record: choice('findRecordsBy', ['id', 'name'] as const),
		auditorProfile: fx.getNodeParameter(
			'findAuditorProfilesBy',
			0,
			'name',
		) as LookupSettings['auditorProfile'],
	};
	if (!['name', 'userId', 'email', 'userName'].includes(lookups.auditorProfile as string))
		lookups.auditorProfile = 'name';
	// Ignore Case is offered for emails and user names only (descriptions/lookupFields.ts)
	if (lookups.user === 'email' || lookups.user === 'userName')
		lookups.userIgnoreCase = fx.getNodeParameter('findUsersIgnoreCase', 0, false) === true;
	// Verify reads the teams back once the jobs are done, so it waits for them; Replace needs it: a
	// person comes off only where the stand-in's ADD is confirmed on the team
	const verify =
		(options.verify === true || spec.everywhere === 'replace') && spec.verify === 'teamReadBack';
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
					intervalMs:
						Math.min(Number(options.pollIntervalSeconds ?? 10), MAX_POLL_INTERVAL_SECONDS) * 1000,
					timeoutMs: Math.min(Number(options.waitTimeoutMinutes ?? 60), MAX_WAIT_MINUTES) * 60_000,
				}
			: undefined,
		continueOnFail: fx.continueOnFail(),
		lookups,
		verify,
	};
	return settings;
}

function capped(value: unknown, limit: number): number {
	const number = Math.floor(Number(value ?? 0));
	return number > 0 ? Math.min(number, limit) : limit;
}

/**
 * The object name for the run: one per run, as one Vault path serves one object. A name that
 * is not a Vault name, or that differs from the first item's, is that item's problem.
 */
function readObjectName(
	fx: IExecuteFunctions,
	spec: BulkOperationSpec,
	itemCount: number,
): { name: string; problems: Map<number, string> } {
	const problems = new Map<number, string>();
	if (!spec.objectName) return { name: '', problems };
	// a picked or typed object (resource locator: { mode, value }), or plain text from an earlier version
	const raw = fx.getNode().parameters.objectName;
	const rawValue =
		raw !== null && typeof raw === 'object' && 'value' in raw
			? (raw as { value: unknown }).value
			: raw;
	const perItem = typeof rawValue === 'string' && rawValue.startsWith('=');
	let name = '';
	for (let itemIndex = 0; itemIndex < (perItem ? itemCount : Math.min(1, itemCount)); itemIndex++) {
		const value = String(
			fx.getNodeParameter('objectName', itemIndex, '', { extractValue: true }) ?? '',
		).trim();
		if (!VAULT_NAME.test(value))
			problems.set(itemIndex, `Object name "${value}" is not ${VAULT_NAME_HINT}`);
		else if (name === '') name = value;
		else if (value !== name)
			problems.set(
				itemIndex,
				`Object name "${value}" differs from "${name}" named by an earlier item; one run sends to one object`,
			);
	}
	if (!perItem && problems.has(0))
		for (let itemIndex = 1; itemIndex < itemCount; itemIndex++)
			problems.set(itemIndex, problems.get(0) as string);
	return { name, problems };
}

/**
 * The options Team Member Object and Member Record / User / Role Field: overrides of what is read
 * from Vault (read/teamLayout.ts), each empty or a Vault name.
 */
function readMemberOverrides(fx: IExecuteFunctions): MemberOverrides {
	const options = fx.getNodeParameter('options', 0, {}) as IDataObject;
	const text = (name: string) => String(options[name] ?? '').trim();
	const overrides: MemberOverrides = {
		object: text('teamMemberObject'),
		recordField: text('memberRecordField'),
		userField: text('memberUserField'),
		roleField: text('memberRoleField'),
	};
	for (const [label, value] of Object.entries(overrides)) {
		if (value !== '' && !FIELD_PATH.test(value)) {
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
function readSyncSettings(fx: IExecuteFunctions): SyncSettings {
	const options = fx.getNodeParameter('options', 0, {}) as IDataObject;
	const scope = fx.getNodeParameter('scope', 0, 'recordsInInput') as string;
	const roles =
		scope === 'roles'
			? String(fx.getNodeParameter('scopeRoles', 0, '') ?? '')
					.split(',')
					.map((role) => role.trim())
					.filter(Boolean)
			: [];
	if (scope === 'roles' && roles.length === 0)
		throw new NodeOperationError(
			fx.getNode(),
			'Scope is "these roles" but no role is listed under Roles',
		);
	const badRole = roles.find((role) => !VAULT_NAME.test(role));
	if (badRole)
		throw new NodeOperationError(
			fx.getNode(),
			`Role "${badRole}" under Roles is not ${VAULT_NAME_HINT}`,
		);
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
	};
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
function readEverywhereSettings(
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
	const badRole = roles.find((role) => !VAULT_NAME.test(role));
	if (badRole)
		throw new NodeOperationError(
			fx.getNode(),
			`Role "${badRole}" under Roles is not ${VAULT_NAME_HINT}`,
		);
	const conditions = (
		((options.recordFilter as IDataObject | undefined)?.conditions ?? []) as IDataObject[]
	).map((condition): FilterCondition => {
		const field = String(condition.field ?? '').trim();
		if (!FIELD_PATH.test(field))
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
		skipLockedRecords: options.skipLockedRecords !== false,
		removeLastInRole: options.removeLastInRole === true,
		sendPairsAtMaximum: options.sendPairsAtMaximum === true,
		recordFilter: conditions,
	};
}
