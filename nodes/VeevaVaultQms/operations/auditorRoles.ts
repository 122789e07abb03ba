import type { BulkOperationSpec } from './types';

export const associateAuditorRoles: BulkOperationSpec = {
	resource: 'auditor',
	operation: 'associateRoles',
	name: 'Associate Auditor Roles',
	action: 'Associate auditor roles with auditor profiles',
	description: 'Give auditor profiles their auditor roles (e.g. after an LMS course completion)',
	method: 'POST',
	path: () => '/app/quality/qms/auditor_profiles/roles/batch',
	accept: 'application/json',
	body: 'csv',
	rowLimit: 500,
	byteLimit: 1024 ** 3,
	answer: 'job',
	// a repeat is not documented as harmless, and each apply creates Qualification to Complete and
	// Role Qualification Status records (Associate Auditor Roles, Veeva API reference)
	resend: {
		safe: false,
		source:
			'Associate Auditor Roles (Veeva API reference): creates qualification records; says nothing of a repeat',
		check:
			"the job's status in Vault (Admin > Operations > Job Status) and the Auditor Profiles' roles",
	},
	columns: () => [
		{
			name: 'auditor_profile__v.name__v',
			required: true,
			lookup: 'auditorProfile',
			ui: {
				about:
					"the Auditor Profile's name, e.g. AuditorProfile-alex@veepharm.com (or its user, with Find Auditor Profiles By)",
			},
		},
		{
			name: 'auditor_role__v.name__v',
			required: true,
			ui: { about: 'the auditor role, e.g. Lead Auditor' },
		},
	],
};
