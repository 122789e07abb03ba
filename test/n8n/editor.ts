/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * The n8n editor in Debian's Chromium, driven by playwright-core: the node is added from the node
 * creator once per operation, and its fields, column mapping (loaded from the node's
 * resourceMapping method through n8n's REST API) and options are checked and photographed; then
 * the credential form for each authentication type, and a saved credential tested by n8n; the
 * node found by the words users search for ("vql" among them); every example imported from its
 * file with the editor's Import from File and run with the main button; and the README rendered.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import type { BrowserContext, Locator, Page } from 'playwright-core';

import { openEditor, stageRecorder, type Check, type Shoot } from './checks';
import { closeChromium, launchChromium } from './processes';

export interface EditorOptions {
	baseUrl: string;
	/** the n8n major version: the editor's markup differs in a few places between 1.x and 2.x */
	n8nMajor: number;
	/** each operation's action name ("resource/operation" -> action), read from the built node's description */
	actions: Record<string, string>;
	owner: { email: string; password: string };
	screenshots: string;
	sandboxUrl: string;
	demo: { username: string; password: string };
	/** the imported credential for the sandbox, chosen for the lists loaded from Vault */
	credentialName: string;
	/** the sandbox's request log as "METHOD path responseStatus" lines, and a way to clear it */
	sandboxLog(): Promise<string[]>;
	clearSandboxLog(): Promise<void>;
	onProblem(message: string): void;
	log(text: string): void;
	/** examples/*.json as shipped, for the editor's Import from File */
	examples: EditorExample[];
	/** the sandbox back to the demo Vault, before each example run */
	resetSandbox(): Promise<void>;
	/** README.md rendered to HTML (a file:// URL) */
	readmeUrl: string;
}

export interface EditorExample {
	file: string;
	path: string;
	/** the canvas nodes (sticky notes aside) and the triggers that are off */
	nodes: string[];
	disabledTriggers: string[];
	/** each Vault node's name and the subtitle the canvas must show under it */
	/** `afterApproval`: behind the example's approval form, so not run by the main button */
	vaultNodes: Array<{ name: string; subtitle: string; afterApproval?: boolean }>;
	/** an example without a Vault action node (a trigger's): the node whose run shows it worked */
	countedNode?: string;
}

export interface EditorResult {
	folder: string;
	screenshots: string[];
	checks: number;
}

const NODE_NAME = 'Veeva Vault QMS';
const OPTIONS = [
	'Attach CSV',
	'Batch Size',
	'Dry Run',
	'Max Attempts',
	'Max Batch Bytes',
	'Output',
	'Poll Interval (Seconds)',
	'Request Timeout (Seconds)',
	'Retry Wait (Seconds)',
	'Wait for Completion',
	'Wait Timeout (Minutes)',
];

interface OperationCase {
	resource: string;
	operation: string;
	/** parameter names that must show, and ones that must not */
	shown: string[];
	hidden: string[];
	/** words the panel shows (a notice has no input to find it by) */
	says?: string;
	/** columns under "Map Each Column Manually"; none = no column mapping */
	columns?: string[];
	/** the options offered, when not OPTIONS */
	options?: string[];
}

/** Manage Assignments' and Sync Members' extra options: where Verify and the sync read the teams */
const MEMBER_OPTIONS = ['Member Record Field', 'Member Role Field', 'Member User Field', 'Team Member Object', 'Verify'];
const SYNC_OPTIONS = ['Allow Empty Input', 'Max Removals', 'Output Unchanged Members', 'Plan Only'];
const withOptions = (extra: string[]) => [...OPTIONS, ...extra].sort((a, b) => a.localeCompare(b));

const DOCUMENT_COLUMNS = ['id', 'reviewer__v.users', 'reviewer__v.groups', 'approver__v.users', 'approver__v.groups'];
const OPERATIONS: OperationCase[] = [
	{
		resource: 'auditor',
		operation: 'associateRoles',
		shown: ['inputSource'],
		hidden: ['objectName', 'jobId'],
		columns: ['auditor_profile__v.name__v', 'auditor_role__v.name__v'],
	},
	{
		resource: 'qualityTeam',
		operation: 'manageAssignments',
		shown: ['objectName', 'findUsersBy', 'findRecordsBy', 'inputSource'],
		// Ignore Case shows only once Find Users By is Email or User Name (default: ID)
		hidden: ['recordColumn', 'jobId', 'findGroupsBy', 'query', 'scope', 'findUsersIgnoreCase'],
		columns: ['record_id', 'user_id', 'application_role', 'operation'],
		options: withOptions(MEMBER_OPTIONS),
	},
	{
		resource: 'qualityTeam',
		operation: 'syncMembers',
		shown: ['objectName', 'scope', 'findUsersBy', 'findRecordsBy', 'inputSource'],
		hidden: ['recordColumn', 'jobId', 'findGroupsBy', 'scopeRoles'],
		columns: ['record_id', 'user_id', 'application_role', 'operation'],
		options: withOptions([...MEMBER_OPTIONS, ...SYNC_OPTIONS]),
	},
	{
		resource: 'qualityTeam',
		operation: 'migrateMembers',
		shown: ['objectName', 'recordColumn', 'userColumn', 'roleColumn', 'inputSource'],
		hidden: ['jobId'],
		columns: ['quality_event__qdm.name__v', 'user__sys.global_id__sys', 'application_role__v.api_name__v'],
	},
	{
		resource: 'documentRole',
		operation: 'assign',
		shown: ['documentRoles', 'findUsersBy', 'findGroupsBy', 'inputSource'],
		hidden: ['objectName', 'jobId', 'findRecordsBy', 'findUsersIgnoreCase'],
		columns: DOCUMENT_COLUMNS,
	},
	{
		resource: 'documentRole',
		operation: 'remove',
		shown: ['documentRoles', 'inputSource'],
		hidden: ['objectName', 'jobId'],
		columns: DOCUMENT_COLUMNS,
	},
	{
		resource: 'vql',
		operation: 'query',
		shown: ['query', 'returnAll'],
		hidden: ['objectName', 'inputSource', 'jobId', 'findUsersBy'],
	},
	{
		// issue 22: Describe Teams has no setting, only the notice saying what it reads and who may
		resource: 'qualityTeam',
		operation: 'describeTeams',
		shown: [],
		says: 'Outputs one item per Quality Team of this Vault',
		hidden: ['objectName', 'inputSource', 'jobId', 'query'],
	},
	{
		resource: 'job',
		operation: 'getStatus',
		shown: ['jobId'],
		hidden: ['objectName', 'inputSource'],
	},
];

/** descriptions/toolFields.ts: shown only when the node is an AI agent's tool */
const TOOL_ONLY_FIELDS = ['toolDescription', 'agentWrites', 'agentRemovals', 'agentRowCap'];

const AUTH_TYPES = [
	{ name: 'Session ID', value: 'sessionId', fields: ['sessionToken'], hidden: ['username', 'password', 'oauthProfileId'] },
	{ name: 'OAuth 2.0 / OpenID Connect', value: 'oauth', fields: ['oauthProfileId', 'accessToken', 'oauthLoginHost', 'oauthClientId', 'allowAnyOauthLoginHost'], hidden: ['username', 'sessionToken'] },
	{ name: 'Username & Password', value: 'password', fields: ['username', 'password'], hidden: ['sessionToken', 'oauthProfileId'] },
];

const testId = (id: string) => `[data-test-id="${id}"]`;

/**
 * A collection's "Add option" control. n8n 2.x: a button with its own test id that opens a list.
 * n8n 1.x (checked in 1.123.81's CollectionParameter): a select with no test id of its own, in the
 * collection's `.add-option` box; its entries carry the same `collection-parameter-option` test id.
 */
const addOptionSelector = (n8nMajor: number) => (n8nMajor >= 2 ? testId('collection-parameter-add') : '.collection-parameter .add-option');

export async function runEditorChecks(options: EditorOptions): Promise<EditorResult> {
	rmSync(options.screenshots, { recursive: true, force: true });
	const { result: recorded, check, shoot } = stageRecorder(options.screenshots, 'editor: ', options.onProblem);
	const result: EditorResult = Object.assign(recorded, { folder: options.screenshots });

	const browser = await launchChromium();
	try {
		const { context, page } = await openEditor(browser, options.baseUrl, options.owner);

		let ndv: Locator | undefined;
		for (const [index, op] of OPERATIONS.entries()) {
			const label = `${op.resource}/${op.operation}`;
			try {
				// the node creator lists the operation by its action name, as the node's description gives it
				const action = options.actions[label];
				if (!action) throw new Error(`the node's description has no action for ${label}`);
				ndv = await addNodeWithAction(page, options.baseUrl, action, index === 0 ? async () => options.log(`node creator: ${await shoot(page, 'node-creator')}`) : undefined);
				const shownOk = await allVisible(ndv, op.shown);
				const hiddenOk = await noneVisible(ndv, op.hidden);
				check(shownOk.length === 0, `${label}: fields missing: ${shownOk.join(', ')}`);
				check(hiddenOk.length === 0, `${label}: fields that should not show: ${hiddenOk.join(', ')}`);
				// the fields of the tool variant only (descriptions/toolFields.ts, `@tool`): never on the plain node; agent.ts sees them on the tool
				const toolOnly = await noneVisible(ndv, TOOL_ONLY_FIELDS);
				check(toolOnly.length === 0, `${label}: the plain node shows fields meant for its AI tool variant only: ${toolOnly.join(', ')}`);
				if (op.says) check((await ndv.innerText()).replace(/\s+/g, ' ').includes(op.says), `${label}: the panel does not say "${op.says}"`);
				let columnsText = 'no column mapping';
				let optionsText = 'no options';
				if (op.columns) {
					const columns = await mapEachColumn(page, ndv);
					const missing = op.columns.filter((column) => !columns.includes(column));
					check(missing.length === 0, `${label}: columns missing under "Map Each Column Manually": ${missing.join(', ')} (shown: ${columns.join(', ')})`);
					columnsText = `columns ${columns.join(', ')}`;
					const offered = await optionNames(page, ndv, options.n8nMajor, 'Poll Interval (Seconds)');
					check(JSON.stringify(offered) === JSON.stringify(op.options ?? OPTIONS), `${label}: options offered ${JSON.stringify(offered)}`);
					optionsText = `${offered.length} options`;
				} else {
					check((await ndv.locator(testId('resource-mapper-container')).count()) === 0, `${label}: shows a column mapping`);
					check((await ndv.locator(addOptionSelector(options.n8nMajor)).count()) === 0, `${label}: shows options`);
				}
				const file = await shoot(page, `operation-${op.resource}-${op.operation}`);
				options.log(`${label}: fields ${op.shown.join(', ')}; ${columnsText}; ${optionsText} -> ${file}`);
			} catch (error) {
				check(false, `${label}: ${(error as Error).message.split('\n')[0]}`);
				await shoot(page, `failed-${op.resource}-${op.operation}`).catch(() => undefined);
			}
		}

		// the credential form, from the last node's credential select: each authentication type's fields
		try {
			if (!ndv) throw new Error('no node open');
			await ndv.locator(testId('node-credentials-select')).click();
			await page.locator(testId('node-credentials-select-item-new')).click();
			const modal = page.locator(testId('editCredential-modal'));
			await modal.locator(testId('parameter-input-vaultDns')).waitFor();
			for (const auth of AUTH_TYPES) {
				await chooseOption(page, modal.locator(testId('parameter-input-authentication')), auth.name);
				const missing = await allVisible(modal, ['vaultDns', 'apiVersion', 'clientId', ...auth.fields]);
				const extra = await noneVisible(modal, auth.hidden);
				check(missing.length === 0, `credential form, ${auth.name}: fields missing: ${missing.join(', ')}`);
				check(extra.length === 0, `credential form, ${auth.name}: fields that should not show: ${extra.join(', ')}`);
				await modal.locator(testId(`parameter-input-${auth.fields[auth.fields.length - 1]}`)).scrollIntoViewIfNeeded();
				await page.waitForTimeout(500);
				const file = await shoot(page, `credential-${auth.value}`);
				options.log(`credential form, ${auth.name}: fields ${auth.fields.join(', ')} -> ${file}`);
			}
			// save a Username & Password credential for the sandbox: n8n tests it (preAuthentication, then the test request)
			await fill(modal, 'vaultDns', options.sandboxUrl);
			await fill(modal, 'username', options.demo.username);
			await fill(modal, 'password', options.demo.password);
			await options.clearSandboxLog();
			await modal.locator(testId('credential-save-button')).click();
			// n8n tests the credential on save (preAuthentication logs in, then the test request);
			// opened from a node, the form closes when the test passed, else it shows the error
			const outcome = await Promise.race([
				modal.getByText(/Connection tested successfully/i).waitFor().then(() => 'success message'),
				modal.waitFor({ state: 'hidden' }).then(() => 'form closed'),
				modal.getByText(/Couldn.t connect|error/i).first().waitFor().then(() => 'error shown'),
			]).catch(() => 'nothing within 30 s');
			await page.waitForTimeout(1000);
			const requests = await options.sandboxLog();
			const selected = ndv ? (await ndv.locator(`${testId('node-credentials-select')} input`).first().inputValue().catch(() => '')).trim() : '';
			const file = await shoot(page, 'credential-saved-and-tested');
			const testedOk = requests.some((entry) => /^POST \/api\/[^/]+\/auth SUCCESS/.test(entry)) && requests.some((entry) => /^GET \/api\/[^/]+\/objects\/users\/me SUCCESS/.test(entry));
			check(outcome !== 'error shown' && outcome !== 'nothing within 30 s', `saving the credential: ${outcome} (see ${file})`);
			check(testedOk, `n8n's credential test did not log in and call users/me: ${JSON.stringify(requests)}`);
			options.log(`credential saved (${outcome}; the node now uses "${selected}"); the sandbox saw n8n's test: ${requests.join(', ')} -> ${file}`);
		} catch (error) {
			check(false, `credential form: ${(error as Error).message.split('\n')[0]}`);
			await shoot(page, 'failed-credential').catch(() => undefined);
		}

		// lists loaded from the sandbox through the node's listSearch / loadOptions / resourceMapping
		// methods, with the imported credential: the node found by the words users search for, the
		// object picker, the typed column mapper and the document role list
		try {
			await page.goto(`${options.baseUrl}/workflow/new`);
			await page.locator(testId('canvas-add-button')).click();
			const search = page.locator(testId('node-creator-search-bar'));
			for (const words of ['quality team', 'auditor', 'document role', 'vql', 'query']) {
				await search.fill(words);
				const found = await page
					.locator(testId('node-creator-item-name'))
					.getByText(NODE_NAME, { exact: true })
					.first()
					.waitFor({ timeout: 10_000 })
					.then(
						() => true,
						() => false,
					);
				check(found, `node creator: searching "${words}" does not offer ${NODE_NAME}`);
				if (words === 'quality team' || words === 'vql') options.log(`node creator, searching "${words}": ${found ? 'found' : 'NOT found'} -> ${await shoot(page, `search-${words.replace(/ /g, '-')}`)}`);
				else options.log(`node creator, searching "${words}": ${found ? 'found' : 'NOT found'}`);
			}
			await search.fill('quality team');
			await page.locator(testId('node-creator-item-name')).getByText(NODE_NAME, { exact: true }).first().click();
			const manageAction = options.actions['qualityTeam/manageAssignments'];
			await openActions(page, manageAction);
			await page.locator(testId('node-creator-item-name')).getByText(manageAction, { exact: true }).click();
			const manage = page.locator(testId('ndv'));
			await manage.locator(testId('parameter-input-operation')).waitFor();
			await useCredential(page, manage, options.credentialName);

			// the locator's value box (not its mode select) opens the list: n8n's rlc-input, else the box showing "Choose..."
			await openResourceList(manage.locator(testId('parameter-input-objectName')));
			const items = page.locator(`${testId('rlc-item')}:visible`);
			await items.first().waitFor();
			await page.waitForTimeout(500); // the list fades in: photograph it settled
			const listed = (await items.allInnerTexts()).map((text) => text.trim());
			const firstFive = listed.slice(0, 5);
			check(listed.includes('Quality Event (quality_event__qdm)'), `object picker: Quality Event not listed (${listed.join(', ')})`);
			check(firstFive.every((name) => /__(qdm|v)\)$/.test(name) && !/quality_team_member/.test(name)), `object picker: the team-enabled objects are not first (${firstFive.join(', ')})`);
			// issue 22, item 5: from Vault's team definitions, so complaint__qdm (whose member objects follow no name pattern) is among them
			check(listed.slice(0, 6).includes('Complaint (complaint__qdm)'), `object picker: complaint__qdm, which has Quality Teams, is not among the first six (${listed.slice(0, 6).join(', ')})`);
			options.log(`object picker (From list): ${listed.length} objects, first ${firstFive.join(', ')} -> ${await shoot(page, 'object-picker')}`);
			await items.filter({ hasText: 'Quality Event (quality_event__qdm)' }).first().click();

			const columns = await mapEachColumn(page, manage);
			check(JSON.stringify(columns) === JSON.stringify(['record_id', 'user_id', 'application_role', 'operation']), `typed mapper: columns ${columns.join(', ')}`);
			const operations = await selectOptions(page, manage.locator(`${testId('mapping-fields-container')} ${testId('parameter-input-operation')}`));
			check(JSON.stringify(operations) === JSON.stringify(['ADD', 'REMOVE']), `typed mapper: operation offers ${JSON.stringify(operations)}`);
			const roles = await selectOptions(page, manage.locator(`${testId('mapping-fields-container')} ${testId('parameter-input-application_role')}`));
			check(roles.includes('QA (qa__c)'), `typed mapper: application_role offers ${JSON.stringify(roles)}`);
			// issue 22, item 4: the roles of the chosen object's Quality Team (quality_event_team__c's five), each "label (api name)"
			check(
				JSON.stringify([...roles].sort()) === JSON.stringify(['Approver (approver__c)', 'QA (qa__c)', 'Record Owner (record_owner__c)', 'Reviewer (reviewer__c)', 'SME (sme__c)']),
				`typed mapper: application_role does not offer quality_event_team__c's roles: ${JSON.stringify(roles)}`,
			);
			options.log(`typed mapper: operation ${operations.join('/')}; application_role ${roles.join(', ')} -> ${await shoot(page, 'typed-mapper')}`);

			const assign = await addNodeWithAction(page, options.baseUrl, options.actions['documentRole/assign']);
			await useCredential(page, assign, options.credentialName);
			const documentRoles = await selectOptions(page, assign.locator(testId('parameter-input-documentRoles')), true);
			check(['approver__v', 'consumer__v', 'reviewer__v'].every((role) => documentRoles.includes(role)), `document roles: the list offers ${JSON.stringify(documentRoles)}`);
			options.log(`document roles (loaded from the sandbox): ${documentRoles.join(', ')} -> ${await shoot(page, 'document-roles')}`);
			await page.keyboard.press('Escape');
		} catch (error) {
			check(false, `lists from Vault: ${(error as Error).message.split('\n')[0]}`);
			await shoot(page, 'failed-lists').catch(() => undefined);
		}

		for (const example of options.examples) {
			await importAndRun(page, options, example, check, shoot).catch(async (error: Error) => {
				check(false, `examples/${example.file} in the editor: ${error.message.split('\n')[0]}`);
				await shoot(page, `failed-example-${example.file.replace(/\.json$/, '')}`).catch(() => undefined);
			});
		}

		const capa = options.examples.find((example) => example.file === TRIGGER_EXAMPLE);
		if (check(capa !== undefined, `examples/${TRIGGER_EXAMPLE} is not among the examples`) && capa) {
			await triggerPanel(page, options, capa, check, shoot).catch(async (error: Error) => {
				check(false, `the trigger's panel: ${error.message.split('\n')[0]}`);
				await shoot(page, 'failed-trigger-panel').catch(() => undefined);
			});
		}

		await readmeFirstScreen(context, options, check, shoot).catch((error: Error) => check(false, `README rendered: ${error.message.split('\n')[0]}`));
	} finally {
		await closeChromium(browser);
	}
	return result;
}


