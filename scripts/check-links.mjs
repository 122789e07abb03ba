#!/usr/bin/env node
// npm run check:links: every relative link and image in README.md and docs/*.md points at a file
// that exists, and every #anchor at a heading of its page (GitHub's and npm's heading ids); and the
// README anchors the node and the credential send users to (their Docs links on npmjs.com) exist.
// Prints one line per dead link and "N links checked, M dead"; exits 1 when a link is dead.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE_PAGE = 'https://www.npmjs.com/package/n8n-nodes-veeva-vault-qms';
/** files outside the markdown that link into the README on npmjs.com */
const DOCS_LINKERS = ['nodes/VeevaVaultQms/VeevaVaultQms.node.json', 'nodes/VeevaVaultQmsTrigger/VeevaVaultQmsTrigger.node.json', 'credentials/VeevaVaultApi.credentials.ts', 'credentials/VeevaVaultOAuth2Api.credentials.ts'];

/** GitHub's heading id: lower case, punctuation dropped (letters, digits, marks, `_`, `-` and spaces kept), spaces to `-`. */
export function slug(heading) {
	const text = heading
		.replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.trim()
		.toLowerCase();
	return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** The markdown with fenced code blocks blanked (a `#` line there is no heading), line count kept. */
function withoutFences(markdown) {
	return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ' '));
}

/** ... and inline code blanked too (a link there is no link). */
function withoutCode(markdown) {
	return withoutFences(markdown).replace(/`[^`\n]*`/g, (span) => ' '.repeat(span.length));
}

/** The ids a page's headings get (a repeated heading gets -1, -2, ...), plus explicit <a id/name>. */
export function anchorsOf(markdown) {
	const seen = new Map();
	const anchors = new Set(['readme']);
	for (const match of withoutFences(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
		const base = slug(match[1].replace(/`/g, ''));
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	for (const match of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
	return anchors;
}

function linksOf(markdown) {
	const links = [];
	const text = withoutCode(markdown);
	const patterns = [/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, /<(?:a|img)\s[^>]*?(?:href|src)="([^"]+)"/g, /^\s*\[[^\]]+\]:\s*(\S+)/gm];
	for (const pattern of patterns) {
		for (const match of text.matchAll(pattern)) {
			const line = text.slice(0, match.index).split('\n').length;
			links.push({ target: match[1], line });
		}
	}
	return links;
}

const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const anchorCache = new Map();
const anchorsOfFile = (file) => {
	if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(readFileSync(file, 'utf8')));
	return anchorCache.get(file);
};

const dead = [];
let checked = 0;
for (const page of pages) {
	const file = join(ROOT, page);
	for (const { target, line } of linksOf(readFileSync(file, 'utf8'))) {
		if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
			// the package's own page: its anchors are the README's
			if (target.startsWith(`${PACKAGE_PAGE}#`)) {
				checked++;
				const anchor = target.slice(PACKAGE_PAGE.length + 1);
				if (!anchorsOfFile(join(ROOT, 'README.md')).has(anchor)) dead.push(`${page}:${line}: ${target}: README.md has no heading #${anchor}`);
			}
			continue;
		}
		checked++;
		const [pathPart, anchor] = target.split('#', 2);
		const destination = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
		if (!destination.startsWith(ROOT)) {
			dead.push(`${page}:${line}: ${target}: outside the repository`);
			continue;
		}
		if (!existsSync(destination)) {
			dead.push(`${page}:${line}: ${target}: no such file (${relative(ROOT, destination)})`);
			continue;
		}
		if (anchor !== undefined && anchor !== '' && statSync(destination).isFile() && destination.endsWith('.md') && !anchorsOfFile(destination).has(anchor)) {
			dead.push(`${page}:${line}: ${target}: ${relative(ROOT, destination)} has no heading #${anchor}`);
		}
	}
}
for (const linker of DOCS_LINKERS) {
	const text = readFileSync(join(ROOT, linker), 'utf8');
	for (const match of text.matchAll(new RegExp(`${PACKAGE_PAGE.replace(/[.]/g, '\\.')}#([A-Za-z0-9_-]+)`, 'g'))) {
		checked++;
		if (!anchorsOfFile(join(ROOT, 'README.md')).has(match[1])) dead.push(`${linker}: ${match[0]}: README.md has no heading #${match[1]}`);
	}
}

for (const line of dead) console.log(`dead link: ${line}`);
console.log(`${checked} links checked in ${pages.length} pages and ${DOCS_LINKERS.length} Docs links, ${dead.length} dead`);
process.exitCode = dead.length === 0 ? 0 : 1;
