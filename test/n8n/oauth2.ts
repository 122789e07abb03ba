/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * The Veeva Vault OAuth2 API credential in a real n8n, against the sandbox's identity provider
 * (test/sandbox/handlers/authorizationServer.ts): authorization code with PKCE connected in the
 * editor through Chromium ("Connect my account": n8n's popup, the identity provider's redirect back
 * to n8n's callback, n8n's own token request), and client credentials without a browser: saved in
 * the editor, whose Test credential on save is the credential's own `test` request (Vault's exchange,
 * credentials/oauth2TestRequest.ts), which makes n8n fetch and store the token, as on first use.
 * Written for `npm run test:n8n`; each step says what it saw.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import type { SandboxClient } from '../sandbox/client';
import { SANDBOX_OAUTH_CLIENT } from '../sandbox/state/authorizationServer';
import { openEditor, stageRecorder, type Check, type Shoot } from './checks';
import { rawOutputRun, START_NODE, VAULT_NODE_TYPE } from './examples';
import { closeChromium, launchChromium, type CommandResult } from './processes';

export interface OAuth2CheckOptions {
	baseUrl: string;
	owner: { email: string; password: string };
	/** the sandbox's first Vault, which also serves its identity provider */
	sandboxUrl: string;
	/** the sandbox's listener that records whatever reaches it: an OAuth Login Host the node refuses */
	elsewhereUrl: string;
	/** 1 or 2: n8n 1.x's OAuth2 helper runs no preAuthentication, so it says "not connected" in its own words */
	n8nMajor: number;
	/** e.g. 2.41.1: from 2.41 n8n's request test holds only the editor's data (a stored token reads `true`) */
	n8nVersion: string;
	sandbox: SandboxClient;
	screenshots: string;
	onProblem(message: string): void;
	log(text: string): void;
	/** n8n's CLI (import:workflow, execute), as e2e.ts runs it, and the run's work folder */
	n8n(args: string[]): Promise<CommandResult>;
	runDir: string;
}

const TYPE = 'veevaVaultOAuth2Api';
const testId = (id: string) => `[data-test-id="${id}"]`;

function credentialData(sandboxUrl: string, grantType: 'pkce' | 'clientCredentials', oauthLoginHost = sandboxUrl) {
	return {
		grantType,
		authUrl: `${sandboxUrl}/oauth2/authorize`,
		accessTokenUrl: `${sandboxUrl}/oauth2/token`,
		clientId: SANDBOX_OAUTH_CLIENT.clientId,
		clientSecret: SANDBOX_OAUTH_CLIENT.clientSecret,
		scope: 'openid offline_access',
		authentication: 'header',
		vaultDns: sandboxUrl,
		apiVersion: 'v25.3',
		vaultClientId: 'n8n-nodes-veeva-vault-qms',
		oauthProfileId: 'sandbox-oidc',
		oauthLoginHost,
	};
}

export async function runOAuth2Checks(options: OAuth2CheckOptions): Promise<{ checks: number; screenshots: string[] }> {
	const { result, check, shoot } = stageRecorder(options.screenshots, 'OAuth2 credential: ', options.onProblem);
	const browser = await launchChromium();
	try {
		const { page } = await openEditor(browser, options.baseUrl, options.owner);
		await options.sandbox.reset();
		await connectInEditor(page, options, check, shoot).catch(async (error: Error) => {
			check(false, `PKCE in the editor: ${error.message.split('\n')[0]}`);
			await shoot(page, 'oauth2-failed').catch(() => undefined);
		});
		await saveInEditor(page, options, check, shoot).catch(async (error: Error) => {
			check(false, `client credentials saved in the editor: ${error.message.split('\n')[0]}`);
			await shoot(page, 'oauth2-client-credentials-save-failed').catch(() => undefined);
		});
		await refusedLoginHost(page, options, check).catch((error: Error) => check(false, `a refused OAuth Login Host: ${error.message.split('\n')[0]}`));
		await clientCredentials(page, options, check).then(
			(file) => result.screenshots.push(file),
			(error: Error) => check(false, `client credentials: ${error.message.split('\n')[0]}`),
		);
	} finally {
		await closeChromium(browser);
	}
	return result;
}


