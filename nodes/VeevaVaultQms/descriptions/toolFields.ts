import type { INodeProperties } from 'n8n-workflow';

import { describedAs, NODE_OPERATIONS } from '../actions/registry';
import { DEFAULT_AGENT_ROWS, MAX_AGENT_ROWS } from '../actions/toolMode';
import { BULK_OPERATIONS } from '../operations';

/**
 * The fields the node shows only as an AI agent's tool (n8n's `@tool` display option: the tool
 * variant, whose type ends in "Tool", as n8n's HTTP Request Tool shows its Optimize Response):
 * the description the model reads, per operation, and the guards the workflow builder sets
 * (actions/toolMode.ts). The guards are never filled by the model: no expression is taken.
 */

const ASK_THE_PLAN =
	'When an agent calls it, it returns its plan and sends nothing unless the workflow allows writes: show the plan to the person before asking again.';
const USERS =
	"a user is a Vault user ID (a whole number, e.g. 116468), or the user's email where the node finds users by email";

/** What each operation does, for a model: what goes in, what ids look like, what comes back. */
const FOR_THE_MODEL: Record<string, string> = {
	'auditor/associateRoles': `Gives Vault auditor profiles their auditor roles. Each row names the Auditor Profile by name (e.g. AuditorProfile-alex@veepharm.com) and the auditor role by name (e.g. Lead Auditor). ${ASK_THE_PLAN}`,
	'qualityTeam/manageAssignments': `Adds people to or removes them from the Quality Team of existing Vault records (e.g. a Quality Event). Each row: the record (a record ID of letters and digits, e.g. OP4000008, or its name, e.g. QE-000123, where the node finds records by name), the user (${USERS}), the application role (a Vault name, e.g. qa__c) and ADD or REMOVE. ${ASK_THE_PLAN} Removals need the workflow's permission.`,
	'qualityTeam/migrateMembers': `Creates Quality Team member records in bulk, e.g. when moving from another Vault; existing members are skipped. Each row names the record, the user and the application role by unique text fields (e.g. QE-000123, the user's global ID, qa__c). ${ASK_THE_PLAN}`,
	'qualityTeam/syncMembers': `Makes the Quality Teams of the records named in the roster match it: adds who is missing and removes who is no longer listed. Each roster row: the record (e.g. OP4000008, or QE-000123 by name), the user (${USERS}) and the application role (e.g. qa__c). It returns the plan (each add and removal with its reason) and sends nothing unless the workflow allows writes; removals need the workflow's permission.`,
	'documentRole/assign': `Adds users and groups to roles on Vault documents (nobody is removed). Each row: the document ID (a whole number, e.g. 1042) and per role a comma-separated list, e.g. reviewer__v.users (${USERS}) or reviewer__v.groups (group IDs, or group names such as quality_reviewers__c). ${ASK_THE_PLAN}`,
	'documentRole/remove': `Takes users and groups off roles on Vault documents. Each row: the document ID (a whole number, e.g. 1042) and per role a comma-separated list, e.g. reviewer__v.users (${USERS}). ${ASK_THE_PLAN} Removals need the workflow's permission.`,
	'vql/query': `Reads Vault records with a VQL statement, e.g. SELECT id, name__v, status__v FROM quality_event__qdm WHERE status__v = 'open__v'. Users: SELECT id, username__sys, email__sys FROM user__sys WHERE email__sys = 'ana.lopez@example.com'. The answer holds only the fields the SELECT names and at most a set number of rows; a last item says when more rows exist: narrow the WHERE clause instead of asking again.`,
	'qualityTeam/describeTeams':
		'Reads how this Vault keeps its Quality Teams: for each team, the object it belongs to (e.g. quality_event__qdm), the member object and its fields, the application roles (e.g. qa__c) and their rules, and the locked states. Call it first to learn which role names and objects the other operations take. It changes nothing.',
	'job/getStatus':
		'Reads the status of a Vault job by its job ID (a whole number, e.g. 140101), as the write operations return it: whether the job is queued, running, done or failed.',
};

const bulkResources = [...new Set(BULK_OPERATIONS.map((spec) => spec.resource))];
const TOOL = (show: Record<string, string[]>) => ({ show: { '@tool': [true], ...show } });

/** An operation's words for the model; one added to the registry without its own gets its editor words. */
function forTheModel(entry: ReturnType<typeof describedAs>): string {
	return (
		FOR_THE_MODEL[`${entry.resource}/${entry.operation}`] ?? `${entry.action}: ${entry.description}`
	);
}

/** One Description per operation, prefilled with its words for the model (n8n reads a node's own toolDescription and adds none). */
const toolDescriptions: INodeProperties[] = NODE_OPERATIONS.map(describedAs).map((entry) => ({
	displayName: 'Description',
	name: 'toolDescription',
	type: 'string',
	default: forTheModel(entry),
	required: true,
	typeOptions: { rows: 4 },
	description:
		"What the AI agent's model reads about this tool: what it does, what it takes, what IDs look like",
	displayOptions: TOOL({ resource: [entry.resource], operation: [entry.operation] }),
}));

export const toolFields: INodeProperties[] = [
	...toolDescriptions,
	{
		displayName: 'Agent Writes',
		name: 'agentWrites',
		type: 'options',
		noDataExpression: true,
		default: 'plan',
		description:
			"What an AI agent's call may do. Set here only: the model cannot change it, and an expression in it is refused.",
		options: [
			{
				name: 'Plan Only',
				value: 'plan',
				description:
					'Nothing is sent: Sync Members returns its plan (Plan Only), the other writes the CSV batches they would send (Dry Run)',
			},
			{
				name: 'Send to Vault',
				value: 'send',
				description: "The agent's calls change Vault. Consider n8n's Human review on this tool.",
			},
		],
		displayOptions: TOOL({
			resource: bulkResources,
			operation: BULK_OPERATIONS.map((spec) => spec.operation),
		}),
	},
	{
		displayName: 'Allow Agent Removals',
		name: 'agentRemovals',
		type: 'boolean',
		noDataExpression: true,
		default: false,
		description:
			"Whether an AI agent's call may remove: REMOVE rows of Manage Assignments and Sync Members, the members Sync Members would remove, Document Role Remove. Off: a call that would send a removal is refused. Set here only: the model cannot change it.",
		displayOptions: TOOL({
			agentWrites: ['send'],
			resource: bulkResources,
			operation: BULK_OPERATIONS.filter(
				(spec) => spec.teamColumns !== undefined || spec.removes !== undefined,
			).map((spec) => spec.operation),
		}),
	},
	{
		displayName: 'Max Rows for the Agent',
		name: 'agentRowCap',
		type: 'number',
		noDataExpression: true,
		default: DEFAULT_AGENT_ROWS,
		typeOptions: { minValue: 1, maxValue: MAX_AGENT_ROWS },
		description:
			'Most records one call returns to the AI agent; a last item then says that more rows exist, and how many the query matches. Set here only: the model cannot change it.',
		displayOptions: TOOL({ resource: ['vql'], operation: ['query'] }),
	},
];
