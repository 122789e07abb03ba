/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import type { ParseConfig, ParseResult, UnparseConfig } from 'papaparse';

import { Papa as sourcePapa } from '../../nodes/VeevaVaultQms/csv/papaparse';
import * as sourceCsv from '../../nodes/VeevaVaultQms/csv/vaultCsv';
import * as sourceStream from '../../nodes/VeevaVaultQms/csv/base64Stream';
import * as sourceFile from '../../nodes/VeevaVaultQms/csv/parse';

/**
 * The CSV engine as it ships: `npm run build` bundles papaparse into dist/…/csv/papaparse.js
 * (gulpfile.js, build:bundle) with stand-ins for what n8n's scanner does not allow (its
 * require('stream'), setTimeout and console). This suite requires that built bundle, and the
 * built modules that use it, and checks that they write and read CSV byte for byte as the
 * unbundled sources (papaparse from node_modules) do, over a corpus generated as in fuzz.test.ts
 * (fast-check, fixed seed; set BUNDLE_SEED to explore others). It needs `npm run build` first
 * (.ci/run builds before `npm test`): without dist/ it fails, it does not skip.
 */
const SEED = Number(process.env.BUNDLE_SEED ?? 20261124);
const ROOT = join(__dirname, '..', '..');
const DIST_CSV = join(ROOT, 'dist', 'nodes', 'VeevaVaultQms', 'csv');