/** A saved credential (n8n's REST API, as the editor's Save does); its id. */
async function createCredential(page: Page, options: OAuth2CheckOptions, name: string, grantType: 'pkce' | 'clientCredentials', oauthLoginHost?: string): Promise<string> {
	const created = await page.request.post(`${options.baseUrl}/rest/credentials`, { data: { name, type: TYPE, data: credentialData(options.sandboxUrl, grantType, oauthLoginHost) } });
	if (!created.ok()) throw new Error(`POST /rest/credentials answered ${created.status()}: ${(await created.text()).slice(0, 300)}`);
	return ((await created.json()) as { data: { id: string } }).data.id;
}

/** "Connect my account": n8n's popup to the identity provider, which redirects back to n8n's callback; n8n fetches the token itself. */
async function connectInEditor(page: Page, options: OAuth2CheckOptions, check: Check, shoot: Shoot): Promise<void> {
	const id = await createCredential(page, options, 'Vault OAuth2 (sandbox, PKCE)', 'pkce');
	await page.goto(`${options.baseUrl}/home/credentials/${id}`);
	const modal = page.locator(testId('editCredential-modal'));
	await modal.waitFor();
	options.log(`OAuth2 credential form: ${await shoot(page, 'oauth2-credential-form')}`);
	// n8n 2.40 labels the button "Connect" in the "Connect your account" banner; older editors "Connect my account"
	const popup = page.context().waitForEvent('page').then(
		(opened) => opened,
		() => undefined,
	);
	await modal.getByRole('button', { name: /^\s*Connect( my account)?\s*$/i }).first().click();
	const window = await popup;
	if (!window) throw new Error('no identity provider window opened after Connect');
	await window.waitForEvent('close', { timeout: 30_000 }).catch(() => undefined);
	const connected = await modal
		.locator(testId('oauth-connect-success-banner'))
		.waitFor({ timeout: 30_000 })
		.then(() => true, () => false);
	check(connected, 'the editor did not show "Account connected" after Connect my account');
	options.log(`OAuth2 credential connected (authorization code with PKCE through Chromium): ${await shoot(page, 'oauth2-credential-connected')}`);
	const { grants } = await options.sandbox.oauth();
	check(
		grants.some((grant) => grant.grantType === 'authorization_code' && grant.outcome === 'issued'),
		`n8n did not get a token for the code at the sandbox's identity provider (grants: ${JSON.stringify(grants)})`,
	);
	options.log(`identity provider grants after Connect: ${JSON.stringify(grants)}`);
	// the editor offers no Test for a browser-connected credential; n8n's test answers it through the REST API
	await options.sandbox.clearLog();
	const tested = await testCredential(page, options, id);
	const exchanges = (await options.sandbox.log()).filter((entry) => entry.path.startsWith('/auth/oauth/session/')).map((entry) => entry.responseStatus);
	const [major, minor] = options.n8nVersion.split('.').map(Number);
	if (major > 2 || (major === 2 && minor >= 41))
		check(tested.status === 'Error' && /^Connected, but this n8n version gives Test credential/.test(tested.message ?? '') && exchanges.length === 0, `PKCE connected (n8n ${options.n8nVersion}): Test credential ${JSON.stringify(tested)}, Vault exchanges ${JSON.stringify(exchanges)}`);
	else check(tested.status === 'OK' && exchanges.includes('SUCCESS'), `PKCE connected: Test credential ${JSON.stringify(tested)}, Vault exchanges ${JSON.stringify(exchanges)}`);
	const unconnected = await testCredential(page, options, await createCredential(page, options, 'Vault OAuth2 (sandbox, PKCE, never connected)', 'pkce'));
	const saysConnect = options.n8nMajor < 2 || /^Not connected yet: open the credential and click "Connect my account"/.test(unconnected.message ?? '');
	check(unconnected.status === 'Error' && saysConnect, `PKCE never connected: Test credential ${JSON.stringify(unconnected)}`);
	options.log(`PKCE: Test credential (POST /rest/credentials/test) connected -> ${tested.status}: ${tested.message}, Vault exchanges ${JSON.stringify(exchanges)}; never connected -> ${unconnected.status}: ${unconnected.message}`);
}

