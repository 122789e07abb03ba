import { GENERATED_RECORDS_PER_OBJECT, TEAM_OBJECTS } from '../seedData';
import type { Directory } from './directory';

/**
 * When the records of the team-enabled objects were created and last modified: `created_date__v` and
 * `modified_date__v`, the standard fields every Vault object record has, answered as UTC DateTimes
 * `YYYY-MM-DDTHH:MM:SS.SSSZ` (Veeva API reference, "Retrieve Object Record":
 * `"modified_date__v": "2016-05-10T21:06:11.000Z"`, `"created_date__v": "2015-07-30T20:55:16.000Z"`; VQL
 * reference, "Data Types & Formats": "Date and DateTime field values are entered and returned in UTC").
 * Vault's examples carry whole seconds (`.000Z`), so many changes share one timestamp: the sandbox keeps
 * what a change names, and tests make many records share one second on purpose.
 *
 * The sandbox's clock for these is the tests': a change says when it happened (`at`), so polls can be
 * driven deterministically. Generated record n was created and last modified at GENERATED_BASE + n
 * minutes; a seeded record without a change at GENERATED_BASE. Kept per Directory (a reset makes a new
 * one, so the times go with it).
 */

export const GENERATED_BASE = Date.parse('2026-01-01T00:00:00.000Z');

export interface RecordTimes {
	created_date__v: string;
	modified_date__v: string;
	/**
	 * A custom field standing for a Vault's own site field (custom fields end in `__c` and are queryable:
	 * VQL reference, "Vault Objects"); the sandbox's own, for the examples that route by site. Null unless
	 * a change sets it.
	 */
	site__c: string | null;
}

/** One change the control API applies: a record created, or an existing one modified, at `at`. */
export interface RecordChange {
	object: string;
	id: string;
	/** name__v of a created record (default: its id); a rename on an update */
	name?: string;
	/** a UTC DateTime, e.g. 2026-12-07T10:00:00.000Z */
	at: string;
	/** default 'update' */
	kind?: 'create' | 'update';
	/** sets site__c */
	site?: string;
}

const byDirectory = new WeakMap<Directory, Map<string, RecordTimes>>();

function timesOf(directory: Directory): Map<string, RecordTimes> {
	let times = byDirectory.get(directory);
	if (!times) {
		times = new Map();
		byDirectory.set(directory, times);
	}
	return times;
}

/** The record's times: as a change set them, else from its generated number, else GENERATED_BASE. */
export function recordTimes(directory: Directory, object: string, id: string): RecordTimes {
	const changed = timesOf(directory).get(`${object}/${id}`);
	if (changed) return changed;
	const at = new Date(GENERATED_BASE + generatedNumber(object, id) * 60_000).toISOString();
	return { created_date__v: at, modified_date__v: at, site__c: null };
}

/** n of generated record n (Directory's id scheme: idPrefix + 7 digits of idBase + n), else 0. */
function generatedNumber(object: string, id: string): number {
	const scheme = Object.hasOwn(TEAM_OBJECTS, object) ? TEAM_OBJECTS[object] : undefined;
	const digits = scheme && id.startsWith(scheme.idPrefix) ? id.slice(scheme.idPrefix.length) : '';
	const n = /^\d{7}$/.test(digits) ? Number(digits) - (scheme?.idBase ?? 0) : 0;
	return n >= 1 && n <= GENERATED_RECORDS_PER_OBJECT ? n : 0;
}

/** A UTC DateTime as Vault writes one, or an error naming what is wrong. */
function vaultDateTime(at: unknown): string {
	if (typeof at !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at) || Number.isNaN(Date.parse(at))) {
		throw new Error(`a change's "at" must be a UTC DateTime like 2026-12-07T10:00:00.000Z: ${JSON.stringify(at)}`);
	}
	return new Date(at).toISOString();
}

/**
 * Applies changes in order: `create` adds the record (refused if it exists) with both times `at`;
 * `update` sets `modified_date__v` of an existing record (and renames it when `name` is given). All are
 * checked before any is applied, so a refused batch changes nothing.
 */
export function applyRecordChanges(directory: Directory, changes: RecordChange[]): void {
	if (!Array.isArray(changes)) throw new Error('changes must be a list');
	const creating = new Set<string>();
	const checked = changes.map((change) => {
		const at = vaultDateTime(change?.at);
		if (change.site !== undefined && (typeof change.site !== 'string' || change.site === '')) throw new Error(`a change's "site" must be a non-empty text: ${JSON.stringify(change.site)}`);
		const key = `${change.object}/${change.id}`;
		const exists = creating.has(key) || directory.recordName(change.object, change.id) !== undefined;
		if (change.kind === 'create') {
			if (exists) throw new Error(`record ${change.id} of ${change.object} already exists`);
			creating.add(key);
		} else if (!exists) {
			throw new Error(`no record ${change.id} in ${change.object} to update`);
		}
		return { ...change, at };
	});
	const created = checked.filter((change) => change.kind === 'create');
	directory.seed({ records: created.map((change) => ({ object: change.object, id: change.id, name: change.name ?? change.id })) });
	const renamed = checked.filter((change) => change.kind !== 'create' && change.name !== undefined);
	if (renamed.length > 0) directory.seed({ records: renamed.map((change) => ({ object: change.object, id: change.id, name: change.name as string })) });
	const times = timesOf(directory);
	for (const change of checked) {
		const key = `${change.object}/${change.id}`;
		const before = times.get(key) ?? recordTimes(directory, change.object, change.id);
		const site = change.site ?? (change.kind === 'create' ? null : before.site__c);
		times.set(key, change.kind === 'create' ? { created_date__v: change.at, modified_date__v: change.at, site__c: site } : { ...before, modified_date__v: change.at, site__c: site });
	}
	// the VQL tables are rebuilt when the directory's revision moves (vql/tables.ts)
	directory.revision++;
}
