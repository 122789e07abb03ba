import type { BulkOperationSpec } from './types';

const documentRoleSpec = {
	resource: 'documentRole',
	path: () => '/objects/documents/roles/batch',
	accept: 'application/json',
	body: 'csv',
	rowLimit: 1000,
	byteLimit: 1024 ** 3,
	answer: 'rows',
	// each row's result names its document by `id` (Assign/Remove Users & Groups ... on Multiple Documents)
	rowAnswer: { key: 'id', noun: 'document' },
	// the page's CSV: a document `id` column, then one column per role and kind ({role}.users, {role}.groups)
	columns: () => [
		{
			name: 'id',
			required: true,
			pattern: /^\d{1,19}$/,
			patternHint: 'a document id: a whole number',
			ui: { about: 'the document ID', type: 'number' },
		},
	],
	extraColumns: {
		pattern: /^[a-z][a-z0-9_]*\.(users|groups)$/,
		rule: {
			required: false,
			list: true,
			pattern: /^\d{1,19}(,\d{1,19})*$/,
			patternHint: 'a comma-separated list of Vault ids (whole numbers)',
		},
		hint: '{role}.users or {role}.groups, e.g. reviewer__v.users',
		lookupOf: (name: string) => (name.endsWith('.users') ? 'user' : 'group'),
		lookupKinds: ['user', 'group'],
	},
} satisfies Partial<BulkOperationSpec>;

export const assignDocumentRoles: BulkOperationSpec = {
	...documentRoleSpec,
	operation: 'assign',
	name: 'Assign Users & Groups',
	action: 'Assign users and groups to roles on documents',
	description:
		'Add users and groups to roles on many documents at once (additive: nobody is removed)',
	method: 'POST',
	resend: {
		safe: true,
		source:
			'Assign Users & Groups to Roles on Multiple Documents (Veeva API reference): "Assigning users and groups to document roles is additive"',
		check: "the documents' sharing settings in Vault",
	},
};

export const removeDocumentRoles: BulkOperationSpec = {
	...documentRoleSpec,
	operation: 'remove',
	name: 'Remove Users & Groups',
	action: 'Remove users and groups from roles on documents',
	description: 'Take users and groups off roles on many documents at once',
	method: 'DELETE',
	removes: 'everyRow',
	// the Remove page documents no repeat as harmless (a repeat may fail rows already removed)
	resend: {
		safe: false,
		source:
			'Remove Users & Groups from Roles on Multiple Documents (Veeva API reference): says nothing of a repeat',
		check: "the documents' sharing settings in Vault",
	},
};
