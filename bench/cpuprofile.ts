/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time,
 * and the most inclusive time, optionally only within a time window (the measured run).
 *
 *   ts-node --transpile-only bench/cpuprofile.ts FILE.cpuprofile [--from µs --to µs] [--top 25]
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
	children?: number[];
}

export interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

export interface FunctionTime {
	name: string;
	/** file relative to the repository, or node_modules/… or node:… */
	file: string;
	line: number;
	selfMs: number;
	totalMs: number;
}

export interface ProfileSummary {
	windowMs: number;
	sampledMs: number;
	functions: FunctionTime[];
	/** self time per file */
	files: Array<{ file: string; selfMs: number }>;
}

const ROOT = join(__dirname, '..');

function fileOf(url: string): string {
	if (url === '') return '';
	const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
	if (!path.startsWith('/')) return path.startsWith('node:') ? path : `node:${path}`;
	const inModules = path.lastIndexOf('/node_modules/');
	return inModules >= 0 ? path.slice(inModules + 1) : relative(ROOT, path);
}

/** Self and inclusive time per function (name, file, line) of the samples taken in [fromUs, toUs]. */
export function summarise(profile: CpuProfile, window?: { fromUs: number; toUs: number }): ProfileSummary {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const keyOf = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'}\u0000${fileOf(node.callFrame.url)}\u0000${node.callFrame.lineNumber + 1}`;
	const self = new Map<string, number>();
	const total = new Map<string, number>();
	const fromUs = window?.fromUs ?? -Infinity;
	const toUs = window?.toUs ?? Infinity;
	let at = profile.startTime;
	let sampled = 0;
	for (let i = 0; i < profile.samples.length; i++) {
		at += profile.timeDeltas[i];
		// a sample stands for the time until the next one
		const duration = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
		if (at < fromUs || at > toUs) continue;
		sampled += duration;
		const leaf = byId.get(profile.samples[i]);
		if (!leaf) continue;
		const leafKey = keyOf(leaf);
		self.set(leafKey, (self.get(leafKey) ?? 0) + duration);
		const seen = new Set<string>();
		for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
			const node = byId.get(id) as ProfileNode;
			if (node.callFrame.functionName === '(root)') break;
			const key = keyOf(node);
			if (seen.has(key)) continue;
			seen.add(key);
			total.set(key, (total.get(key) ?? 0) + duration);
		}
	}
	const functions = [...new Set([...self.keys(), ...total.keys()])].map((key) => {
		const [name, file, line] = key.split('\u0000');
		return { name, file, line: Number(line), selfMs: (self.get(key) ?? 0) / 1000, totalMs: (total.get(key) ?? 0) / 1000 };
	});
	const files = new Map<string, number>();
	for (const fn of functions) files.set(fn.file || '(vm)', (files.get(fn.file || '(vm)') ?? 0) + fn.selfMs);
	return {
		windowMs: (Math.min(toUs, profile.endTime) - Math.max(fromUs, profile.startTime)) / 1000,
		sampledMs: sampled / 1000,
		functions,
		files: [...files].map(([file, selfMs]) => ({ file, selfMs })).sort((a, b) => b.selfMs - a.selfMs),
	};
}

/**
 * Where the measured run's CPU went, by who is responsible; the first matching category wins.
 * `share`: what the category counts towards when node and floor are compared (per-request cost,
 * the rest of the work, or neither).
 */
