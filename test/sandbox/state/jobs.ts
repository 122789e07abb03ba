import type { JobInfo, JobScheduling, RowError } from '../types';

const FIRST_JOB_ID = 243001;

export interface NewJob {
	vaultId: number;
	method: string;
	path: string;
	createdBy: number;
	rowCount: number;
	/** rows refused while reading the CSV */
	rowErrors: RowError[];
	/** applies the good rows when the job finishes, returning the rows it could not apply */
	apply: () => RowError[];
	/** settings.jobsEndAs when the job was submitted: the job ends so, applying nothing */
	endsAs?: 'FAILED_TO_RUN';
}

interface Job {
	info: JobInfo;
	createdAt: number;
	/** the earliest it may start: submission + queued time */
	readyAt: number;
	runMs: number;
	scheduling: JobScheduling;
	/** known from submission for a parallel job; for a serial one once the Vault's runner takes it */
	runStartsAt?: number;
	runEndsAt?: number;
	apply: () => RowError[];
	endsAs?: 'FAILED_TO_RUN';
	lastAcceptedStatusAt?: number;
}

/**
 * Asynchronous bulk jobs. A job is QUEUED, then RUNNING, then finished; the clock is read lazily
 * (advance) so no timers are needed, and rows are applied at the moment the job finishes.
 * Serial jobs share one runner per Vault (settings.jobScheduling): it takes the next waiting job
 * the moment the previous one ends, decided only for moments the clock has reached, so a job
 * submitted later can still be picked (newest first) when the runner frees up after it arrived.
 */
export class Jobs {
	private jobs = new Map<number, Job>();
	private nextId = FIRST_JOB_ID;

	create(job: NewJob, now: number, queuedMs: number, runMs: number, scheduling: JobScheduling = 'parallel'): JobInfo {
		this.advance(now);
		const info: JobInfo = {
			id: this.nextId++,
			vaultId: job.vaultId,
			status: 'QUEUED',
			method: job.method,
			path: job.path,
			rowCount: job.rowCount,
			rowErrors: [...job.rowErrors],
			statusCalls: 0,
			createdBy: job.createdBy,
			createdDate: new Date(now).toISOString(),
		};
		const readyAt = now + queuedMs;
		const parallel = scheduling === 'parallel';
		this.jobs.set(info.id, {
			info,
			createdAt: now,
			readyAt,
			runMs,
			scheduling,
			runStartsAt: parallel ? readyAt : undefined,
			runEndsAt: parallel ? readyAt + runMs : undefined,
			apply: job.apply,
			endsAs: job.endsAs,
		});
		this.advance(now);
		return info;
	}

	get(id: number): JobInfo | undefined {
		return this.jobs.get(id)?.info;
	}

	list(): JobInfo[] {
		return [...this.jobs.values()].map((job) => job.info);
	}

	/** Moves every job along to where the clock says it is, finishing jobs in the order they end. */
	advance(now: number): void {
		this.scheduleSerial(now);
		const pending = [...this.jobs.values()]
			.filter((job): job is Job & { runStartsAt: number; runEndsAt: number } => isPending(job.info) && job.runStartsAt !== undefined && job.runEndsAt !== undefined)
			.sort((a, b) => a.runEndsAt - b.runEndsAt || a.info.id - b.info.id);
		for (const job of pending) {
			if (now >= job.runStartsAt && job.info.status === 'QUEUED') this.start(job, job.runStartsAt);
			if (now >= job.runEndsAt) this.finish(job, job.runEndsAt);
		}
	}

	/** Gives each Vault's runner its serial jobs, one after another, up to the moment `now`. */
	private scheduleSerial(now: number): void {
		const serial = [...this.jobs.values()].filter((job) => job.scheduling !== 'parallel');
		for (const vaultId of new Set(serial.map((job) => job.info.vaultId))) {
			const ofVault = serial.filter((job) => job.info.vaultId === vaultId);
			let freeAt = Math.max(-Infinity, ...ofVault.flatMap((job) => (job.runEndsAt === undefined ? [] : [job.runEndsAt])));
			for (;;) {
				const waiting = ofVault.filter((job) => job.runStartsAt === undefined);
				if (waiting.length === 0) break;
				const startAt = Math.max(freeAt, Math.min(...waiting.map((job) => job.readyAt)));
				if (startAt > now) break;
				const ready = waiting.filter((job) => job.readyAt <= startAt);
				const newestFirst = ready.some((job) => job.scheduling === 'serialNewestFirst');
				const next = ready.reduce((a, b) => ((newestFirst ? b.info.id > a.info.id : b.info.id < a.info.id) ? b : a));
				next.runStartsAt = startAt;
				next.runEndsAt = startAt + next.runMs;
				freeAt = next.runEndsAt;
			}
		}
	}

	/** Finishes every pending job now. */
	completeAll(now: number): void {
		this.advance(now);
		for (const job of [...this.jobs.values()].sort((a, b) => a.info.id - b.info.id)) {
			if (isPending(job.info)) {
				job.runStartsAt ??= now;
				job.runEndsAt = now;
			}
			if (job.info.status === 'QUEUED') this.start(job, now);
			if (job.info.status === 'RUNNING') this.finish(job, now);
		}
	}

	/** Counts a status call; false when it came sooner than the allowed interval after the last accepted one. */
	acceptStatusCall(id: number, now: number, minIntervalMs: number): boolean {
		const job = this.jobs.get(id);
		if (!job) return false;
		job.info.statusCalls++;
		if (job.lastAcceptedStatusAt !== undefined && now - job.lastAcceptedStatusAt < minIntervalMs) return false;
		job.lastAcceptedStatusAt = now;
		return true;
	}

	clear(): void {
		this.jobs.clear();
		this.nextId = FIRST_JOB_ID;
	}

	private start(job: Job, at: number): void {
		job.info.status = 'RUNNING';
		job.info.runStartDate = new Date(at).toISOString();
	}

	private finish(job: Job, at: number): void {
		job.info.runEndDate = new Date(at).toISOString();
		if (job.endsAs) {
			job.info.status = job.endsAs;
			return;
		}
		job.info.rowErrors.push(...job.apply());
		job.info.rowErrors.sort((a, b) => a.row - b.row);
		job.info.status = job.info.rowErrors.length > 0 ? 'ERRORS_ENCOUNTERED' : 'SUCCESS';
	}
}

function isPending(info: JobInfo): boolean {
	return info.status === 'QUEUED' || info.status === 'RUNNING';
}
