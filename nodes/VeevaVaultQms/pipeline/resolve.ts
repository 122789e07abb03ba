import type { IDataObject } from 'n8n-workflow';

import type { Row } from '../csv/vaultCsv';
import type { LookupKind } from '../operations/types';
import { resolveAuditorProfiles } from '../read/auditorProfiles';
import { resolveByName, type Resolution } from '../read/lookups';
import { resolveUsers, type UserLookupField } from '../read/userLookups';
import { lookupValueProblem } from '../read/vqlText';
import type { VaultClient } from '../transport/client';
import { mapRow } from './map';
import type { LookupSettings, RowRules, SourceRow } from './types';

/**
 * The resolve stage: columns that hold Vault ids (users, groups, records) filled from the names
 * other systems use. The distinct values of a run are looked up in bulk with VQL before any row
 * is validated or batched, once per run.
 */

export type LookupTables = Partial<Record<LookupKind, Map<string, Resolution>>>;

/** What each kind's column takes as it is, with nothing looked up: ids, and Auditor Profiles' names. */
const AS_GIVEN: Record<LookupKind, string> = {
	user: 'id',
	group: 'id',
	record: 'id',
	auditorProfile: 'name',
};

/** Whether the settings look this kind up (anything but what its column takes as it is). */
export function looksUpKind(settings: LookupSettings, kind: LookupKind): boolean {
	const setting = settings[kind];
	return setting !== undefined && setting !== AS_GIVEN[kind];
}

export function lookupsWanted(settings: LookupSettings | undefined): settings is LookupSettings {
	return (
		settings !== undefined &&
		(Object.keys(AS_GIVEN) as LookupKind[]).some((kind) => looksUpKind(settings, kind))
	);
}

/** The kind a column is looked up as under these settings, or undefined when it takes ids. */
export function lookupKindOf(
	column: string,
	rules: RowRules,
	settings: LookupSettings,
): LookupKind | undefined {
	const fixed = rules.columns.find((rule) => rule.name === column);
	const kind = fixed
		? fixed.lookup
		: rules.extra?.pattern.test(column)
			? rules.extra.lookupOf?.(column)
			: undefined;
	return kind !== undefined && looksUpKind(settings, kind) ? kind : undefined;
}

function valuesOf(cell: string, list: boolean): string[] {
	return list
		? cell
				.split(',')
				.map((part) => part.trim())
				.filter(Boolean)
		: [cell];
}

/**
 * Looks up every distinct value the run's rows hold in the columns to resolve: a few VQL calls per
 * kind, and for users one read of user__sys's metadata first. `notes`: what the lookups could not
 * confirm, to say beside the output.
 */
export async function resolveLookups(
	client: VaultClient,
	source: SourceRow[],
	rules: RowRules,
	settings: LookupSettings,
	/** the run's team-enabled object, where records are looked up by name__v */
	objectName: string,
): Promise<{ tables: LookupTables; notes: string[] }> {
	const wanted: Partial<Record<LookupKind, Set<string>>> = {};
	for (const { fields, problems } of source) {
		if (problems && problems.length > 0) continue;
		const { row } = mapRow(fields, rules.columns, rules.extraMap);
		for (const [column, cell] of Object.entries(row)) {
			const kind = lookupKindOf(column, rules, settings);
			if (!kind) continue;
			const set = (wanted[kind] ??= new Set());
			for (const value of valuesOf(cell, isList(column, rules)))
				if (!lookupValueProblem(value)) set.add(value);
		}
	}
	const tables: LookupTables = {};
	const notes: string[] = [];
	if (wanted.user) {
		const users = await resolveUsers(client, wanted.user, {
			by: settings.user as UserLookupField,
			ignoreCase: settings.userIgnoreCase === true,
		});
		tables.user = users.table;
		if (users.note) notes.push(users.note);
	}
	if (wanted.group)
		tables.group = await resolveByName(client, wanted.group, 'group__sys', 'Vault group', true);
	if (wanted.record)
		tables.record = await resolveByName(client, wanted.record, objectName, `${objectName} record`);
	const profilesBy = settings.auditorProfile;
	if (wanted.auditorProfile && profilesBy && profilesBy !== 'name') {
		const profiles = await resolveAuditorProfiles(client, wanted.auditorProfile, profilesBy);
		tables.auditorProfile = profiles.table;
		if (profiles.note) notes.push(profiles.note);
	}
	return { tables, notes };
}

function isList(column: string, rules: RowRules): boolean {
	const fixed = rules.columns.find((rule) => rule.name === column);
	return fixed ? fixed.list === true : rules.extraMap?.list === true;
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
			const resolution: Resolution = unusable
				? { problem: `"${value.slice(0, 60)}" ${unusable}` }
				: (tables[kind]?.get(value) ?? { problem: `"${value}" was not looked up` });
			if ('problem' in resolution) {
				// one problem for the whole column (a field the Vault lacks) is said once, not once per value
				const problem = `column "${column}": ${resolution.problem}`;
				if (!problems.includes(problem)) problems.push(problem);
				(failed ??= new Set()).add(column);
				continue;
			}
			ids.push(resolution.id);
			// found with Ignore Case in another letter case: the trail shows the value as Vault has it
			entries.push(
				resolution.trail ?? {
					[settings[kind] as string]: value,
					id: resolution.id,
					...(resolution.asInVault !== undefined ? { inVault: resolution.asInVault } : {}),
				},
			);
		}
		if (failed?.has(column)) continue;
		row[column] = ids.join(',');
		(trail ??= {})[column] = list ? entries : entries[0];
	}
	return { trail, failed };
}
