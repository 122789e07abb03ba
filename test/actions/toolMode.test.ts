import Papa from 'papaparse';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAsAgentTool, type AgentRunOptions } from '../harness/agent';
import { jsonOf, useSandbox } from '../harness/fixtures';

/**
 * The node as an AI agent's tool (actions/toolMode.ts), run the way n8n runs one (test/harness/agent.ts):
 * the tool variant through n8n-core's engine, with the model's arguments read by `$fromAI(...)`.
 */
const schema = (columns: string[]) => columns.map((id) => ({ id, displayName: id, type: 'string', required: false, display: true, defaultMatch: false }));
const fromAi = (columns: string[]) => Object.fromEntries(columns.map((column) => [column, `={{ $fromAI('${column}', '', 'string') }}`]));
const TEAM_COLUMNS = ['record_id', 'user_id', 'application_role', 'operation'];
/** Manage Assignments as a workflow builder sets it up for an agent: each column filled by the model */
const MANAGE: INodeParameters = {
	resource: 'qualityTeam',
	operation: 'manageAssignments',
	objectName: 'quality_event__qdm',
	columns: { mappingMode: 'defineBelow', value: fromAi(TEAM_COLUMNS), schema: schema(TEAM_COLUMNS) } as never,
};
const SYNC: INodeParameters = {
	...MANAGE,
	operation: 'syncMembers',
	columns: { mappingMode: 'defineBelow', value: fromAi(TEAM_COLUMNS.slice(0, 3)), schema: schema(TEAM_COLUMNS) } as never,
	options: { maxRemovals: '100%' },
};
const ROLE_COLUMNS = ['id', 'reviewer__v.users'];
const REMOVE_ROLES: INodeParameters = {
	resource: 'documentRole',
	operation: 'remove',
	columns: { mappingMode: 'defineBelow', value: { id: "={{ $fromAI('document_id', '', 'string') }}", 'reviewer__v.users': "={{ $fromAI('users', '', 'string') }}" }, schema: schema(ROLE_COLUMNS) } as never,
};
const SEND = { agentWrites: 'send' };
const ALLOW_REMOVALS = { agentWrites: 'send', agentRemovals: true };
const add = (user: number, role = 'qa__c') => ({ record_id: 'OP4000008', user_id: String(user), application_role: role, operation: 'ADD' });
const remove = (user: number, role = 'qa__c') => ({ ...add(user, role), operation: 'REMOVE' });

