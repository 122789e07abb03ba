import type { IDataObject } from 'n8n-workflow';

import type { Row } from '../csv/vaultCsv';
import type { LookupKind } from '../operations/types';
import type { VaultClient } from '../transport/client';
import { vqlRecords } from '../transport/vql';
import { containsQueries, lookupValueProblem } from '../vql/buildVql';
import { mapRow } from './map';
import type { LookupSettings, RowRules, SourceRow } from './types';

/**
 * The resolve stage: columns that hold Vault ids (users, groups, records) filled from the names
 * other systems use. The distinct values of a run are looked up in bulk with VQL before any row
 * is validated or batched, once per run.
 */

/** A looked-up value: the id it stands for, or why it stands for none. */
type Resolution = { id: string } | { problem: string };
export type LookupTables = Partial<Record<LookupKind, Map<string, Resolution>>>;

// user__sys fields (Veeva VQL reference, user__sys: id, username__sys, email__sys, federated_id__sys, status__v)
const USER_FIELDS = { userName: 'username__sys', email: 'email__sys', federatedId: 'federated_id__sys' } as const;
const USER_WORDS = { userName: 'user name', email: 'email', federatedId: 'federated id' } as const;

export function lookupsWanted(settings: LookupSettings | undefined): settings is LookupSettings {
	return settings !== undefined && (settings.user !== 'id' || settings.group !== 'id' || settings.record !== 'id');
}

/** The kind a column is looked up as under these settings, or undefined when it takes ids. */
export function lookupKindOf(column: string, rules: RowRules, settings: LookupSettings): LookupKind | undefined {
	const fixed = rules.columns.find((rule) => rule.name === column);
	const kind = fixed ? fixed.lookup : rules.extra?.pattern.test(column) ? rules.extra.lookupOf?.(column) : undefined;
	return kind !== undefined && settings[kind] !== 'id' ? kind : undefined;
}

function valuesOf(cell: string, list: boolean): string[] {
	return list ? cell.split(',').map((part) => part.trim()).filter(Boolean) : [cell];
}

/** Looks up every distinct value the run's rows hold in the columns to resolve: a few VQL calls per kind. */
export async function resolveLookups(
	client: VaultClient,
	source: SourceRow[],
	rules: RowRules,
	settings: LookupSettings,
	/** the run's team-enabled object, where records are looked up by name__v */
	objectName: string,
): Promise<LookupTables> {
	const wanted: Partial<Record<LookupKind, Set<string>>> = {};
	for (const { fields, problems } of source) {
		if (problems && problems.length > 0) continue;
		const { row } = mapRow(fields, rules.columns, rules.extraMap);
		for (const [column, cell] of Object.entries(row)) {
			const kind = lookupKindOf(column, rules, settings);
			if (!kind) continue;
			const set = (wanted[kind] ??= new Set());
			for (const value of valuesOf(cell, isList(column, rules))) if (!lookupValueProblem(value)) set.add(value);
		}
	}
	const tables: LookupTables = {};
	if (wanted.user) tables.user = await resolveUsers(client, wanted.user, settings.user as keyof typeof USER_FIELDS);
	if (wanted.group) tables.group = await resolveByName(client, wanted.group, 'group__sys', 'Vault group', true);
	if (wanted.record) tables.record = await resolveByName(client, wanted.record, objectName, `${objectName} record`);
	return tables;
}

function isList(column: string, rules: RowRules): boolean {
	const fixed = rules.columns.find((rule) => rule.name === column);
	return fixed ? fixed.list === true : rules.extraMap?.list === true;
}

/**
 * Only active users resolve. Vault does not make emails unique, so a value two active users share
 * is ambiguous, never a guess.
 */
async function resolveUsers(client: VaultClient, values: Set<string>, by: keyof typeof USER_FIELDS): Promise<Map<string, Resolution>> {
	const field = USER_FIELDS[by];
	const found = new Map<string, IDataObject[]>();
	for (const query of containsQueries(['id', 'username__sys', field, 'status__v'], 'user__sys', field, values)) {
		for (const record of await vqlRecords(client, query)) {
			const key = String(record[field] ?? '');
			if (values.has(key)) found.set(key, [...(found.get(key) ?? []), record]);
		}
	}
	const words = USER_WORDS[by];
	const table = new Map<string, Resolution>();
	for (const value of values) {
		const users = found.get(value) ?? [];
		const active = users.filter(isActive);
		if (active.length === 1) table.set(value, { id: String(active[0].id) });
		else if (active.length > 1) {
			const names = active.map((user) => String(user.username__sys)).join(', ');
			table.set(value, { problem: `${active.length} active Vault users have the ${words} ${value}: user names ${names}; find them by user name or id instead` });
		} else if (users.length > 0) {
			const names = users.map((user) => `${String(user.username__sys)} (id ${String(user.id)})`).join(', ');
			table.set(value, { problem: `no active Vault user has the ${words} ${value}: ${names} ${users.length === 1 ? 'is' : 'are'} inactive` });
		} else table.set(value, { problem: `no active Vault user has the ${words} ${value}` });
	}
	return table;
}

