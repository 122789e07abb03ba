/** The kinds of bulk endpoint that have their own row and byte limits. */
export type BulkKind = 'auditor' | 'manage' | 'migrate' | 'documents';

export interface SandboxSettings {
	/** a session unused this long is invalid */
	sessionIdleMs: number;
	/** Vault allows one status call per job per 10 s; faster calls get API_LIMIT_EXCEEDED */
	jobStatusMinIntervalMs: number;
	/** API calls per Vault per burst window before responses are delayed */
	burstLimit: number;
	burstWindowMs: number;
	/** delay added to each response past the burst limit */
	burstDelayMs: number;
	/** username/password /auth attempts per username and Vault per minute (OAuth logins are not limited) */
	loginLimitPerMinute: number;
	/** expires_in of the identity provider's access tokens (handlers/authorizationServer.ts); default 3600 */
	oauthTokenLifetimeS: number;
	/** when true, the identity provider refuses every refresh_token grant with invalid_grant (a revoked or expired refresh token); default false */
	oauthRefreshFails: boolean;
	/** a job is QUEUED this long after submission, then RUNNING for jobRunMs */
	jobQueuedMs: number;
	jobRunMs: number;
	/** how the Vault runs its bulk jobs (Vault does not document it): see JobScheduling */
	jobScheduling: JobScheduling;
	rowLimits: Record<BulkKind, number>;
	byteLimits: Record<BulkKind, number>;
	/** null = any client id; a list = calls with another (or no) client id are refused */
	allowedClientIds: string[] | null;
	/**
	 * Manage Quality Team Assignments rows Vault refuses when the job runs (read then, not at
	 * submission), each a row error with `reason`: e.g. a record in a locked state. Default none.
	 */
	refuseMembers: RefusedMember[];
	/**
	 * When true, the reads the node's editor fills its pickers from are refused as for a user without the
	 * permission: Retrieve Object Collection, Retrieve Lifecycle Role Assignment Rules and VQL on
	 * application_role__v answer FAILURE / INSUFFICIENT_ACCESS. Default false.
	 */
	refuseMetadata: boolean;
	/**
	 * When set, every bulk job submitted while it is set ends with this status and applies no row:
	 * `FAILED_TO_RUN`, the status Retrieve Job Histories documents as a filter (`failed_to_run`) and
	 * Retrieve Job Status does not list, to show the node ends its wait on any status but the four
	 * under way. Default null (jobs end SUCCESS or ERRORS_ENCOUNTERED).
	 */
	jobsEndAs: 'FAILED_TO_RUN' | null;
	/**
	 * VQL query targets answered without next_page / previous_page, the caller paging with PAGEOFFSET
	 * (Pagination Best Practices: "When querying workflows (legacy), events, or users, the response does
	 * not include the next_page or previous_page URL endpoints"). Default none: which targets behave so is
	 * not listed by name (`users` is the legacy target; whether `user__sys` is one is not said).
	 */
	noNextPageTargets: string[];
	/**
	 * The most rows a VQL page holds, PAGESIZE or not (default and most 1000): Vault lowers the page size
	 * for large answers, with or without PAGESIZE (Pagination Best Practices).
	 */
	maxPageSize: number;
	/**
	 * How Retrieve Object Metadata names the object a reference to users points to: `user__sys` (default) or
	 * `users`, which Veeva's Vault Toolbox also looks for (VAULT-API.md, "Object metadata of a reference field").
	 */
	userReferenceName: 'user__sys' | 'users';
	/**
	 * user__sys fields this Vault lacks (default none): left out of Retrieve Object Metadata and unknown to VQL,
	 * e.g. `["federated_id__sys"]`, which no Veeva page documents (VAULT-API.md, "user__sys").
	 */
	absentUserFields: string[];
	/**
	 * How a Qualityteam record writes component references (object, objecttype, objectlifecycle,
	 * linked_application_role): 'mdl' (default), as MDL does (`Object.quality_event__qdm`), or 'bare'
	 * (`quality_event__qdm`). Veeva's pages do not show which the JSON answer uses.
	 */
	componentReferences: 'mdl' | 'bare';
	/**
	 * When true, Retrieve Component Record (Collection) on Qualityteam answers INSUFFICIENT_ACCESS, as for an
	 * integration user who may not read Vault's configuration (the node's fallback path). Default false.
	 */
	refuseTeamConfiguration: boolean;
	/**
	 * What Retrieve Component Record Collection gives per Qualityteam: 'full' (default: the whole record, as the
	 * page's Picklist example shows) or 'nameAndLabel' ("Each component record returns a minimum of API name and
	 * UI label": the reader must then retrieve each record).
	 */
	teamCollection: 'full' | 'nameAndLabel';
	/**
	 * Fields whose Retrieve Object Metadata is bent (default none): `references: null` answers the field as a
	 * String, `references: 'x__v'` as a reference to x__v. For a reader that must confirm a member field is the
	 * reference it expects; VQL is not changed.
	 */
	bentFields: BentField[];
	/**
	 * The Quality application the Vault runs: 'qms' (default) serves Manage Quality Team Assignments at
	 * /app/quality/qms/..., 'qualityOne' serves QualityOne's Manage Team Assignments at /app/qualityone/qms/...,
	 * which applies a job's REMOVE rows before its ADD rows (QualityOne API reference). The other one's path
	 * answers as a resource that does not exist (MALFORMED_URL): no page documents what Vault answers for an
	 * application it does not run, so that is the sandbox's choice.
	 */
	vaultApplication: 'qms' | 'qualityOne';
	/**
	 * The name of auditor_profile__v's reference to users (default user__v): Vault Help says a profile is
	 * associated to a user, no page names the field, so a reader must take it from the object's metadata.
	 */
	auditorProfileUserField: string;
	/**
	 * When true, Manage enforces the team roles' declared rules when the job runs (Manage Quality Team Assignments
	 * page: the endpoint respects min/max users and exclusive roles): a REMOVE that leaves a role under its
	 * minimum_user_in_role, an ADD beyond its maximum_user_in_role, and an ADD of a user who holds (or into) an
	 * exclusive_membership role of the record beside another role, are row errors. Rows apply in CSV order. Default
	 * false (declared only: the older tests rely on that).
	 */
	teamRoleLimits: boolean;
}

