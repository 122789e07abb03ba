import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import { vqlPages, vqlRecords } from '../../VeevaVaultQms/read/vqlPages';
import type { VaultClient } from '../../VeevaVaultQms/transport/client';
import { VaultRequestError } from '../../VeevaVaultQms/transport/errors';
import { CursorWalk, storeCursor, storedCursor, vaultTime, type Cursor } from '../cursor';
import {
	changesQuery,
	conditionClause,
	newestQuery,
	selectedFields,
	type PickedCondition,
	type RecordQuery,
} from './recordQuery';
import type { TriggerEvent } from './types';

/**
 * Record Created or Updated: the records of one object whose created_date__v (On: Created) or
 * modified_date__v (On: Created or Updated) is past the cursor (cursor.ts), oldest first, at most
 * Max Items per Poll a poll; the rest come on the next poll. The cursor moves only when every read of
 * the poll succeeded.
 */

const EVENT = 'recordChanged';
/** Fetch Test Event shows the newest few matches. */
export const SAMPLE_SIZE = 5;
/** The most a poll emits: what one workflow execution can comfortably take, and what the cursor's id list may hold. */
export const MAX_ITEMS_PER_POLL = 10_000;
/**
 * How far past n8n's clock a record's time may be. Vault stamps changes with its own clock, which may
 * differ from n8n's by minutes, not days; a time further ahead (a broken or hostile answer) would move
 * the cursor past every real change until then, so it is refused instead.
 */
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;
/** Part of n8n's poll budget (IPollFunctions.getPollBudgetMs, n8n 2.41+) spent reading before a poll returns what it has. */
const BUDGET_SHARE = 0.8;

interface Settings {
	query: RecordQuery;
	includeExisting: boolean;
	maxItems: number;
}

function readSettings(fx: IPollFunctions): Settings {
	const object = String(fx.getNodeParameter('objectName', '', { extractValue: true }) ?? '').trim();
	if (!/^[a-z][a-z0-9_]*$/.test(object))
		throw new VaultRequestError(
			'config',
			`Pick the object to watch: "${object}" is not a Vault object name (e.g. quality_event__qdm)`,
		);
	const conditions = (fx.getNodeParameter('conditions.condition', []) as PickedCondition[]).map(
		conditionClause,
	);
	const cursorField =
		fx.getNodeParameter('on', 'createdOrUpdated') === 'created'
			? 'created_date__v'
			: 'modified_date__v';
	const maxItems = Math.floor(Number(fx.getNodeParameter('options.maxItemsPerPoll', 1000)));
	return {
		query: {
			object,
			cursorField,
			select: selectedFields(String(fx.getNodeParameter('fields', '') ?? '')),
			conditions,
		},
		includeExisting: fx.getNodeParameter('options.includeExisting', false) === true,
		maxItems: Number.isFinite(maxItems)
			? Math.min(Math.max(maxItems, 1), MAX_ITEMS_PER_POLL)
			: 1000,
	};
}

export async function pollRecordChanged(
	fx: IPollFunctions,
	client: VaultClient,
): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(fx);
	const { query } = settings;
	if (fx.getMode() === 'manual') return [await newestSample(fx, client, query)];
	const staticData = fx.getWorkflowStaticData('node');
	const key = `${query.object}|${query.cursorField}`;
	const stored = storedCursor(staticData, EVENT, key);
	if (stored === undefined && !settings.includeExisting) {
		// first activation: start after the newest record Vault has now (Vault's clock, not n8n's)
		storeCursor(staticData, EVENT, await startingCursor(client, query, key));
		return null;
	}
	const budgetMs = typeof fx.getPollBudgetMs === 'function' ? fx.getPollBudgetMs() : undefined;
	const readUntil = budgetMs === undefined ? Infinity : Date.now() + budgetMs * BUDGET_SHARE;
	const { records, cursor } = await readChanges(
		client,
		query,
		stored ?? { key, time: null, ids: [] },
		settings.maxItems,
		readUntil,
	);
	storeCursor(staticData, EVENT, cursor);
	return records.length > 0 ? [records.map((json) => ({ json }))] : null;
}

