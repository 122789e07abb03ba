import type { IDataObject } from 'n8n-workflow';

import type { Row } from '../csv/vaultCsv';
import type { BulkOperationSpec, ColumnRule, SpecContext, TeamColumns } from '../operations/types';
import type { TeamCatalog } from '../read/teamLayout';
import type { VaultRequestError } from '../transport/errors';
import type { WaitOptions } from '../transport/jobs';
import type { ExtraColumns } from './map';
import type { FieldNames } from './nearMiss';

/**
 * The pipeline's shared nouns: what a row is at each stage (a source row, a planned row in a
 * batch, a problem, an outcome) and the run's settings. Types only, so every stage can name them
 * without importing another stage.
 */

/** One row as a source gives it, before mapping. */
export interface SourceRow {
	itemIndex: number;
	/** the item's json ("Map Automatically") or its evaluated columns ("Map Each Column Manually") */
	fields: IDataObject;
	/** problems found before mapping (e.g. the item's object name) */
	problems?: string[];
	/** the row's number in a CSV file input (header = row 1) */
	rowNumber?: number;
	/** what an earlier stage says of this row (Sync: the change and why), carried to its output item */
	note?: IDataObject;
}

/** Called for each row; when it returns a promise, reading pauses until it settles. */
export type OnRow = (row: SourceRow) => void | Promise<void>;

/**
 * Where a run's rows come from (sources/: the items, or the CSV files they carry): each row in
 * order, as often as asked, the same rows in the same order each time. `streamed`: the rows are
 * not held in memory (a file read as a stream), so a run that needs them only batch by batch reads
 * them twice instead of keeping them (pipeline/twoPass.ts).
 */
export interface RowSource {
	streamed: boolean;
	forEach(onRow: OnRow): Promise<void>;
}

/** Why an item (or a row of its file) is not sent. */
export interface ItemProblem {
	itemIndex: number;
	rowNumber?: number;
	problems: string[];
	/** what could be read of the row (looked-up ids in place), for a stage that must know what a bad row was about (Sync) */
	row?: Row;
	/** the columns of `row` whose value is not usable: not found in Vault, or refused by a column rule */
	unusable?: ReadonlySet<string>;
}

/** A row ready to batch: its CSV row, its size, and what earlier stages say of it. */
export interface PlannedRow {
	itemIndex: number;
	/** the row's number in a CSV file input */
	rowNumber?: number;
	row: Row;
	/** what the resolve stage looked up: column → the value that came in and the id it stands for */
	lookups?: IDataObject;
	/** what an earlier stage says of this row (Sync: the change and why), merged into its output item */
	note?: IDataObject;
	/** bytes this row adds to a batch's CSV (see csvRowBytes) */
	bytes: number;
}

export interface Batch {
	/** 1-based, in sending order */
	number: number;
	rows: PlannedRow[];
	bytes: number;
}

/** A column rule set for one run: the spec's columns, its extra columns, and the names they give near misses. */
export interface RowRules {
	columns: ColumnRule[];
	extra: BulkOperationSpec['extraColumns'];
	extraMap?: ExtraColumns;
	names: FieldNames;
	/** a check of the whole row after its columns' rules (a streamed Manage: the role against the object's teams, teamChecks.ts) */
	rowCheck?: (row: Row) => string | undefined;
}

/**
 * The find-by options: columns that hold Vault ids (users, groups, records) filled from the names
 * other systems use; all 'id' means nothing is looked up.
 */
export interface LookupSettings {
	user: 'id' | 'userName' | 'email' | 'federatedId';
	group: 'id' | 'name';
	record: 'id' | 'name';
	/** Ignore Case: users by email or user name in any letter case (VQL CASEINSENSITIVE) */
	userIgnoreCase?: boolean;
	/** the Auditor Profile column: names, sent as they are (absent: the same), or the profile's user by id, email or user name */
	auditorProfile?: 'name' | 'userId' | 'email' | 'userName';
}

/** The node's settings for one bulk run, read once (actions/parameters.ts). */
export interface BulkSettings {
	spec: BulkOperationSpec;
	context: SpecContext;
	outputMode: 'perItem' | 'perBatch';
	dryRun: boolean;
	attachCsv: boolean;
	rowLimit: number;
	byteLimit: number;
	wait?: WaitOptions;
	continueOnFail: boolean;
	/** the find-by options; all 'id' (or absent) means nothing is looked up */
	lookups?: LookupSettings;
	/** read the teams back after the jobs and mark each row applied (Manage, Sync) */
	verify?: boolean;
	/** how this Vault keeps the Quality Teams, read once for the run (team columns: Manage, Sync) */
	teams?: TeamCatalog;
	/** check each row's application role against its record's team before sending (the validate stage, pipeline/teamChecks.ts) */
	checkRoles?: boolean;
}

/** What sending one batch came to: a job id, per-row results, or an error. */
export interface BatchOutcome {
	batch: Batch;
	attempts: number;
	retryReasons: string[];
	/** when the batch was first sent (ISO 8601), for the admin who checks Vault afterwards */
	sentAt: string;
	jobId?: string;
	/** for 'rows' answers: Vault's result for each row of the batch, in the batch's order */
	rowResults?: IDataObject[];
	error?: VaultRequestError;
}

export interface SentBatch {
	outcome: BatchOutcome;
	csv: string;
}

/** What happened to one input item, before it is shaped into an output item. */
export type ItemOutcome =
	| { itemIndex: number; rowNumber?: number; ok: true; json: IDataObject }
	| { itemIndex: number; rowNumber?: number; ok: false; message: string; details: IDataObject };

/** Whether each sent row took effect, read back from Vault after its job finished. */
export interface Verification {
	applied: Map<PlannedRow, boolean>;
	/** REMOVE rows whose member was not on the team when the batch was sent (see membersAbsentBefore) */
	absentBefore?: ReadonlySet<PlannedRow>;
	/** why the read-back could not be made, or cannot be trusted, when so: no row is then marked */
	error?: string;
	/** the spec's team columns the rows were read back by */
	columns: TeamColumns;
}

/** What Sync does with a member (reconcile.ts). */
export type TeamChange = 'add' | 'remove' | 'unchanged' | 'duplicate' | 'outOfScope' | 'heldBack';

/** A Quality Team membership as Sync compares them: record, user, application role. */
export interface RosterMember {
	recordId: string;
	userId: string;
	role: string;
}

/** A roster row the node could use: the member it names, and whether they must be on the team. */
export interface DesiredMember extends RosterMember {
	itemIndex: number;
	rowNumber?: number;
	wanted: boolean;
	lookups?: IDataObject;
	normalised?: string[];
}

/** One line of the plan that is not sent: the member, why, and the item it comes from (none for a held-back member). */
export interface PlanEntry {
	member: RosterMember;
	change: TeamChange;
	reason: string;
	from?: DesiredMember;
}