/**
 * An example as a user meets it: a new workflow, Import from File with the file as shipped, the
 * main "Execute workflow" button. It must run "Try it" (the real trigger is off), reach Vault
 * through the imported credential, and show each Vault node's operation by name under it.
 */
async function importAndRun(page: Page, options: EditorOptions, example: EditorExample, check: Check, shoot: Shoot): Promise<void> {
	await options.resetSandbox();
	await options.clearSandboxLog();
	await page.goto(`${options.baseUrl}/workflow/new`);
	await page.locator(testId('canvas-add-button')).waitFor();
	await page.locator(testId('workflow-import-input')).setInputFiles(example.path);
	const canvasNode = (name: string) => page.locator(testId('canvas-node')).filter({ hasText: name }).first();
	await canvasNode('Try it').waitFor();
	await page.waitForTimeout(1000);
	const shown = await page.locator(testId('canvas-node')).count();
	check(shown === example.nodes.length, `examples/${example.file}: the editor shows ${shown} nodes after Import from File, the file has ${example.nodes.length}`);
	const note = await page.getByText('Credential: Veeva Vault API').first().isVisible().catch(() => false);
	check(note, `examples/${example.file}: the sticky note naming the credential is not shown`);
	const button = page.locator(testId('execute-workflow-button')).first();
	const label = (await button.innerText()).replace(/\s+/g, ' ').trim();
	check(!/from/i.test(label) || label.includes('Try it'), `examples/${example.file}: the main button reads "${label}", not a run of "Try it"`);
	await button.click();
	const ran = example.vaultNodes.filter((node) => !node.afterApproval);
	const vaultOk = await Promise.all(
		ran.map(async (node) => await canvasNode(node.name).locator(testId('canvas-node-status-success')).waitFor({ timeout: 120_000 }).then(() => true, () => false)),
	);
	// waited for, not only looked at: an example without a Vault node has nothing above to wait on
	const succeeded = async (name: string) =>
		await canvasNode(name).locator(testId('canvas-node-status-success')).waitFor({ timeout: 120_000 }).then(() => true, () => false);
	const tryItRan = await succeeded('Try it');
	check(tryItRan, `examples/${example.file}: the main button did not run "Try it"`);
	if (example.countedNode) check(await succeeded(example.countedNode), `examples/${example.file}: "${example.countedNode}" did not succeed`);
	check(vaultOk.every(Boolean), `examples/${example.file}: a Vault node did not succeed (${ran.map((node, index) => `${node.name}: ${vaultOk[index] ? 'success' : 'no success'}`).join(', ')})`);
	for (const trigger of example.disabledTriggers) {
		check(!(await canvasNode(trigger).locator(testId('canvas-node-status-success')).isVisible()), `examples/${example.file}: the trigger "${trigger}", which is off, ran`);
	}
	const subtitles: string[] = [];
	for (const node of example.vaultNodes) {
		const text = (await canvasNode(node.name).innerText()).replace(/\s+/g, ' ');
		subtitles.push(`${node.name}: ${node.subtitle}`);
		check(text.includes(node.subtitle), `examples/${example.file}: the canvas shows "${text}" for ${node.name}, not the subtitle "${node.subtitle}"`);
	}
	const requests = (await options.sandboxLog()).filter((entry) => !/\/auth /.test(entry));
	// an example without a Vault action node (Quality Team changed → notify) posts to a webhook, not to Vault
	if (example.vaultNodes.length > 0) check(requests.length > 0, `examples/${example.file}: the editor's run sent nothing to Vault`);
	const file = await shoot(page, `example-${example.file.replace(/\.json$/, '')}`);
	// the workflow alone (every node and the sticky note, not the empty canvas around them): the picture the README opens with
	const boxes = (await Promise.all((await page.locator('.vue-flow__node').all()).map(async (node) => await node.boundingBox()))).filter((box) => box !== null);
	if (boxes.length > 0) {
		const left = Math.max(0, Math.min(...boxes.map((box) => box.x)) - 24);
		const top = Math.max(0, Math.min(...boxes.map((box) => box.y)) - 24);
		// node names and subtitles hang below and beside their boxes
		const right = Math.max(...boxes.map((box) => box.x + box.width)) + 80;
		const bottom = Math.max(...boxes.map((box) => box.y + box.height)) + 56;
		await page.addStyleTag({ content: '.el-notification { display: none !important; }' });
		const canvas = join(options.screenshots, `example-${example.file.replace(/\.json$/, '')}-canvas.png`);
		await page.screenshot({ path: canvas, clip: { x: left, y: top, width: right - left, height: bottom - top } });
	}
	options.log(`examples/${example.file}: Import from File, ${shown} nodes; main button "${label}" ran Try it; ${subtitles.join('; ')}; the sandbox saw ${requests.length} calls (${requests.slice(0, 3).join(', ')}${requests.length > 3 ? ', …' : ''}) -> ${file}`);
}