/** The record's cursor time and id, or a read error: an answer without them cannot move a cursor. */
function recordKey(record: IDataObject, field: string): { time: string; id: string } {
	const id =
		typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : '';
	const time = vaultTime(record[field]);
	if (id === '' || time === undefined) {
		throw new VaultRequestError(
			'garbled',
			`Vault's answer to the trigger's query does not add up, so it was not used: a record comes without an id or without ${field} as a UTC DateTime (${JSON.stringify(record[field] ?? null)})`,
		);
	}
	if (Date.parse(time) > Date.now() + FUTURE_TOLERANCE_MS) {
		throw new VaultRequestError(
			'garbled',
			`Vault's answer to the trigger's query was not used: record ${id} has ${field} ${time}, more than a day ahead of this n8n's clock; the trigger's place would skip every change until then. Check the record in Vault, or the clocks`,
		);
	}
	return { time, id };
}

/**
 * Records past the cursor, oldest first, up to `maxItems` (or what was read when the poll's time runs
 * out); pages are read only as far as needed. A record answered before the cursor, or out of the order
 * asked for, makes the answer untrusted: the poll fails and the cursor stays.
 */
async function readChanges(
	client: VaultClient,
	query: RecordQuery,
	start: Cursor,
	maxItems: number,
	readUntil: number,
): Promise<{ records: IDataObject[]; cursor: Cursor }> {
	const walk = new CursorWalk(start);
	const records: IDataObject[] = [];
	for await (const page of vqlPages(client, changesQuery(query, start.time))) {
		for (const record of page.records) {
			const { time, id } = recordKey(record, query.cursorField);
			if (walk.isBehind(time)) {
				throw new VaultRequestError(
					'garbled',
					`Vault's answer to the trigger's query does not add up, so it was not used: record ${id} (${time}) comes before the place already read, out of the order asked for`,
				);
			}
			if (!walk.isNew(time, id)) continue;
			walk.take(time, id);
			records.push(record);
			if (records.length >= maxItems) return { records, cursor: walk.cursor };
		}
		if (Date.now() >= readUntil) break;
	}
	return { records, cursor: walk.cursor };
}

/** The newest record's time and every id at that time (read newest first until the time changes); time null for an empty object. */
async function startingCursor(
	client: VaultClient,
	query: RecordQuery,
	key: string,
): Promise<Cursor> {
	const cursor: Cursor = { key, time: null, ids: [] };
	for await (const page of vqlPages(client, newestQuery(query))) {
		for (const record of page.records) {
			const { time, id } = recordKey(record, query.cursorField);
			if (cursor.time !== null && time !== cursor.time) return cursor;
			cursor.time = time;
			cursor.ids.push(id);
		}
	}
	return cursor;
}

/** Fetch Test Event: the newest few matches, newest first; the cursor is not read nor moved. */
async function newestSample(
	fx: IPollFunctions,
	client: VaultClient,
	query: RecordQuery,
): Promise<INodeExecutionData[]> {
	const records = await vqlRecords(client, newestQuery(query, SAMPLE_SIZE), SAMPLE_SIZE);
	if (records.length === 0) {
		throw new NodeOperationError(fx.getNode(), `No record of ${query.object} matches yet`, {
			description:
				"Create or change a record in Vault (or loosen the conditions), then fetch again. Fetching a test event does not move the trigger's place in Vault's changes.",
		});
	}
	return records.map((json) => ({ json }));
}

export const recordChangedEvent: TriggerEvent = {
	value: EVENT,
	name: 'Record Created or Updated',
	description:
		'A record of the object was created (or created or changed), by its created_date__v or modified_date__v',
	poll: pollRecordChanged,
};
