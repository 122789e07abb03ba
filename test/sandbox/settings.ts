import type { BentField, RefusedMember, SandboxSettings, SandboxSettingsPatch } from './types';

const GIGABYTE = 1024 * 1024 * 1024;
const MEGABYTE = 1024 * 1024;

export const DEFAULT_SETTINGS: SandboxSettings = {
	sessionIdleMs: 1_200_000,
	jobStatusMinIntervalMs: 10_000,
	burstLimit: 2000,
	burstWindowMs: 300_000,
	burstDelayMs: 500,
	loginLimitPerMinute: 20,
	oauthTokenLifetimeS: 3600,
	oauthRefreshFails: false,
	jobQueuedMs: 100,
	jobRunMs: 300,
	jobScheduling: 'parallel',
	rowLimits: { auditor: 500, manage: 500, migrate: 500, documents: 1000 },
	byteLimits: { auditor: GIGABYTE, manage: GIGABYTE, migrate: 50 * MEGABYTE, documents: GIGABYTE },
	allowedClientIds: null,
	refuseMembers: [],
	refuseMetadata: false,
	jobsEndAs: null,
	noNextPageTargets: [],
	maxPageSize: 1000,
	userReferenceName: 'user__sys',
	absentUserFields: [],
	componentReferences: 'mdl',
	refuseTeamConfiguration: false,
	teamCollection: 'full',
	bentFields: [],
	vaultApplication: 'qms',
	auditorProfileUserField: 'user__v',
	teamRoleLimits: false,
};

/** A new settings object: `base` with `patch` laid over it (limits merged per kind). */
export function mergeSettings(base: SandboxSettings, patch: SandboxSettingsPatch = {}): SandboxSettings {
	return {
		...base,
		...patch,
		rowLimits: { ...base.rowLimits, ...patch.rowLimits },
		byteLimits: { ...base.byteLimits, ...patch.byteLimits },
		allowedClientIds: patch.allowedClientIds === undefined ? base.allowedClientIds : patch.allowedClientIds && [...patch.allowedClientIds],
		refuseMembers: (patch.refuseMembers ?? base.refuseMembers).map(checkedRefusal),
		oauthRefreshFails: checkedFlag('oauthRefreshFails', patch.oauthRefreshFails ?? base.oauthRefreshFails),
		refuseMetadata: checkedFlag('refuseMetadata', patch.refuseMetadata ?? base.refuseMetadata),
		jobsEndAs: checkedEndStatus(patch.jobsEndAs === undefined ? base.jobsEndAs : patch.jobsEndAs),
		noNextPageTargets: checkedNames('noNextPageTargets', patch.noNextPageTargets ?? base.noNextPageTargets),
		maxPageSize: checkedPageSize(patch.maxPageSize ?? base.maxPageSize),
		userReferenceName: checkedChoice('userReferenceName', patch.userReferenceName ?? base.userReferenceName, ['user__sys', 'users'] as const),
		absentUserFields: checkedNames('absentUserFields', patch.absentUserFields ?? base.absentUserFields),
		componentReferences: checkedChoice('componentReferences', patch.componentReferences ?? base.componentReferences, ['mdl', 'bare'] as const),
		refuseTeamConfiguration: checkedFlag('refuseTeamConfiguration', patch.refuseTeamConfiguration ?? base.refuseTeamConfiguration),
		teamCollection: checkedChoice('teamCollection', patch.teamCollection ?? base.teamCollection, ['full', 'nameAndLabel'] as const),
		bentFields: (patch.bentFields ?? base.bentFields).map(checkedBentField),
		vaultApplication: checkedChoice('vaultApplication', patch.vaultApplication ?? base.vaultApplication, ['qms', 'qualityOne'] as const),
		auditorProfileUserField: checkedNames('auditorProfileUserField', [patch.auditorProfileUserField ?? base.auditorProfileUserField])[0],
		teamRoleLimits: checkedFlag('teamRoleLimits', patch.teamRoleLimits ?? base.teamRoleLimits),
	};
}

/** A list of Vault names; anything else throws (the control API answers it with 400). */
function checkedNames(name: string, value: unknown): string[] {
	if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string' && /^[a-z][a-z0-9_]*$/.test(entry))) {
		throw new Error(`${name} must be a list of Vault names (e.g. ["user__sys"]): ${JSON.stringify(value)}`);
	}
	return [...value];
}

/** One of the given values; anything else throws (the control API answers it with 400). */
function checkedChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
	if (!choices.includes(value as T)) throw new Error(`${name} must be one of ${choices.join(', ')}: ${JSON.stringify(value)}`);
	return value as T;
}

/** 1..1000, Vault's default and largest page; anything else throws (the control API answers it with 400). */
function checkedPageSize(value: unknown): number {
	if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 1000) throw new Error(`maxPageSize must be a whole number from 1 to 1000: ${JSON.stringify(value)}`);
	return value as number;
}

/** A boolean setting; anything else throws (the control API answers it with 400). */
function checkedFlag(name: string, value: unknown): boolean {
	if (typeof value !== 'boolean') throw new Error(`${name} must be true or false: ${JSON.stringify(value)}`);
	return value;
}

/** jobsEndAs: null or FAILED_TO_RUN; anything else throws (the control API answers it with 400). */
function checkedEndStatus(value: unknown): 'FAILED_TO_RUN' | null {
	if (value !== null && value !== 'FAILED_TO_RUN') throw new Error(`jobsEndAs must be null or 'FAILED_TO_RUN': ${JSON.stringify(value)}`);
	return value;
}

/** A copy of a bentFields entry; a malformed one throws (the control API answers it with 400). */
function checkedBentField(entry: BentField): BentField {
	const ok = typeof entry === 'object' && entry !== null && typeof entry.object === 'string' && typeof entry.field === 'string' && (entry.references === null || typeof entry.references === 'string');
	if (!ok) throw new Error(`bentFields: each entry needs object (string), field (string), references (string or null): ${JSON.stringify(entry)}`);
	return { object: entry.object, field: entry.field, references: entry.references };
}

/** A copy of a refuseMembers entry; a malformed one throws (the control API answers it with 400). */
function checkedRefusal(entry: RefusedMember): RefusedMember {
	const ok =
		typeof entry === 'object' &&
		entry !== null &&
		typeof entry.recordId === 'string' &&
		Number.isInteger(entry.userId) &&
		typeof entry.role === 'string' &&
		(entry.object === undefined || typeof entry.object === 'string') &&
		(entry.operation === undefined || entry.operation === 'ADD' || entry.operation === 'REMOVE') &&
		(entry.reason === undefined || typeof entry.reason === 'string');
	if (!ok) throw new Error(`refuseMembers: each entry needs recordId (string), userId (integer), role (string), and optionally object, operation ('ADD' or 'REMOVE'), reason: ${JSON.stringify(entry)}`);
	return { ...entry };
}

/** The reason a Manage row is refused by settings.refuseMembers, if it is. */
export function refusedMember(settings: SandboxSettings, object: string, recordId: string, userId: number, role: string, operation: string): string | undefined {
	const entry = settings.refuseMembers.find(
		(refused) =>
			refused.recordId === recordId &&
			refused.userId === userId &&
			refused.role === role &&
			(refused.object === undefined || refused.object === object) &&
			(refused.operation === undefined || refused.operation === operation),
	);
	if (!entry) return undefined;
	return entry.reason ?? `Role ${role} on record ${recordId} is locked in the current state.`;
}
