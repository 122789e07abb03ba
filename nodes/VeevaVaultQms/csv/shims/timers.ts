import { sleep } from 'n8n-workflow';

/**
 * Bundled in place of the global setTimeout in papaparse's code (gulpfile.js, build:bundle), which
 * calls it in one place: ParserHandle.resume waits 3 ms and tries again while the streamer has not
 * halted yet (papaparse #636), a path parseCsv's pause and resume can take. n8n's `sleep` waits
 * the same way; the return value (a timer handle) is never read by papaparse.
 */
function later(callback: () => void, ms?: number): void {
	void sleep(ms ?? 0).then(callback);
}

export { later as setTimeout };