/**
 * A new client-credentials credential saved with the editor's own form (from a Vault node's credential
 * select, as a user does): the editor tests it on save (n8n 2.40.7 before this: "Couldn't connect with
 * these settings", as its test only asked whether a token was stored). Now n8n runs the credential's
 * `test`: n8n fetches a token by the client_credentials grant and Vault's exchange accepts it.
 */
async function saveInEditor(page: Page, options: OAuth2CheckOptions, check: Check, shoot: Shoot): Promise<void> {
	await options.sandbox.reset();
	const workflowFile = join(options.runDir, 'oauth2-editor-save-workflow.json');
	writeFileSync(workflowFile, JSON.stringify(describeTeamsWorkflow('vaultOAuth2Editor01', 'OAuth2 credential saved in the editor')));
	await page.goto(`${options.baseUrl}/workflow/new`);
	await page.locator(testId('canvas-add-button')).waitFor();
	await page.locator(testId('workflow-import-input')).setInputFiles(workflowFile);
	const node = page.locator(testId('canvas-node')).filter({ hasText: 'Vault' }).first();
	await node.waitFor();
	await node.dblclick();
	const ndv = page.locator(testId('ndv'));
	await ndv.locator(testId('node-credentials-select')).click();
	await page.locator(testId('node-credentials-select-item-new')).click();
	const modal = page.locator(testId('editCredential-modal'));
	// n8n 1.123.x opens the form of the node's first credential type and offers the other under "Connect using"
	const grantType = modal.locator(testId('parameter-input-grantType'));
	const otherType = modal.getByText('Veeva Vault OAuth2 API', { exact: true }).first();
	await Promise.race([grantType.waitFor(), otherType.waitFor()]);
	if (!(await grantType.isVisible())) await otherType.click();
	await grantType.click();
	await page.locator('[role=option]:visible').filter({ hasText: 'Client Credentials' }).first().click();
	const data = credentialData(options.sandboxUrl, 'clientCredentials');
	for (const name of ['accessTokenUrl', 'clientId', 'clientSecret', 'vaultDns', 'oauthProfileId', 'oauthLoginHost'] as const) {
		await modal.locator(`${testId(`parameter-input-${name}`)} input`).first().fill(data[name]);
	}
	await modal.locator(testId('credential-save-button')).click();
	const outcome = await Promise.race([
		modal.getByText(/Connection tested successfully/i).waitFor().then(() => 'success message'),
		modal.waitFor({ state: 'hidden' }).then(() => 'form closed'),
		modal.getByText(/Couldn.t connect/i).first().waitFor().then(() => 'Couldn\'t connect shown'),
	]).catch(() => 'nothing within 30 s');
	await page.waitForTimeout(1000);
	const file = await shoot(page, 'oauth2-client-credentials-editor-save');
	const { grants } = await options.sandbox.oauth();
	const exchanges = (await options.sandbox.log()).filter((entry) => entry.path.startsWith('/auth/oauth/session/')).map((entry) => entry.responseStatus);
	check(outcome === 'success message' || outcome === 'form closed', `client credentials saved in the editor: ${outcome} (see ${file})`);
	check(grants.some((grant) => grant.grantType === 'client_credentials' && grant.outcome === 'issued'), `client credentials saved in the editor: n8n fetched no token (grants ${JSON.stringify(grants)})`);
	check(exchanges.includes('SUCCESS'), `client credentials saved in the editor: Vault's exchange did not succeed (${JSON.stringify(exchanges)})`);
	options.log(`client credentials saved with the editor's form: ${outcome}; identity provider grants ${JSON.stringify(grants)}; Vault exchanges ${JSON.stringify(exchanges)} -> ${file}`);
	await page.keyboard.press('Escape');
}

