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
import type { BulkSettings, LookupSettings } from '../pipeline/types';
import { TeamCatalog } from '../read/teamLayout';
import { VAULT_FIELD } from '../read/vqlText';
import type { VaultClientOptions } from '../transport/clientOptions';
import { credentialAccessFor } from '../transport/credentialAccess';
import { readEverywhereSettings, readMemberOverrides, readSyncSettings } from './teamSettings';

/**
 * The node's parameters, read once per run and checked before anything is sent: the bulk settings
 * (complete: object name and the team member overrides included), the client's, Sync's, and where the
 * rows come from (sources/). The settings of the runs that read Quality Teams (member overrides,
 * Sync, Remove Everywhere and Replace) are read in teamSettings.ts.
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
		if (!VAULT_FIELD.test(value)) {
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
