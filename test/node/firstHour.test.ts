/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Workflow, type INode, type INodePropertyOptions } from 'n8n-workflow';

import { VeevaVaultQms } from '../../nodes/VeevaVaultQms/VeevaVaultQms.node';
import { useSandbox } from '../harness/fixtures';
import { createNodeTypes, VAULT_NODE_TYPE } from '../harness/nodeTypes';
import { DEMO_SEED } from '../sandbox/demoVault';

/**
 * What a newcomer sees before running anything: the node found by the words they search for,
 * the canvas subtitle in the panel's words, and an npm description naming every operation.
 * (test:n8n checks the same in a real editor: the node found by "vql", the subtitle on the canvas.)
 */
const description = new VeevaVaultQms().description;
const resources = (description.properties.find((property) => property.name === 'resource')?.options ?? []) as INodePropertyOptions[];
/** every operation: resource value and name, operation value and name */
const operations = description.properties
	.filter((property) => property.name === 'operation')
	.flatMap((property) =>
		((property.displayOptions?.show?.resource ?? []) as string[]).flatMap((resource) =>
			((property.options ?? []) as INodePropertyOptions[]).map((option) => ({
				resource,
				resourceName: resources.find((entry) => entry.value === resource)?.name ?? resource,
				operation: String(option.value),
				name: option.name,
			})),
		),
	);

/** The subtitle as n8n's editor computes it: the node's subtitle expression, resolved against its parameters. */
function subtitleOf(resource: string, operation: string): unknown {
	const node: INode = { id: 'n1', name: 'Veeva Vault QMS', type: VAULT_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: { resource, operation } };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: createNodeTypes() });
	return workflow.expression.getSimpleParameterValue(node, description.subtitle as string, 'internal', {}, undefined, '');
}

describe('the canvas subtitle', () => {
	it('covers the eleven operations', () => {
		expect(operations.map((entry) => `${entry.resource}/${entry.operation}`).sort()).toEqual([
			'auditor/associateRoles',
			'documentRole/assign',
			'documentRole/remove',
			'job/getStatus',
			'qualityTeam/describeTeams',
			'qualityTeam/manageAssignments',
			'qualityTeam/migrateMembers',
			'qualityTeam/removeUserEverywhere',
			'qualityTeam/replaceUser',
			'qualityTeam/syncMembers',
			'vql/query',
		]);
	});

	it.each(operations.map((entry) => [`${entry.resource}/${entry.operation}`, entry] as const))('%s: the names the panel shows, no internal value', (_, entry) => {
		const shown = subtitleOf(entry.resource, entry.operation);
		expect(shown).toBe(`${entry.resourceName}: ${entry.name}`);
		expect(String(shown)).not.toMatch(new RegExp(`\\b${entry.operation}\\b`));
	});

	it("is the registry's names as n8n's scanner wants them, a string literal: an operation added to the registry fails here with the line to paste", () => {
		const titles = Object.fromEntries(
			operations.map((entry) => [`${entry.resource}/${entry.operation}`, `${entry.resourceName}: ${entry.name}`]).sort(([a], [b]) => (a < b ? -1 : 1)),
		);
		const literal = `={{ (${JSON.stringify(titles)})[$parameter["resource"] + "/" + $parameter["operation"]] || $parameter["operation"] }}`;
		expect(description.subtitle).toBe(literal);
	});
});

describe('the node panel search (codex aliases)', () => {
	it('finds the node by "VQL" and "query", as well as by the Vault and QMS words', () => {
		const codex = JSON.parse(readFileSync(join(__dirname, '..', '..', 'nodes/VeevaVaultQms/VeevaVaultQms.node.json'), 'utf8')) as { alias: string[] };
		expect(codex.alias).toEqual(expect.arrayContaining(['VQL', 'query', 'quality team', 'auditor', 'document role', 'Veeva', 'Vault']));
	});
});

describe("package.json's description (npm's and n8n's community-node listing)", () => {
	it('names every operation', () => {
		const text = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { description: string }).description.toLowerCase();
		for (const words of ['associate auditor roles', 'manage', 'sync members', 'migrate members', 'assign', 'remove', 'job status', 'vql', 'describe']) expect(text).toContain(words);
	});
});

describe("the panel's notes", () => {
	const names = description.properties.map((property) => property.name);
	const options = description.properties.find((property) => property.name === 'options')?.options as Array<{ name: string; description?: string }>;

	it('the Retry On Fail notice sits below Options (Max Attempts), not above the Object', () => {
		expect(names.indexOf('retryNotice')).toBeGreaterThan(names.indexOf('options'));
		expect(names.indexOf('retryNotice')).toBeGreaterThan(names.indexOf('objectName'));
		expect(String(description.properties.find((property) => property.name === 'retryNotice')?.displayName)).toContain('Max Attempts');
	});

	it('Dry Run and Plan Only, side by side on Sync Members, each say how they differ', () => {
		const dryRun = options.find((option) => option.name === 'dryRun')?.description ?? '';
		const planOnly = options.find((option) => option.name === 'planOnly')?.description ?? '';
		expect(dryRun).toContain('Plan Only');
		expect(dryRun).toContain('CSV batches');
		expect(planOnly).toContain('Dry Run');
		expect(planOnly).toContain('Max Removals');
	});
});

describe('the "who is on this team?" recipe (README, docs/usage.md)', () => {
	const vault = useSandbox();

	it('the query both give reads the members of a Quality Team from the demo Vault', async () => {
		const recipe = /```sql\n(SELECT [^\n]*quality_team_member__v[^\n]*)\n```/;
		const query = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').match(recipe)?.[1];
		expect(query).toBeDefined();
		expect(readFileSync(join(__dirname, '..', '..', 'docs', 'usage.md'), 'utf8')).toContain(query);
		await vault.sandbox.client.seed(DEMO_SEED);
		const run = await vault.harness.run({ items: [{}], parameters: { resource: 'vql', operation: 'query', query } });
		expect(run.error).toBeUndefined();
		const members = run.outputs[0].map((item) => `${String(item.json.user__sys)} ${String(item.json['application_role__vr.api_name__v'])}`);
		expect(members.sort()).toEqual(['100011 qa__c', '100012 sme__c', '100015 approver__c']);
	});
});
