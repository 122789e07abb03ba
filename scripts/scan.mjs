#!/usr/bin/env node
// npm run scan: the analysis of n8n's community-package scanner (@n8n/scan-community-package, a
// devDependency) on this repository, offline, on both of its legs. Run `npm run build` first.
//
// The published scanner (`npx @n8n/scan-community-package <name>@<version>`) only works on a
// package already on the npm registry: it checks the version's npm provenance, fetches the source
// the provenance names from codeload.github.com, downloads the tarball with `npm pack <name>`, then
// lints the source and the tarball. Here the lint is the scanner's own code, run locally:
// `analyzePackage` and `buildScanConfig` from its scanner.mjs (its rules, plugin versions and
// ESLint options: inline eslint-disable directives off), with its own file patterns, on
//   - source leg: this working tree's package.json, nodes/ and credentials/ (SOURCE_FILE_PATTERNS);
//   - tarball leg: `npm pack` of this working tree, unpacked ('**/*.js' and package.json).
// Zero findings means no error and no warning (the scanner itself fails on errors only).
// One check of this package's own follows, which the scanner does not make: the packed package,
// with nothing beside it but n8n-workflow (the peer n8n provides), loads its node and credential.
// The scanner allows any devDependency in the tarball's require()s, so a dependency moved to
// devDependencies without being bundled passes it and then fails when n8n installs the package.
// What cannot run offline (provenance, the attested source) is listed at the end, not faked.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scannerDir = join(repo, 'node_modules', '@n8n', 'scan-community-package');
const scannerFile = join(scannerDir, 'scanner', 'scanner.mjs');
const fromScanner = createRequire(scannerFile);
const versionOf = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
const packageDirOf = (name) => {
	// the package folder that the scanner's own imports resolve to
	let dir = dirname(fromScanner.resolve(name));
	while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) dir = dirname(dir);
	return dir;
};

const { analyzePackage, buildScanConfig, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerFile).href);
const { ESLint } = await import(pathToFileURL(fromScanner.resolve('eslint')).href);
const glob = (await import(pathToFileURL(fromScanner.resolve('fast-glob')).href)).default;

const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const line = (text = '') => process.stdout.write(`${text}\n`);
let findings = 0;
let failed = false;

line(`npm run scan: ${manifest.name}@${manifest.version}`);
line(
	`n8n's scanner @n8n/scan-community-package@${versionOf(scannerDir)} (@n8n/eslint-plugin-community-nodes@${versionOf(packageDirOf('@n8n/eslint-plugin-community-nodes'))}, ` +
		`eslint-plugin-n8n-nodes-base@${versionOf(packageDirOf('eslint-plugin-n8n-nodes-base'))}, eslint@${versionOf(packageDirOf('eslint'))})`,
);
line('The published scanner only scans a package on the npm registry; its analysis is reproduced here with its own');
line('code and config (analyzePackage, buildScanConfig; inline ESLint directives off), on this working tree.');

/** One leg: the scanner's verdict (analyzePackage) and, with the same config and files, every error and warning. */
async function leg(title, dir, patterns) {
	line();
	line(`== ${title}`);
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const verdict = await analyzePackage(dir, patterns);
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
	const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
	line(`${files.length} files: ${files.map((file) => relative(dir, file)).join(', ')}`);
	if (errors + warnings > 0) line((await eslint.loadFormatter('stylish')).format(results).trimEnd());
	line(`scanner verdict: ${verdict.passed ? 'passed' : `FAILED (${verdict.message})`}; findings: ${errors} error(s), ${warnings} warning(s)`);
	if (verdict.passed !== (errors === 0)) throw new Error('the scanner and the listing disagree: the listing no longer mirrors analyzePackage');
	findings += errors + warnings;
	if (!verdict.passed) failed = true;
}

/** dist/ must be newer than everything it is built from, or the tarball leg scans an old build. */
function checkBuild() {
	const dist = join(repo, 'dist');
	const entries = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
	const missing = entries.filter((entry) => !existsSync(join(repo, entry)));
	if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run \`npm run build\` first`);
	const built = glob.sync('**/*.js', { cwd: dist, absolute: true }).map((file) => statSync(file).mtimeMs);
	const inputs = glob.sync(['nodes/**', 'credentials/**', 'gulpfile.js', 'tsconfig.json', 'tsconfig.build.json'], { cwd: repo, absolute: true });
	const newer = inputs.filter((file) => statSync(file).mtimeMs > Math.min(...built));
	if (newer.length > 0) throw new Error(`dist/ is older than ${newer.map((file) => relative(repo, file)).join(', ')}: run \`npm run build\` first`);
}

