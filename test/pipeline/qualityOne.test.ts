import type { IDataObject } from 'n8n-workflow';

import { jsonOf, passwordCredential, useSandbox } from '../harness/fixtures';
import { oauth2Credential } from '../harness/oauth2';
import { createHarness } from '../harness/engine';
import { BULK_OPERATIONS } from '../../nodes/VeevaVaultQms/operations';

/**
 * QualityOne Vaults (issue 23): the same Teams, managed by QualityOne's Manage Team Assignments
 * (`/app/qualityone/qms/teams/vobjects/{object}/actions/manageassignments`, the same CSV; "REMOVE
 * executes before ADD"), chosen by the credential's Vault Application. The sandbox with
 * vaultApplication 'qualityOne' serves that path and answers the QMS one as a resource that does
 * not exist, and the other way round.
 */
const vault = useSandbox();
const WAIT = { waitForCompletion: true, pollIntervalSeconds: 0.05 };
const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const SYNC = { resource: 'qualityTeam', operation: 'syncMembers', objectName: 'quality_event__qdm' };
const QUALITYONE_PATH = '/api/v25.3/app/qualityone/qms/teams/vobjects/quality_event__qdm/actions/manageassignments';
const QMS_PATH = '/api/v25.3/app/quality/qms/teams/vobjects/quality_event__qdm/actions/manageassignments';
const row = (record: string, user: number, role: string, operation?: string): IDataObject => ({ record_id: record, user_id: user, application_role: role, ...(operation ? { operation } : {}) });

/** A harness whose credential says the Vault runs this application. */
const harnessFor = (application: 'qms' | 'qualityOne') => createHarness([passwordCredential(vault.sandbox, { vaultApplication: application })]);
const sentPaths = async () => (await vault.sandbox.client.log()).filter((entry) => entry.path.includes('manageassignments')).map((entry) => entry.path);
const team = async (record: string) =>
	((await vault.sandbox.client.state()).teams.quality_event__qdm?.[record] ?? []).map((member) => `${member.user_id} ${member.application_role}`).sort();

describe('Vault Application QualityOne: Manage Assignments and Sync Members on a QualityOne Vault', () => {
	beforeEach(async () => {
		await vault.sandbox.client.settings({ vaultApplication: 'qualityOne' });
	});

	it('Manage sends to the QualityOne path, and Verify reads the change back', async () => {
		const run = await harnessFor('qualityOne').run({ items: [row('OP4000008', 100001, 'qa__c', 'ADD')], parameters: { ...MANAGE, options: { ...WAIT, verify: true } } });
		expect(run.error).toBeUndefined();
		expect(await sentPaths()).toEqual([QUALITYONE_PATH]);
		expect(jsonOf(run.outputs[0])).toEqual([expect.objectContaining({ status: 'SUCCESS', applied: true })]);
		expect(await team('OP4000008')).toEqual(['100001 qa__c']);
	});

	it('Sync sends its ADDs and REMOVEs to the QualityOne path; the team ends as the roster', async () => {
		await vault.sandbox.client.seed({ teamMembers: [{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100002, role: 'sme__c' }] });
		const run = await harnessFor('qualityOne').run({ items: [row('OP4000008', 100001, 'qa__c')], parameters: { ...SYNC, options: { ...WAIT, maxRemovals: '100%' } } });
		expect(run.error).toBeUndefined();
		expect(await sentPaths()).toEqual([QUALITYONE_PATH]);
		await vault.sandbox.client.completeJobs();
		expect(await team('OP4000008')).toEqual(['100001 qa__c']);
	});

	it('the OAuth2 credential carries Vault Application too: Manage through it sends to the QualityOne path', async () => {
		const harness = createHarness([oauth2Credential(vault.sandbox, { grantType: 'clientCredentials', vaultApplication: 'qualityOne' })]);
		const run = await harness.run({ items: [row('OP4000008', 100001, 'qa__c', 'ADD')], parameters: { ...MANAGE, options: WAIT } });
		expect(run.error).toBeUndefined();
		expect(await sentPaths()).toEqual([QUALITYONE_PATH]);
		expect(await team('OP4000008')).toEqual(['100001 qa__c']);
	});

	it('a credential left at QMS gets the QMS path refused, and the error says to set Vault Application to QualityOne', async () => {
		const run = await harnessFor('qms').run({ items: [row('OP4000008', 100001, 'qa__c', 'ADD')], parameters: MANAGE });
		expect(await sentPaths()).toEqual([QMS_PATH]);
		expect(run.error?.message).toMatch(/MALFORMED_URL/);
		expect(run.error?.message).toMatch(/if it is a QualityOne Vault, set Vault Application to QualityOne in the credential/);
		expect(await team('OP4000008')).toEqual([]);
	});

	it('a job applies its REMOVE rows before its ADD rows, whatever their order in the file (QualityOne), where a QMS Vault went in file order', async () => {
		// the complaint team's reviewers (reviewer__c: maximum_user_in_role 3, no minimum), three on each record: a new
		// reviewer's ADD, then an old one's REMOVE. REMOVE first, the ADD finds room; in file order it is refused at the maximum
		// (the same membership added and removed in one input the node refuses: test/pipeline/contradictions.test.ts)
		await vault.sandbox.client.settings({ teamRoleLimits: true });
		await vault.sandbox.client.seed({ teamMembers: ['CP0000022', 'CP0000024'].flatMap((recordId) => [100002, 100003, 100004].map((userId) => ({ object: 'complaint__qdm', recordId, userId, role: 'reviewer__c' }))) });
		const reviewers = async (record: string) => ((await vault.sandbox.client.state()).teams.complaint__qdm?.[record] ?? []).map((member) => member.user_id).sort();
		const handover = [row('CP0000022', 100001, 'reviewer__c', 'ADD'), row('CP0000022', 100002, 'reviewer__c', 'REMOVE')];
		const parameters = { ...MANAGE, objectName: 'complaint__qdm', options: WAIT };
		const run = await harnessFor('qualityOne').run({ items: handover, parameters });
		expect(run.error).toBeUndefined();
		await vault.sandbox.client.completeJobs();
		expect(await reviewers('CP0000022')).toEqual([100001, 100003, 100004]);

		await vault.sandbox.client.settings({ vaultApplication: 'qms' });
		const qms = await harnessFor('qms').run({ items: handover.map((item) => ({ ...item, record_id: 'CP0000024' })), parameters });
		expect(qms.error).toBeUndefined();
		await vault.sandbox.client.completeJobs();
		expect(await reviewers('CP0000024')).toEqual([100003, 100004]);
	});
});