const TRIGGER_EXAMPLE = 'new-capa-staff-team.json';
const TRIGGER_NODE = 'New CAPA in Vault';

/**
 * The Veeva Vault QMS Trigger's panel, opened from the CAPA example as imported: its fields (Event, Object,
 * On, Fields to Return; Poll Times, which n8n adds to every polling node), the object it watches, and
 * n8n's "Fetch Test Event" button that a polling trigger gets. Screenshot: trigger-panel.png.
 */
async function triggerPanel(page: Page, options: EditorOptions, example: EditorExample, check: Check, shoot: Shoot): Promise<void> {
	await options.resetSandbox();
	await page.goto(`${options.baseUrl}/workflow/new`);
	await page.locator(testId('canvas-add-button')).waitFor();
	await page.locator(testId('workflow-import-input')).setInputFiles(example.path);
	const node = page.locator(testId('canvas-node')).filter({ hasText: TRIGGER_NODE }).first();
	await node.waitFor();
	await node.dblclick();
	const ndv = page.locator(testId('ndv'));
	await ndv.locator(testId('parameter-input-event')).waitFor();
	const missing = await allVisible(ndv, ['event', 'objectName', 'on', 'fields']);
	check(missing.length === 0, `the trigger's panel lacks ${missing.join(', ')}`);
	// a chosen option shows as an input's value, which innerText leaves out
	const values = await ndv.locator('input').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value));
	const text = `${await ndv.innerText()} ${values.join(' ')}`.replace(/\s+/g, ' ');
	check(text.includes('Record Created or Updated'), 'the trigger\'s panel does not show the event "Record Created or Updated"');
	check(text.includes('quality_event__qdm'), 'the trigger\'s panel does not show the object quality_event__qdm');
	check(/Poll Times/i.test(text), 'the trigger\'s panel has no Poll Times (n8n adds them to a polling node)');
	check(/Fetch Test Event/i.test(text), 'the trigger\'s panel has no "Fetch Test Event" button');
	options.log(`the trigger's panel: Event, Object, On, Fields to Return, Poll Times and Fetch Test Event shown -> ${await shoot(page, 'trigger-panel')}`);
	await page.keyboard.press('Escape');
}

