import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import { DELETIONS_KEPT_MS } from '../../VeevaVaultQms/read/deletedRecords';
import { relationshipOf } from '../../VeevaVaultQms/read/memberFields';
import { TeamCatalog } from '../../VeevaVaultQms/read/teamLayout';
import type { VaultClient } from '../../VeevaVaultQms/transport/client';
import { VaultRequestError } from '../../VeevaVaultQms/transport/errors';
import { CursorWalk, storeCursor, storedCursor, type Cursor } from '../cursor';
import { MAX_ITEMS_PER_POLL, SAMPLE_SIZE } from './recordChanged';
import {
	addedMembers,
	deletedMembers,
	inactivatedMembers,
	mergedChanges,
	type MemberFacts,
	type MemberSource,
	type TeamChangeRow,
} from './teamSources';
import {
	fromEntry,
	ROSTER,
	storedRoster,
	toEntry,
	unreadRemovals,
	type Roster,
	type StoredRoster,
} from './teamRoster';
import type { TriggerEvent } from './types';

/**
 * Quality Team Changed: members added to or removed from the Quality Teams of one team-enabled object's
 * records, one item per change, oldest first, under the same cursor rules as Record Created or Updated
 * (cursor.ts: a time and the changes emitted at it; Max Items per Poll, the rest next poll; from now on
 * first activation unless Include Existing; moved only when the poll succeeded). Where the changes are
 * read from, and why both readings of a removal: teamSources.ts.
 *
 * A deleted member record's fields cannot be read back (Retrieve Deleted Object Record ID gives its id
 * and time only), so the trigger remembers, in the node's static data beside the cursor, the record, user
 * and role of each current member (the roster): built on first activation by reading every member record
 * once, then kept by the changes it reads. It also tells a removal from a record removed before (an
 * inactive record modified again, or deleted later), so each removal comes out once.
 */

const EVENT = 'teamChanged';
/** Part of n8n's poll budget spent reading before a poll returns what it has (as recordChanged). */
const BUDGET_SHARE = 0.8;

function readSettings(fx: IPollFunctions) {
	const object = String(fx.getNodeParameter('objectName', '', { extractValue: true }) ?? '').trim();
	if (!/^[a-z][a-z0-9_]*$/.test(object))
		throw new VaultRequestError(
			'config',
			`Pick the team-enabled object to watch: "${object}" is not a Vault object name (e.g. quality_event__qdm)`,
		);
	const maxItems = Math.floor(Number(fx.getNodeParameter('options.maxItemsPerPoll', 1000)));
	return {
		object,
		includeExisting: fx.getNodeParameter('options.includeExisting', false) === true,
		maxItems: Number.isFinite(maxItems)
			? Math.min(Math.max(maxItems, 1), MAX_ITEMS_PER_POLL)
			: 1000,
	};
}

/** The object's member objects, from Vault's Quality Team definitions and each member object's metadata (read/teamLayout.ts). */
async function memberSources(client: VaultClient, object: string): Promise<MemberSource[]> {
	const catalog = new TeamCatalog();
	const layout = await catalog.layout(client, object);
	if (layout.noTeam)
		throw new VaultRequestError('config', `${layout.noTeam}: pick a team-enabled object`);
	// Unlike the action node, the trigger has no run output to label a fallback in: a member object
	// named after the object would miss the changes of the object's other teams without a word
	if (layout.definitionsUnreadable)
		throw new VaultRequestError(
			'config',
			`The Quality Team definitions of this Vault could not be read (${layout.definitionsUnreadable}): the trigger reads ${object}'s teams and member objects only from them, so that no team's changes are missed. Let the integration user read the Qualityteam configuration components (Vault API: Retrieve Component Record), then activate the trigger again.`,
		);
	if (layout.mismatches.length > 0)
		throw new VaultRequestError(
			'config',
			`The Quality Team members of ${object} cannot be read safely: ${layout.mismatches.join('; ')}`,
		);
	const sources: MemberSource[] = [];
	for (const team of layout.teams) {
		const read = await catalog.objectFields(client, team.memberObject);
		const fields = 'fields' in read ? read.fields : [];
		const relationship = (name: string) => {
			const field = fields.find((candidate) => candidate.name === name);
			return field ? relationshipOf(field) : `${name}r`;
		};
		sources.push({
			member: team.member,
			recordRelationship: relationship(team.member.recordField),
			userRelationship: relationship(team.member.userField),
		});
	}
	return sources;
}

/** Said on a removal whose member the trigger never saw (see `decide`). */
export const UNSEEN_MEMBER =
	'Added and removed between two polls: Vault deleted this member record before the trigger read it, and answers no field of a deleted record (Retrieve Deleted Object Record ID gives its id and time only), so its record, user and role are unknown. Poll more often to see such members.';

function itemOf(row: TeamChangeRow, facts: MemberFacts | undefined): IDataObject {
	return {
		change: row.change,
		when: row.time,
		record: { id: facts?.recordId ?? null, name: facts?.recordName ?? null },
		user: { id: facts?.userId ?? null, userName: facts?.userName ?? null },
		role: facts?.role ?? null,
		memberObject: row.memberObject,
		memberRecordId: row.memberRecordId,
		...(facts ? {} : { note: UNSEEN_MEMBER }),
	};
}

interface Walk {
	start: Cursor;
	roster: Roster;
	/** emit items (false: first activation without Include Existing, which only finds its place) */
	emit: boolean;
	/** the first activation's walk, from the start: every add there is comes before its removal */
	fresh: boolean;
	maxItems: number;
	readUntil: number;
	/** member objects that keep removed members as inactive records */
	keepsInactive: Set<string>;
}

