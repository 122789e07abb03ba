import type { BulkOperationSpec } from './types';

export const manageQualityTeamAssignments: BulkOperationSpec = {
	resource: 'qualityTeam',
	operation: 'manageAssignments',
	name: 'Manage Assignments',
	action: 'Add or remove quality team members',
	description: 'Add users to or remove them from the Quality Teams of existing records (Vault applies its team rules)',
	method: 'POST',
	path: ({ objectName }) => `/app/quality/qms/teams/vobjects/${objectName}/actions/manageassignments`,
	objectName: 'teamEnabled',
	// the endpoint's page lists text/csv; the answer is read as JSON or CSV, whichever comes
	accept: 'text/csv',
	body: 'csv',
	rowLimit: 500,
	byteLimit: 1024 ** 3,
	answer: 'job',
	// Veeva's page documents no repeat as harmless: a REMOVE applied twice, or an ADD after a
	// REMOVE in between, changes the team; team rules and task assignment run on every apply
	resend: {
		safe: false,
		source: 'Manage Quality Team Assignments (Veeva API reference): says nothing of a repeated batch',
		check: "the job's status in Vault (Admin > Operations > Job Status) and the records' Quality Teams",
	},
	columns: () => [
		{ name: 'record_id', required: true, lookup: 'record' },
		{ name: 'user_id', required: true, lookup: 'user' },
		{ name: 'application_role', required: true },
		{ name: 'operation', required: true, allowed: ['ADD', 'REMOVE'] },
	],
};
