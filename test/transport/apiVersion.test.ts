import { checkApiVersion } from '../../nodes/VeevaVaultQms/transport/vaultAddress';
import { jsonOf, passwordCredential, useSandbox } from '../harness/fixtures';

/**
 * The API version floor (issue 22, item 7): VQL escaping is standardised from v21.3 (Veeva VQL
 * reference, "Syntax Basics": "Prior to v21.3, escape characters were not standardized"). The
 * sandbox answers v21.1 and v21.2 (test/sandbox/http/apiVersions.ts), so a refusal here is the node's.
 */
describe('API version floor: v21.3', () => {
	const vault = useSandbox();
	const OLD = /API Version v21\.2 is older than v21\.3, the oldest this node works with: Vault standardised how VQL escapes quotes and backslashes in v21\.3/;
	const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm', findUsersBy: 'email' };
	const row = { record_id: 'OP4000008', user_id: 'user100001@sandbox.veevavault.com', application_role: 'qa__c', operation: 'ADD' };

	it('checkApiVersion takes v21.3 and later, and refuses older versions in words that say why', () => {
		for (const version of ['v21.3', 'v22.1', 'v25.3', 'v30.1', ' v21.3 ']) expect(checkApiVersion(version)).toBe(version.trim());
		for (const version of ['v21.2', 'v21.1', 'v20.3', 'v9.9', 'v1.0']) expect(() => checkApiVersion(version)).toThrow(/is older than v21\.3, the oldest this node works with/);
		expect(() => checkApiVersion('v21.2')).toThrow(/Set API Version to v21\.3 or later \(v25\.3 has every operation of this node\)\. Nothing was sent\./);
		// the form check comes first, as before
		expect(() => checkApiVersion('21.3')).toThrow(/is not a Vault API version such as v25\.3/);
	});

	it('a run with v21.2 stops before sending anything: a lookup run, Get Status and Run Query', async () => {
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { apiVersion: 'v21.2' }, 'old'));
		const manage = await vault.harness.run({ items: [row], parameters: MANAGE, credentialId: 'old' });
		expect(manage.error?.message).toMatch(OLD);
		const status = await vault.harness.run({ items: [{}], parameters: { resource: 'job', operation: 'getStatus', jobId: '1' }, credentialId: 'old', onError: 'continueRegularOutput' });
		expect(jsonOf(status.outputs[0]).map((json) => String(json.error))).toEqual([expect.stringMatching(OLD)]);
		const query = await vault.harness.run({ items: [{}], parameters: { resource: 'vql', operation: 'query', query: 'SELECT id FROM user__sys' }, credentialId: 'old' });
		expect(query.error?.message).toMatch(OLD);
		expect(await vault.sandbox.client.log()).toEqual([]);
	});

	it('v21.3, the oldest version taken, runs a lookup against the sandbox at /api/v21.3', async () => {
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { apiVersion: 'v21.3' }, 'floor'));
		const run = await vault.harness.run({ items: [row], parameters: { ...MANAGE, options: { dryRun: true } }, credentialId: 'floor' });
		expect(run.error).toBeUndefined();
		const paths = (await vault.sandbox.client.log()).map((entry) => entry.path);
		expect(paths).toEqual(expect.arrayContaining(['/api/v21.3/auth', '/api/v21.3/query']));
	});

	it("the editor's credential test says it too, before logging in", async () => {
		vault.harness.credentials.add(passwordCredential(vault.sandbox, { apiVersion: 'v21.2' }, 'old'));
		const tested = await vault.harness.testCredential('old');
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(OLD);
		expect(await vault.sandbox.client.log()).toEqual([]);
	});
});
