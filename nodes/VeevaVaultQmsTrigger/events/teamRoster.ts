import type { IDataObject } from 'n8n-workflow';

import { DELETIONS_KEPT_MS } from '../../VeevaVaultQms/read/deletedRecords';
import type { MemberFacts, MemberSource } from './teamSources';

/**
 * What Quality Team Changed keeps beside its cursor in the node's static data: the record, user and role
 * of each current member record (a deleted record's fields cannot be read back: Retrieve Deleted Object
 * Record ID gives its id and time only), and when it last read Vault's deletions. About 80 bytes a member.
 */

export const ROSTER = 'teamChangedMembers';

export type RosterEntry = [
	recordId: string,
	recordName: string | null,
	userId: string,
	userName: string | null,
	role: string,
];
export type Roster = Record<string, RosterEntry>;

export const toEntry = (facts: MemberFacts): RosterEntry => [
	facts.recordId,
	facts.recordName,
	facts.userId,
	facts.userName,
	facts.role,
];
export const fromEntry = ([
	recordId,
	recordName,
	userId,
	userName,
	role,
]: RosterEntry): MemberFacts => ({
	recordId,
	recordName,
	userId,
	userName,
	role,
});

export interface StoredRoster {
	members: Roster;
	/** when the last poll that read Vault's deletions succeeded (n8n's clock, ms) */
	readAt?: number;
}

export function storedRoster(staticData: IDataObject, key: string): StoredRoster | undefined {
	const stored = staticData[ROSTER] as IDataObject | undefined;
	if (typeof stored !== 'object' || stored === null || stored.key !== key) return undefined;
	if (typeof stored.members !== 'object' || stored.members === null) return undefined;
	return {
		members: { ...(stored.members as Roster) },
		...(typeof stored.readAt === 'number' ? { readAt: stored.readAt } : {}),
	};
}

/**
 * Said once when the trigger last read Vault's deletions more than 30 days ago (its workflow was off, or
 * every poll failed): Vault lists deleted records for 30 days only, so members removed by deleting their
 * record before that cannot be read any more. Not a change: what the trigger could not see, in words.
 */
export function unreadRemovals(readAt: number, now: number, sources: MemberSource[]): IDataObject {
	const until = new Date(now - DELETIONS_KEPT_MS).toISOString();
	return {
		change: 'removalsUnknown',
		when: new Date(now).toISOString(),
		from: new Date(readAt).toISOString(),
		until,
		memberObjects: sources.map((source) => source.member.object),
		note: `The trigger last read Vault's deleted records on ${new Date(readAt).toISOString()}, and Vault lists them for 30 days only: members removed (their member records deleted) between then and ${until} cannot be read. Check these teams in Vault; adds, and removals that keep the record inactive, are not affected.`,
	};
}
