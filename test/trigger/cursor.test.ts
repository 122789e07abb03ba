import fc from 'fast-check';

import { CursorWalk, storeCursor, storedCursor, vaultTime, type Cursor } from '../../nodes/VeevaVaultQmsTrigger/cursor';

/**
 * The cursor alone (a unit test of pure code): over any sequence of record creations, many in one
 * second and some landing in the boundary second after a poll, polls that read `time >= cursor` in
 * (time, id) order and take at most `cap` new records emit every record once and in order.
 */
interface Change {
	time: string;
	id: string;
}

const at = (second: number) => new Date(Date.UTC(2026, 11, 7, 10, 0, second)).toISOString();

/** One poll as the trigger reads: rows at or after the cursor's time, ordered by time then id, walked to the cap. */
function poll(records: Change[], start: Cursor, cap: number): { emitted: Change[]; cursor: Cursor } {
	const rows = records
		.filter((record) => start.time === null || record.time >= start.time)
		.sort((a, b) => (a.time === b.time ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.time < b.time ? -1 : 1));
	const walk = new CursorWalk(start);
	const emitted: Change[] = [];
	for (const row of rows) {
		if (walk.isBehind(row.time)) throw new Error('out of order');
		if (!walk.isNew(row.time, row.id)) continue;
		walk.take(row.time, row.id);
		emitted.push(row);
		if (emitted.length >= cap) break;
	}
	return { emitted, cursor: walk.cursor };
}

describe('the trigger cursor', () => {
	it('emits every record once, in order, whatever the ties, the arrivals at the boundary second and the cap', () => {
		// batches of creations between polls: each batch's seconds are at or after the last batch's latest second
		const batch = fc.array(fc.record({ step: fc.integer({ min: 0, max: 2 }), count: fc.integer({ min: 1, max: 6 }) }), { maxLength: 4 });
		fc.assert(
			fc.property(fc.array(batch, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 7 }), (batches, cap) => {
				const records: Change[] = [];
				let second = 0;
				let next = 0;
				let cursor: Cursor = { key: 'k', time: null, ids: [] };
				const emitted: Change[] = [];
				for (const groups of [...batches, [], [], [], [], [], [], [], [], []]) {
					for (const group of groups) {
						second += group.step;
						// ids are not in creation order: a later record may sort before an earlier one at the same second
						for (let n = 0; n < group.count; n++) records.push({ time: at(second), id: `R${String(997 - ((next++ * 37) % 997)).padStart(4, '0')}` });
					}
					const result = poll(records, cursor, cap);
					emitted.push(...result.emitted);
					cursor = result.cursor;
				}
				// one poll per batch plus drains: enough for every record at this cap
				const rest = poll(records, cursor, Number.MAX_SAFE_INTEGER).emitted;
				emitted.push(...rest);
				expect(new Set(emitted.map((record) => record.id)).size).toBe(emitted.length);
				expect(emitted.map((record) => record.id).sort()).toEqual(records.map((record) => record.id).sort());
				// in time order (ids at one second in id order, save those that arrived after a poll had passed them)
				expect(emitted.every((record, index) => index === 0 || emitted[index - 1].time <= record.time)).toBe(true);
			}),
			{ seed: 20261207, numRuns: 300 },
		);
	});

	it('reads back only a cursor about the same stream, in one spelling of its time', () => {
		const staticData = {};
		storeCursor(staticData, 'recordChanged', { key: 'quality_event__qdm|modified_date__v', time: '2026-12-07T10:00:00.000Z', ids: ['OP4000001'] });
		expect(storedCursor(staticData, 'recordChanged', 'quality_event__qdm|modified_date__v')).toEqual({ key: 'quality_event__qdm|modified_date__v', time: '2026-12-07T10:00:00.000Z', ids: ['OP4000001'] });
		expect(storedCursor(staticData, 'recordChanged', 'quality_event__qdm|created_date__v')).toBeUndefined();
		expect(storedCursor(staticData, 'teamChanged', 'quality_event__qdm|modified_date__v')).toBeUndefined();
		expect(storedCursor({ recordChanged: { key: 'k', time: "2026-12-07' OR 1=1", ids: [] } }, 'recordChanged', 'k')).toBeUndefined();
		expect(vaultTime('2026-12-07T10:00:00Z')).toBe('2026-12-07T10:00:00.000Z');
		expect(vaultTime('2026-12-07T10:00:00.5Z')).toBe('2026-12-07T10:00:00.500Z');
		for (const bad of ['2026-12-07', '2026-12-07 10:00:00', '2026-12-07T10:00:00+01:00', 1765101600000, null]) expect(vaultTime(bad)).toBeUndefined();
	});
});
