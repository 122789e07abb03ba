/**
 * The workflows `npm run bench:n8n` imports into a real n8n, all over the same generated rows:
 *  - node:  Manual Trigger → Make rows (Code) → Veeva Vault QMS (Manage Assignments, Map Automatically)
 *  - peer:  what a capable user builds without the node: Manual Trigger → Make rows → Login (HTTP
 *           Request, once, to /api/{v}/auth) → Build CSV batches (Code, 500 rows a batch, RFC 4180
 *           quoting) → Send batch (HTTP Request per batch item, the session in the Authorization header)
 *  - naive: Manual Trigger → Login → Make rows → one HTTP Request per item (a one-row CSV each)
 *  - queue: Webhook (answers when done) → Make rows (offset from the request body) → Veeva Vault QMS
 *  - roster: Manual Trigger → Read/Write Files from Disk (the HR export, a CSV file) → Veeva Vault QMS
 *           (Sync Members or Remove User From All Teams, Input Source: CSV File), as a nightly job reads it
 */
import type { IConnections, INode } from 'n8n-workflow';

import { PACKAGE_NAME } from '../../test/n8n/examples';

export const VAULT_NODE_TYPE = `${PACKAGE_NAME}.veevaVaultQms`;
export const API_VERSION = 'v25.3';
export const MANAGE_PATH = '/app/quality/qms/teams/vobjects/quality_event__qdm/actions/manageassignments';
export const CREDENTIAL = { id: 'vault-bench', name: 'Vault (bench sandbox)' };
export const QUEUE_WEBHOOK_PATH = 'bench/queue-manage';

export interface Workflow {
	id: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	active: boolean;
	settings: { executionOrder: 'v1' };
}

/** Row i: record OP(4000001 + i mod 2000), user 100100 + ⌊i/2000⌋ (all active), role i mod 5: (record, user) is unique per i, the row's marker. */
export function rowOf(i: number): { record_id: string; user_id: string; application_role: string; operation: string } {
	const ROLES = ['record_owner__c', 'sme__c', 'qa__c', 'approver__c', 'reviewer__c'];
	return { record_id: `OP${4000001 + (i % 2000)}`, user_id: String(100100 + Math.floor(i / 2000)), application_role: ROLES[i % 5], operation: 'ADD' };
}
export const markerOf = (row: { record_id?: string; user_id?: string }) => `${row.record_id}|${row.user_id}`;

/** Code node source making `count` rows (as rowOf), starting at `offset` (a number or a JS expression), with some rows replaced. */
function makeRowsCode(count: number, offset: string, overrides: Record<number, Record<string, string>> = {}): string {
	return [
		'// the rows every workflow of the bench sends: unique (record, user) per row',
		`const N = ${count};`,
		`const OFFSET = ${offset};`,
		`const OVERRIDES = ${JSON.stringify(overrides)};`,
		"const ROLES = ['record_owner__c', 'sme__c', 'qa__c', 'approver__c', 'reviewer__c'];",
		'const out = new Array(N);',
		'for (let k = 0; k < N; k++) {',
		'  const i = OFFSET + k;',
		"  const row = { record_id: 'OP' + (4000001 + (i % 2000)), user_id: String(100100 + Math.floor(i / 2000)), application_role: ROLES[i % 5], operation: 'ADD' };",
		'  out[k] = { json: OVERRIDES[k] ? Object.assign(row, OVERRIDES[k]) : row };',
		'}',
		'return out;',
	].join('\n');
}

let position = 0;
function node(name: string, type: string, typeVersion: number, parameters: INode['parameters'], extra: Partial<INode> = {}): INode {
	position += 220;
	return { id: `bench-${name.replace(/\W+/g, '-').toLowerCase()}`, name, type, typeVersion, position: [position, 0], parameters, ...extra };
}

function chain(nodes: INode[]): IConnections {
	const connections: IConnections = {};
	for (let k = 0; k + 1 < nodes.length; k++) connections[nodes[k].name] = { main: [[{ node: nodes[k + 1].name, type: 'main' as never, index: 0 }]] };
	return connections;
}

function workflow(id: string, name: string, nodes: INode[]): Workflow {
	position = 0;
	return { id, name, nodes, connections: chain(nodes), active: false, settings: { executionOrder: 'v1' } };
}

const manual = () => node('Start', 'n8n-nodes-base.manualTrigger', 1, {});
const makeRows = (count: number, offset = '0', overrides?: Record<number, Record<string, string>>) =>
	node('Make rows', 'n8n-nodes-base.code', 2, { jsCode: makeRowsCode(count, offset, overrides) });

export const vaultNode = (extraOptions: Record<string, unknown> = {}, extra: Partial<INode> = {}) =>
	node(
		'Veeva Vault QMS',
		VAULT_NODE_TYPE,
		1,
		{ resource: 'qualityTeam', operation: 'manageAssignments', objectName: { __rl: true, mode: 'name', value: 'quality_event__qdm' }, options: { waitForCompletion: false, ...extraOptions } },
		{ credentials: { veevaVaultApi: CREDENTIAL }, ...extra },
	);

const login = (vaultUrl: string, user: { username: string; password: string }) =>
	node(
		'Login',
		'n8n-nodes-base.httpRequest',
		4.2,
		{
			method: 'POST',
			url: `${vaultUrl}/api/${API_VERSION}/auth`,
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: { parameters: [{ name: 'username', value: user.username }, { name: 'password', value: user.password }] },
			options: {},
		},
		{ executeOnce: true },
	);

