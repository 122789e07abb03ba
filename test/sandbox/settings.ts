import type { SandboxSettings, SandboxSettingsPatch } from './types';

const GIGABYTE = 1024 * 1024 * 1024;
const MEGABYTE = 1024 * 1024;

export const DEFAULT_SETTINGS: SandboxSettings = {
	sessionIdleMs: 1_200_000,
	jobStatusMinIntervalMs: 10_000,
	burstLimit: 2000,
	burstWindowMs: 300_000,
	burstDelayMs: 500,
	loginLimitPerMinute: 20,
	jobQueuedMs: 100,
	jobRunMs: 300,
	jobScheduling: 'parallel',
	rowLimits: { auditor: 500, manage: 500, migrate: 500, documents: 1000 },
	byteLimits: { auditor: GIGABYTE, manage: GIGABYTE, migrate: 50 * MEGABYTE, documents: GIGABYTE },
	allowedClientIds: null,
};

/** A new settings object: `base` with `patch` laid over it (limits merged per kind). */
export function mergeSettings(base: SandboxSettings, patch: SandboxSettingsPatch = {}): SandboxSettings {
	return {
		...base,
		...patch,
		rowLimits: { ...base.rowLimits, ...patch.rowLimits },
		byteLimits: { ...base.byteLimits, ...patch.byteLimits },
		allowedClientIds: patch.allowedClientIds === undefined ? base.allowedClientIds : patch.allowedClientIds && [...patch.allowedClientIds],
	};
}
