import { mergeSettings } from '../settings';
import type { SandboxSeed, SandboxSettings, SandboxSettingsPatch, SandboxState, SandboxVault } from '../types';
import { Assignments } from './assignments';
import { AuthorizationServer } from './authorizationServer';
import { ChatModel } from './chatModel';
import { Directory } from './directory';
import { ElsewhereLog } from './elsewhere';
import { Faults } from './faults';
import { Jobs } from './jobs';
import { FixedWindowCounter } from './limits';
import { QueryResults } from './queryResults';
import { RequestLog } from './requestLog';
import { Sessions } from './sessions';
import { GENERATED_BASE } from './recordTimes';

const SEEDED_AT = new Date(GENERATED_BASE).toISOString();

/** Everything every listener shares: what exists, who holds which role, sessions, jobs, log, faults. */
export class SandboxWorld {
	settings: SandboxSettings;
	directory = new Directory();
	assignments = new Assignments();
	readonly sessions = new Sessions();
	readonly jobs = new Jobs();
	readonly log = new RequestLog();
	readonly faults = new Faults();
	/** what reached the second listener, the redirect faults' target */
	readonly elsewhere = new ElsewhereLog();
	/** VQL result sets behind next_page / previous_page URLs */
	readonly queryResults = new QueryResults();
	readonly burst = new FixedWindowCounter();
	readonly loginAttempts = new FixedWindowCounter();
	/** the identity provider behind the OAuth/OIDC profile */
	readonly idp = new AuthorizationServer();
	/** the scripted chat model an AI agent's tests talk to (http/chatModel.ts), not Vault */
	readonly chat = new ChatModel();
	logins = 0;
	/**
	 * What was posted to `/_sandbox/webhook/{name}`: a stand-in for the webhook of a user's ticket system or
	 * chat, for the examples that notify one (examples/quality-team-changed-notify.json). Not Vault.
	 */
	webhooks: Array<{ name: string; body: unknown }> = [];

	constructor(
		readonly vaults: SandboxVault[],
		private readonly startSettings: SandboxSettings,
	) {
		this.settings = mergeSettings(startSettings);
	}

	reset(): void {
		this.settings = mergeSettings(this.startSettings);
		this.directory = new Directory();
		this.assignments = new Assignments();
		this.sessions.clear();
		this.jobs.clear();
		this.log.clear();
		this.faults.clear();
		this.elsewhere.clear();
		this.queryResults.clear();
		this.burst.clear();
		this.loginAttempts.clear();
		this.idp.clear();
		this.webhooks = [];
		this.chat.clear();
		this.logins = 0;
	}

	updateSettings(patch: SandboxSettingsPatch): SandboxSettings {
		this.settings = mergeSettings(this.settings, patch);
		return this.settings;
	}

	seed(data: SandboxSeed): void {
		this.directory.seed(data);
		for (const { object, recordId, userId, role, active } of data.teamMembers ?? []) {
			const memberObject = this.directory.recordTeam(object, recordId)?.memberObject;
			// a seeded member record was created when seeded records were (state/recordTimes.ts), not at the test's clock
			this.assignments.addMember(object, recordId, { user_id: userId, application_role: role }, memberObject, active !== false, SEEDED_AT);
		}
	}

	snapshot(now: number): SandboxState {
		this.jobs.advance(now);
		return {
			teams: this.assignments.teamsSnapshot(this.directory.teamObjects()),
			memberRecords: this.assignments.memberRecordsSnapshot(),
			auditorRoles: this.assignments.auditorRolesSnapshot(this.directory.listedAuditorProfiles()),
			documentRoles: this.assignments.documentRolesSnapshot(),
			jobs: this.jobs.list(),
			logins: this.logins,
			webhooks: [...this.webhooks],
			sessions: this.sessions.count(now, this.settings.sessionIdleMs),
		};
	}
}
