import type { BulkOperationSpec } from './types';
import { RECORD_ID_FORM, USER_ID_FORM, VAULT_NAME_FORM } from './valueForms';

export const manageQualityTeamAssignments: BulkOperationSpec = {
	resource: 'qualityTeam',
	operation: 'manageAssignments',
	name: 'Manage Assignments',
	action: 'Add or remove quality team members',
	description:
		'Add users to or remove them from the Quality Teams of existing records (Vault applies its team rules)',
	method: 'POST',
	// QMS Vaults: Manage Quality Team Assignments, /app/quality/qms/...; QualityOne Vaults: Manage Team
	// Assignments (QualityOne API reference, v25.2+), /app/qualityone/qms/..., the same CSV columns, limits
	// and job answer. The credential's Vault Application says which (SpecContext.application).
	path: ({ objectName, application }) =>
		`/app/${application === 'qualityOne' ? 'qualityone' : 'quality'}/qms/teams/vobjects/${objectName}/actions/manageassignments`,
	// only the QualityOne page documents the order of a job's rows ("REMOVE executes before ADD"); the QMS page says nothing
	removesBeforeAdds: ({ application }) => application === 'qualityOne',
	// Vault answers a path of an application the Vault does not run as a resource that does not exist (MALFORMED_URL,
	// "The specified resource cannot be found": Veeva API reference, "Errors"); no page documents that answer for these paths
	missingPathHint: ({ application }) =>
		application === 'qualityOne'
			? "The credential's Vault Application is QualityOne, and this Vault has no QualityOne Manage Team Assignments endpoint: if it is a QMS Vault, set Vault Application to QMS in the credential"
			: 'This Vault has no QMS Manage Quality Team Assignments endpoint: if it is a QualityOne Vault, set Vault Application to QualityOne in the credential',
	objectName: 'teamEnabled',
	// the endpoint's page lists text/csv; the answer is read as JSON or CSV, whichever comes
	accept: 'text/csv',
	body: 'csv',
	rowLimit: 500,
	byteLimit: 1024 ** 3,
	answer: 'job',
	// Vault gives a job's row outcomes only by email: Verify reads the teams back (pipeline/verify.ts)
	verify: 'teamReadBack',
	teamColumns: {
		record: 'record_id',
		user: 'user_id',
		role: 'application_role',
		operation: 'operation',
	},
	// Veeva's page documents no repeat as harmless: a REMOVE applied twice, or an ADD after a
	// REMOVE in between, changes the team; team rules and task assignment run on every apply
	resend: {
		safe: false,
		source:
			'Manage Quality Team Assignments (Veeva API reference): says nothing of a repeated batch',
		check:
			"the job's status in Vault (Admin > Operations > Job Status) and the records' Quality Teams",
	},
	// the columns as the page's body table describes them (seeds 001/003), each id and name in Vault's form
	// (valueForms.ts); a looked-up column is checked on the id Vault gave for it
	columns: () => [
		{
			name: 'record_id',
			required: true,
			lookup: 'record',
			form: RECORD_ID_FORM,
			ui: { about: "the team-enabled record's ID (or name, with Find Records By)" },
		},
		{
			name: 'user_id',
			required: true,
			lookup: 'user',
			form: USER_ID_FORM,
			ui: { about: "the user's ID (or what Find Users By names)" },
		},
		{
			name: 'application_role',
			required: true,
			form: VAULT_NAME_FORM,
			ui: { about: 'the application role, e.g. qa__c', choices: 'applicationRoles' },
		},
		{
			name: 'operation',
			required: true,
			allowed: ['ADD', 'REMOVE'],
			ui: { about: 'ADD or REMOVE (case-sensitive)' },
		},
	],
};
