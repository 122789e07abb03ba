/** Calls counted in fixed windows: the window opens with its first call and lasts windowMs. */
export class FixedWindowCounter {
	private windows = new Map<string, { startedAt: number; calls: number }>();

	/** Counts one call for the key and returns how many calls the current window holds. */
	count(key: string, now: number, windowMs: number): number {
		const window = this.windows.get(key);
		if (!window || now - window.startedAt >= windowMs) {
			this.windows.set(key, { startedAt: now, calls: 1 });
			return 1;
		}
		window.calls++;
		return window.calls;
	}

	clear(): void {
		this.windows.clear();
	}
}