/** README.md rendered, as the first screen of a 1280×900 window shows it, and whole. */
async function readmeFirstScreen(context: BrowserContext, options: EditorOptions, check: Check, shoot: Shoot): Promise<void> {
	const page = await context.newPage();
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(options.readmeUrl);
	await page.waitForLoadState('load');
	type Image = { complete: boolean; naturalWidth: number; getAttribute(name: string): string | null; getBoundingClientRect(): { top: number } };
	const images = await page.locator('img').evaluateAll((elements) =>
		elements.map((element) => {
			const image = element as unknown as Image;
			return { src: image.getAttribute('src'), loaded: image.complete && image.naturalWidth > 0, top: image.getBoundingClientRect().top };
		}),
	);
	const title = await page.locator('h1').first().innerText();
	check(images.length > 0 && images[0].loaded && images[0].top < 900, `README: the first screen has no loaded screenshot (${JSON.stringify(images)})`);
	check(images.every((image) => image.loaded), `README: images that do not load: ${images.filter((image) => !image.loaded).map((image) => image.src).join(', ')}`);
	const first = await shoot(page, 'readme-first-screen');
	await page.screenshot({ path: join(options.screenshots, 'readme-full.png'), fullPage: true });
	options.log(`README rendered (marked): "${title}", ${images.length} image(s), the first at ${Math.round(images[0]?.top ?? -1)} px -> ${first}, whole page -> ${join(options.screenshots, 'readme-full.png')}`);
	await page.close();
}