export interface BentField {
	/** the object whose field is bent, e.g. pc_team_assignment__sys */
	object: string;
	field: string;
	/** null: a String field; else the object it references */
	references: string | null;
}

/**
 * A Manage Quality Team Assignments row the sandbox refuses when the job runs. The Manage page (seeds
 * 001/003) says the endpoint respects "Object records in locked states" and other team rules the
 * sandbox does not model; this setting stands for them. Vault's wording of the failure (in the results
 * CSV it emails) is not documented: the default reason is the sandbox's own.
 */
export interface RefusedMember {
	/** the team-enabled record's id, e.g. OP4000008 */
	recordId: string;
	userId: number;
	/** the application role, e.g. qa__c */
	role: string;
	/** the team-enabled object (Manage's {object_name}); default: any */
	object?: string;
	/** default: both ADD and REMOVE */
	operation?: 'ADD' | 'REMOVE';
	/** the row error; default `Role <role> on record <recordId> is locked in the current state.` */
	reason?: string;
}

/**
 * 'parallel': every job is QUEUED jobQueuedMs, then RUNNING jobRunMs, on its own.
 * 'serial': one job at a time per Vault, in the order submitted: a job starts (jobQueuedMs after
 * submission at the earliest) only when the Vault's previous serial job has finished.
 * 'serialNewestFirst': one at a time, but the newest waiting job goes next, so jobs finish out of
 * the order they were submitted in.
 */
export type JobScheduling = 'parallel' | 'serial' | 'serialNewestFirst';

export interface SandboxSettingsPatch extends Partial<Omit<SandboxSettings, 'rowLimits' | 'byteLimits'>> {
	rowLimits?: Partial<Record<BulkKind, number>>;
	byteLimits?: Partial<Record<BulkKind, number>>;
}

export interface SandboxVault {
	id: number;
	name: string;
	/** 'http://127.0.0.1:PORT' */
	url: string;
	/** '127.0.0.1:PORT' */
	dns: string;
}

