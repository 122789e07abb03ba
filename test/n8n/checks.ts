/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * What the Chromium stages of test:n8n share (editor.ts, oauth2.ts, agent.ts): their checks counted
 * and reported with the stage's prefix, their screenshots written and listed, and a page of n8n's
 * editor logged in as the owner.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

export type Check = (ok: boolean, what: string) => boolean;
export type Shoot = (page: Page, name: string) => Promise<string>;

export interface StageResult {
	checks: number;
	screenshots: string[];
}

/** A stage's record: `check` counts and reports a failure as `${prefix}${what}`, `shoot` writes `${folder}/${name}.png` and lists it. */
export function stageRecorder(folder: string, prefix: string, onProblem: (message: string) => void): { result: StageResult; check: Check; shoot: Shoot } {
	mkdirSync(folder, { recursive: true });
	const result: StageResult = { checks: 0, screenshots: [] };
	const check: Check = (ok, what) => {
		result.checks++;
		if (!ok) onProblem(`${prefix}${what}`);
		return ok;
	};
	const shoot: Shoot = async (page, name) => {
		const file = join(folder, `${name}.png`);
		await page.screenshot({ path: file });
		result.screenshots.push(file);
		return file;
	};
	return { result, check, shoot };
}

/** A new browser context (1440×1300, 30 s per step) logged in to n8n as the owner, and its page. */
export async function openEditor(browser: Browser, baseUrl: string, owner: { email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 1300 } });
	context.setDefaultTimeout(30_000);
	const page = await context.newPage();
	const login = await page.request.post(`${baseUrl}/rest/login`, { data: { emailOrLdapLoginId: owner.email, password: owner.password } });
	if (!login.ok()) throw new Error(`login answered ${login.status()}`);
	return { context, page };
}
