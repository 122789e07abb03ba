const { rmSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { src, dest, parallel } = require('gulp');
const esbuild = require('esbuild');

// `npm run build`: gulp clean, then tsc (tsconfig.build.json), then gulp build:dist (icons and the
// papaparse bundle). dist/ is emptied first so nothing from an earlier build (a .map file, a module
// since renamed) is packed.
function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	done();
}

// tsc does not copy the icons or the node's codex file; n8n loads them from dist/ next to the .js files.
function buildIcons() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(dest('dist'));
}

const CSV = 'nodes/VeevaVaultQms/csv';
const papaparseLicense = () => readFileSync(join(dirname(require.resolve('papaparse/package.json')), 'LICENSE'), 'utf8').trim();

// The package has no runtime dependencies: papaparse (a devDependency) is bundled into the one
// module that imports it, replacing tsc's output of csv/papaparse.ts; every other module stays
// tsc's and requires it as before. n8n-workflow stays external (the peer n8n provides). What n8n's
// scanner does not allow in a community package is taken out of papaparse's code here: its
// require('stream') (only for NODE_STREAM_INPUT, never used) points at shims/stream.ts, its one
// setTimeout call at shims/timers.ts (n8n-workflow's sleep), and its one console.warn (duplicate
// headers renamed) is dropped. papaparse's MIT licence text heads the bundle.
async function bundleCsv() {
	const result = await esbuild.build({
		entryPoints: [`${CSV}/papaparse.ts`],
		outfile: `dist/${CSV}/papaparse.js`,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'es2022',
		external: ['n8n-workflow'],
		alias: { stream: `./${CSV}/shims/stream.ts` },
		inject: [`./${CSV}/shims/timers.ts`],
		drop: ['console'],
		legalComments: 'inline',
		banner: { js: `/*\npapaparse, bundled from node_modules/papaparse by this package's build (gulpfile.js):\n\n${papaparseLicense()}\n*/` },
		logLevel: 'warning',
		metafile: true,
	});
	const inputs = Object.keys(result.metafile.inputs).sort();
	if (!inputs.some((input) => input.startsWith('node_modules/papaparse/'))) throw new Error(`build:bundle: papaparse is not in the bundle (inputs: ${inputs.join(', ')})`);
	// the shims live on in the bundle only; tsc type-checked and emitted them, they are not modules of their own
	rmSync(`dist/${CSV}/shims`, { recursive: true, force: true });
}

exports.clean = clean;
exports['build:icons'] = buildIcons;
exports['build:bundle'] = bundleCsv;
exports['build:dist'] = parallel(buildIcons, bundleCsv);
