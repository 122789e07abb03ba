/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * The examples/ workflows as the real-n8n run uses them: the files as shipped (imported and run
 * as they are), what each must leave in the sandbox, and a comparable summary of a run (the Vault
 * node's items, what Vault was sent, the sandbox state) so a real n8n run can be held against the
 * n8n-core harness run. Copies are made only for the runs that are not the examples themselves
 * (queue mode from a live webhook, the wrong-password case).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IConnections, IDataObject, INode } from 'n8n-workflow';

import type { LogEntry, SandboxState } from '../sandbox/types';

export const PACKAGE_NAME = 'n8n-nodes-veeva-vault-qms';
export const VAULT_NODE_TYPE = `${PACKAGE_NAME}.veevaVaultQms`;
export const VAULT_TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.veevaVaultQmsTrigger`;
export const START_NODE = 'Try it';
/** the sandbox credential shipped beside the examples (`n8n import:credentials`), not a workflow */
export const CREDENTIAL_FILE = 'sandbox-credential.json';

export interface ExampleWorkflow {
	id?: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	active?: boolean;
	settings?: IDataObject;
	[key: string]: unknown;
}

export interface Example {
	file: string;
	workflow: ExampleWorkflow;
}

export function loadExamples(dir: string): Example[] {
	return readdirSync(dir)
		.filter((name) => name.endsWith('.json') && name !== CREDENTIAL_FILE)
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(readFileSync(join(dir, file), 'utf8')) as ExampleWorkflow }));
}

/**
 * The run `n8n execute --rawOutput` printed. n8n prints it as one `JSON.stringify(run, null, 2)`, but
 * its own log lines share stdout: some come before (task broker, license), and the task runner's
 * "Registered runner" line can come after, when the runner registers late. The run is the text
 * from the first line that is just `{` to the next line that is just `}` (pretty-printed JSON puts
 * only its outermost braces at the start of a line). The lines outside it are returned for the message when the run is missing.
 */
export function rawOutputRun<T>(stdout: string): { run?: T; otherLines: string[]; error?: string } {
	const lines = stdout.split('\n');
	const start = lines.findIndex((text) => text.trimEnd() === '{');
	const end = start < 0 ? -1 : lines.findIndex((text, index) => index > start && text.trimEnd() === '}');
	if (start < 0 || end < 0) return { otherLines: lines.filter((text) => text.trim()), error: 'no JSON object in the output' };
	const otherLines = [...lines.slice(0, start), ...lines.slice(end + 1)].filter((text) => text.trim());
	try {
		return { run: JSON.parse(lines.slice(start, end + 1).join('\n')) as T, otherLines };
	} catch (error) {
		return { otherLines, error: `the JSON object in the output does not parse: ${(error as Error).message}` };
	}
}

/** The names of the nodes reachable from `start` along main connections. */
function reachableFrom(workflow: ExampleWorkflow, start: string): Set<string> {
	const seen = new Set([start]);
	const queue = [start];
	while (queue.length > 0) {
		const name = queue.shift() as string;
		for (const outputs of Object.values(workflow.connections[name] ?? {})) {
			for (const output of outputs ?? []) {
				for (const connection of output ?? []) {
					if (!seen.has(connection.node)) {
						seen.add(connection.node);
						queue.push(connection.node);
					}
				}
			}
		}
	}
	return seen;
}

/**
 * A copy keeping only what runs from `start` (other triggers and their branches dropped), with fast
 * job polling; the start node is turned on, as a user turns on an example's real trigger to go live.
 */
export function runnableCopy(workflow: ExampleWorkflow, id: string, start = START_NODE): ExampleWorkflow {
	const keep = reachableFrom(workflow, start);
	const nodes = (JSON.parse(JSON.stringify(workflow.nodes)) as INode[]).filter((node) => keep.has(node.name));
	const startNode = nodes.find((node) => node.name === start);
	if (!startNode) throw new Error(`${workflow.name}: no node named "${start}"`);
	delete startNode.disabled;
	const connections: IConnections = {};
	for (const [name, outputs] of Object.entries(workflow.connections)) if (keep.has(name)) connections[name] = JSON.parse(JSON.stringify(outputs)) as IConnections[string];
	for (const node of nodes) {
		// the sandbox allows one job status call per second (a real Vault: every 10 s)
		if (node.type === VAULT_NODE_TYPE) node.parameters.options = { ...(node.parameters.options as IDataObject), pollIntervalSeconds: 1 };
	}
	return { ...workflow, id, nodes, connections, active: false };
}

/** What each example must leave behind, checked on the sandbox itself. */
export interface Expectation {
	/** the items the counted node outputs: the Vault node, or `itemsNode`, or (once an approval is given) `vaultNode` */
	vaultItems: number;
	/** the node whose items are counted, for an example without the Vault action node (a trigger's) */
	itemsNode?: string;
	/** the Vault node counted once the approval form is submitted (jest and npm run demo, which submit it) */
	vaultNode?: string;
	check(state: SandboxState): string[];
	/**
	 * The example waits for a person at a Wait node ("On Form Submitted"): a run from "Try it" stops
	 * there with status waiting (n8n execute, the editor's button) until the form is submitted. The
	 * jest run (test/node/examples.test.ts) and npm run demo submit it as n8n does
	 * (test/harness/waiting.ts); test:n8n checks the run up to the form.
	 */
	approval?: {
		/** the Wait node */
		node: string;
		/** the Vault node before it, and its items while the run waits */
		planNode: string;
		planItems: number;
		/** the sandbox while the run waits (nothing changed yet) */
		checkWaiting(state: SandboxState): string[];
		/** the form's answers by field ('field-0', …), as the approver submits them */
		form: IDataObject;
	};
}

/** The webhook stand-in the notify example posts to, on the sandbox's default port (the example's URL, as shipped). */
export const SANDBOX_WEBHOOK_ORIGIN = 'http://127.0.0.1:8470';

const hasMembers = (state: SandboxState, record: string, members: Array<[number, string]>, absent: Array<[number, string]> = []) => {
	const team = state.teams.quality_event__qdm?.[record] ?? [];
	const has = (userId: number, role: string) => team.some((member) => member.user_id === userId && member.application_role === role);
	return [
		...members.filter(([userId, role]) => !has(userId, role)).map(([userId, role]) => `${record} lacks ${userId} as ${role}`),
		...absent.filter(([userId, role]) => has(userId, role)).map(([userId, role]) => `${record} still has ${userId} as ${role}`),
	];
};

/** Each [object, record, user, role] that must be (or must not be) a membership. */
const memberships = (state: SandboxState, present: Array<[string, string, number, string]>, absent: Array<[string, string, number, string]> = []) => {
	const has = ([object, record, userId, role]: [string, string, number, string]) =>
		(state.teams[object]?.[record] ?? []).some((member) => member.user_id === userId && member.application_role === role);
	return [
		...present.filter((entry) => !has(entry)).map((entry) => `${entry.join(' ')} is not a membership`),
		...absent.filter(has).map((entry) => `${entry.join(' ')} is still a membership`),
	];
};

/** The termination example's leaver: removed from four memberships; the only owner of OP4000014 and a closed complaint's team member stay (skipped, listed). */
const LEAVER_REMOVED: Array<[string, string, number, string]> = [
	['quality_event__qdm', 'OP4000012', 100031, 'qa__c'],
	['quality_event__qdm', 'OP4000013', 100031, 'sme__c'],
	['risk_event__v', 'RE0000003', 100031, 'sme__c'],
	['complaint__qdm', 'CP0000004', 100031, 'reviewer__c'],
];
const LEAVER_KEPT: Array<[string, string, number, string]> = [
	['quality_event__qdm', 'OP4000014', 100031, 'record_owner__c'],
	['complaint__qdm', 'CP0000015', 100031, 'sme__c'],
];

const sameIds = (actual: number[] | undefined, expected: number[]) => JSON.stringify([...(actual ?? [])].sort()) === JSON.stringify(expected);

export const EXPECTATIONS: Record<string, Expectation> = {
	'document-roles-from-spreadsheet.json': {
		vaultItems: 2,
		check: (state) => {
			const doc = (id: string) => state.documentRoles[id] ?? {};
			const problems: string[] = [];
			if (!sameIds(doc('11').reviewer__v?.users, [100001, 100002])) problems.push(`document 11 reviewer users ${JSON.stringify(doc('11').reviewer__v)}`);
			if (!sameIds(doc('11').approver__v?.users, [100003])) problems.push(`document 11 approver users ${JSON.stringify(doc('11').approver__v)}`);
			if (!sameIds(doc('12').reviewer__v?.users, [100001])) problems.push(`document 12 reviewer users ${JSON.stringify(doc('12').reviewer__v)}`);
			if (!sameIds(doc('12').approver__v?.groups, [3311301])) problems.push(`document 12 approver groups ${JSON.stringify(doc('12').approver__v)}`);
			return problems;
		},
	},
	'hr-roster-to-quality-teams.json': {
		// the Apply node: one add, one removal, two unchanged, the summary
		vaultItems: 5,
		check: (state) => {
			const team = (state.teams.quality_event__qdm?.OP4000010 ?? []).map((member) => `${member.user_id} ${member.application_role}`).sort();
			const want = ['100011 qa__c', '100014 sme__c', '100015 approver__c'];
			return JSON.stringify(team) === JSON.stringify(want) ? [] : [`OP4000010's team is ${JSON.stringify(team)}, not ${JSON.stringify(want)}`];
		},
	},
	'hr-termination-remove-everywhere.json': {
		// the removal: the two skipped memberships, four removals (each read back) and the leaver's summary
		vaultItems: 7,
		vaultNode: 'Remove from every Quality Team',
		check: (state) => memberships(state, LEAVER_KEPT, LEAVER_REMOVED),
		approval: {
			node: 'Approve the removal',
			planNode: 'Plan the removal',
			// the plan: six memberships (four to remove, two skipped) and the summary
			planItems: 7,
			checkWaiting: (state) => memberships(state, [...LEAVER_REMOVED, ...LEAVER_KEPT]),
			form: { 'field-0': 'Remove', 'field-1': 'Quality Head (demo)' },
		},
	},
	'leave-of-absence-stand-in.json': {
		// the stand-in's two ADDs, the person's three REMOVEs (one where the stand-in was on already) and the summary
		vaultItems: 6,
		check: (state) =>
			memberships(
				state,
				[
					['quality_event__qdm', 'OP4000015', 100042, 'approver__c'],
					['risk_event__v', 'RE0000004', 100042, 'qa__c'],
					['risk_event__v', 'RE0000005', 100042, 'sme__c'],
				],
				[
					['quality_event__qdm', 'OP4000015', 100041, 'approver__c'],
					['risk_event__v', 'RE0000004', 100041, 'qa__c'],
					['risk_event__v', 'RE0000005', 100041, 'sme__c'],
				],
			),
	},
	'leavers-by-federated-id.json': {
		vaultItems: 1,
		check: (state) => hasMembers(state, 'OP4000009', [], [[100007, 'sme__c']]),
	},
	'new-hire-by-email-to-quality-team.json': {
		vaultItems: 1,
		check: (state) => hasMembers(state, 'OP4000009', [[100006, 'approver__c']]),
	},
	'lms-completion-to-auditor-role.json': {
		vaultItems: 1,
		check: (state) => (state.auditorRoles['AuditorProfile-alex@veepharm.com']?.includes('Lead Auditor') ? [] : ['alex is not a Lead Auditor']),
	},
	'new-capa-staff-team.json': {
		// the sample CAPA's site (boston__c) -> its QA lead, added and verified
		vaultItems: 1,
		check: (state) => hasMembers(state, 'OP4000011', [[100021, 'qa__c']]),
	},
	'quality-team-changed-notify.json': {
		// "Try it": the sample change posted to the sandbox's webhook stand-in (no Vault call)
		vaultItems: 1,
		itemsNode: 'Notify webhook',
		check: (state) => {
			const posted = state.webhooks ?? [];
			const body = posted[0]?.body as { text?: string; change?: { change?: string; record?: { id?: string } } } | undefined;
			return posted.length === 1 && posted[0].name === 'quality-team-changed' && body?.text === 'Added to the Quality Team of QE-000012: user100031@sandbox.veevavault.com as qa__c (2026-12-07T09:00:00.000Z, UTC)' && body.change?.record?.id === 'OP4000012'
				? []
				: [`the webhook stand-in received ${JSON.stringify(posted)}`];
		},
	},
	'new-hire-to-quality-team.json': {
		vaultItems: 1,
		check: (state) => hasMembers(state, 'OP4000008', [[100001, 'record_owner__c']]),
	},
	'nightly-csv-sync.json': {
		vaultItems: 1,
		check: (state) => [
			...hasMembers(state, 'OP4000008', [[100002, 'qa__c'], [100003, 'sme__c']], [[100001, 'record_owner__c']]),
			...hasMembers(state, 'OP4000009', [[100004, 'qa__c']]),
		],
	},
};