/** A Vault user: a row target (id, global id, username) and, with a password, someone who can log in. */
export interface VaultUser {
	id: number;
	username: string;
	globalId?: string;
	firstName?: string;
	lastName?: string;
	/** default true */
	active?: boolean;
	/** without one the user cannot log in */
	password?: string;
	locked?: boolean;
	passwordChangeRequired?: boolean;
	/** the Vaults the user may log in to; default: every Vault */
	vaultIds?: number[];
	/** user__sys email__sys for VQL; default: the user name (Vault does not make emails unique) */
	email?: string;
	/** user__sys federated_id__sys for VQL; default: `fed-<id>` */
	federatedId?: string;
}

export interface SeedRecord {
	object: string;
	id: string;
	name: string;
	/** the record's object type (api name, e.g. product_complaint__c); default: base__v on a generated object, none on a seeded one */
	objectType?: string;
	/** the record's lifecycle state, e.g. closed_state__c (a locked state of product_complaint_team__c); default open_state__c */
	state?: string;
}

export interface SeedDocument {
	id: number;
	roles: string[];
}

/** A group with a name, for VQL on group__sys (name__v and label__v are each unique in a Vault). */
export interface SeedGroup {
	id: number;
	/** name__v, e.g. quality_reviewers__c */
	name: string;
	/** label__v; default: the name */
	label?: string;
	/** status__v active__v (default) or, when false, inactive__v */
	active?: boolean;
}

export interface SandboxSeed {
	users?: VaultUser[];
	records?: SeedRecord[];
	documents?: SeedDocument[];
	/** auditor profiles by name, or with the user they are associated with (`userId: null`: none; a named profile may be relinked) */
	auditorProfiles?: Array<string | { name: string; userId: number | null }>;
	auditorRoles?: string[];
	applicationRoles?: string[];
	groups?: number[];
	/** groups with a name__v / label__v (group ids in `groups` get a generated name, group_<id>__c) */
	namedGroups?: SeedGroup[];
	/**
	 * Quality Team members already on records' teams, as member records of the record's team's member object;
	 * `active: false` seeds a removed member's inactive record (meaningful where the team keeps them)
	 */
	teamMembers?: Array<{ object: string; recordId: string; userId: number; role: string; active?: boolean }>;
}

export type FaultKind = 'http500' | 'reset' | 'slow' | 'html' | 'malformedJson' | 'apiLimit' | 'invalidSession' | 'burstDelay'
	// a redirect to another origin: the sandbox's second listener ("elsewhere"), which records what reaches it
	| 'redirect302'
	| 'redirect307'
	// the request is handled, then its answer is sent one byte every delayMs (default 400)
	| 'drip'
	// a 200 JSON answer of `bytes` bytes (default 80,000,000), larger than any answer these endpoints give
	| 'oversized';

/**
 * Faults that bend a VQL answer instead of replacing it (handlers/query.ts, "bendAnswer"): the request is
 * handled, then its SUCCESS answer is made untrustworthy in one way. Only /query and its page URLs are bent;
 * any other request such a fault hits is answered as usual (and still counts against `count`).
 */
export type QueryFaultKind =
	/** SUCCESS with responseDetails but no `data` */
	| 'noData'
	/** the page's last row dropped and its next_page removed (or, on a page without rows, total one more): rows short of total */
	| 'shortOfTotal'
	/** no rows, and a next_page: the one it had, else one to this very page's rows */
	| 'emptyPageThenNext'
	/** next_page points to this very page (on a submission: to its own first page URL) */
	| 'nextPageLoop'
	/** next_page asks for pages of one row (pagesize=1), so the pages from there on are far more than the first page's size implies */
	| 'shrinkingPages'
	/** submission only: member object rows for a record the query did not name (and, when it names roles, a role it did not name) */
	| 'foreignMembers';

export interface FaultSpec {
	kind: FaultKind | QueryFaultKind;
	/** how many requests it hits; default 1 */
	count?: number;
	match?: { method?: string; /** substring of the path */ path?: string };
	/** let this many matching requests pass first */
	skip?: number;
	/** 'before' (default): the fault replaces handling; 'after': the request is handled, then the fault replaces the answer */
	phase?: 'before' | 'after';
	/** for 'slow' (default 30000) and 'burstDelay' (default burstDelayMs); for 'drip', the pause before each byte (default 400) */
	delayMs?: number;
	/** for 'oversized': the answer's length in bytes (default 80,000,000) */
	bytes?: number;
	/** for 'oversized': whether the answer declares its length (Content-Length) or is sent chunked (default false: chunked) */
	declareLength?: boolean;
	/** when it fires, every access token the identity provider issued so far expires too: the fault stands for time passing */
	expireAccessTokens?: boolean;
}

