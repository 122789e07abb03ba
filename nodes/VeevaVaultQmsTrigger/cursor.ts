import type { IDataObject } from 'n8n-workflow';

/**
 * The trigger's durable place in Vault's changes, kept in n8n's static data of the node (saved with
 * the workflow, so it survives restarts and is shared by queue-mode workers): the timestamp of the last
 * record emitted, and the ids already emitted with exactly that timestamp. Vault stamps records to
 * the second (Retrieve Object Record: `"modified_date__v": "2016-05-10T21:06:11.000Z"`), so many
 * records can share the boundary; the next poll asks for `>=` that time and skips these ids, so a
 * record is emitted once however many share a second, and none at the boundary is lost.
 */

export interface Cursor {
	/** what the cursor is about (object and cursor field): another key means another stream, read afresh */
	key: string;
	/** a UTC DateTime as Vault answers it (YYYY-MM-DDTHH:MM:SS.SSSZ); null: nothing seen yet, read from the start */
	time: string | null;
	/** ids emitted with exactly `time` */
	ids: string[];
}

/** A UTC DateTime (VQL reference, "Data Types & Formats": YYYY-MM-DDTHH:MM:SS.SSSZ; fraction digits may vary). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * A DateTime Vault answered, in one spelling (milliseconds, Z), so two spellings of one instant are one
 * boundary and text order is time order; undefined for anything else (a hostile or broken answer).
 */
export function vaultTime(value: unknown): string | undefined {
	if (typeof value !== 'string' || !DATE_TIME.test(value)) return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The cursor kept for `event` if it is about `key`; undefined when there is none (first activation) or it is about another stream. */
export function storedCursor(
	staticData: IDataObject,
	event: string,
	key: string,
): Cursor | undefined {
	const stored = staticData[event] as IDataObject | undefined;
	if (typeof stored !== 'object' || stored === null || stored.key !== key) return undefined;
	const time = stored.time === null ? null : vaultTime(stored.time);
	if (time === undefined || !Array.isArray(stored.ids)) return undefined;
	return { key, time, ids: (stored.ids as unknown[]).map(String) };
}

/** Stores the cursor: called once, after every read of the poll succeeded, so a failed poll leaves the old one in place. */
export function storeCursor(staticData: IDataObject, event: string, cursor: Cursor): void {
	staticData[event] = { key: cursor.key, time: cursor.time, ids: [...cursor.ids] };
}

/**
 * The cursor moving over records in (time, id) order: a record at the cursor's own time whose id was
 * already emitted is skipped; any other is taken and moves the cursor to it.
 */
export class CursorWalk {
	private time: string | null;
	private ids: Set<string>;

	constructor(private readonly start: Cursor) {
		this.time = start.time;
		this.ids = new Set(start.ids);
	}

	/** Whether the record (its time and id) is new: not before the cursor and not among the ids emitted at its time. */
	isNew(time: string, id: string): boolean {
		return !(time === this.time && this.ids.has(id));
	}

	/** Whether the record is older than where this walk stands (Vault answered out of the asked order). */
	isBehind(time: string): boolean {
		return this.time !== null && time < this.time;
	}

	take(time: string, id: string): void {
		if (time !== this.time) {
			this.time = time;
			this.ids = new Set();
		}
		this.ids.add(id);
	}

	get cursor(): Cursor {
		return { key: this.start.key, time: this.time, ids: [...this.ids] };
	}
}
