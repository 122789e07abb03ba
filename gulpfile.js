const { src, dest } = require('gulp');

// tsc does not copy the icons or the node's codex file; n8n loads them from dist/ next to the .js files.
function buildIcons() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