/** An OAuth Login Host that is neither Veeva's nor the Vault's: Test credential fails and the token reaches no host. */
async function refusedLoginHost(page: Page, options: OAuth2CheckOptions, check: Check): Promise<void> {
	await options.sandbox.reset();
	const id = await createCredential(page, options, 'Vault OAuth2 (sandbox, another login host)', 'clientCredentials', options.elsewhereUrl);
	const tested = await testCredential(page, options, id);
	const reached = await options.sandbox.elsewhere();
	const exchanges = (await options.sandbox.log()).filter((entry) => entry.path.startsWith('/auth/oauth/session/'));
	check(tested.status === 'Error' && reached.length === 0 && exchanges.length === 0, `OAuth Login Host ${options.elsewhereUrl}: Test credential ${JSON.stringify(tested)}, requests that reached it ${JSON.stringify(reached)}, exchanges ${exchanges.length}`);
	options.log(`OAuth Login Host ${options.elsewhereUrl} (neither Veeva's nor the Vault's): Test credential -> ${tested.status}: ${tested.message}; requests that reached that host: ${reached.length}`);
}

function describeTeamsWorkflow(id: string, name: string, credential?: { id: string; name: string }) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: `${id}-trigger`, name: START_NODE, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-vault`,
				name: 'Vault',
				type: VAULT_NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				parameters: { authentication: 'oAuth2', resource: 'qualityTeam', operation: 'describeTeams' },
				...(credential ? { credentials: { [TYPE]: credential } } : {}),
			},
		],
		connections: { [START_NODE]: { main: [[{ node: 'Vault', type: 'main', index: 0 }]] } },
	};
}


/** Whether n8n holds a token for the credential: what it tells the editor (n8n 2.40.7 credentials.service: `oauthTokenData: true` when one is stored, in place of the token). */
async function storedToken(page: Page, options: OAuth2CheckOptions, id: string): Promise<unknown> {
	const stored = await page.request.get(`${options.baseUrl}/rest/credentials/${id}?includeData=true`);
	return ((await stored.json()) as { data: { data: Record<string, unknown> } }).data.data.oauthTokenData;
}

/** The credential's form in the editor, photographed: its "Account connected" banner, if n8n shows one for this grant. */
async function editorSaysConnected(page: Page, options: OAuth2CheckOptions, id: string): Promise<{ connected: boolean; file: string }> {
	await page.goto(`${options.baseUrl}/home/credentials/${id}`);
	const modal = page.locator(testId('editCredential-modal'));
	await modal.waitFor();
	const connected = await modal.locator(testId('oauth-connect-success-banner')).waitFor({ timeout: 10_000 }).then(() => true, () => false);
	const file = join(options.screenshots, 'oauth2-client-credentials-after-run.png');
	await page.screenshot({ path: file });
	return { connected, file };
}

/** "Test credential" as the editor sends it: the form as n8n hands it to the editor (GET ?includeData=true). */
async function testCredential(page: Page, options: OAuth2CheckOptions, id: string): Promise<{ status?: string; message?: string }> {
	const stored = await page.request.get(`${options.baseUrl}/rest/credentials/${id}?includeData=true`);
	const credential = ((await stored.json()) as { data: { name: string; type: string; data: Record<string, unknown> } }).data;
	const tested = await page.request.post(`${options.baseUrl}/rest/credentials/test`, { data: { credentials: { id, name: credential.name, type: credential.type, data: credential.data } } });
	return ((await tested.json()) as { data?: { status?: string; message?: string } }).data ?? {};
}

/**
 * Client credentials through n8n's REST API. n8n's auth endpoint (GET /rest/oauth2-credential/auth)
 * offers only the authorization-code redirect; n8n-core's requestOAuth2 fetches a token when none is
 * stored and saves it in the credential. n8n's credential test runs the credential's own `test` request
 * (Vault's exchange) before its OAuth2 "is a token stored" check (n8n 2.40.7 credentials-tester.service,
 * getCredentialTestFunction), so the test of a new credential, sent as the editor sends it
 * (`oauthTokenData: true` at most, never the token), fetches and stores the token and passes; a workflow
 * then runs the node with it (`n8n execute`) on the stored token, with no second grant.
 */
async function clientCredentials(page: Page, options: OAuth2CheckOptions, check: Check): Promise<string> {
	await options.sandbox.reset();
	const name = 'Vault OAuth2 (sandbox, client credentials)';
	const id = await createCredential(page, options, name, 'clientCredentials');
	const before = await testCredential(page, options, id);
	const grantsAfterTest = (await options.sandbox.oauth()).grants;
	const heldAfterTest = await storedToken(page, options, id);
	options.log(`client credentials: "Test credential" before any use -> ${before.status}: ${before.message}; identity provider grants ${JSON.stringify(grantsAfterTest)}; n8n holds a token afterwards: ${JSON.stringify(heldAfterTest)}`);
	const workflow = describeTeamsWorkflow('vaultOAuth2Client01', 'Describe Teams through the OAuth2 credential (client credentials)', { id, name });
	const file = join(options.runDir, 'oauth2-client-credentials-workflow.json');
	writeFileSync(file, JSON.stringify(workflow, null, 2));
	const imported = await options.n8n(['import:workflow', `--input=${file}`]);
	if (imported.code !== 0) throw new Error(`n8n import:workflow failed: ${(imported.stderr || imported.stdout).slice(-800)}`);
	await options.sandbox.clearLog();
	const result = await options.n8n(['execute', `--id=${workflow.id}`, '--rawOutput']);
	const { run, error } = rawOutputRun<{ status?: string; data: { resultData: { runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>>; error?: { message?: string } } } }>(result.stdout);
	const items = run?.data.resultData.runData.Vault?.at(-1)?.data?.main?.[0] ?? [];
	const { grants } = await options.sandbox.oauth();
	const log = await options.sandbox.log();
	const exchanges = log.filter((entry) => entry.path.startsWith('/auth/oauth/session/')).map((entry) => entry.responseStatus);
	const banner = await editorSaysConnected(page, options, id);
	options.log(
		`client credentials: n8n execute exit ${result.code}, status ${run?.status ?? error}; ${items.length} Quality Team item(s); identity provider grants ${JSON.stringify(grants)}; Vault OAuth exchanges in the run ${JSON.stringify(exchanges)}; the credential's form ${banner.connected ? 'says the account is connected' : 'shows no "connected" banner (n8n offers none for client credentials)'} -> ${banner.file}`,
	);
	check(before.status === 'OK', `client credentials: n8n's credential test refused a working credential before its first use: ${JSON.stringify(before)}`);
	check(grantsAfterTest.length === 1 && grantsAfterTest[0].grantType === 'client_credentials' && grantsAfterTest[0].outcome === 'issued', `client credentials: the test did not fetch one token by the client credentials grant (grants: ${JSON.stringify(grantsAfterTest)})`);
	check(heldAfterTest === true, `client credentials: n8n stored no token in the credential after the test (oauthTokenData ${JSON.stringify(heldAfterTest)})`);
	check(result.code === 0 && run?.status === 'success' && items.length > 0, `client credentials: the run did not succeed (exit ${result.code}, ${run?.data.resultData.error?.message ?? error ?? result.stderr.slice(-500)})`);
	check(grants.length === 1, `client credentials: the run fetched another token instead of the one the test stored (grants: ${JSON.stringify(grants)})`);
	check(exchanges.includes('SUCCESS'), `client credentials: the node did not exchange the token for a Vault session (${JSON.stringify(exchanges)})`);
	return banner.file;
}
