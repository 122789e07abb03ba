import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useSandbox } from '../harness/fixtures';
import { createPoller, expectFailedPollsKeepTheCursor } from '../harness/poll';
import type { RecordChange } from '../sandbox';

/**
 * Veeva Vault QMS Trigger, event Record Created or Updated, polled through n8n-core's PollTriggerExecutor
 * and PollContext (test/harness/poll.ts) against the sandbox, whose records change at the times each
 * test names (created_date__v / modified_date__v).
 */

const OBJECT = 'quality_event__qdm';
/** the newest generated record: OP4002000, at 2026-01-01 + 2000 minutes (sandbox state/recordTimes.ts) */
const NEWEST_GENERATED = { id: 'OP4002000', time: '2026-01-02T09:20:00.000Z' };

const parameters = (options: IDataObject = {}, extra: INodeParameters = {}): INodeParameters => ({
	event: 'recordChanged',
	objectName: { __rl: true, mode: 'name', value: OBJECT },
	on: 'createdOrUpdated',
	fields: 'name__v',
	options: options as INodeParameters,
	...extra,
});

const second = (n: number) => `2026-12-07T10:00:${String(n).padStart(2, '0')}.000Z`;
const newRecord = (n: number, at: string): RecordChange => ({ object: OBJECT, id: `OP41${String(n).padStart(5, '0')}`, kind: 'create', name: `QE-1${String(n).padStart(5, '0')}`, at });
const ids = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json.id as string);

