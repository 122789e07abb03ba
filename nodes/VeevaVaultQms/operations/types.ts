import type { IHttpRequestMethods } from 'n8n-workflow';

/**
 * What a Vault bulk endpoint is, as data: its columns and their rules, its path, limits, body,
 * answer, resend policy and the differences the pipeline reads from it.
 */

export interface ColumnRule {
	/** Vault's column name, exactly as it goes in the CSV header */
	name: string;
	required: boolean;
	/** the only values Vault accepts, case-sensitive */
	allowed?: readonly string[];
	/** a value must match this; `patternHint` says what that means in words */
	pattern?: RegExp;
	patternHint?: string;
	/**
	 * The form of a Vault id or name (operations/valueForms.ts): blank space around the value is
	 * removed and the item says so; any other value not in the form is the item's error, with the
	 * value the admin likely meant.
	 */
	form?: ValueForm;
	/** the longest value Vault accepts, in characters */
	maxLength?: number;
	/** an array value becomes a comma-separated list (document role user and group ids) */
	list?: boolean;
	/** the column holds Vault ids of this kind, which the find-by options may look up by name */
	lookup?: LookupKind;
	/** the column in the editor's "Map Each Column Manually": what it holds, and its input type */
	ui?: ColumnUi;
}

/** What a Vault id or name looks like, in a pattern and in words, and what to suggest for a value that is not one. */
export interface ValueForm {
	pattern: RegExp;
	/** the form in words, after "which is not" */
	hint: string;
	/** the value the admin likely meant ("did you mean ...?"), or undefined; never sent on its own */
	suggest(value: string): string | undefined;
}

/** How the editor's column mapper shows a column; Vault's own page is the source of each line. */
export interface ColumnUi {
	/** a few words after the column name, e.g. "the record's ID" */
	about: string;
	/** a number input (document ids); options come from `allowed`; text otherwise */
	type?: 'number';
	/** offered as a list loaded from the Vault: its application roles */
	choices?: 'applicationRoles';
}

/** What a column's ids stand for: users (user__sys), groups (group__sys), records of the run's object, or Auditor Profiles (by name; found through their user). */
export type LookupKind = 'user' | 'group' | 'record' | 'auditorProfile';

/**
 * The Quality application a Vault runs, from the credential's Vault Application: a Vault is a QMS
 * Vault or a QualityOne Vault, and some endpoints live under each application's own path.
 */
export type VaultApplication = 'qms' | 'qualityOne';

/** The parameters a spec needs to name its columns and its path. */
export interface SpecContext {
	objectName: string;
	/** the Vault's Quality application (absent: QMS), for a spec whose path depends on it */
	application?: VaultApplication;
	/** the column names the user gave, for a spec with `configurableColumns` (Migrate: record, user, role); absent: the spec's defaults */
	columnNames?: readonly string[];
}

/** A column whose Vault name the user gives, in an editor field of its own: the field's parameter, its label, default and help. */
export interface ConfigurableColumn {
	parameter: string;
	displayName: string;
	default: string;
	description: string;
}

/** The columns that name a Quality Team membership (Manage, Sync): the record, the user, the application role, and ADD or REMOVE. */
export interface TeamColumns {
	record: string;
	user: string;
	role: string;
	operation: string;
}

/** Everything that makes one Vault bulk endpoint different from another. Adding one is adding a spec. */
export interface BulkOperationSpec {
	resource: string;
	operation: string;
	/** UI: the operation's name, its action sentence and description */
	name: string;
	/** the Vault request's name in messages, where it is not the operation's (Sync Members sends Manage's requests) */
	requestName?: string;
	action: string;
	description: string;
	method: IHttpRequestMethods;
	path(context: SpecContext): string;
	/** which kind of object name the path takes, if any */
	objectName?: 'teamEnabled' | 'teamMember';
	accept: string;
	/** how the CSV travels: a text/csv body, or a multipart form with a `file` part */
	body: 'csv' | 'multipart';
	/** the file name of the multipart `file` part (body 'multipart') */
	fileName?: string;
	rowLimit: number;
	byteLimit: number;
	/** 'job': Vault answers a job id for the whole batch; 'rows': a result for every row */
	answer: 'job' | 'rows';
	/** for 'rows' answers: the column that names a row in Vault's answer, and what a row is in words */
	rowAnswer?: { key: string; noun: string };
	/** what Verify reads back after the jobs: the teams the rows changed (Manage, Sync); none: Verify does not apply */
	verify?: 'teamReadBack';
	/** the columns that name a team membership, for Verify's read-back and Sync's reconcile */
	teamColumns?: TeamColumns;
	/**
	 * Columns whose Vault names the user gives (Migrate: the record, user and role fields), in
	 * header order, each from an editor field of its own (descriptions/bulkFields.ts makes them);
	 * `label` names them in errors ("a Migrate column").
	 */
	configurableColumns?: { fields: readonly ConfigurableColumn[]; label: string };
	/** the fixed columns, in header order */
	columns(context: SpecContext): ColumnRule[];
	/** further columns taken from the input when their name matches (document roles) */
	extraColumns?: {
		pattern: RegExp;
		rule: Omit<ColumnRule, 'name'>;
		hint: string;
		lookupOf?(name: string): LookupKind | undefined;
		/** every kind lookupOf gives, for the editor's find-by options */
		lookupKinds?: readonly LookupKind[];
	};
	/**
	 * Whether a batch whose fate is unknown (connection reset, timeout, 5xx, garbled answer) may be
	 * sent again: only where Vault documents that applying it twice is harmless. `source` is the
	 * Veeva page that says so (or that says nothing); `check` is what an admin looks at in Vault
	 * when the batch was not sent again.
	 */
	resend: { safe: boolean; source: string; check: string };
	/** every row takes users or groups off (Document Role Remove): refused whole where removals are not allowed (an AI agent's call, actions/toolMode.ts) */
	removes?: 'everyRow';
	/** the input is a desired roster: read the current members and send what differs (Sync Members) */
	sync?: true;
	/**
	 * Whether Vault documents that a job applies its REMOVE rows before its ADD rows, whatever their order
	 * in the file (QualityOne's Manage Team Assignments: "REMOVE executes before ADD"); absent or false:
	 * the order is undocumented. An ADD into a role at its maximum may go in one job with the REMOVE that
	 * makes room only where this is true.
	 */
	removesBeforeAdds?(context: SpecContext): boolean;
	/** what to tell an admin when Vault answers that the spec's path does not exist (MALFORMED_URL): e.g. the Vault runs the other application */
	missingPathHint?(context: SpecContext): string;
	/**
	 * The input names people, not memberships (Remove User From All Teams, Replace User): the stage
	 * pipeline/everywhere*.ts reads each person's memberships on every Quality Team and plans the
	 * rows, which go to Vault as `sendsAs` requests, one request path per team-enabled object.
	 */
	everywhere?: 'remove' | 'replace';
	/** the endpoint whose requests this operation's planned rows are (Manage Quality Team Assignments) */
	sendsAs?: BulkOperationSpec;
	/** rows that share this column's value must travel in one batch (Migrate) */
	groupBy?(context: SpecContext): string;
}

export const VAULT_NAME = /^[a-z][a-z0-9_]*$/;
export const VAULT_NAME_HINT =
	'a Vault name: lower-case letters, digits and "_", starting with a letter, e.g. quality_event__qdm';
