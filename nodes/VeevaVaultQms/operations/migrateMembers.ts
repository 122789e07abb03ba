import type { BulkOperationSpec } from './types';

const MIGRATE_ABOUT = [
	'the team-enabled record, by a unique text field',
	'the user, by a unique text field',
	'the application role, by a unique text field',
];

export const DEFAULT_MIGRATE_COLUMNS: [string, string, string] = [
	'quality_event__qdm.name__v',
	'user__sys.global_id__sys',
	'application_role__v.api_name__v',
];

export const migrateQualityTeamMembers: BulkOperationSpec = {
	resource: 'qualityTeam',
	operation: 'migrateMembers',
	name: 'Migrate Members',
	action: 'Migrate quality team members',
	description:
		'Create Quality Team member records in bulk, e.g. when moving from another Vault (duplicates are skipped)',
	method: 'POST',
	path: ({ objectName }) => `/qms/teams/vobjects/${objectName}/actions/migration`,
	objectName: 'teamMember',
	accept: 'application/json',
	body: 'multipart',
	// the page's example names its file so; Vault reads the part by its field name, `file`
	fileName: 'quality_team_members.csv',
	rowLimit: 500,
	byteLimit: 50 * 1024 ** 2,
	answer: 'job',
	resend: {
		safe: true,
		source:
			'Migrate Quality Team Members (Veeva API reference): "Duplicate assignments are skipped"',
		check: "the job's status in Vault (Admin > Operations > Job Status)",
	},
	// the page: three text fields (not IDs), unique, each value under 1,500 characters
	configurableColumns: {
		fields: [
			{
				parameter: 'recordColumn',
				displayName: 'Record Column',
				default: DEFAULT_MIGRATE_COLUMNS[0],
				description:
					'The CSV column Vault finds the team-enabled record by: a unique text field (not an ID). Rows are grouped by it: all rows of one record go to Vault in the same batch.',
			},
			{
				parameter: 'userColumn',
				displayName: 'User Column',
				default: DEFAULT_MIGRATE_COLUMNS[1],
				description: 'The CSV column Vault finds the user by: a unique text field (not an ID)',
			},
			{
				parameter: 'roleColumn',
				displayName: 'Application Role Column',
				default: DEFAULT_MIGRATE_COLUMNS[2],
				description:
					'The CSV column Vault finds the application role by: a unique text field (not an ID)',
			},
		],
		label: 'Migrate',
	},
	columns: ({ columnNames = DEFAULT_MIGRATE_COLUMNS }) =>
		columnNames.map((name, index) => ({
			name,
			required: true,
			maxLength: 1499,
			ui: { about: MIGRATE_ABOUT[index] },
		})),
	groupBy: ({ columnNames = DEFAULT_MIGRATE_COLUMNS }) => columnNames[0],
};