/**
 * status__v of user__sys and group__sys: a picklist, which Vault's record answers give as a list
 * (["active__v"], Veeva API reference, "Retrieve Object Record"); no page shows a user__sys or
 * group__sys VQL answer, so a plain "active__v" is taken too.
 */
function isActive(record: IDataObject): boolean {
	const status = record.status__v;
	return Array.isArray(status) ? (status as unknown[]).includes('active__v') : status === 'active__v';
}

/**
 * Groups (group__sys) and records of the run's object, by their name__v. Groups, like users, resolve
 * only when active: group__sys has `status__v` (VAULT-API.md, "group__sys: name__v and label__v
 * unique, status__v"), and an inactive group is the item's error naming it, never its id.
 */
async function resolveByName(client: VaultClient, values: Set<string>, object: string, what: string, activeOnly = false): Promise<Map<string, Resolution>> {
	const found = new Map<string, IDataObject[]>();
	for (const query of containsQueries(activeOnly ? ['id', 'name__v', 'status__v'] : ['id', 'name__v'], object, 'name__v', values)) {
		for (const record of await vqlRecords(client, query)) {
			const key = String(record.name__v ?? '');
			if (values.has(key)) found.set(key, [...(found.get(key) ?? []), record]);
		}
	}
	const table = new Map<string, Resolution>();
	for (const value of values) {
		const all = found.get(value) ?? [];
		const usable = activeOnly ? all.filter(isActive) : all;
		const ids = usable.map((record) => String(record.id));
		if (ids.length === 1) table.set(value, { id: ids[0] });
		else if (ids.length > 1) table.set(value, { problem: `${ids.length} ${what}s are named "${value}" (ids ${ids.join(', ')}); use the id instead` });
		else if (all.length > 0) {
			const inactive = all.map((record) => String(record.id)).join(', ');
			table.set(value, { problem: `the ${what} named "${value}" (id ${inactive}) is inactive; only active ${what}s are looked up` });
		} else table.set(value, { problem: `no ${what} is named "${value}"` });
	}
	return table;
}

/**
 * Puts the looked-up ids into a mapped row, adding a problem for each value that did not resolve.
 * Returns what was looked up (column → the value that came in and the id it stands for), for the
 * output item's trail, and the columns that did not resolve (validated no further: their problem
 * is said once).
 */
export function applyLookups(
	row: Row,
	rules: RowRules,
	settings: LookupSettings,
	tables: LookupTables,
	problems: string[],
): { trail?: IDataObject; failed?: Set<string> } {
	let trail: IDataObject | undefined;
	let failed: Set<string> | undefined;
	for (const [column, cell] of Object.entries(row)) {
		const kind = lookupKindOf(column, rules, settings);
		if (!kind) continue;
		const list = isList(column, rules);
		const ids: string[] = [];
		const entries: IDataObject[] = [];
		for (const value of valuesOf(cell, list)) {
			const unusable = lookupValueProblem(value);
			const resolution: Resolution = unusable ? { problem: `"${value.slice(0, 60)}" ${unusable}` } : (tables[kind]?.get(value) ?? { problem: `"${value}" was not looked up` });
			if ('problem' in resolution) {
				problems.push(`column "${column}": ${resolution.problem}`);
				(failed ??= new Set()).add(column);
				continue;
			}
			ids.push(resolution.id);
			entries.push({ [settings[kind]]: value, id: resolution.id });
		}
		if (failed?.has(column)) continue;
		row[column] = ids.join(',');
		(trail ??= {})[column] = list ? entries : entries[0];
	}
	return { trail, failed };
}

/**
 * The user names of these user ids (user__sys `username__sys`, Veeva VQL reference), so a plan of
 * removals names people and not only numbers. Only for display: a read that fails gives no names
 * and the reason, and changes nothing about what is planned or sent.
 */
export async function readUserNames(client: VaultClient, userIds: Iterable<string>): Promise<{ names: Map<string, string>; error?: string }> {
	const ids = new Set([...userIds].filter((id) => /^\d+$/.test(id)));
	const names = new Map<string, string>();
	try {
		for (const query of containsQueries(['id', 'username__sys'], 'user__sys', 'id', ids)) {
			for (const record of await vqlRecords(client, query)) {
				if (typeof record.username__sys === 'string') names.set(String(record.id), record.username__sys);
			}
		}
		return { names };
	} catch (error) {
		return { names: new Map(), error: (error as Error)?.message ?? String(error) };
	}
}