/** The parts of a run that must be the same in n8n-core and in real n8n. */
export interface RunSummary {
	/** the Vault node's main-output items, dates blanked (they are the sandbox clock's) */
	items: IDataObject[];
	/** binary properties on those items, with their mime types and sizes */
	binaries: string[];
	error?: string;
	/** the Vault calls, logins left out: method, path, body */
	requests: string[];
	/** jobs by id: status, rows and row errors */
	jobs: string[];
}

const DATE_KEYS = new Set(['createdDate', 'runStartDate', 'runEndDate']);

export function normalizeItem(json: IDataObject): IDataObject {
	return JSON.parse(JSON.stringify(json, (key, value: unknown) => (DATE_KEYS.has(key) && typeof value === 'string' ? '<date>' : value))) as IDataObject;
}

export function summarizeRequests(log: LogEntry[]): string[] {
	return log.filter((entry) => !entry.path.endsWith('/auth')).map((entry) => `${entry.method} ${entry.path} ${entry.status}${entry.jobId ? ` job ${entry.jobId}` : ''}${entry.body && !entry.path.includes('/services/jobs/') ? `\n${entry.body.trim()}` : ''}`);
}

export function summarizeJobs(state: SandboxState): string[] {
	return state.jobs.map((job) => `${job.id} ${job.status} rows=${job.rowCount} rowErrors=${JSON.stringify(job.rowErrors)}`);
}