describe('Veeva Vault QMS Trigger: Record Created or Updated', () => {
	const context = useSandbox();

	it('emits nothing on first activation, starting after the newest record, then what changes after it', async () => {
		const poller = createPoller(context.harness, parameters());
		const first = await poller.poll();
		expect(first.items).toEqual([]);
		expect(first.error).toBeUndefined();
		expect(first.staticData).toEqual({ 'node:Vault Trigger': { recordChanged: { key: `${OBJECT}|modified_date__v`, time: NEWEST_GENERATED.time, ids: [NEWEST_GENERATED.id] } } });

		await context.sandbox.client.changeRecords([newRecord(1, second(1)), { object: OBJECT, id: 'OP4000007', at: second(2) }]);
		const second_ = await poller.poll();
		expect(second_.items.map((item) => item.json)).toEqual([
			{ id: 'OP4100001', name__v: 'QE-100001', created_date__v: second(1), modified_date__v: second(1) },
			{ id: 'OP4000007', name__v: 'QE-000007', created_date__v: '2026-01-01T00:07:00.000Z', modified_date__v: second(2) },
		]);
		expect((await poller.poll()).items).toEqual([]);
		// the VQL: ordered by the cursor field, then id, from the boundary on
		const queries = (await context.sandbox.client.log()).map((entry) => entry.vql).filter(Boolean);
		expect(queries).toEqual([
			`SELECT id, created_date__v, modified_date__v, name__v FROM ${OBJECT} ORDER BY modified_date__v DESC, id DESC`,
			`SELECT id, created_date__v, modified_date__v, name__v FROM ${OBJECT} WHERE modified_date__v >= '${NEWEST_GENERATED.time}' ORDER BY modified_date__v ASC, id ASC`,
			`SELECT id, created_date__v, modified_date__v, name__v FROM ${OBJECT} WHERE modified_date__v >= '${second(2)}' ORDER BY modified_date__v ASC, id ASC`,
		]);
		// every poll used the credential's one session
		expect((await context.sandbox.client.state()).logins).toBe(1);
	});

	it('with Include Existing, emits the records that exist, oldest first, Max Items per Poll at a time', async () => {
		const poller = createPoller(context.harness, parameters({ includeExisting: true, maxItemsPerPoll: 1500 }));
		const polls = [await poller.poll(), await poller.poll(), await poller.poll()];
		expect(polls.map((poll) => poll.items.length)).toEqual([1500, 500, 0]);
		expect(ids([...polls[0].items, ...polls[1].items])).toEqual(Array.from({ length: 2000 }, (_, n) => `OP4${String(n + 1).padStart(6, '0')}`));
	});

	it('brings 2,500 changes between two polls out once each, 1,000 a poll, in order, many sharing one second', async () => {
		const poller = createPoller(context.harness, parameters());
		await poller.poll();
		// 500 updates at :10, 1,500 new records all at :11, 500 updates at :12
		const changes: RecordChange[] = [
			...Array.from({ length: 500 }, (_, n): RecordChange => ({ object: OBJECT, id: `OP4${String(n + 1).padStart(6, '0')}`, at: second(10) })),
			...Array.from({ length: 1500 }, (_, n) => newRecord(n + 1, second(11))),
			...Array.from({ length: 500 }, (_, n): RecordChange => ({ object: OBJECT, id: `OP4${String(n + 1001).padStart(6, '0')}`, at: second(12) })),
		];
		await context.sandbox.client.changeRecords(changes);
		const polls = [];
		for (let n = 0; n < 4; n++) polls.push(await poller.poll());
		expect(polls.map((poll) => [poll.items.length, poll.error])).toEqual([[1000, undefined], [1000, undefined], [500, undefined], [0, undefined]]);
		const emitted = polls.flatMap((poll) => poll.items.map((item) => item.json));
		expect(new Set(emitted.map((record) => record.id)).size).toBe(2500);
		const expected = [...changes].sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1));
		expect(emitted.map((record) => [record.modified_date__v, record.id])).toEqual(expected.map((change) => [change.at, change.id]));
		// the cursor between polls 2 and 3 stood inside the second all 1,500 new records share
		expect(polls[1].staticData['node:Vault Trigger']).toMatchObject({ recordChanged: { time: second(11) } });
	});

	it('emits records at one timestamp once, and the ones that arrive at the boundary second later too', async () => {
		const poller = createPoller(context.harness, parameters());
		await poller.poll();
		await context.sandbox.client.changeRecords([newRecord(20, second(30)), newRecord(40, second(30)), newRecord(30, second(30))]);
		expect(ids((await poller.poll()).items)).toEqual(['OP4100020', 'OP4100030', 'OP4100040']);
		// two more land in that same second after the poll: one with a smaller id, one with a larger one
		await context.sandbox.client.changeRecords([newRecord(10, second(30)), newRecord(50, second(30))]);
		expect(ids((await poller.poll()).items)).toEqual(['OP4100010', 'OP4100050']);
		expect((await poller.poll()).items).toEqual([]);
	});

	it('skips nothing when a poll fails: the cursor stays where it was and the error says so', async () => {
		const poller = createPoller(context.harness, parameters({ maxItemsPerPoll: 1000 }));
		await poller.poll();
		await context.sandbox.client.changeRecords(Array.from({ length: 1500 }, (_, n) => newRecord(n + 1, second(n % 3))));
		// the first page is read, then every try for the next page fails; then the queries' answers do not add up
		await expectFailedPollsKeepTheCursor(poller, context.sandbox.client, '/query/');
		const after = [await poller.poll(), await poller.poll(), await poller.poll()];
		expect(after.map((poll) => poll.items.length)).toEqual([1000, 500, 0]);
		expect(new Set(after.flatMap((poll) => ids(poll.items))).size).toBe(1500);
	});

	it('refuses a record time far in the future (it would move the cursor past every real change), keeping the cursor', async () => {
		const poller = createPoller(context.harness, parameters());
		await poller.poll();
		await context.sandbox.client.changeRecords([newRecord(1, second(1)), newRecord(2, '2099-01-01T00:00:00.000Z')]);
		const before = poller.staticData;
		const refused = await poller.poll();
		expect(refused.error?.message).toMatch(/record OP4100002 has modified_date__v 2099-01-01T00:00:00.000Z, more than a day ahead/);
		expect(refused.items).toEqual([]);
		expect(refused.staticData).toEqual(before);
	});

	it('refuses a redirect on a poll, sends nothing elsewhere and keeps the cursor', async () => {
		const poller = createPoller(context.harness, parameters());
		await poller.poll();
		await context.sandbox.client.changeRecords([newRecord(1, second(1))]);
		const before = poller.staticData;
		await context.sandbox.client.fault({ kind: 'redirect307', match: { path: '/query' }, count: 1 });
		const refused = await poller.poll();
		expect(refused.error?.message).toMatch(/redirect/i);
		expect(refused.staticData).toEqual(before);
		expect(await context.sandbox.client.elsewhere()).toEqual([]);
		expect(ids((await poller.poll()).items)).toEqual(['OP4100001']);
	});

	it('Fetch Test Event shows the newest few matches and leaves the cursor where it was', async () => {
		const poller = createPoller(context.harness, parameters());
		await poller.poll();
		await context.sandbox.client.changeRecords([newRecord(1, second(1)), newRecord(2, second(2))]);
		const before = poller.staticData;
		const fetched = await poller.fetchTestEvent();
		expect(fetched.error).toBeUndefined();
		expect(ids(fetched.items)).toEqual(['OP4100002', 'OP4100001', 'OP4002000', 'OP4001999', 'OP4001998']);
		expect(poller.staticData).toEqual(before);
		expect(ids((await poller.poll()).items)).toEqual(['OP4100001', 'OP4100002']);
	});

	it('On Created follows created_date__v: a change to an existing record does not start the workflow', async () => {
		const poller = createPoller(context.harness, parameters({}, { on: 'created' }));
		await poller.poll();
		await context.sandbox.client.changeRecords([{ object: OBJECT, id: 'OP4000001', at: second(1) }, newRecord(1, second(2))]);
		expect(ids((await poller.poll()).items)).toEqual(['OP4100001']);
	});

	it('builds the condition from the picked field and a quoted value, and says which condition is wrong', async () => {
		const condition = (field: string, value: string, operator = 'equal', type = 'text') => ({ conditions: { condition: [{ field, operator, value, type }] } });
		const poller = createPoller(context.harness, parameters({ includeExisting: true }, condition('name__v', "QE-000003' OR name__v != 'x")));
		expect((await poller.poll()).items).toEqual([]);
		const vql = (await context.sandbox.client.log()).map((entry) => entry.vql).filter(Boolean);
		expect(vql).toEqual([`SELECT id, created_date__v, modified_date__v, name__v FROM ${OBJECT} WHERE name__v = 'QE-000003\\' OR name__v != \\'x' ORDER BY modified_date__v ASC, id ASC`]);

		const picked = createPoller(context.harness, parameters({ includeExisting: true }, condition('name__v', 'QE-000003')));
		expect(ids((await picked.poll()).items)).toEqual(['OP4000003']);
		const since = createPoller(context.harness, parameters({ includeExisting: true }, condition('created_date__v', '2026-01-02T09:19:00.000Z', 'greater')));
		expect(ids((await since.poll()).items)).toEqual(['OP4002000']);

		const badField = await createPoller(context.harness, parameters({}, condition("name__v = 'x' OR id", 'x'))).poll();
		expect(badField.error?.message).toMatch(/^Condition 1: the field "name__v = 'x' OR id" is not a Vault name/);
		expect(badField.staticData).toEqual({});
		const badNumber = await createPoller(context.harness, parameters({}, condition('count__c', '1 OR 1', 'equal', 'number'))).poll();
		expect(badNumber.error?.message).toMatch(/^Condition 1: "1 OR 1" is not a number/);
	});

	it('Fetch Test Event with nothing matching says so, in words', async () => {
		const poller = createPoller(context.harness, parameters({}, { conditions: { condition: [{ field: 'name__v', operator: 'equal', value: 'no such record', type: 'text' }] } }));
		const fetched = await poller.fetchTestEvent();
		expect(fetched.error?.message).toBe(`No record of ${OBJECT} matches yet`);
		expect(poller.staticData).toEqual({});
	});
});
