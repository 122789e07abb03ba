/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * Where the real-n8n toolchain is, for the programs test/n8n/toolchain.sh starts (test/n8n/e2e.ts
 * by way of run.sh, bench/n8n/run.ts): the one script that installs it exports the paths, and this
 * reads them, so no program keeps a second idea of the cache folder, the default n8n version or
 * Node 24's place.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Toolchain {
	/** the cache folder (~/.cache/n8n-veeva-e2e unless N8N_E2E_CACHE says) */
	cache: string;
	/** the folder of Node.js 24's `node` and `npm` */
	node24Bin: string;
	/** the n8n install folder of this version */
	n8nDir: string;
	/** n8n's command-line entry point, run with Node 24 */
	n8nJs: string;
	/** the n8n version as installed (from its package.json) */
	n8nVersion: string;
	/** its major: the few steps where n8n 1.x and 2.x differ pick by it */
	n8nMajor: number;
}

export function toolchain(): Toolchain {
	const { N8N_E2E_CACHE: cache, N8N_E2E_NODE24_BIN: node24Bin, N8N_E2E_N8N_DIR: n8nDir } = process.env;
	if (!cache || !node24Bin || !n8nDir) {
		throw new Error('no real-n8n toolchain named: start this through test/n8n/toolchain.sh (npm run test:n8n and npm run bench:n8n do), which installs Node 24 and n8n and says where');
	}
	const n8nJs = join(n8nDir, 'node_modules/n8n/bin/n8n');
	if (!existsSync(n8nJs)) throw new Error(`no n8n at ${n8nDir}: bash test/n8n/toolchain.sh installs it`);
	const n8nVersion = (JSON.parse(readFileSync(join(n8nDir, 'node_modules/n8n/package.json'), 'utf8')) as { version: string }).version;
	return { cache, node24Bin, n8nDir, n8nJs, n8nVersion, n8nMajor: Number(n8nVersion.split('.')[0]) };
}
