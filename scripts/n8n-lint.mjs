#!/usr/bin/env node
// npm run lint: n8n's own `n8n-node lint` (@n8n/node-cli), strict mode, with the default
// eslint.config.mjs (`import { config } from '@n8n/node-cli/eslint'`), over the product code:
// package.json, nodes/ and credentials/, what n8n's scanner lints as "the source" and what ships.
//
// Why a copy: `n8n-node lint` runs `eslint .`, and the default config it insists on in strict mode
// (any other eslint.config.mjs is a "strict mode violation") lints every .ts file under the folder,
// tests included. This repository's tests, sandbox, bench and examples are Node programs (HTTP
// servers, timers, child processes) that n8n's node-runtime rules are not meant for, and n8n's
// scanner never reads them. So the product files, this repository's own eslint.config.mjs and
// tsconfig.json are copied into a temporary folder beside a link to node_modules, and the real
// CLI runs there, unchanged. `npx n8n-node lint` at the repository root runs the same rules over
// the tests as well, and fails on them (see README, "Checks").
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repo, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs');
const PRODUCT = ['package.json', 'eslint.config.mjs', 'tsconfig.json', 'nodes', 'credentials'];

const stage = mkdtempSync(join(tmpdir(), 'n8n-node-lint-'));
let status = 1;
try {
	for (const entry of PRODUCT) cpSync(join(repo, entry), join(stage, entry), { recursive: true });
	symlinkSync(join(repo, 'node_modules'), join(stage, 'node_modules'), 'dir');
	console.log(`n8n-node lint (strict, default eslint.config.mjs) over ${PRODUCT.join(', ')}, copied to ${stage}`);
	const run = spawnSync(process.execPath, [cli, 'lint'], {
		cwd: stage,
		encoding: 'utf8',
		env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
	});
	// report paths as the repository's, not the copy's
	const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.split(stage).join(repo);
	process.stdout.write(output);
	if (run.error) throw run.error;
	status = run.status ?? 1;
	console.log(status === 0 ? 'n8n-node lint: no problems' : `n8n-node lint: failed (exit ${status})`);
} finally {
	rmSync(join(stage, 'node_modules'), { force: true }); // the link alone, before the folder
	rmSync(stage, { recursive: true, force: true });
}
process.exit(status);