describe('the node as an AI agent tool: plan first, no removal unless the node allows it', () => {
	const vault = useSandbox();
	const sentTo = async (path: string) => (await vault.sandbox.client.log()).filter((entry) => entry.path.includes(path));
	const sentRows = async () =>
		(await sentTo('manageassignments')).flatMap((entry) => Papa.parse<IDataObject>(entry.body ?? '', { header: true, skipEmptyLines: true }).data);
	const team = async () => ((await vault.sandbox.client.state()).teams.quality_event__qdm?.OP4000008 ?? []).map((member) => `${member.user_id} ${member.application_role}`).sort();
	const agent = async (options: AgentRunOptions) => {
		const result = await runAsAgentTool(vault.harness, options);
		expect(result.error).toBeUndefined();
		// the engine ran the Vault node as a tool: its runs are logged under ai_tool, as n8n shows a tool's runs
		const toolRuns = result.run.data.resultData.runData.Vault ?? [];
		expect(toolRuns.length).toBe(options.calls.length);
		if ((options.path ?? 'engine') === 'engine') expect(toolRuns.every((task) => task.data?.ai_tool !== undefined)).toBe(true);
		return result.calls;
	};

	beforeEach(async () => {
		await vault.sandbox.client.seed({
			records: [{ object: 'quality_event__qdm', id: 'OP4000008', name: 'QE-000008' }],
			teamMembers: [
				{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100001, role: 'qa__c' },
				{ object: 'quality_event__qdm', recordId: 'OP4000008', userId: 100002, role: 'sme__c' },
			],
		});
		await vault.sandbox.client.clearLog();
	});

	it.each(['engine', 'subNode'] as const)("by default a write returns its dry run (the CSV as text) and sends nothing (n8n's %s path)", async (path) => {
		const [call] = await agent({ parameters: MANAGE, calls: [add(100003)], path });
		expect(call.error).toBeUndefined();
		expect(call.output).toEqual([
			expect.objectContaining({ dryRun: true, rows: 1, csv: 'record_id,user_id,application_role,operation\r\nOP4000008,100003,qa__c,ADD\r\n', agentNote: expect.stringMatching(/^Nothing was sent to Vault/) }),
		]);
		expect(await sentTo('manageassignments')).toEqual([]);
	});

	it('Sync Members returns its plan, removals listed, and sends nothing', async () => {
		const [call] = await agent({ parameters: SYNC, calls: [{ record_id: 'OP4000008', user_id: '100003', application_role: 'qa__c' }] });
		const changes = call.output.filter((json) => json.change === 'add' || json.change === 'remove');
		expect(changes.map((json) => `${String(json.change)} ${String(json.user_id)}`).sort()).toEqual(['add 100003', 'remove 100001', 'remove 100002']);
		expect(call.output.find((json) => json.summary === true)).toMatchObject({ adds: 1, removes: 2, agentNote: expect.stringMatching(/^Nothing was sent/) });
		expect(await sentTo('manageassignments')).toEqual([]);
		expect(await team()).toEqual(['100001 qa__c', '100002 sme__c']);
	});

	it('with writes allowed, an ADD is sent; a REMOVE row is refused with the reason, and only the ADD reaches Vault', async () => {
		const calls = await agent({ parameters: { ...MANAGE, ...SEND }, calls: [add(100003), remove(100001)] });
		expect(calls[0].error).toBeUndefined();
		expect(calls[0].output[0]).toMatchObject({ jobId: expect.any(String), row: add(100003) });
		expect(calls[1].output).toEqual([{ error: expect.stringContaining('column "operation" is "REMOVE", which is not an ADD: a removal is not allowed when an AI agent calls this node') }]);
		expect(await sentRows()).toEqual([add(100003)]);
	});

	it('with writes allowed, Sync Members that would remove is refused whole; Allow Agent Removals lets it through', async () => {
		const roster = { record_id: 'OP4000008', user_id: '100001', application_role: 'qa__c' };
		const [refused] = await agent({ parameters: { ...SYNC, ...SEND }, calls: [roster] });
		// the reason reaches the model: n8n's engine hands a tool's error back as its message alone
		expect(refused.output).toEqual([
			{
				error: expect.stringMatching(
					/^Sync Members would remove 1 of the 2 current members in scope, more than Max Removals allows \(0: a removal is not allowed when an AI agent calls this node \(the workflow builder can turn on "Allow Agent Removals" on the node\)\), so nothing was sent\n\nDetails: [^]*remove user 100002 .*from OP4000008 as sme__c/,
				),
			},
		]);
		expect(await sentTo('manageassignments')).toEqual([]);

		const [allowed] = await agent({ parameters: { ...SYNC, ...ALLOW_REMOVALS, options: { maxRemovals: '100%', waitForCompletion: true, pollIntervalSeconds: 0.05 } }, calls: [roster] });
		expect(allowed.output.find((json) => json.change === 'remove')).toMatchObject({ status: 'SUCCESS', row: { user_id: '100002', operation: 'REMOVE' } });
		expect(await sentRows()).toEqual([{ record_id: 'OP4000008', user_id: '100002', application_role: 'sme__c', operation: 'REMOVE' }]);
	});

	it('Document Role Remove is refused whole unless removals are allowed on the node', async () => {
		await vault.harness.run({ items: [{ id: 11, 'reviewer__v.users': '100001,100002' }], parameters: { resource: 'documentRole', operation: 'assign' } });
		await vault.sandbox.client.clearLog();
		const [refused] = await agent({ parameters: { ...REMOVE_ROLES, ...SEND }, calls: [{ document_id: '11', users: '100001' }] });
		expect(refused.output).toEqual([{ error: expect.stringMatching(/^Remove Users & Groups removes users and groups from document roles, which is not allowed when an AI agent calls this node/) }]);
		expect(await sentTo('/roles/batch')).toEqual([]);
		const [allowed] = await agent({ parameters: { ...REMOVE_ROLES, ...ALLOW_REMOVALS }, calls: [{ document_id: '11', users: '100001' }] });
		expect(allowed.output[0]).toMatchObject({ responseStatus: 'SUCCESS' });
		expect((await vault.sandbox.client.state()).documentRoles['11'].reviewer__v.users).toEqual([100002]);
	});

	it('Remove User From All Teams and Replace User: by default their plan, nothing sent; with writes allowed refused whole unless removals are allowed', async () => {
		const leaver = { resource: 'qualityTeam', operation: 'removeUserEverywhere', columns: { mappingMode: 'defineBelow', value: fromAi(['user_id']), schema: schema(['user_id']) } as never };
		const [plan] = await agent({ parameters: leaver, calls: [{ user_id: '100001' }] });
		expect(plan.output.filter((json) => json.change === 'remove').map((json) => json.record_id)).toEqual(['OP4000008']);
		expect(plan.output.find((json) => json.summary === true)).toMatchObject({ planOnly: true, agentNote: expect.stringMatching(/^Nothing was sent/) });
		const replace = { ...leaver, operation: 'replaceUser', columns: { mappingMode: 'defineBelow', value: fromAi(['user_id', 'replacement_user_id']), schema: schema(['user_id', 'replacement_user_id']) } as never };
		const [refused] = await agent({ parameters: { ...replace, ...SEND }, calls: [{ user_id: '100001', replacement_user_id: '100003' }] });
		expect(refused.output).toEqual([{ error: expect.stringMatching(/^Replace User takes people off Quality Teams, which is not allowed when an AI agent calls this node/) }]);
		expect(await sentTo('manageassignments')).toEqual([]);
		const [allowed] = await agent({ parameters: { ...leaver, ...ALLOW_REMOVALS, options: { waitForCompletion: true, pollIntervalSeconds: 0.05 } }, calls: [{ user_id: '100001' }] });
		expect(allowed.output.find((json) => json.change === 'remove')).toMatchObject({ record_id: 'OP4000008', status: 'SUCCESS' });
		expect(await team()).toEqual(['100002 sme__c']);
	});

	it("the model cannot lift the guard: not by filling Dry Run or Plan Only, not by arguments of the guards' names, not through $fromAI in a guard", async () => {
		const liftable = { ...MANAGE, options: { dryRun: "={{ $fromAI('dry_run', '', 'boolean') }}" } };
		const [viaOption] = await agent({ parameters: liftable, calls: [{ ...add(100003), dry_run: false, agentWrites: 'send', agentRemovals: true }] });
		expect(viaOption.output[0]).toMatchObject({ dryRun: true });
		const [viaPlanOnly] = await agent({ parameters: { ...SYNC, options: { planOnly: "={{ $fromAI('plan_only', '', 'boolean') }}" } }, calls: [{ record_id: 'OP4000008', user_id: '100003', application_role: 'qa__c', plan_only: false }] });
		expect(viaPlanOnly.output.find((json) => json.summary === true)).toMatchObject({ agentNote: expect.stringMatching(/^Nothing was sent/) });
		const [viaWrites] = await agent({ parameters: { ...MANAGE, agentWrites: "={{ $fromAI('writes', '', 'string') }}" }, calls: [{ ...add(100003), writes: 'send' }] });
		expect(viaWrites.output).toEqual([{ error: expect.stringMatching(/^"Agent Writes" is an expression; when an AI agent calls this node it must be a fixed choice, so nothing was sent/) }]);
		const [viaRemovals] = await agent({ parameters: { ...MANAGE, ...SEND, agentRemovals: "={{ $fromAI('may_remove', '', 'boolean') }}" }, calls: [{ ...remove(100001), may_remove: true }] });
		expect(viaRemovals.output).toEqual([{ error: expect.stringMatching(/^"Allow Agent Removals" is an expression/) }]);
		expect(await sentTo('manageassignments')).toEqual([]);
		expect(await team()).toEqual(['100001 qa__c', '100002 sme__c']);
	});

	it("the model is told what the operation does, what its ids look like and that users may be emails (n8n's createNodeAsTool)", async () => {
		const result = await runAsAgentTool(vault.harness, { parameters: MANAGE, calls: [add(100003)], path: 'subNode' });
		expect(result.tool?.description).toMatch(/^Adds people to or removes them from the Quality Team of existing Vault records/);
		expect(result.tool?.description).toContain('a record ID of letters and digits, e.g. OP4000008');
		expect(result.tool?.description).toContain("or the user's email where the node finds users by email");
		expect(result.tool?.description).toContain('it returns its plan and sends nothing unless the workflow allows writes');
	});

	it('outside an agent the guards change nothing: the same node sends, removals included', async () => {
		const run = await vault.harness.run({ items: [remove(100001)], parameters: { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm', agentWrites: 'plan' } });
		expect(run.error).toBeUndefined();
		expect(await sentRows()).toEqual([remove(100001)]);
	});
});

describe('Run Query as an AI agent tool: the fields asked, a row cap, "more rows exist" said', () => {
	const vault = useSandbox();
	const QUERY: INodeParameters = { resource: 'vql', operation: 'query', query: "={{ $fromAI('vql', '', 'string') }}", agentRowCap: 5 };

	beforeEach(async () => {
		await vault.sandbox.client.seed({
			records: Array.from({ length: 12 }, (_, i) => ({ object: 'quality_event__qdm', id: `OP48${String(i).padStart(5, '0')}`, name: `QE-8${String(i).padStart(5, '0')}` })),
		});
	});

	it('returns at most the cap, only the SELECTed fields, and a last item saying how many the query matches', async () => {
		const total = jsonOf((await vault.harness.run({ items: [{}], parameters: { resource: 'vql', operation: 'query', query: 'SELECT id FROM quality_event__qdm' } })).outputs[0]).length;
		expect(total).toBeGreaterThan(5);
		const [call] = (await runAsAgentTool(vault.harness, { parameters: QUERY, calls: [{ vql: 'SELECT id, name__v FROM quality_event__qdm' }] })).calls;
		expect(call.output).toHaveLength(6);
		expect(call.output.slice(0, 5).every((json) => Object.keys(json).sort().join() === 'id,name__v')).toBe(true);
		expect(call.output[5]).toEqual({ moreRowsExist: true, rowsReturned: 5, rowsMatching: total, note: expect.stringMatching(/^More rows exist: the query matches \d+ records and only the first 5 are returned/) });
	});

	it('says nothing more when every row fits', async () => {
		const [call] = (await runAsAgentTool(vault.harness, { parameters: QUERY, calls: [{ vql: "SELECT id FROM quality_event__qdm WHERE name__v = 'QE-800003'" }] })).calls;
		expect(call.output).toEqual([{ id: 'OP4800003' }]);
	});
});