export const CATEGORIES: Array<{ name: string; share?: 'requests' | 'rest'; test: (stack: string[]) => boolean }> = [
	{ name: 'waiting (idle)', test: (stack) => stack[0] === '#(idle)' },
	{ name: 'garbage collection', share: 'rest', test: (stack) => stack[0] === '#(garbage collector)' },
	{ name: 'bench: memory sampling', test: (stack) => stack.some((frame) => frame.includes('bench/scenario.ts#sample')) },
	{ name: "n8n: the credential's authenticate, per request", share: 'requests', test: (stack) => stack.some((frame) => frame.includes('harness/credentialsHelper')) },
	{
		name: 'HTTP: n8n request helper (axios, a new connection per request) or node:http',
		share: 'requests',
		test: (stack) => stack.some((frame) => /axios|follow-redirects|backend-network|node:net|node:_http|node:internal\/streams|stream_base|proxy-from-env/.test(frame)),
	},
	{ name: 'papaparse (CSV)', share: 'rest', test: (stack) => stack.some((frame) => frame.includes('papaparse')) },
	{ name: 'this package', share: 'rest', test: (stack) => stack.some((frame) => frame.includes('nodes/VeevaVaultQms/')) },
	{ name: 'n8n engine (n8n-core, n8n-workflow)', share: 'rest', test: (stack) => stack.some((frame) => /n8n-core|n8n-workflow/.test(frame)) },
	{ name: 'other', share: 'rest', test: () => true },
];

/** CPU of the samples in [fromUs, toUs] per CATEGORIES entry, in ms. */
export function breakdown(profile: CpuProfile, window: { fromUs: number; toUs: number }): Array<{ name: string; ms: number }> {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const categoryOf = new Map<number, string>();
	const totals = new Map(CATEGORIES.map((category) => [category.name, 0]));
	let at = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		at += profile.timeDeltas[i];
		const duration = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
		if (at < window.fromUs || at > window.toUs) continue;
		const leaf = profile.samples[i];
		let name = categoryOf.get(leaf);
		if (name === undefined) {
			const stack: string[] = [];
			for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
				const frame = (byId.get(id) as ProfileNode).callFrame;
				stack.push(`${fileOf(frame.url) || frame.url}#${frame.functionName}`);
			}
			name = (CATEGORIES.find((category) => category.test(stack)) as (typeof CATEGORIES)[number]).name;
			categoryOf.set(leaf, name);
		}
		totals.set(name, (totals.get(name) ?? 0) + duration / 1000);
	}
	return [...totals].map(([name, ms]) => ({ name, ms }));
}

const ms = (value: number) => value.toFixed(1);

/** Markdown tables: top self time, top inclusive time among this package's and n8n's functions, self time per file. */
export function formatSummary(summary: ProfileSummary, top = 25): string {
	const lines = [`profiled window ${ms(summary.windowMs)} ms, samples cover ${ms(summary.sampledMs)} ms`, ''];
	lines.push('| self ms | self % | total ms | function | file:line |', '|---|---|---|---|---|');
	for (const fn of [...summary.functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) {
		lines.push(`| ${ms(fn.selfMs)} | ${((fn.selfMs / summary.sampledMs) * 100).toFixed(1)} | ${ms(fn.totalMs)} | ${fn.name} | ${fn.file ? `${fn.file}:${fn.line}` : ''} |`);
	}
	const ours = summary.functions.filter((fn) => /^(nodes|test|bench)\/|^node_modules\/(n8n-|papaparse)/.test(fn.file));
	lines.push('', 'Inclusive time, this package, the harness and n8n:', '', '| total ms | self ms | function | file:line |', '|---|---|---|---|');
	for (const fn of ours.sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) {
		lines.push(`| ${ms(fn.totalMs)} | ${ms(fn.selfMs)} | ${fn.name} | ${fn.file}:${fn.line} |`);
	}
	lines.push('', 'Self time per file:', '', '| self ms | file |', '|---|---|');
	for (const file of summary.files.slice(0, 15)) lines.push(`| ${ms(file.selfMs)} | ${file.file} |`);
	return lines.join('\n');
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const flag = (name: string) => {
		const index = args.indexOf(name);
		return index >= 0 ? Number(args[index + 1]) : undefined;
	};
	const file = args.find((arg) => arg.endsWith('.cpuprofile'));
	if (!file) {
		process.stderr.write('usage: ts-node --transpile-only bench/cpuprofile.ts FILE.cpuprofile [--from µs --to µs] [--top 25]\n');
		process.exit(2);
	}
	const from = flag('--from');
	const to = flag('--to');
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	const summary = summarise(profile, from !== undefined && to !== undefined ? { fromUs: from, toUs: to } : undefined);
	process.stdout.write(`${formatSummary(summary, flag('--top') ?? 25)}\n`);
}