describe('Vault Application QMS (the default) on a QMS Vault', () => {
	it('a credential set to QualityOne gets the QualityOne path refused, and the error says to set Vault Application to QMS', async () => {
		const run = await harnessFor('qualityOne').run({ items: [row('OP4000008', 100001, 'qa__c', 'ADD')], parameters: MANAGE });
		expect(await sentPaths()).toEqual([QUALITYONE_PATH]);
		expect(run.error?.message).toMatch(/if it is a QMS Vault, set Vault Application to QMS in the credential/);
	});

	it('a credential without the field (made before it existed) sends to the QMS path', async () => {
		const run = await vault.harness.run({ items: [row('OP4000008', 100001, 'qa__c', 'ADD')], parameters: { ...MANAGE, options: WAIT } });
		expect(run.error).toBeUndefined();
		expect(await sentPaths()).toEqual([QMS_PATH]);
	});
});

describe('the application is the spec context\'s, so every team operation picks it up without naming it', () => {
	it('each spec that manages Quality Teams (team columns) sends to its application\'s path, and only QualityOne documents REMOVE before ADD', () => {
		const teamSpecs = BULK_OPERATIONS.filter((spec) => spec.teamColumns !== undefined);
		expect(teamSpecs.map((spec) => spec.operation)).toEqual(expect.arrayContaining(['manageAssignments', 'syncMembers']));
		for (const spec of teamSpecs) {
			expect(spec.path({ objectName: 'audit__qdm', application: 'qualityOne' })).toBe('/app/qualityone/qms/teams/vobjects/audit__qdm/actions/manageassignments');
			expect(spec.path({ objectName: 'audit__qdm', application: 'qms' })).toBe('/app/quality/qms/teams/vobjects/audit__qdm/actions/manageassignments');
			expect(spec.path({ objectName: 'audit__qdm' })).toBe('/app/quality/qms/teams/vobjects/audit__qdm/actions/manageassignments');
			expect([spec.removesBeforeAdds?.({ objectName: 'x', application: 'qualityOne' }), spec.removesBeforeAdds?.({ objectName: 'x', application: 'qms' })]).toEqual([true, false]);
		}
	});
});
