/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * One results file per benchmark run, bench/results/<UTC date>-<time>-<commit>[-<kind>].md (e.g.
 * 2026-12-07-1012-f7ef9cd.md for `npm run bench`, …-n8n.md for `npm run bench:n8n`), instead of
 * sections appended to one file: runs on different branches never collide, and two runs compare
 * with a diff. Sorted by name they are sorted by time. bench/RESULTS.md keeps the runs before
 * 2026-12-07 as they were recorded (the archive).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_DIR = join(__dirname, 'results');

/** The commit measured, and whether nodes/ or credentials/ had changes not yet committed (then not that commit's code). */
export function gitRevision(dir: string): { head: string; dirty: boolean; text: string } {
	try {
		const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials'], { cwd: dir, encoding: 'utf8' }).trim() !== '';
		return { head, dirty, text: dirty ? `${head} + uncommitted changes in nodes/ or credentials/` : head };
	} catch {
		return { head: 'unknown', dirty: false, text: 'unknown' };
	}
}

/** Writes one run's results to its own file and returns the file's path. */
export function writeRunResults(startedAt: Date, revision: { head: string; dirty: boolean }, text: string, kind?: string): string {
	const when = startedAt.toISOString().slice(0, 16).replace('T', '-').replace(':', '');
	const name = [when, revision.head, revision.dirty ? 'dirty' : undefined, kind].filter(Boolean).join('-');
	mkdirSync(RESULTS_DIR, { recursive: true });
	const file = join(RESULTS_DIR, `${name}.md`);
	writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
	return file;
}