function built<T>(file: string): T {
	if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before the tests (.ci/run does)`);
	return require(file) as T;
}

const bundled = built<{ Papa: typeof sourcePapa }>(join(DIST_CSV, 'papaparse.js'));
const builtCsv = built<typeof sourceCsv>(join(DIST_CSV, 'vaultCsv.js'));
const builtFile = built<typeof sourceFile>(join(DIST_CSV, 'parse.js'));
const builtStream = built<typeof sourceStream>(join(DIST_CSV, 'base64Stream.js'));

/** Text that is hard on CSV, as fuzz.test.ts makes it: separators, quotes, backslashes, line breaks, formula starts, any Unicode, broken surrogates. */
const nastyChar = fc.oneof(
	{ weight: 40, arbitrary: fc.constantFrom(',', '"', '\\', '\t', '\n', '\r', '\r\n', ' ', '=', '+', '-', '@', ';', "'", '\u00a0', '\ufeff', '\u0000') },
	{ weight: 80, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) },
	{ weight: 40, arbitrary: fc.integer({ min: 0xa0, max: 0xd7ff }).map((code) => String.fromCharCode(code)) },
	{ weight: 20, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((code) => String.fromCodePoint(code)) },
	{ weight: 1, arbitrary: fc.constantFrom('\ud800', '\udfff') },
);
const nastyText = fc.oneof(
	{ weight: 8, arbitrary: fc.array(nastyChar, { maxLength: 40 }).map((chars) => chars.join('')) },
	{ weight: 1, arbitrary: fc.constant('') },
	{ weight: 1, arbitrary: fc.array(nastyChar, { minLength: 1400, maxLength: 1700 }).map((chars) => chars.join('')) },
);
const columnName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('record_id', 'user_id', 'application_role', 'operation', 'id', 'reviewer__v.users') }, { weight: 1, arbitrary: nastyText });
/** A header and rows that usually have its columns, sometimes not, plus stray keys. */
const table = fc.uniqueArray(columnName, { minLength: 1, maxLength: 6 }).chain((header) =>
	fc.record({
		header: fc.constant(header),
		rows: fc.array(
			fc.tuple(fc.array(fc.option(nastyText, { nil: undefined, freq: 6 }), { minLength: header.length, maxLength: header.length }), fc.dictionary(fc.string({ maxLength: 8 }), nastyText, { maxKeys: 2 })).map(([values, extra]) => {
				const row: Record<string, string> = { ...extra };
				header.forEach((column, index) => {
					if (values[index] !== undefined) row[column] = values[index];
				});
				return row;
			}),
			{ maxLength: 12 },
		),
	}),
);
const CASES = 400;
const tables = fc.sample(table, { numRuns: CASES, seed: SEED });
/** Arbitrary text, CSV or not: pieces of nasty text between separators, line ends and stray quotes. */
const texts = fc.sample(
	fc.array(fc.tuple(nastyText, fc.constantFrom(',', '\n', '\r\n', '\r', '"', '')), { maxLength: 8 }).map((parts) => parts.map(([text, separator]) => text + separator).join('')),
	{ numRuns: CASES, seed: SEED + 1 },
);

const PARSE_CONFIGS: Array<ParseConfig> = [
	{ header: true, skipEmptyLines: true },
	{ header: false },
	{ header: true, skipEmptyLines: 'greedy', transformHeader: (header) => header.replace(/^\uFEFF/, '').trim() },
	{ delimiter: ',', newline: '\n', quoteChar: '"', skipEmptyLines: true },
];
const UNPARSE_CONFIGS: Array<UnparseConfig> = [{ newline: '\r\n', quotes: false, escapeFormulae: false }, { quotes: true }, { newline: '\n', escapeFormulae: true }, {}];

/** Everything papaparse answers (rows, errors, meta) as one string. */
const parsed = (papa: typeof sourcePapa, text: string, config: ParseConfig) => JSON.stringify(papa.parse(text, config) as ParseResult<unknown>);

describe('the built bundle is what ships', () => {
	it('holds papaparse itself, with no require of papaparse, stream, setTimeout or console left', () => {
		const code = readFileSync(join(DIST_CSV, 'papaparse.js'), 'utf8');
		expect(code).toContain('Papa Parse');
		expect(code).toContain('Copyright (c) 2015 Matthew Holt');
		expect(code).not.toMatch(/require\(["'](papaparse|stream|node:stream)["']\)/);
		expect(code).not.toMatch(/\bsetTimeout\(|\bconsole\./);
		expect(readFileSync(join(DIST_CSV, 'vaultCsv.js'), 'utf8')).toMatch(/require\("\.\/papaparse"\)/);
		expect(bundled.Papa).not.toBe(sourcePapa);
		expect(bundled.Papa.parse).toEqual(expect.any(Function));
	});
});

describe('bundled papaparse and built CSV modules: byte for byte as the sources', () => {
	it(`toVaultCsv writes the same CSV (${CASES} generated tables) and counts the same bytes`, () => {
		for (const { header, rows } of tables) {
			const csv = builtCsv.toVaultCsv(header, rows);
			expect(csv).toBe(sourceCsv.toVaultCsv(header, rows));
			expect(builtCsv.csvHeaderBytes(header)).toBe(sourceCsv.csvHeaderBytes(header));
			for (const row of rows) expect(builtCsv.csvRowBytes(header, row)).toBe(sourceCsv.csvRowBytes(header, row));
		}
	});

	it('Papa.unparse writes the same text under each configuration', () => {
		for (const { header, rows } of tables) {
			for (const config of UNPARSE_CONFIGS) {
				expect(bundled.Papa.unparse({ fields: [...header], data: rows }, config)).toBe(sourcePapa.unparse({ fields: [...header], data: rows }, config));
				expect(bundled.Papa.unparse(rows, config)).toBe(sourcePapa.unparse(rows, config));
			}
		}
	});

	it('Papa.parse reads the same rows, errors and meta: from the CSV toVaultCsv wrote and from arbitrary text', () => {
		// papaparse from node_modules warns on the console for each duplicate header; the bundle does not
		const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
		try {
			const inputs = [...tables.map(({ header, rows }) => sourceCsv.toVaultCsv(header, rows)), ...texts];
			for (const text of inputs) {
				for (const config of PARSE_CONFIGS) expect(parsed(bundled.Papa, text, config)).toBe(parsed(sourcePapa, text, config));
			}
		} finally {
			warn.mockRestore();
		}
	});

	it('renames duplicate headers the same way (papaparse warns on the console there; the bundle drops the warning only)', () => {
		const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
		try {
			const text = 'a,a,b,a\r\n1,2,3,4\r\n';
			expect(parsed(bundled.Papa, text, { header: true })).toBe(parsed(sourcePapa, text, { header: true }));
			expect(warn).toHaveBeenCalledTimes(1); // the source's warning; none from the bundle
		} finally {
			warn.mockRestore();
		}
	});

	it('parseCsv streams the same rows from a file kept as base64 and from a Node stream, pausing on each promise', async () => {
		const read = async (file: typeof sourceFile, input: () => Parameters<typeof sourceFile.parseCsv>[0]) => {
			const rows: string[] = [];
			await file.parseCsv(input(), async (fields, rowNumber) => {
				rows.push(JSON.stringify([rowNumber, fields]));
				if (rowNumber % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
			});
			return rows.join('\n');
		};
		for (const { header, rows } of tables.slice(0, 150)) {
			const text = `\uFEFF${sourceCsv.toVaultCsv(header, rows)}`;
			const base64 = Buffer.from(text, 'utf8').toString('base64');
			const bytes = Buffer.from(text, 'utf8');
			const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, index) => bytes.subarray(index * 7, index * 7 + 7));
			const expected = await read(sourceFile, () => new sourceStream.Base64TextStream(base64));
			expect(await read(builtFile, () => new builtStream.Base64TextStream(base64))).toBe(expected);
			expect(await read(builtFile, () => Readable.from(chunks))).toBe(await read(sourceFile, () => Readable.from(chunks)));
		}
	});

	it("resumes after papaparse's wait (its one setTimeout, n8n-workflow's sleep in the bundle) with the same rows", async () => {
		// resume() before the streamer has halted: papaparse waits 3 ms and tries again (papaparse #636)
		const steps = (papa: typeof sourcePapa, text: string) =>
			new Promise<string>((resolve, reject) => {
				const rows: unknown[] = [];
				papa.parse<string[]>(text, {
					step: (result, parser) => {
						rows.push(result.data);
						parser.pause();
						parser.resume();
					},
					complete: () => resolve(JSON.stringify(rows)),
					error: reject,
				});
			});
		for (const { header, rows } of tables.slice(0, 40)) {
			const text = sourceCsv.toVaultCsv(header, rows);
			expect(await steps(bundled.Papa, text)).toBe(await steps(sourcePapa, text));
		}
	});

	it('refuses NODE_STREAM_INPUT (the one use of Node streams in papaparse, stubbed in the bundle) loudly', () => {
		expect(() => bundled.Papa.parse(bundled.Papa.NODE_STREAM_INPUT, {})).toThrow(/NODE_STREAM_INPUT\) is not available in this package/);
	});
});

describe('npm pack: what ships', () => {
	it('is dist/ (JavaScript, icons, the codex file), README, LICENSE, package.json and index.js: no source maps, tests, sandbox, bench or examples', () => {
		const out = execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
		const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((file) => file.path).sort();
		expect(files.filter((file) => !/^dist\/(nodes|credentials)\/.+\.(js|svg|png|node\.json)$/.test(file))).toEqual(['LICENSE', 'README.md', 'index.js', 'package.json']);
		expect(files).toEqual(expect.arrayContaining(['dist/nodes/VeevaVaultQms/VeevaVaultQms.node.js', 'dist/credentials/VeevaVaultApi.credentials.js', 'dist/nodes/VeevaVaultQms/csv/papaparse.js']));
		// the trigger (issue 25): its module, icons and codex file, as n8n loads them
		expect(files).toEqual(
			expect.arrayContaining(['VeevaVaultQmsTrigger.node.js', 'VeevaVaultQmsTrigger.node.json', 'veevaVault.svg', 'veevaVault.dark.svg'].map((file) => `dist/nodes/VeevaVaultQmsTrigger/${file}`)),
		);
		expect(files.filter((file) => /\.map$|\.ts$|shims|test|sandbox|bench|examples/.test(file))).toEqual([]);
	});
});

describe("n8n's own loader on the built package", () => {
	// n8n-core's PackageDirectoryLoader, the loader n8n uses for a community package: it reads the n8n block,
	// requires each node from dist/, adds a polling node's Poll Times and reads each node's codex file
	it('loads the action node and the trigger, the trigger with Poll Times and its codex', async () => {
		const { PackageDirectoryLoader } = require('n8n-core') as typeof import('n8n-core');
		const loader = new PackageDirectoryLoader(ROOT);
		await loader.loadAll();
		expect(Object.keys(loader.nodeTypes).sort()).toEqual(['veevaVaultQms', 'veevaVaultQmsTrigger']);
		const trigger = loader.nodeTypes.veevaVaultQmsTrigger.type as import('n8n-workflow').INodeType;
		expect(trigger.description.polling).toBe(true);
		expect(trigger.description.properties[0].name).toBe('pollTimes');
		expect((trigger.description as { codex?: { categories?: string[] } }).codex?.categories).toEqual(['Productivity', 'Development']);
	});
});