/** What a row does to the roster and whether it is emitted, and with which facts. */
function decide(row: TeamChangeRow, walk: Walk): { emit: boolean; facts?: MemberFacts } {
	const known = walk.roster[row.memberRecordId];
	if (row.change === 'added') {
		if (row.facts) walk.roster[row.memberRecordId] = toEntry(row.facts);
		return { emit: true, facts: row.facts };
	}
	delete walk.roster[row.memberRecordId];
	if (known) return { emit: true, facts: row.facts ?? fromEntry(known) };
	// a removal of no member the trigger knows: a record already removed (inactive, then modified or deleted
	// later), or one Vault deleted before the trigger read its add; only the last is a change to report,
	// and only where removals delete records, after the first activation (which read every add there was)
	const unseenAdd = !row.facts && !walk.fresh && !walk.keepsInactive.has(row.memberObject);
	return { emit: unseenAdd };
}

async function readChanges(client: VaultClient, sources: MemberSource[], walk: Walk) {
	const from = walk.start.time;
	const now = Date.now();
	const streams = sources.flatMap((source) => {
		const inactivated = inactivatedMembers(client, source, from);
		return [
			addedMembers(client, source, from),
			...(inactivated ? [inactivated] : []),
			deletedMembers(client, source, from, now),
		];
	});
	const cursor = new CursorWalk(walk.start);
	const items: IDataObject[] = [];
	for await (const row of mergedChanges(streams)) {
		if (cursor.isBehind(row.time)) {
			if (row.mayPrecedeCursor) continue;
			throw new VaultRequestError(
				'garbled',
				`Vault's answer about ${row.memberObject} does not add up, so it was not used: member record ${row.memberRecordId} (${row.time}) comes before the place already read`,
			);
		}
		if (!cursor.isNew(row.time, row.key)) continue;
		cursor.take(row.time, row.key);
		const decided = decide(row, walk);
		if (decided.emit && walk.emit) items.push(itemOf(row, decided.facts));
		if (items.length >= walk.maxItems || Date.now() >= walk.readUntil) break;
	}
	return { items, cursor: cursor.cursor };
}

export async function pollTeamChanged(
	fx: IPollFunctions,
	client: VaultClient,
): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(fx);
	const sources = await memberSources(client, settings.object);
	if (fx.getMode() === 'manual') return [await newestAdds(fx, client, sources, settings.object)];
	const staticData = fx.getWorkflowStaticData('node');
	const key = `${settings.object}|${sources.map((source) => source.member.object).join(',')}`;
	const stored = storedCursor(staticData, EVENT, key);
	const roster = stored ? storedRoster(staticData, key) : undefined;
	// no cursor (or no roster to go with it): read every member record from the start to know the teams
	const fresh = stored === undefined || roster === undefined;
	const members = fresh ? {} : (roster as StoredRoster).members;
	const now = Date.now();
	const budgetMs = typeof fx.getPollBudgetMs === 'function' ? fx.getPollBudgetMs() : undefined;
	const silent = fresh && !settings.includeExisting;
	const { items, cursor } = await readChanges(client, sources, {
		start: fresh ? { key, time: null, ids: [] } : (stored as Cursor),
		roster: members,
		emit: !silent,
		fresh,
		// finding its place reads to the end; every other poll stops at the cap or the poll's time
		maxItems: silent ? Infinity : settings.maxItems,
		readUntil: budgetMs === undefined || silent ? Infinity : Date.now() + budgetMs * BUDGET_SHARE,
		keepsInactive: new Set(
			sources.filter((source) => source.member.statusField).map((source) => source.member.object),
		),
	});
	const gap = roster?.readAt !== undefined && roster.readAt < now - DELETIONS_KEPT_MS;
	if (gap) items.unshift(unreadRemovals(roster.readAt as number, now, sources));
	// stored together, only now that every read of the poll succeeded: a failed poll leaves both as they were
	storeCursor(staticData, EVENT, cursor);
	staticData[ROSTER] = { key, members, readAt: now };
	return items.length > 0 ? [items.map((json) => ({ json }))] : null;
}

/** Fetch Test Event: the newest few adds (member records by created_date__v), newest first; the cursor and roster are not read nor moved. */
async function newestAdds(
	fx: IPollFunctions,
	client: VaultClient,
	sources: MemberSource[],
	object: string,
): Promise<INodeExecutionData[]> {
	const rows: TeamChangeRow[] = [];
	for (const source of sources) {
		for await (const row of addedMembers(client, source, null, SAMPLE_SIZE)) rows.push(row);
	}
	rows.sort((a, b) => (a.time === b.time ? (a.key < b.key ? 1 : -1) : a.time < b.time ? 1 : -1));
	if (rows.length === 0) {
		throw new NodeOperationError(fx.getNode(), `No Quality Team member of ${object} records yet`, {
			description:
				"Add someone to a team in Vault, then fetch again. Fetching a test event does not move the trigger's place in Vault's changes.",
		});
	}
	return rows.slice(0, SAMPLE_SIZE).map((row) => ({ json: itemOf(row, row.facts) }));
}

export const teamChangedEvent: TriggerEvent = {
	value: EVENT,
	name: 'Quality Team Changed',
	description:
		"A member was added to or removed from the Quality Team of one of the object's records",
	poll: pollTeamChanged,
};
