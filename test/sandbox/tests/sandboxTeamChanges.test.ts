import { API, useSandboxSession } from '../../harness/sandboxSession';

/**
 * Quality Team members added and removed at times the tests choose (POST /_sandbox/teams/changes), as the
 * member objects answer them (created_date__v, modified_date__v, status__v where the team keeps removed
 * members) and as Retrieve Deleted Object Record ID lists the deleted ones; and the webhook stand-in.
 */
describe('sandbox: Quality Team changes over time', () => {
	const vault = useSandboxSession();
	const { query } = vault;
	const get = async (path: string) => await vault.post(path, undefined, {}, 'GET');

	it('adds a member record at the time named, and a removal deletes it (listed with its date_deleted) or keeps it inactive', async () => {
		await vault.sandbox.client.changeTeams([
			{ object: 'quality_event__qdm', recordId: 'OP4000001', userId: 100001, role: 'qa__c', at: '2026-12-07T10:00:00.000Z' },
			{ object: 'complaint__qdm', recordId: 'CP0000001', userId: 100002, role: 'sme__c', at: '2026-12-07T10:00:01.000Z' },
		]);
		await vault.sandbox.client.changeTeams([
			{ object: 'quality_event__qdm', recordId: 'OP4000001', userId: 100001, role: 'qa__c', at: '2026-12-07T10:00:05.000Z', kind: 'remove' },
			{ object: 'complaint__qdm', recordId: 'CP0000001', userId: 100002, role: 'sme__c', at: '2026-12-07T10:00:06.000Z', kind: 'remove' },
		]);
		// the product complaint team keeps the record, inactive, modified when the member was removed
		const kept = await query('SELECT id, team_record__sys, team_user__sys, team_role__sysr.api_name__v, status__v, created_date__v, modified_date__v FROM pc_team_assignment__sys');
		expect(kept.data).toEqual([
			{ id: 'QTM000000000002', team_record__sys: 'CP0000001', team_user__sys: '100002', 'team_role__sysr.api_name__v': 'sme__c', status__v: ['inactive__v'], created_date__v: '2026-12-07T10:00:01.000Z', modified_date__v: '2026-12-07T10:00:06.000Z' },
		]);
		// the quality event team deletes it: gone from VQL, listed by Retrieve Deleted Object Record ID
		expect((await query('SELECT id FROM quality_event_quality_team_member__v')).data).toEqual([]);
		const deleted = await get(`${API}/objects/deletions/vobjects/quality_event_quality_team_member__v`);
		expect(deleted).toEqual({ responseStatus: 'SUCCESS', responseMessage: 'OK', responseDetails: { total: 1, size: 1, limit: 1000, offset: 0 }, data: [{ id: 'QTM000000000001', date_deleted: '2026-12-07T10:00:05Z' }] });
		// start_date: strictly after, to the second; an unparsable one is refused
		expect((await get(`${API}/objects/deletions/vobjects/quality_event_quality_team_member__v?start_date=2026-12-07T10:00:05Z`)).data).toEqual([]);
		expect((await get(`${API}/objects/deletions/vobjects/quality_event_quality_team_member__v?start_date=2026-12-07T10:00:04Z`)).data).toHaveLength(1);
		expect((await get(`${API}/objects/deletions/vobjects/quality_event_quality_team_member__v?start_date=yesterday`)).errors[0].type).toBe('INVALID_DATA');
		expect((await get(`${API}/objects/deletions/vobjects/nothing__c`)).errors[0]).toEqual({ type: 'INVALID_DATA', message: 'Object [nothing__c] not found.' });
	});

	it('lists deletions newest first, paged by limit and offset', async () => {
		const change = (n: number, kind?: 'remove') => ({ object: 'quality_event__qdm', recordId: 'OP4000002', userId: 100001 + n, role: 'qa__c', at: `2026-12-07T10:00:0${n}.000Z`, kind });
		await vault.sandbox.client.changeTeams([change(0), change(1), change(2)]);
		await vault.sandbox.client.changeTeams([change(0, 'remove'), change(1, 'remove'), change(2, 'remove')].map((removal, n) => ({ ...removal, at: `2026-12-07T10:01:0${n}.000Z` })));
		const first = await get(`${API}/objects/deletions/vobjects/quality_event_quality_team_member__v?limit=2`);
		expect(first.responseDetails).toEqual({ total: 3, size: 2, limit: 2, offset: 0 });
		expect(first.data.map((row: { date_deleted: string }) => row.date_deleted)).toEqual(['2026-12-07T10:01:02Z', '2026-12-07T10:01:01Z']);
		const second = await get(`${API}/objects/deletions/vobjects/quality_event_quality_team_member__v?limit=2&offset=2`);
		expect(second.data).toEqual([{ id: 'QTM000000000001', date_deleted: '2026-12-07T10:01:00Z' }]);
	});

	it('refuses a change it cannot apply, naming it; records what reaches the webhook stand-in', async () => {
		await expect(vault.sandbox.client.changeTeams([{ object: 'quality_event__qdm', recordId: 'OP4000001', userId: 100001, role: 'qa__c', at: '2026-12-07 10:00' }])).rejects.toThrow(/UTC DateTime/);
		await expect(vault.sandbox.client.changeTeams([{ object: 'quality_event__qdm', recordId: 'OP4000001', userId: 100001, role: 'qa__c', at: '2026-12-07T10:00:00.000Z', kind: 'remove' }])).rejects.toThrow(/team change 1: user 100001 is not a qa__c member of OP4000001/);
		await expect(vault.sandbox.client.changeTeams([{ object: 'quality_event__qdm', recordId: 'OP4999999', userId: 100001, role: 'qa__c', at: '2026-12-07T10:00:00.000Z' }])).rejects.toThrow(/no record OP4999999/);
		const hook = await fetch(`${vault.sandbox.client.controlUrl}/webhook/team-news`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'hello' }) });
		expect(hook.status).toBe(200);
		expect((await vault.sandbox.client.state()).webhooks).toEqual([{ name: 'team-news', body: { text: 'hello' } }]);
	});
});
