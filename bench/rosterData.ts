/**
 * The nightly HR roster (issue 26) and the Vault it syncs against, shared by `npm run bench`
 * (bench/scenario.ts runs it in n8n-core's engine, bench/run.ts checks its counts) and
 * `npm run bench:n8n` (bench/n8n/roster.ts, in a real n8n): the seeded Quality Teams, the roster
 * with its drift, the leavers, and the floors their Vault calls are held against. Pure data: it
 * starts nothing, so any bench may import it.
 */

/** Seeded, active Vault users (100013 and 100666 are inactive and would be refused when added). */
export const ACTIVE_USERS = Array.from({ length: 2000 }, (_, k) => 100001 + k).filter((id) => id !== 100013 && id !== 100666);
/** the sandbox's application roles */
export const ROLES = ['record_owner__c', 'sme__c', 'qa__c', 'approver__c', 'reviewer__c'];

/** the nightly roster's size: 200,000 assignments, 10 per record (20,000 records), 2% drift */
export const NIGHTLY_ROSTER = { rows: 200_000, drift: 0.02 };

/** a type, not an interface: items' json takes it as IDataObject */
export type RosterRow = {
	record_id: string;
	user_id: string;
	application_role: string;
};

/**
 * Sync Members at scale: Vault's teams hold `rows` assignments, 10 per record (2,000 records for
 * 20,000, 20,000 for 200,000); the roster is the same less drift/2 of them (to remove) plus as many
 * new ones (to add): 5% drift by default (every 40th member leaves), 2% for the nightly roster
 * (every 100th). `removed` and `added` are the drift itself, what a sync must change.
 */
export function syncRoster(rows: number, drift: number): { current: RosterRow[]; roster: RosterRow[]; removed: RosterRow[]; added: RosterRow[] } {
	const member = (i: number): RosterRow => ({
		record_id: `OP${4000001 + Math.floor(i / 10)}`,
		user_id: String(ACTIVE_USERS[(i * 7) % ACTIVE_USERS.length]),
		application_role: ROLES[i % ROLES.length],
	});
	const every = Math.round(2 / drift);
	const current = Array.from({ length: rows }, (_, i) => member(i));
	// every `every`-th current member is left out of the roster; as many new ones join records' teams
	const roster = current.filter((_, i) => i % every !== every - 1);
	const removed = current.filter((_, i) => i % every === every - 1);
	const added: RosterRow[] = [];
	for (let k = 0; k < Math.floor(rows / every); k++) added.push({ ...member(k * every), user_id: String(ACTIVE_USERS[(k * 13 + 5) % ACTIVE_USERS.length]), application_role: 'approver__c' });
	roster.push(...added);
	return { current, roster, removed, added };
}

/** The sandbox generates 2,000 records per object (test/sandbox/seedData.ts); a roster over more records seeds the rest. */
export function recordsBeyondGenerated(rows: number) {
	const records = Math.ceil(rows / 10);
	return Array.from({ length: Math.max(0, records - 2000) }, (_, k) => ({ object: 'quality_event__qdm', id: `OP${4002001 + k}`, name: `QE-${String(2001 + k).padStart(6, '0')}` }));
}

/** What the sandbox's seed takes for the roster's teams: its records past the generated ones and every current member. */
export function rosterSeed(rows: number, current: RosterRow[]) {
	return {
		records: recordsBeyondGenerated(rows),
		teamMembers: current.map((member) => ({ object: 'quality_event__qdm', recordId: member.record_id, userId: Number(member.user_id), role: member.application_role })),
	};
}

/**
 * The floors of a roster run: the teams read 500 records a query in pages of 1,000 members (10
 * members a record: 5 pages a query), the removed users named 500 ids a query (issue 27),
 * ⌈changes/500⌉ submissions and one job-status call each, and for Verify the changed records read
 * back 500 a query in the order their rows were sent (removals first): a record that lost a member
 * holds 9, one that gained one 11, so a query of 500 of one kind is 5 or 6 pages.
 */
export function rosterFloors(rows: number, drift: number) {
	const records = rows / 10;
	const every = Math.round(2 / drift);
	const removals = Math.floor(rows / every);
	const changes = 2 * removals;
	// removals leave records 9, 19, 29 … (member 100k + 99), additions join records 0, 10, 20 … (member 100k): distinct
	const changedRecords = Math.min(records, 2 * removals);
	const pagesPerQuery = Math.ceil((500 * 10) / 1000);
	const teamRead = Math.ceil(records / 500) * pagesPerQuery;
	const teamSizes = [...Array<number>(removals).fill(9), ...Array<number>(removals).fill(11)];
	let readBack = 0;
	for (let at = 0; at < changedRecords; at += 500) readBack += Math.ceil(teamSizes.slice(at, at + 500).reduce((a, b) => a + b, 0) / 1000);
	const names = Math.ceil(removals / 500);
	const jobs = Math.ceil(changes / 500);
	return { records, removals, changes, changedRecords, teamRead, readBack, names, jobs };
}

/**
 * The roster's leavers (Remove User From All Teams over the roster's Vault): 100 active users, each on
 * about 100 of its teams, every 19th of them so that their memberships spread over the records (member i
 * has user (7i mod 1,998): 100 neighbouring users would be most of a few records' teams).
 */
export const ROSTER_LEAVERS = Array.from({ length: 100 }, (_, k) => String(ACTIVE_USERS[k * 19]));

/**
 * Remove User From All Teams for the roster's leavers, over the roster's Vault: their memberships
 * (about 100 each, all on quality_event__qdm) and the floors of its reads (everywhereRead.ts): the
 * memberships, one query per member object of the sandbox's `memberObjects` Quality Teams for up to
 * 500 people, in pages of 1,000 (the other objects' one empty page each); the records' names and
 * states, 500 records a query (one page each); their whole teams, 500 records a query in pages of
 * 1,000 (10 members a record: 5 pages a query); for Verify the records read back 500 a query, here counted in record-id order.
 */
export function leaverFloors(current: RosterRow[], leavers: string[], memberObjects = 7) {
	const leaving = new Set(leavers);
	const memberships = current.filter((member) => leaving.has(member.user_id));
	const teamSize = new Map<string, number>();
	for (const member of current) teamSize.set(member.record_id, (teamSize.get(member.record_id) ?? 0) + 1);
	const leftBy = new Map<string, number>();
	for (const member of memberships) leftBy.set(member.record_id, (leftBy.get(member.record_id) ?? 0) + 1);
	const records = [...leftBy.keys()].sort();
	const pagesPerChunk = (size: (record: string) => number) => {
		let pages = 0;
		for (let at = 0; at < records.length; at += 500) pages += Math.ceil(records.slice(at, at + 500).reduce((sum, record) => sum + size(record), 0) / 1000);
		return pages;
	};
	const membershipRead = Math.ceil(memberships.length / 1000) + (memberObjects - 1);
	const recordFacts = Math.ceil(records.length / 500);
	const wholeTeams = pagesPerChunk((record) => teamSize.get(record) ?? 0);
	const readBack = pagesPerChunk((record) => (teamSize.get(record) ?? 0) - (leftBy.get(record) ?? 0));
	return { memberships, records: records.length, membershipRead, recordFacts, wholeTeams, readBack };
}
