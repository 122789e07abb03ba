import type { LogEntry } from '../types';

export class RequestLog {
	private entries: LogEntry[] = [];
	private nextSeq = 1;

	/** Records the entry (given a sequence number) and returns it, so the answer can still be filled in. */
	add(entry: Omit<LogEntry, 'seq'>): LogEntry {
		const logged = { seq: this.nextSeq++, ...entry };
		this.entries.push(logged);
		return logged;
	}

	list(): LogEntry[] {
		return this.entries.map((entry) => ({ ...entry }));
	}

	clear(): void {
		this.entries = [];
	}
}
