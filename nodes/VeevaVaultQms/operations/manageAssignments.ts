import type { BulkOperationSpec } from './types';
import { RECORD_ID_FORM, USER_ID_FORM, VAULT_NAME_FORM } from './valueForms';

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
	// Vault gives a job's row outcomes only by email: Verify reads the teams back (pipeline/verify.ts)
	verify: 'teamReadBack',
	teamColumns: { record: 'record_id', user: 'user_id', role: 'application_role', operation: 'operation' },
	// Veeva's page documents no repeat as harmless: a REMOVE applied twice, or an ADD after a
	// REMOVE in between, changes the team; team rules and task assignment run on every apply
	resend: {
		safe: false,
		source: 'Manage Quality Team Assignments (Veeva API reference): says nothing of a repeated batch',
		check: "the job's status in Vault (Admin > Operations > Job Status) and the records' Quality Teams",
	},
	// the columns as the page's body table describes them (seeds 001/003), each id and name in Vault's form
	// (valueForms.ts); a looked-up column is checked on the id Vault gave for it
	columns: () => [
		{ name: 'record_id', required: true, lookup: 'record', form: RECORD_ID_FORM, ui: { about: "the team-enabled record's ID (or name, with Find Records By)" } },
		{ name: 'user_id', required: true, lookup: 'user', form: USER_ID_FORM, ui: { about: "the user's ID (or what Find Users By names)" } },
		{ name: 'application_role', required: true, form: VAULT_NAME_FORM, ui: { about: 'the application role, e.g. qa__c', choices: 'applicationRoles' } },
		{ name: 'operation', required: true, allowed: ['ADD', 'REMOVE'], ui: { about: 'ADD or REMOVE (case-sensitive)' } },
	],
};