/** A new workflow; the node creator; the node; one of its actions: the node's details view opens. */
async function addNodeWithAction(page: Page, baseUrl: string, action: string, onCreatorOpen?: () => Promise<void>): Promise<Locator> {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.locator(testId('canvas-add-button')).click();
	await page.locator(testId('node-creator-search-bar')).fill(NODE_NAME);
	await page.locator(testId('node-creator-item-name')).getByText(NODE_NAME, { exact: true }).click();
	await openActions(page, action);
	if (onCreatorOpen) await onCreatorOpen();
	await page.locator(testId('node-creator-item-name')).getByText(action, { exact: true }).click();
	const ndv = page.locator(testId('ndv'));
	await ndv.locator(testId('parameter-input-operation')).waitFor();
	return ndv;
}

/**
 * The package has an action node and a trigger, which n8n's node creator shows as one entry with
 * "Triggers (n)" and "Actions (n)": on an empty canvas the triggers are open and the actions folded.
 */
async function openActions(page: Page, action: string): Promise<void> {
	const item = page.locator(testId('node-creator-item-name')).getByText(action, { exact: true });
	const folded = page.getByText(/^Actions \(\d+\)$/).first();
	await Promise.race([item.waitFor(), folded.waitFor()]);
	await page.waitForTimeout(500); // the panel slides in: let it settle before telling folded from open
	if (!(await item.isVisible())) await folded.click();
	await item.waitFor();
}

