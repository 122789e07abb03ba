/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodePropertyOptions } from 'n8n-workflow';

import { VeevaVaultQms } from '../../nodes/VeevaVaultQms/VeevaVaultQms.node';

/**
 * The README is for n8n users and short; docs/ holds the rest; no link between them is dead
 * (scripts/check-links.mjs, also `npm run check:links` and CI).
 */
const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README.md and docs/', () => {
	it('has no dead relative link or anchor (npm run check:links)', () => {
		const result = spawnSync(process.execPath, [join(ROOT, 'scripts/check-links.mjs')], { encoding: 'utf8' });
		expect(result.stdout).toMatch(/links checked in \d+ pages and 4 Docs links, 0 dead/);
		expect(result.status).toBe(0);
	});

	it('README: at most 250 lines, in the n8n starter template order, with the two set-up commands', () => {
		expect(readme.split('\n').length).toBeLessThanOrEqual(250);
		const headings = [...readme.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
		expect(headings).toEqual(['Installation', 'Operations', 'The credential: Veeva Vault API', 'Compatibility', 'Usage', 'Resources', 'Development', 'License']);
		expect(readme).toContain('npm ci && npm run demo');
		expect(readme).toContain('npm run build && npm test');
		expect(readme).toContain('N8N_UNVERIFIED_PACKAGES_ENABLED=true');
		expect(readme).toContain('N8N_USER_FOLDER');
		expect(readme).toContain('examples/sandbox-credential.json');
		// a screenshot before any heading below the title
		expect(readme.indexOf('![')).toBeLessThan(readme.indexOf('\n## '));
	});

	it("README's first table names every operation of the node", () => {
		const properties = new VeevaVaultQms().description.properties;
		const resources = (properties.find((property) => property.name === 'resource')?.options ?? []) as INodePropertyOptions[];
		const table = readme.slice(readme.indexOf('| Resource |'), readme.indexOf('\n\n', readme.indexOf('| Resource |')));
		for (const property of properties.filter((candidate) => candidate.name === 'operation')) {
			const resource = resources.find((option) => option.value === property.displayOptions?.show?.resource?.[0])?.name;
			for (const option of property.options as INodePropertyOptions[]) expect(table).toContain(`| ${resource} | ${option.name} |`);
		}
	});

	it('docs/reliability.md keeps the Reliability and Caps sections the README had', () => {
		const reliability = readFileSync(join(ROOT, 'docs/reliability.md'), 'utf8');
		expect(reliability).toContain('**Resend policy, per endpoint.**');
		expect(reliability).toContain('**Caps.** Nothing a user types or a broken Vault answers can stall a run without limit:');
	});
});