const work = mkdtempSync(join(tmpdir(), 'n8n-scan-'));
try {
	await leg('Source leg: package.json, nodes/, credentials/ of the working tree', repo, SOURCE_FILE_PATTERNS);

	checkBuild();
	const pack = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))[0];
	// unpacked where n8n puts a community package: <user folder>/.n8n/nodes/node_modules/<name>
	const nodesDir = join(work, 'nodes');
	const packageDir = join(nodesDir, 'node_modules', manifest.name);
	mkdirSync(packageDir, { recursive: true });
	execFileSync('tar', ['-xzf', join(work, pack.filename), '-C', packageDir, '--strip-components=1']);
	line();
	line(`npm pack: ${pack.filename}, ${pack.size} bytes packed, ${pack.unpackedSize} unpacked, ${pack.entryCount} files`);
	await leg(`Tarball leg: ${pack.filename}, unpacked ('**/*.js', package.json)`, packageDir, ['**/*.js', 'package.json']);

	line();
	line('== Load check (this package\'s own, not the scanner\'s): the packed package with only n8n-workflow beside it');
	symlinkSync(join(repo, 'node_modules', 'n8n-workflow'), join(nodesDir, 'node_modules', 'n8n-workflow'), 'dir');
	// every require() in the shipped .js, resolved by esbuild from where n8n installs the package:
	// a module that is neither the peer nor a Node built-in does not resolve there
	const esbuild = await import(pathToFileURL(createRequire(join(repo, 'package.json')).resolve('esbuild')).href);
	const shipped = glob.sync('**/*.js', { cwd: packageDir, absolute: true });
	const resolved = await esbuild.build({ entryPoints: shipped, bundle: true, write: false, outdir: join(work, 'resolved'), platform: 'node', format: 'cjs', external: ['n8n-workflow'], metafile: true, logLevel: 'silent' }).then(
		(result) => ({ result }),
		(error) => ({ error }),
	);
	if (resolved.error) {
		line(`UNRESOLVED from the installed package: ${(resolved.error.errors ?? []).map((error) => `${error.text} (${error.location?.file ?? '?'})`).join('; ') || resolved.error.message}`);
		failed = true;
	} else {
		const externals = new Set(Object.values(resolved.result.metafile.inputs).flatMap((input) => input.imports.filter((target) => target.external).map((target) => target.path)));
		line(`modules the shipped .js require from outside the package: ${[...externals].sort().join(', ') || 'none'} (n8n-workflow is the peer n8n provides)`);
	}
	const ancestors = [];
	for (let dir = dirname(nodesDir); dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'node_modules'))) ancestors.push(join(dir, 'node_modules'));
	if (ancestors.length > 0) line(`note: also on the resolution path: ${ancestors.join(', ')}`);
	const load = spawnSync(
		process.execPath,
		[
			'-e',
			// as n8n does: the class named after the file, instantiated
			`for (const entry of process.argv.slice(1)) { const name = require('node:path').basename(entry).split('.')[0]; const type = new (require(entry)[name])(); console.log('loaded ' + entry.slice(${packageDir.length + 1}) + ': ' + name + ' (' + (type.description?.displayName ?? type.displayName) + ')'); }`,
			...[...manifest.n8n.nodes, ...manifest.n8n.credentials].map((entry) => join(packageDir, entry)),
		],
		{ cwd: nodesDir, encoding: 'utf8', env: { PATH: process.env.PATH, NODE_PATH: '' } },
	);
	process.stdout.write(load.stdout);
	if (load.status !== 0) {
		line(`LOAD FAILED:\n${load.stderr.trim()}`);
		failed = true;
	}

	line();
	line('== Not run here (they need the package published on npm and a reachable GitHub; this machine reaches only the npm registry)');
	line('- provenance check (checkPackageProvenance): reads the npm provenance attestation of a published version;');
	line('  this version is not published. Publishing goes through .github/workflows/publish.yml (npm run release: n8n-node release, which publishes with provenance).');
	line('- source download: the scanner lints the commit named in that attestation, fetched from codeload.github.com;');
	line('  here the source leg lints the working tree instead (uncommitted changes included).');
	line('- tarball download (npm pack <name>@<version> from the registry): replaced by npm pack of the working tree.');
	line(`After publishing, run the real thing: npx @n8n/scan-community-package ${manifest.name}@<version>`);
} finally {
	// the link first, so that removing the folder cannot reach into the repository's node_modules
	rmSync(join(work, 'nodes', 'node_modules', 'n8n-workflow'), { force: true });
	rmSync(work, { recursive: true, force: true });
}

line();
if (failed || findings > 0) {
	line(`scan: FAILED: ${findings} finding(s)${failed ? '; a check above failed' : ''}`);
	process.exit(1);
}
line('scan: 0 findings on both legs; the packed package loads with n8n-workflow alone');