async function allVisible(scope: Locator, names: string[]): Promise<string[]> {
	const missing: string[] = [];
	for (const name of names) {
		const visible = await scope
			.locator(testId(`parameter-input-${name}`))
			.first()
			.waitFor({ timeout: 5000 })
			.then(
				() => true,
				() => false,
			);
		if (!visible) missing.push(name);
	}
	return missing;
}

async function noneVisible(scope: Locator, names: string[]): Promise<string[]> {
	const shown: string[] = [];
	for (const name of names) if ((await scope.locator(testId(`parameter-input-${name}`)).count()) > 0) shown.push(name);
	return shown;
}

/** Clicks a resource locator's value box, whichever markup this n8n gives it. */
async function openResourceList(locator: Locator): Promise<void> {
	const candidates = [locator.locator(testId('rlc-input')).first(), locator.getByPlaceholder('Choose...').first(), locator.getByText('Choose...').first(), locator.locator('input').last()];
	for (const candidate of candidates) {
		if ((await candidate.count()) === 0) continue;
		if (await candidate.click({ timeout: 5000 }).then(() => true, () => false)) return;
	}
	throw new Error('the object picker has no value box to click');
}

/** Chooses the named credential in the node's credential select, if it is not chosen already. */
async function useCredential(page: Page, ndv: Locator, name: string): Promise<void> {
	const select = ndv.locator(testId('node-credentials-select'));
	await select.waitFor();
	const current = (await select.locator('input').first().inputValue().catch(() => '')).trim();
	if (current === name) return;
	await select.click();
	// an entry reads "<name> <credential type>": the one whose text starts with the name exactly
	const entries = page.locator('[role=option]:visible');
	await entries.first().waitFor();
	const texts = (await entries.allInnerTexts()).map((text) => text.trim());
	const index = texts.findIndex((text) => text === name || (text.startsWith(name) && /^\s/.test(text.slice(name.length))));
	if (index < 0) throw new Error(`no credential named "${name}" among ${JSON.stringify(texts)}`);
	await entries.nth(index).click();
	await page.waitForTimeout(500);
}

