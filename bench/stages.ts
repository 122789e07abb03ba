/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * The node's per-row stages in one process, no n8n and no HTTP: 100,000 Manage rows (the bench's
 * rows) through prepareRows, refuseContradictions, planBatches, the batches' CSV, buildOutput and
 * asOneTable, 9 times; each stage's CPU time (process.cpuUsage, so a busy machine's waits are not
 * counted), the median of the last 7. What a change to one stage saves, without the ±0.2 of the
 * whole-run ratio. ROOT=<checkout> runs another checkout's product code (e.g. a worktree of an
 * older commit) with the same rows.
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/stages.ts
 */
const root = process.env.ROOT ?? require('node:path').join(__dirname, '..');
const P = `${root}/nodes/VeevaVaultQms/pipeline`;
const { prepareRows } = require(`${P}/prepare`);
const { refuseContradictions } = require(`${P}/contradictions`);
const { planBatches } = require(`${P}/plan`);
const { batchCsv } = require(`${P}/sendLoop`);
const { buildOutput } = require(`${P}/output`);
const { asOneTable } = require(`${P}/outputTable`);
const { manageQualityTeamAssignments: spec } = require(`${root}/nodes/VeevaVaultQms/operations/manageAssignments`);

const ACTIVE = Array.from({ length: 2000 }, (_, k) => 100001 + k).filter((id) => id !== 100013 && id !== 100666);
const ROLES = ['record_owner__c', 'sme__c', 'qa__c', 'approver__c', 'reviewer__c'];
const N = 100_000;
const items = Array.from({ length: N }, (_, i) => ({ json: { record_id: `OP${4000001 + (i % 2000)}`, user_id: String(ACTIVE[(i * 7) % ACTIVE.length]), application_role: ROLES[i % ROLES.length], operation: 'ADD' } }));
const context = { objectName: 'quality_event__qdm' };
const fx: any = { getNode: () => ({ onError: 'stopWorkflow' }), helpers: {} };
const settings: any = { spec, context, outputMode: 'perItem', dryRun: false, attachCsv: false, rowLimit: 500, byteLimit: 1024 ** 3, continueOnFail: false };
const times: Record<string, number[]> = {};
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const time = <T>(name: string, f: () => T): T => { const t = cpu(); const r = f(); (times[name] ??= []).push(cpu() - t); return r; };
async function once() {
	const source = time('source rows', () => items.map((item, itemIndex) => ({ itemIndex, fields: item.json })));
	const prepared = time('prepareRows', () => prepareRows(source, spec, context));
	time('refuseContradictions', () => refuseContradictions(prepared, spec.teamColumns));
	const plan = time('planBatches', () => planBatches(prepared.rows, { rowLimit: 500, byteLimit: 1024 ** 3, headerBytes: prepared.headerBytes }));
	const sent = time('batchCsv', () => plan.batches.map((batch: any, k: number) => ({ csv: batchCsv(prepared.header, batch), outcome: { batch, attempts: 1, retryReasons: [], sentAt: 'x', jobId: String(1000 + k) } })));
	const t = cpu();
	const out = await buildOutput(fx, settings, { sent, batchCount: plan.batches.length, jobs: new Map(), problems: [], vaultHost: 'h.veevavault.com' });
	(times['buildOutput'] ??= []).push(cpu() - t);
	time('asOneTable', () => asOneTable(fx, out));
}
(async () => {
	for (let k = 0; k < 9; k++) { await once(); (global as any).gc?.(); }
	const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
	let total = 0;
	for (const [name, v] of Object.entries(times)) { const m = med(v.slice(2)); total += m; console.log(`${name.padEnd(22)} ${m.toFixed(1)} ms  (${((m * 1000) / N).toFixed(2)} µs/row)`); }
	console.log(`${'total'.padEnd(22)} ${total.toFixed(1)} ms`);
})();
