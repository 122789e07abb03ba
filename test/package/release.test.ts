/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Releases go through n8n's `n8n-node release` (@n8n/node-cli, as n8n's starter and its
 * verification page ask): in GitHub Actions it runs `npm run lint`, `npm run build` (this repo's
 * gulp build, which bundles papaparse) and `npm publish` with provenance; a bare `npm publish` is
 * stopped by `prepublishOnly: n8n-node prerelease`, which lets only release mode (RELEASE_MODE) on.
 */
const ROOT = join(__dirname, '..', '..');
const publishDryRun = (env: Record<string, string>) =>
	// the repo's .npmrc has ignore-scripts=true, under which npm skips prepublishOnly: the guard runs only with scripts on
	spawnSync('npm', ['publish', '--dry-run', '--ignore-scripts=false'], {
		cwd: ROOT,
		encoding: 'utf8',
		env: { ...process.env, RELEASE_MODE: '', GITHUB_ACTIONS: '', npm_config_ignore_scripts: 'false', ...env },
	});

describe('release through n8n-node', () => {
	it('refuses a bare npm publish, naming npm run release; in release mode the publish goes on', () => {
		const bare = publishDryRun({});
		expect(bare.status).not.toBe(0);
		expect(bare.stdout + bare.stderr).toContain('Run `npm run release` to publish the package');
		const release = publishDryRun({ RELEASE_MODE: 'true' });
		expect(release.stderr).toContain('(dry-run)');
		expect(release.status).toBe(0);
	});

	it('the publish workflow publishes only through npm run release, with the OIDC token provenance needs', () => {
		const workflow = readFileSync(join(ROOT, '.github', 'workflows', 'publish.yml'), 'utf8');
		const runs = [...workflow.matchAll(/^\s+run: (.+)$|^\s{10}(\S.*)$/gm)].map((match) => match[1] ?? match[2]).join('\n');
		expect(runs).toMatch(/npm run release/);
		expect(runs).not.toMatch(/npm publish/);
		expect(workflow).toMatch(/id-token: write/);
	});
});