/** The names a select offers (opened, read, closed again). */
async function selectOptions(page: Page, select: Locator, multiple = false): Promise<string[]> {
	await select.click();
	const offered = page.locator('[role=option]:visible');
	await offered.first().waitFor();
	await page.waitForTimeout(multiple ? 1500 : 300);
	const names = (await offered.allInnerTexts()).map((text) => text.trim().split('\n')[0].trim());
	await page.keyboard.press('Escape');
	await offered.first().waitFor({ state: 'hidden' }).catch(() => undefined);
	return names;
}

/** Picks an option of an n8n select by its visible name. */
async function chooseOption(page: Page, select: Locator, name: string): Promise<void> {
	await select.click();
	await page.locator('[role=option]:visible').filter({ hasText: name }).first().click();
}

async function fill(scope: Locator, name: string, value: string): Promise<void> {
	await scope.locator(`${testId(`parameter-input-${name}`)} input`).first().fill(value);
}

/** Switches the column mapping to "Map Each Column Manually" and reads the columns n8n loaded. */
async function mapEachColumn(page: Page, ndv: Locator): Promise<string[]> {
	await chooseOption(page, ndv.locator(testId('mapping-mode-select')), 'Map Each Column Manually');
	const fields = ndv.locator(`${testId('mapping-fields-container')} [data-test-id^="parameter-input-"]`);
	await fields.first().waitFor();
	const ids = await fields.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-test-id') ?? ''));
	return ids.map((id) => id.replace(/^parameter-input-/, '')).filter((id) => id && id !== 'field');
}

/** The names "Add option" offers; then adds `add` so one option shows in the form. */
async function optionNames(page: Page, ndv: Locator, n8nMajor: number, add: string): Promise<string[]> {
	await ndv.locator(addOptionSelector(n8nMajor)).first().click();
	const offered = page.locator(`${testId('collection-parameter-option')}:visible`);
	await offered.first().waitFor();
	const names = (await offered.allInnerTexts()).map((text) => text.trim());
	await offered.filter({ hasText: add }).first().click();
	await offered.first().waitFor({ state: 'hidden' }).catch(() => undefined);
	await page.waitForTimeout(500);
	return names;
}
