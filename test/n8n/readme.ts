/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * README.md as a reader first sees it: rendered to HTML (marked, GitHub-flavoured) with a style
 * close to GitHub's and npm's, images resolved against the repository, for test:n8n to open in
 * Chromium and photograph.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { marked } from 'marked';

const STYLE = `
body { margin: 0; background: #fff; color: #1f2328; font: 16px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
main { box-sizing: border-box; max-width: 1012px; margin: 32px auto; padding: 32px 45px; border: 1px solid #d1d9e0; border-radius: 6px; }
h1, h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
h1 { font-size: 2em; margin: 0 0 16px; } h2 { font-size: 1.5em; margin: 24px 0 16px; } h3 { font-size: 1.25em; margin: 24px 0 16px; }
p, ul, ol, table, pre { margin: 0 0 16px; }
a { color: #0969da; text-decoration: none; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
pre { background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; } pre code { background: none; padding: 0; font-size: 85%; }
table { border-collapse: collapse; display: block; overflow: auto; } th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } tr:nth-child(2n) { background: #f6f8fa; }
img { max-width: 100%; border-style: none; }
`;

/** Writes README.md as HTML into `outFile` and returns its file:// URL. */
export function renderReadme(repo: string, outFile: string): string {
	const markdown = readFileSync(join(repo, 'README.md'), 'utf8');
	const body = marked.parse(markdown, { async: false, gfm: true }) as string;
	const base = pathToFileURL(`${repo}/`).href;
	writeFileSync(outFile, `<!doctype html><html><head><meta charset="utf-8"><base href="${base}"><title>README.md</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`);
	return pathToFileURL(outFile).href;
}
