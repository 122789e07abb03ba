/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * The memory and CPU of a process bench:n8n started (an `n8n execute`), read from Linux's /proc
 * every 100 ms while it runs: its resident memory over time, the kernel's high-water mark
 * (VmHWM, the peak over the process's whole life, caught at the last read before it ends) and its
 * user + system CPU. Elsewhere (no /proc) every figure stays undefined.
 */
import { readFileSync } from 'node:fs';

export interface ProcessUse {
	/** (ms since epoch, resident MB) every 100 ms */
	samples: Array<{ at: number; rssMb: number }>;
	/** the process's peak resident memory over its life (VmHWM at the last read) */
	hwmMb?: number;
	/** user + system CPU at the last read */
	cpuMs?: number;
}

/** clock ticks per second of /proc/<pid>/stat's times (getconf CLK_TCK: 100 on Linux) */
const TICKS_PER_SECOND = 100;

export function watchProcess(pid: number | undefined, everyMs = 100): { stop: () => ProcessUse } {
	const use: ProcessUse = { samples: [] };
	const read = () => {
		try {
			const status = readFileSync(`/proc/${pid}/status`, 'utf8');
			const kb = (field: string) => Number(new RegExp(`${field}:\\s*(\\d+)\\s*kB`).exec(status)?.[1]);
			const rss = kb('VmRSS');
			if (Number.isFinite(rss)) use.samples.push({ at: Date.now(), rssMb: rss / 1024 });
			const hwm = kb('VmHWM');
			if (Number.isFinite(hwm)) use.hwmMb = hwm / 1024;
			const times = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
			// fields 14 and 15 of stat (utime, stime), counted after the command's closing parenthesis
			use.cpuMs = ((Number(times[11]) + Number(times[12])) * 1000) / TICKS_PER_SECOND;
		} catch {
			// the process has ended (or no /proc): the last read stands
		}
	};
	read();
	const timer = setInterval(read, everyMs);
	return {
		stop: () => {
			clearInterval(timer);
			return use;
		},
	};
}

/** The highest resident memory sampled from `from` to `to` (ms since epoch), in MB. */
export function peakBetween(use: ProcessUse, from: number, to: number): number | undefined {
	const within = use.samples.filter((sample) => sample.at >= from && sample.at <= to).map((sample) => sample.rssMb);
	return within.length > 0 ? Math.max(...within) : undefined;
}