const sendCsv = (name: string, vaultUrl: string, body: string) =>
	node(name, 'n8n-nodes-base.httpRequest', 4.2, {
		method: 'POST',
		url: `${vaultUrl}/api/${API_VERSION}${MANAGE_PATH}`,
		sendHeaders: true,
		headerParameters: {
			parameters: [
				{ name: 'Authorization', value: "={{ $('Login').first().json.sessionId }}" },
				{ name: 'Accept', value: 'application/json' },
			],
		},
		sendBody: true,
		contentType: 'raw',
		rawContentType: 'text/csv',
		body,
		options: {},
	});

/** The peer's Code node: CSV batches of 500 with RFC 4180 quoting, as a careful user writes it (Vault's backslash and CR rules are not in RFC 4180). */
export const PEER_CSV_CODE = [
	'// Vault CSV batches of 500 rows for Manage Quality Team Assignments',
	"const rows = $('Make rows').all();",
	"const columns = ['record_id', 'user_id', 'application_role', 'operation'];",
	'const cell = (value) => {',
	"  const text = value === undefined || value === null ? '' : String(value);",
	'  return /[",\\n\\r]/.test(text) ? \'"\' + text.replace(/"/g, \'""\') + \'"\' : text;',
	'};',
	'const batches = [];',
	'for (let start = 0; start < rows.length; start += 500) {',
	"  const lines = [columns.join(',')];",
	"  for (const row of rows.slice(start, start + 500)) lines.push(columns.map((column) => cell(row.json[column])).join(','));",
	"  batches.push({ json: { csv: lines.join('\\n'), rows: lines.length - 1 } });",
	'}',
	'return batches;',
].join('\n');

export const VAULT_NODE_NAMES = ['Veeva Vault QMS'];
export const PEER_NODE_NAMES = ['Login', 'Build CSV batches', 'Send batch'];
export const NAIVE_NODE_NAMES = ['Login', 'Send one row'];

export function nodeWorkflow(id: string, rows: number, overrides?: Record<number, Record<string, string>>, extra: Partial<INode> = {}, options: Record<string, unknown> = {}): Workflow {
	return workflow(id, `bench: Veeva Vault QMS node, ${rows} rows${options.dryRun ? ', dry run' : ''}`, [manual(), makeRows(rows, '0', overrides), vaultNode(options, extra)]);
}

export function peerWorkflow(id: string, rows: number, vaultUrl: string, user: { username: string; password: string }, overrides?: Record<number, Record<string, string>>): Workflow {
	return workflow(id, `bench: HTTP Request + Code peer, ${rows} rows`, [
		manual(),
		makeRows(rows, '0', overrides),
		login(vaultUrl, user),
		node('Build CSV batches', 'n8n-nodes-base.code', 2, { jsCode: PEER_CSV_CODE }),
		sendCsv('Send batch', vaultUrl, '={{ $json.csv }}'),
	]);
}

export function naiveWorkflow(id: string, rows: number, vaultUrl: string, user: { username: string; password: string }): Workflow {
	return workflow(id, `bench: one HTTP Request per item, ${rows} rows`, [
		manual(),
		login(vaultUrl, user),
		makeRows(rows),
		sendCsv(
			'Send one row',
			vaultUrl,
			'={{ "record_id,user_id,application_role,operation\\n" + [$json.record_id, $json.user_id, $json.application_role, $json.operation].join(",") }}',
		),
	]);
}

/** Queue mode: POST {"offset": n} → 1,000 rows from row n → the node; the webhook answers with the node's first item when the execution ends. */
export function queueWorkflow(id: string, rowsPerExecution: number): Workflow {
	const webhook = node(
		'Webhook',
		'n8n-nodes-base.webhook',
		2,
		{ httpMethod: 'POST', path: QUEUE_WEBHOOK_PATH, responseMode: 'lastNode', options: {} },
		{ webhookId: 'b7e0c1d2-5f43-4a8e-9b1c-0e5c4b3a2d10' },
	);
	return workflow(id, `bench: queue mode, ${rowsPerExecution} rows per webhook call`, [webhook, makeRows(rowsPerExecution, 'Number($input.first().json.body.offset)'), vaultNode()]);
}

export const ROSTER_NODE_NAMES = ['Read roster file', 'Veeva Vault QMS'];

/**
 * The nightly roster as a user builds it at 200,000 rows: the HR export read from disk
 * (n8n's Read/Write Files from Disk, its file in the binary field `data`) and handed to the node's
 * own CSV input (Input Source: CSV File, the header naming Vault's columns): no item per row
 * before the node, which reads the file itself (sources/csvFile.ts).
 */
export function rosterWorkflow(id: string, name: string, filePath: string, parameters: INode['parameters']): Workflow {
	return workflow(id, `bench: ${name}`, [
		manual(),
		node('Read roster file', 'n8n-nodes-base.readWriteFile', 1, { operation: 'read', fileSelector: filePath, options: {} }),
		node('Veeva Vault QMS', VAULT_NODE_TYPE, 1, { resource: 'qualityTeam', inputSource: 'binary', binaryPropertyName: 'data', ...parameters }, { credentials: { veevaVaultApi: CREDENTIAL } }),
	]);
}
