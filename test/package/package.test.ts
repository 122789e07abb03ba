/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
	n8n?: { nodes?: string[]; credentials?: string[] };
	dependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;

describe('package.json, as npm installs it into ~/.n8n/nodes', () => {
	// Found by npm run test:n8n: n8n's manual install (`npm install <package>` in ~/.n8n/nodes)
	// runs npm 7+, which installs a required peer. "n8n-workflow": "*" then brought the newest
	// n8n-workflow (2.41.0) and ~130 packages, a native build among them, beside n8n 2.40.7's own
	// 2.40.1: the node ran on a second copy, whose error classes are not the ones n8n checks with
	// instanceof. Optional, the peer is not installed; the node resolves n8n's copy (n8n puts its
	// own node_modules on NODE_PATH), as with n8n's installer, which drops peerDependencies.
	it('declares n8n-workflow as an optional peer, so npm does not install a second copy', () => {
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.peerDependenciesMeta?.['n8n-workflow']?.optional).toBe(true);
	});

	// n8n installs a community package without its devDependencies: papaparse is one only because
	// the build bundles it into dist/ (bundle.test.ts checks the bundle, npm run scan loads the
	// packed package with nothing beside it but n8n-workflow)
	it('has no runtime dependencies: papaparse is a devDependency, bundled at build', () => {
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.devDependencies?.papaparse).toMatch(/^\d+\.\d+\.\d+$/);
	});

	// n8n loads exactly the files the n8n block names, and the icons and codex file next to each
	// (gulpfile.js copies nodes/**/*.{svg,png} and *.node.json into dist/); a node left out is invisible
	it('names the action node and the trigger in the n8n block, each with its icons and codex file in the source', () => {
		expect(manifest.n8n?.nodes).toEqual(['dist/nodes/VeevaVaultQms/VeevaVaultQms.node.js', 'dist/nodes/VeevaVaultQmsTrigger/VeevaVaultQmsTrigger.node.js']);
		for (const node of manifest.n8n?.nodes ?? []) {
			const source = join(__dirname, '..', '..', node.replace(/^dist\//, '').replace(/\.js$/, ''));
			for (const file of [`${source}.ts`, `${source}.json`, join(source, '..', 'veevaVault.svg'), join(source, '..', 'veevaVault.dark.svg')]) expect(existsSync(file)).toBe(true);
			const codex = JSON.parse(readFileSync(`${source}.json`, 'utf8')) as { node: string };
			expect(codex.node).toBe(`n8n-nodes-veeva-vault-qms.${node.replace(/^.*\/(\w)(\w+)\.node\.js$/, (_, first: string, rest: string) => first.toLowerCase() + rest)}`);
		}
	});
});
