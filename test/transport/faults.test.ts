/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { forgetPacers } from '../../nodes/VeevaVaultQms/transport/pacers';
import { forgetRecentSessions } from '../../nodes/VeevaVaultQms/transport/sessions';
import Papa from 'papaparse';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { FaultKind, FaultSpec, LogEntry, SandboxState } from '../sandbox';
import { DEMO_USER } from '../sandbox';
import { everythingVisible, jsonOf, pairedOf, passwordCredential, useSandbox } from '../harness/fixtures';
import { createHarness, type RunResult } from '../harness/engine';

/**
 * The fault suite: every fault the sandbox can inject, at the first, a middle and the last
 * batch of a 3-batch run, with and without "continue on fail". What each run must show is the
 * retry policy in the README ("Reliability"), written out in POLICY below.
 */
type Phase = 'before' | 'after';
interface Policy {
	/** the batch is sent again (how many sends in all, with one fault) */
	sends: number;
	/** the run ends well: every item on the main output */
	recovers: boolean;
	/** logins in the run */
	logins: number;
	/** a word the error says, when the batch fails */
	says?: RegExp;
}

/** Document role assignment: additive, so Vault documents a repeat as harmless (README, "Resend policy"). */
const RESEND_SAFE_POLICY: Record<FaultKind, Policy> = {
	// outcome unknown (Vault may have acted): sent again, as a repeated assignment ends in the same state
	http500: { sends: 2, recovers: true, logins: 1 },
	reset: { sends: 2, recovers: true, logins: 1 },
	slow: { sends: 2, recovers: true, logins: 1 },
	malformedJson: { sends: 2, recovers: true, logins: 1 },
	// Vault did not act: wait and send again
	apiLimit: { sends: 2, recovers: true, logins: 1 },
	// Vault did not act: one fresh login, then sent again
	invalidSession: { sends: 2, recovers: true, logins: 2 },
	// a sign-in portal or proxy answered: sending again would meet it again; the batch fails, loudly
	html: { sends: 1, recovers: false, logins: 1, says: /web page, not Vault's API/ },
	// only slows the next call down
	burstDelay: { sends: 1, recovers: true, logins: 1 },
	// a redirect is never followed (issue 20): the batch fails, naming where it pointed, and goes nowhere else
	redirect302: { sends: 1, recovers: false, logins: 1, says: /answered with a redirect \(HTTP 302\) to http:\/\/127\.0\.0\.2:\d+\/api\// },
	redirect307: { sends: 1, recovers: false, logins: 1, says: /answered with a redirect \(HTTP 307\) to http:\/\/127\.0\.0\.2:\d+\/api\// },
	// the request deadline ends a dripping answer (issue 20): outcome unknown, as for a timeout
	drip: { sends: 2, recovers: true, logins: 1 },
	// an answer over the size cap is refused unread; a second send would meet the same answer
	oversized: { sends: 1, recovers: false, logins: 1, says: /larger than the 64 MB/ },
};

/**
 * Manage Quality Team Assignments: Veeva documents no repeat as harmless, so a batch whose fate is
 * unknown is sent once only and its items say Vault may have applied it; what Vault did not act on
 * is sent again as before.
 */
const UNKNOWN_NOT_RESENT: Policy = { sends: 1, recovers: false, logins: 1, says: /Vault may have applied this batch \(batch \d, first sent at [^)]+\); it was not sent again/ };
const POLICY: Record<FaultKind, Policy> = {
	...RESEND_SAFE_POLICY,
	http500: UNKNOWN_NOT_RESENT,
	reset: UNKNOWN_NOT_RESENT,
	slow: UNKNOWN_NOT_RESENT,
	malformedJson: UNKNOWN_NOT_RESENT,
	drip: UNKNOWN_NOT_RESENT,
	oversized: { ...UNKNOWN_NOT_RESENT, says: new RegExp(`larger than the 64 MB cap[^]*${UNKNOWN_NOT_RESENT.says?.source}`) },
};

/** Whether the sandbox applied the faulted request although its answer was lost (a slow request whose client gave up is dropped). */
const vaultActed = (_kind: FaultKind, phase: Phase) => phase === 'after';

const FAULTS: Array<[FaultKind, Phase]> = [
	['http500', 'before'],
	['http500', 'after'],
	['reset', 'before'],
	['reset', 'after'],
	['slow', 'before'],
	['slow', 'after'],
	['malformedJson', 'after'],
	['html', 'before'],
	['apiLimit', 'before'],
	['invalidSession', 'before'],
	['burstDelay', 'after'],
	['redirect302', 'before'],
	['redirect307', 'before'],
	['drip', 'after'],
	['oversized', 'after'],
];
const POSITIONS = [
	['first', 0],
	['middle', 1],
	['last', 2],
] as const;
const MODES = ['stop', 'continue'] as const;

const MANAGE = { resource: 'qualityTeam', operation: 'manageAssignments', objectName: 'quality_event__qdm' };
const DOCS = { resource: 'documentRole', operation: 'assign' };
const OPTIONS = { batchSize: 2, requestTimeoutSeconds: 0.5, retryWaitSeconds: 0.02, maxAttempts: 3 };
const SLOW_MS = 1500;
const BURST_DELAY_MS = 300;
/**
 * one byte over the node's answer size cap (CAPS.answerBytes, 64 MiB), its length declared: the
 * matrix's 1 s request timeout must not race 64 MiB arriving on a loaded machine (a chunked
 * oversized answer, counted as it arrives, is deadlines.test.ts's, under the default timeout)
 */
const OVERSIZED_BYTES = 64 * 1024 * 1024 + 1;

const memberItems = Array.from({ length: 6 }, (_, i) => ({
	record_id: `OP${4000001 + (i % 3)}`,
	user_id: 100101 + i,
	application_role: 'qa__c',
	operation: 'ADD',
}));
const documentItems = Array.from({ length: 6 }, (_, i) => ({ id: 101 + i, 'reviewer__v.users': [100201 + i, 100301 + i] }));

const figures = { runs: 0, secretsSearched: 0 };

describe('faults at every batch position, with and without continue on fail', () => {
	const vault = useSandbox();
	const clean: Partial<Record<string, SandboxState>> = {};

	async function run(parameters: IDataObject, items: IDataObject[], fault: FaultSpec | undefined, mode: 'stop' | 'continue') {
		if (fault) await vault.sandbox.client.fault(fault);
		const result = await vault.harness.run({
			items,
			parameters: { ...parameters, options: OPTIONS },
			onError: mode === 'continue' ? 'continueErrorOutput' : undefined,
		});
		// a request the client gave up on may still be in the sandbox: let it finish first
		if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, SLOW_MS + 100));
		await vault.sandbox.client.completeJobs();
		figures.runs++;
		return result;
	}

	async function cleanState(key: string, parameters: IDataObject, items: IDataObject[]): Promise<SandboxState> {
		if (!clean[key]) {
			const result = await run(parameters, items, undefined, 'continue');
			expect(result.error).toBeUndefined();
			clean[key] = await vault.sandbox.client.state();
			await vault.sandbox.client.reset();
			// a fresh credential too, and nothing kept for reuse: the clean run's session ended with the reset
			forgetRecentSessions();
			forgetPacers();
			vault.harness = createHarness([passwordCredential(vault.sandbox)]);
		}
		return clean[key] as SandboxState;
	}

	const bulkSends = (log: LogEntry[], fragment: string) => log.filter((entry) => entry.path.includes(fragment) && entry.method !== 'GET');
	const rowsOf = (entry: LogEntry) => Papa.parse<IDataObject>(entry.body ?? '', { header: true, skipEmptyLines: true }).data;

	/** no password, and no session id the node ever used, in anything the run left visible */
	function expectNoSecrets(result: RunResult, log: LogEntry[]) {
		const visible = everythingVisible(result);
		const sessions = [...new Set(log.map((entry) => entry.sessionId).filter((id): id is string => Boolean(id)))];
		for (const secret of [DEMO_USER.password, ...sessions]) {
			expect(visible).not.toContain(secret);
			figures.secretsSearched++;
		}
	}

	describe.each(FAULTS)('%s (%s the sandbox handles the request)', (kind, phase) => {
		const policy = POLICY[kind];
		it.each(POSITIONS.flatMap(([name, skip]) => MODES.map((mode) => [name, skip, mode] as const)))(
			'at the %s batch (%i earlier), %s',
			async (_position, skip, mode) => {
				const before = await cleanState('manage', MANAGE, memberItems);
						const fault: FaultSpec = { kind, phase, skip, match: { path: 'manageassignments' }, delayMs: kind === 'slow' ? SLOW_MS : BURST_DELAY_MS, bytes: OVERSIZED_BYTES, declareLength: true };
				const result = await run(MANAGE, memberItems, fault, mode);
				const log = await vault.sandbox.client.log();
				const state = await vault.sandbox.client.state();
				const sends = bulkSends(log, 'manageassignments');
				const faultedBatch = skip + 1;
				const batchUsers = (batch: number) => memberItems.slice((batch - 1) * 2, batch * 2).map((item) => String(item.user_id));

				// a batch is sent again only where the policy says so: count each batch's sends
				const sendsPerBatch = [1, 2, 3].map((batch) => sends.filter((entry) => rowsOf(entry)[0]?.user_id === batchUsers(batch)[0]).length);
				const expectedSends = [1, 2, 3].map((batch) => {
					if (batch < faultedBatch) return 1;
					if (batch === faultedBatch) return policy.sends;
					return policy.recovers || mode === 'continue' ? 1 : 0;
				});
				expect(sendsPerBatch).toEqual(expectedSends);
				expect(state.logins).toBe(policy.logins);
				expectNoSecrets(result, log);
				// nothing, whatever the fault, reached the host a redirect points to
				expect(await vault.sandbox.client.elsewhere()).toEqual([]);

				if (policy.recovers) {
					// Vault's final state is a clean run's, and every item says how many sends it took
					expect(result.error).toBeUndefined();
					expect(state.teams).toEqual(before.teams);
					const outputs = result.outputs[0];
					expect(pairedOf(outputs)).toEqual([[0], [1], [2], [3], [4], [5]]);
					expect(jsonOf(outputs).map((json) => json.attempts)).toEqual(
						[0, 1, 2, 3, 4, 5].map((index) => (Math.floor(index / 2) + 1 === faultedBatch ? policy.sends : 1)),
					);
					for (const json of jsonOf(outputs)) {
						if (json.batch === faultedBatch && policy.sends > 1) expect((json.retries as string[])[0]).toMatch(/sent again|logged in again/);
						// none: absent, or null when another batch's items have retries (every item has every key: pipeline/outputTable.ts)
						else expect([undefined, null]).toContain(json.retries);
					}
					if (kind === 'burstDelay' && faultedBatch < 3) {
						// the next call waited as long as Vault's X-VaultAPI-ResponseDelay said
						const at = sends.map((entry) => entry.at);
						expect(at[faultedBatch] - at[faultedBatch - 1]).toBeGreaterThanOrEqual(BURST_DELAY_MS - 20);
					}
					return;
				}

				// the faulted batch did not go through: its items say so, and Vault holds only the others
				const applied = (users: string[]) =>
					Object.values(state.teams.quality_event__qdm ?? {})
						.flat()
						.filter((member) => users.includes(String(member.user_id))).length;
				expect(applied(batchUsers(faultedBatch))).toBe(vaultActed(kind, phase) ? 2 : 0);
				if (mode === 'continue') {
					const [main, errors] = result.outputs;
					const all = [...main, ...errors];
					// every input item in exactly one output item, paired to it
					expect(pairedOf(all).flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
					expect(pairedOf(errors)).toEqual([[skip * 2], [skip * 2 + 1]]);
					for (const item of errors) {
						expect(item.json.error).toMatch(new RegExp(`^Batch ${faultedBatch} of 3 failed: `));
						expect(item.json.error).toMatch(policy.says as RegExp);
						expect((item.json.details as IDataObject).attempts).toBe(policy.sends);
						expect(((item.json.details as IDataObject).row as IDataObject).user_id).toBeDefined();
					}
					for (const batch of [1, 2, 3].filter((number) => number !== faultedBatch)) expect(applied(batchUsers(batch))).toBe(2);
				} else {
					expect(result.outputs).toEqual([]);
					expect(result.error?.message).toMatch(new RegExp(`^Batch ${faultedBatch} of 3 failed: `));
					expect(`${result.error?.message} ${result.error?.description}`).toMatch(policy.says as RegExp);
					const accepted = sends.slice(0, skip).map((entry) => `batch ${sends.indexOf(entry) + 1} (job ${entry.jobId})`);
					expect(result.error?.description).toContain(accepted.length > 0 ? `Vault already accepted ${accepted.join(', ')}.` : 'No earlier batch was sent.');
					if (faultedBatch < 3) expect(result.error?.description).toContain(`The remaining ${3 - faultedBatch} batch(es) were not sent.`);
					for (let batch = 1; batch < faultedBatch; batch++) expect(applied(batchUsers(batch))).toBe(2);
					for (let batch = faultedBatch + 1; batch <= 3; batch++) expect(applied(batchUsers(batch))).toBe(0);
				}
			},
		);
	});

	it.each(FAULTS.filter(([kind]) => RESEND_SAFE_POLICY[kind].recovers))(
		'document roles (assignment is additive) end in a clean run state after %s (%s), sent twice at most',
		async (kind, phase) => {
			const before = await cleanState('docs', DOCS, documentItems);
				const result = await run(DOCS, documentItems, { kind, phase, skip: 1, match: { path: '/roles/batch' }, delayMs: kind === 'slow' ? SLOW_MS : BURST_DELAY_MS, bytes: OVERSIZED_BYTES, declareLength: true }, 'continue');
			const log = await vault.sandbox.client.log();
			expect(result.error).toBeUndefined();
			expect(result.outputs[1] ?? []).toEqual([]);
			expect(jsonOf(result.outputs[0]).map((json) => [json.id, json.responseStatus])).toEqual(documentItems.map((item) => [item.id, 'SUCCESS']));
			expect((await vault.sandbox.client.state()).documentRoles).toEqual(before.documentRoles);
			expect(bulkSends(log, '/roles/batch')).toHaveLength(3 + RESEND_SAFE_POLICY[kind].sends - 1);
			expectNoSecrets(result, log);
		},
	);

	it('stops with a clear error when a fresh session meets INVALID_SESSION_ID again, instead of logging in again and again', async () => {
		const result = await run(MANAGE, memberItems, { kind: 'invalidSession', count: 2, skip: 1, match: { path: 'manageassignments' } }, 'continue');
		const log = await vault.sandbox.client.log();
		expect((await vault.sandbox.client.state()).logins).toBe(2);
		expect(bulkSends(log, 'manageassignments')).toHaveLength(1 + 2 + 1);
		const [main, errors] = result.outputs as INodeExecutionData[][];
		expect(pairedOf(main)).toEqual([[0], [1], [4], [5]]);
		expect(pairedOf(errors)).toEqual([[2], [3]]);
		expect(errors[0].json.error).toMatch(/rejected a brand-new session at once/);
		expectNoSecrets(result, log);
	});

	it('gives up on a resend-safe batch after the attempts allowed, and says Vault may have acted on it', async () => {
		const result = await run(DOCS, documentItems, { kind: 'http500', count: 3, phase: 'after', skip: 1, match: { path: '/roles/batch' } }, 'continue');
		const [main, errors] = result.outputs;
		expect(pairedOf(main)).toEqual([[0], [1], [4], [5]]);
		expect(errors.map((item) => (item.json.details as IDataObject).attempts)).toEqual([3, 3]);
		expect(errors[0].json.error).toMatch(/^Batch 2 of 3 failed: .*HTTP 500.*Vault may or may not have acted on this batch \(batch 2, first sent at [^,]+, 3 attempt\(s\)\)/);
		expect(bulkSends(await vault.sandbox.client.log(), '/roles/batch')).toHaveLength(5);
		// the sandbox applied the batch each time before its answer was lost: the state shows it, once
		const roles = (await vault.sandbox.client.state()).documentRoles;
		expect(JSON.stringify(roles)).toContain('100203');
	});

	afterAll(() => {
		process.stdout.write(`fault suite: ${figures.runs} runs, ${figures.secretsSearched} secret searches\n`);
	});
});
