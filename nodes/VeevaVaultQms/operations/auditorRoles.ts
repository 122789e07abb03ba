import type { BulkOperationSpec } from './types';

export const associateAuditorRoles: BulkOperationSpec = {
	resource: 'auditor',
	operation: 'associateRoles',
	name: 'Associate Auditor Roles',
	action: 'Associate auditor roles with auditor profiles',
	description: 'Give Auditor Profiles their Auditor Roles (e.g. after an LMS course completion)',
	method: 'POST',
	path: () => '/app/quality/qms/auditor_profiles/roles/batch',
	accept: 'application/json',
	body: 'csv',
	rowLimit: 500,
	byteLimit: 1024 ** 3,
	answer: 'job',
	columns: () => [
		{ name: 'auditor_profile__v.name__v', required: true },
		{ name: 'auditor_role__v.name__v', required: true },
	],
};