/** Status-poll calls may differ in number (timing): compare them as "some polls". */
export function requestsForComparison(requests: string[]): string[] {
	const out: string[] = [];
	for (const request of requests) {
		const poll = /^GET \/api\/[^/]+\/services\/jobs\/\d+ /.test(request);
		if (poll && out[out.length - 1] === 'GET job status (1 or more)') continue;
		out.push(poll ? 'GET job status (1 or more)' : request);
	}
	return out;
}

/** Differences between two summaries, as lines; empty when they agree. */
export function compareSummaries(core: RunSummary, real: RunSummary): string[] {
	const differences: string[] = [];
	const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
	if (!same(core.error, real.error)) differences.push(`error: n8n-core ${JSON.stringify(core.error)} / real n8n ${JSON.stringify(real.error)}`);
	if (core.items.length !== real.items.length) differences.push(`items: n8n-core ${core.items.length} / real n8n ${real.items.length}`);
	core.items.forEach((item, index) => {
		if (!same(item, real.items[index])) differences.push(`item ${index}: n8n-core ${JSON.stringify(item)}\n      real n8n ${JSON.stringify(real.items[index])}`);
	});
	if (!same(core.binaries, real.binaries)) differences.push(`binaries: n8n-core ${JSON.stringify(core.binaries)} / real n8n ${JSON.stringify(real.binaries)}`);
	const coreRequests = requestsForComparison(core.requests);
	const realRequests = requestsForComparison(real.requests);
	if (!same(coreRequests, realRequests)) differences.push(`requests to Vault:\n   n8n-core: ${coreRequests.join('\n             ')}\n   real n8n: ${realRequests.join('\n             ')}`);
	if (!same(core.jobs, real.jobs)) differences.push(`jobs: n8n-core ${JSON.stringify(core.jobs)} / real n8n ${JSON.stringify(real.jobs)}`);
	return differences;
}
