import type { RecordChange } from './state/recordTimes';
import type { TeamChange } from './state/teamChanges';
import type { ElsewhereRequest, FaultSpec, JobInfo, LogEntry, SandboxSeed, SandboxSettings, SandboxSettingsPatch, SandboxState } from './types';
import type { AuthorizationServerSummary } from './state/authorizationServer';
import type { ChatRequest, ChatScript } from './state/chatModel';

/** Drives a running sandbox through its control API (`{vault url}/_sandbox`). */
export class SandboxClient {
	constructor(readonly controlUrl: string) {}

	/** Back to the seeded defaults and start settings: log, sessions, jobs and faults cleared. */
	async reset(): Promise<void> {
		await this.call('POST', '/reset');
	}

	async settings(partial: SandboxSettingsPatch = {}): Promise<SandboxSettings> {
		return this.call('POST', '/settings', partial);
	}

	async getSettings(): Promise<SandboxSettings> {
		return this.call('GET', '/settings');
	}

	async seed(data: SandboxSeed): Promise<void> {
		await this.call('POST', '/seed', data);
	}

	/**
	 * Creates records or modifies them at the times given (`created_date__v` / `modified_date__v`,
	 * state/recordTimes.ts); all or nothing: a bad change is a 400 and nothing is applied.
	 */
	async changeRecords(changes: RecordChange[]): Promise<void> {
		await this.call('POST', '/records/changes', { changes });
	}

	/**
	 * Adds or removes Quality Team members at the times given (state/teamChanges.ts): a member record created,
	 * or deleted (listed by Retrieve Deleted Object Record ID), or kept inactive where the team keeps them.
	 */
	async changeTeams(changes: TeamChange[]): Promise<void> {
		await this.call('POST', '/teams/changes', { changes });
	}

	async fault(spec: FaultSpec): Promise<void> {
		await this.call('POST', '/faults', spec);
	}

	async faults(specs: FaultSpec[]): Promise<void> {
		await this.call('POST', '/faults', specs);
	}

	async clearFaults(): Promise<void> {
		await this.call('DELETE', '/faults');
	}

	/** Invalidates one session, or all of them. */
	async expireSessions(sessionId?: string): Promise<void> {
		await this.call('POST', '/sessions/expire', sessionId === undefined ? {} : { sessionId });
	}

	async log(): Promise<LogEntry[]> {
		return this.call('GET', '/log');
	}

	async clearLog(): Promise<void> {
		await this.call('DELETE', '/log');
	}

	/** Every request that reached the second listener (the redirect faults' target), oldest first; reset() clears it. */
	async elsewhere(): Promise<ElsewhereRequest[]> {
		return this.call('GET', '/elsewhere');
	}

	/** The identity provider's grants and issued access tokens (state/authorizationServer.ts). */
	async oauth(): Promise<AuthorizationServerSummary> {
		return this.call('GET', '/oauth');
	}

	/** Every access token issued so far expires now, as when an hour has passed. */
	async expireAccessTokens(): Promise<void> {
		await this.call('POST', '/oauth/expire');
	}

	/** What the scripted chat model (/v1/chat/completions) does: the tool call it makes first (state/chatModel.ts); reset() clears it. */
	async chatScript(script: ChatScript): Promise<void> {
		await this.call('POST', '/chat/script', script);
	}

	/** Every request the scripted chat model answered, oldest first. */
	async chat(): Promise<ChatRequest[]> {
		return this.call('GET', '/chat');
	}

	async state(): Promise<SandboxState> {
		return this.call('GET', '/state');
	}

	async job(id: number | string): Promise<JobInfo> {
		return this.call('GET', `/jobs/${id}`);
	}

	/** Finishes every pending job now. */
	async completeJobs(): Promise<void> {
		await this.call('POST', '/jobs/complete');
	}

	private async call<T>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(this.controlUrl + route, {
			method,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`Sandbox control ${method} ${route} answered ${response.status}: ${text}`);
		return JSON.parse(text) as T;
	}
}