/** A request that reached the sandbox's second listener ("elsewhere"), the target of the redirect faults. */
export interface ElsewhereRequest {
	/** ms since epoch when it arrived */
	at: number;
	method: string;
	/** with the query */
	url: string;
	headers: Record<string, string>;
	/** the body as text, as it arrived (nothing masked: it is what leaked) */
	body: string;
}

export interface LogEntry {
	seq: number;
	/** ms since epoch when the request arrived */
	at: number;
	vaultId: number;
	method: string;
	/** without the query */
	path: string;
	query: Record<string, string>;
	contentType?: string;
	accept?: string;
	/** the API client id: X-VaultAPI-ClientID header, or the client_id query parameter which wins (not on OAuth login) */
	clientId?: string;
	/** OAuth login only: the form's client_id, the client application's id at the authorization server; undefined when absent */
	oauthClientId?: string;
	/** the Authorization value sent, 'Bearer ' stripped; not recorded for login calls */
	sessionId?: string;
	/** request body text for CSV and form bodies (passwords as ***); for multipart, the CSV file's text */
	body?: string;
	/**
	 * POST /api/{version}/query only: the VQL text sent as `q` (form, multipart part or URL query), so tests
	 * can count queries and read what was asked; next_page / previous_page calls carry none. (Named `vql`
	 * because `query` is the URL query above.)
	 */
	vql?: string;
	bodyBytes: number;
	status: number;
	responseStatus?: string;
	errorType?: string;
	fault?: FaultKind | QueryFaultKind;
	/** 'drip' only: how long the whole answer takes to drip (its bytes × delayMs), had the client waited */
	dripMs?: number;
	jobId?: number;
	/** the X-VaultAPI-BurstLimitRemaining and X-VaultAPI-ResponseDelay the answer carried */
	burstRemaining?: number;
	responseDelayMs?: number;
}

export type JobStatus = 'QUEUED' | 'RUNNING' | 'SUCCESS' | 'ERRORS_ENCOUNTERED' | 'FAILED_TO_RUN';

export interface RowError {
	/** 1-based data row (the header is not counted) */
	row: number;
	message: string;
}

export interface JobInfo {
	id: number;
	vaultId: number;
	status: JobStatus;
	method: string;
	path: string;
	rowCount: number;
	rowErrors: RowError[];
	/** every status call for this job, refused ones included */
	statusCalls: number;
	createdBy: number;
	createdDate: string;
	runStartDate?: string;
	runEndDate?: string;
}

export interface TeamMember {
	user_id: number;
	application_role: string;
}

export interface RoleAssignees {
	users: number[];
	groups: number[];
}

/** A Quality Team member record (SandboxState.memberRecords). */
export interface MemberRecord extends TeamMember {
	/** the member record's id (VQL `id`), QTM + 12 digits */
	id: string;
	/** the team-enabled record's id */
	recordId: string;
	/** false: removed from a team that keeps removed members' records (status__v inactive__v) */
	active: boolean;
}

export interface SandboxState {
	/** object → record id → active members; only records whose team was ever changed */
	teams: Record<string, Record<string, TeamMember[]>>;
	/** member object → every member record, inactive ones too, in creation order */
	memberRecords: Record<string, MemberRecord[]>;
	/** profile name → roles; the named and seeded profiles always, generated ones once they hold a role */
	auditorRoles: Record<string, string[]>;
	/** document id → role → assignees; only documents whose roles were ever changed */
	documentRoles: Record<string, Record<string, RoleAssignees>>;
	jobs: JobInfo[];
	/** successful /auth and OAuth logins */
	logins: number;
	/** live sessions */
	sessions: number;
	/** what was posted to the webhook stand-in, `/_sandbox/webhook/{name}` (not Vault: state/world.ts), oldest first */
	webhooks: Array<{ name: string; body: unknown }>;
}
