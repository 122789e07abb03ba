import type { IDataObject } from 'n8n-workflow';

import { everythingVisible, passwordCredential, useSandbox } from '../harness/fixtures';

/** Input that tries to steer a request elsewhere is refused before anything is sent; formula-like text is data. */
describe('hostile input', () => {
	const vault = useSandbox();
	const requests = async () => (await vault.sandbox.client.log()).filter((entry) => !entry.path.startsWith('/_sandbox'));

	const HOSTILE_NAMES = [
		'../users',
		'quality_event__qdm/../../auth',
		'quality_event__qdm%2F..%2Fauth',
		'quality_event__qdm?x=1',
		'quality_event__qdm#x',
		'quality event__qdm',
		' quality_event__qdm/x',
		'Quality_Event__qdm',
		'QUALITY_EVENT__QDM',
		'quality_event__qdm\nx',
		'quality_event__qdm%00',
	];

	it.each(HOSTILE_NAMES.map((name) => [JSON.stringify(name), name]))('refuses the object name %s before any request', async (_shown, name) => {
		const result = await vault.harness.run({
			items: [{ record_id: 'OP4000001', user_id: 100001, application_role: 'qa__c', operation: 'ADD' }],
			parameters: { resource: 'qualityTeam', operation: 'manageAssignments', objectName: name },
		});
		expect(result.error?.message).toBe('1 item(s) cannot be sent to Vault, so nothing was sent');
		expect(result.error?.description).toMatch(/Item 0: Object name ".*" is not a Vault name/s);
		expect(await requests()).toEqual([]);
	});

	it.each(['243001/../../auth', '243001%2F..', '243001?x', '243001#x', '24 3001', '../243001', 'abc', '-1', '1e5', '243001\n1'])(
		'refuses the job id "%s" before any request',
		async (jobId) => {
			const result = await vault.harness.run({ items: [{}], parameters: { resource: 'job', operation: 'getStatus', jobId } });
			expect(result.error?.message).toMatch(/^Job ID ".*" is not a Vault job id/s);
			expect(await requests()).toEqual([]);
		},
	);

	it.each([
		['myvault.veevavault.com/api/v25.3', /no path/],
		['https://myvault.veevavault.com/evil', /has a path or query/],
		['admin:Pa55word@myvault.veevavault.com', /must not contain a user name or password/],
		['https://admin:Pa55word@myvault.veevavault.com', /must not contain a user name or password/],
		['myvault.veevavault.com@evil.example', /must not contain a user name or password/],
		['ftp://myvault.veevavault.com', /uses ftp:\/\/; Vault is reached over https only/],
		['http://myvault.veevavault.com', /plain http to a host that is not this machine/],
		['http://127.0.0.1.evil.example:8470', /plain http to a host that is not this machine/],
		['myvault.veevavault.com?next=evil.example', /no path/],
		['myvault.veevavault.com#evil', /no path/],
		['my vault.veevavault.com', /no path, user name or spaces/],
		['javascript:alert(1)', /not a valid host name/],
	])('refuses the Vault DNS %s, and never repeats a password typed into it', async (vaultDns, says) => {
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { vaultDns }, 'hostile'));
		const result = await vault.harness.run({
			items: [{ 'auditor_profile__v.name__v': 'AuditorProfile-alex@veepharm.com', 'auditor_role__v.name__v': 'Lead Auditor' }],
			parameters: { resource: 'auditor', operation: 'associateRoles' },
			credentialId: 'hostile',
		});
		expect(result.error?.message).toMatch(says);
		expect(everythingVisible(result)).not.toContain('Pa55word');
		expect(await requests()).toEqual([]);
	});

	it('sends values starting with =, +, -, @ to Vault exactly as they are', async () => {
		const formulas = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(A1:A9)', '=1,2', '\t=tab'];
		await vault.sandbox.client.seed({ auditorProfiles: formulas, auditorRoles: formulas });
		const items: IDataObject[] = formulas.map((text) => ({ 'auditor_profile__v.name__v': text, 'auditor_role__v.name__v': text }));
		const result = await vault.harness.run({
			items,
			parameters: { resource: 'auditor', operation: 'associateRoles', options: { outputMode: 'perBatch', attachCsv: true } },
		});
		expect(result.error).toBeUndefined();
		await vault.sandbox.client.completeJobs();
		const state = await vault.sandbox.client.state();
		for (const text of formulas) expect(state.auditorRoles[text]).toEqual([text]);
		// the attached CSV is the one sent: no quote or apostrophe added in front of a formula
		const csv = Buffer.from(result.outputs[0][0].binary?.csv.data ?? '', 'base64').toString('utf8');
		expect(csv).toContain('"=HYPERLINK(""http://evil.example"",""x"")","=HYPERLINK(""http://evil.example"",""x"")"\r\n');
		expect(csv).toContain("+cmd|' /C calc'!A0,+cmd|' /C calc'!A0\r\n");
		expect(csv).toContain('@SUM(A1:A9),@SUM(A1:A9)\r\n');
	});
});
