/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { forgetPacers } from '../../nodes/VeevaVaultQms/transport/pacers';
import { forgetRecentSessions } from '../../nodes/VeevaVaultQms/transport/sessions';
import { DEMO_USER, startSandbox, type RunningSandbox } from '../sandbox';
import { capturedLogs, createHarness, type Harness, type RunResult } from './engine';

export { capturedLogs };

/** A Vault node credential for the sandbox, logging in as the demo user unless told otherwise. */
export function passwordCredential(sandbox: RunningSandbox, data: ICredentialDataDecryptedObject = {}, id = 'cred-1') {
	return {
		id,
		name: 'Sandbox Vault',
		type: 'veevaVaultApi',
		data: {
			vaultDns: sandbox.url,
			authentication: 'password',
			username: DEMO_USER.username,
			password: DEMO_USER.password,
			...data,
		},
	};
}

/**
 * How the harness's credentials helper writes a new session back: as n8n 2.x (`merge`, the
 * default) or as n8n 1.123.81 (`startingCopy`). `HARNESS_WRITE_BACK=startingCopy npx jest` runs
 * the whole suite as 1.123.81 would store sessions.
 */
const HARNESS_WRITE_BACK = process.env.HARNESS_WRITE_BACK === 'startingCopy' ? 'startingCopy' : 'merge';

/** Starts the sandbox once per test file and gives each test a fresh state and harness. */
export function useSandbox(settings: IDataObject = {}) {
	const context = {} as { sandbox: RunningSandbox; harness: Harness };
	beforeAll(async () => {
		context.sandbox = await startSandbox({ settings: { jobQueuedMs: 0, jobRunMs: 0, ...settings } });
	});
	afterAll(async () => {
		await context.sandbox?.close();
	});
	beforeEach(async () => {
		await context.sandbox.client.reset();
		// a reset sandbox has ended every session: one kept for reuse by the last test is no more (as after a Vault restart)
		forgetRecentSessions();
		// and its burst window starts over: what the process's pacers read of the old one is no more
		forgetPacers();
		context.harness = createHarness([passwordCredential(context.sandbox)], HARNESS_WRITE_BACK);
	});
	return context;
}

/** Every text a run leaves behind: output items, error message, description and context, logs. */
export function everythingVisible(result: RunResult): string {
	return JSON.stringify({
		outputs: result.outputs,
		error: result.error && {
			message: result.error.message,
			description: result.error.description,
			context: result.error.context,
			cause: String((result.error as { cause?: unknown }).cause ?? ''),
		},
		runData: result.run.data.resultData,
		logs: capturedLogs,
	});
}

export const jsonOf = (items: INodeExecutionData[]) => items.map((item) => item.json);
export const pairedOf = (items: INodeExecutionData[]) =>
	items.map((item) => [item.pairedItem ?? []].flat().map((paired) => (typeof paired === 'number' ? paired : paired.item)));
