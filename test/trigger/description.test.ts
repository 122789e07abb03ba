import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { VeevaVaultQms } from '../../nodes/VeevaVaultQms/VeevaVaultQms.node';
import { VeevaVaultQmsTrigger } from '../../nodes/VeevaVaultQmsTrigger/VeevaVaultQmsTrigger.node';
import { callEditorMethod } from '../harness/editor';
import { useSandbox } from '../harness/fixtures';
import { VAULT_TRIGGER_NODE_TYPE } from '../harness/poll';
import { QUALITY_TEAMS } from '../sandbox';

/**
 * The trigger's interface as issue 25 names it (kept stable: workflows store these names), and its
 * object picker, which loads from the Vault (n8n's loader adds Poll Times: test/package/bundle.test.ts).
 */
describe('Veeva Vault QMS Trigger: its description', () => {
	const { description } = new VeevaVaultQmsTrigger();
	const property = (name: string) => description.properties.find((candidate) => candidate.name === name) as INodeProperties;

	it('is veevaVaultQmsTrigger, polling, on the node\'s credential, with the names the issue gives', () => {
		expect(description).toMatchObject({ name: 'veevaVaultQmsTrigger', displayName: 'Veeva Vault QMS Trigger', polling: true, inputs: [], group: ['trigger'] });
		expect(description.credentials).toEqual(new VeevaVaultQms().description.credentials);
		expect((property('event').options as INodePropertyOptions[]).map((option) => [option.value, option.name])).toEqual([
			['recordChanged', 'Record Created or Updated'],
			['teamChanged', 'Quality Team Changed'],
		]);
		expect(property('objectName').type).toBe('resourceLocator');
		expect((property('on').options as INodePropertyOptions[]).map((option) => option.value)).toEqual(['created', 'createdOrUpdated']);
		expect(description.properties.map((candidate) => candidate.name)).toEqual(['authentication', 'event', 'objectName', 'teamChangedNotice', 'on', 'conditions', 'fields', 'options']);
		expect((property('options').options as INodeProperties[]).map((option) => [option.name, option.default])).toEqual([
			['includeExisting', false],
			['maxItemsPerPoll', 1000],
		]);
		// each event's own fields show for it alone; the object and the options are common to both
		for (const name of ['on', 'conditions', 'fields']) expect(property(name).displayOptions).toEqual({ show: { event: ['recordChanged'] } });
		expect(property('teamChangedNotice').displayOptions).toEqual({ show: { event: ['teamChanged'] } });
		for (const name of ['objectName', 'options']) expect(property(name).displayOptions).toBeUndefined();
	});
});

describe('Veeva Vault QMS Trigger: its object picker', () => {
	const context = useSandbox();

	it('lists the Vault\'s objects, team-enabled ones first, through n8n-core\'s LoadOptionsContext', async () => {
		const list = await callEditorMethod<{ results: Array<{ value: string }> }>(context.harness, 'listSearch', 'searchTeamObjects', { event: 'recordChanged' }, { nodeType: VAULT_TRIGGER_NODE_TYPE });
		// the objects that have a Quality Team in the sandbox's configuration (read from Vault, issue 22)
		const teamObjects = [...new Set(QUALITY_TEAMS.map((team) => team.object))].sort();
		expect(teamObjects).toContain('complaint__qdm');
		expect(list.results.slice(0, teamObjects.length).map((entry) => entry.value).sort()).toEqual(teamObjects);
		expect(list.results.map((entry) => entry.value)).toContain('product__v');
	});
});
