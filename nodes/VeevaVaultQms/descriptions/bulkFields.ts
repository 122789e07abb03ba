import type { INodeProperties } from 'n8n-workflow';

import { BULK_OPERATIONS } from '../operations';
import { bulkOptions } from './bulkOptions';
import { objectPicker } from './objectPicker';
import { showFor } from './specOptions';

const bulkOperations = BULK_OPERATIONS.map((spec) => spec.operation);
const bulkResources = [...new Set(BULK_OPERATIONS.map((spec) => spec.resource))];
const show = (operation: string[], resource = bulkResources) => ({ show: { resource, operation } });

/**
 * The bulk operations' fields: the object, the columns the user names, the input source, what each
 * Vault column holds, the column mapper, the Options collection (bulkOptions.ts) and the retry
 * notice. The object picker is objectPicker.ts, the team operations' own fields syncFields.ts and
 * everywhereFields.ts.
 */
export const bulkFields: INodeProperties[] = [
	objectPicker({
		displayName: 'Object',
		description:
			'The team-enabled object whose records have the Quality Teams, e.g. Quality Event (quality_event__qdm). From List shows the objects of the Vault the credential connects to.',
		searchListMethod: 'searchTeamObjects',
		placeholder: 'e.g. quality_event__qdm',
		displayOptions: showFor((spec) => spec.objectName === 'teamEnabled'),
	}),
	objectPicker({
		displayName: 'Team Member Object',
		description:
			'The Quality Team member object to create records in, e.g. lab_investigation_quality_team_member__v. From List shows the objects of the Vault the credential connects to, member objects first.',
		searchListMethod: 'searchTeamMemberObjects',
		placeholder: 'e.g. lab_investigation_quality_team_member__v',
		displayOptions: showFor((spec) => spec.objectName === 'teamMember'),
	}),
	// the columns whose Vault names the user gives (Migrate's three), a field each, as their spec describes them
	...BULK_OPERATIONS.flatMap((spec) => spec.configurableColumns?.fields ?? []).map(
		(field): INodeProperties => {
			const initial = field.default;
			return {
				displayName: field.displayName,
				name: field.parameter,
				type: 'string',
				required: true,
				default: initial,
				description: field.description,
				displayOptions: showFor(
					(spec) => spec.configurableColumns?.fields.includes(field) === true,
				),
			};
		},
	),
	{
		displayName: 'Document Role Names or IDs',
		name: 'documentRoles',
		type: 'multiOptions',
		default: [],
		typeOptions: { loadOptionsMethod: 'getDocumentRoles' },
		description:
			'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: 'The roles offered as columns under "Map Each Column Manually" (a .users and a .groups column each); none chosen offers every role of the Vault. "Map Automatically" sends every input field named {role}.users or {role}.groups whatever is chosen here.',
		displayOptions: showFor((spec) => spec.extraColumns !== undefined),
	},
	{
		displayName: 'Input Source',
		name: 'inputSource',
		type: 'options',
		default: 'items',
		options: [
			{ name: 'Input Items', value: 'items', description: 'One CSV row per input item' },
			{
				name: 'CSV File (Binary)',
				value: 'binary',
				description:
					"Rows from a CSV file in the items' binary data; its header row names the Vault columns",
			},
		],
		displayOptions: show(bulkOperations),
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The binary field holding the CSV file',
		displayOptions: {
			show: { resource: bulkResources, operation: bulkOperations, inputSource: ['binary'] },
		},
	},
	// what each Vault column holds, said once per operation above the mapper (n8n's mapper has no
	// description per column, and cuts a longer column label short)
	...BULK_OPERATIONS.map((spec): INodeProperties => {
		// columns the user names (Migrate's) are named in their own fields above: only what each holds
		const about = spec
			.columns({ objectName: '' })
			.map((column) =>
				spec.configurableColumns
					? (column.ui?.about ?? column.name)
					: `${column.name}: ${column.ui?.about ?? ''}`,
			);
		if (spec.configurableColumns)
			about.splice(0, about.length, `The three named above: ${about.join('; ')}`);
		if (spec.sync)
			about.push('A row without operation is ADD; REMOVE says "must not be on the team"');
		if (spec.extraColumns)
			about.push(
				`{role}.users and {role}.groups: the role's users and groups (IDs, or names with the find-by options), comma-separated`,
			);
		return {
			displayName: `Vault's columns. ${about.join('. ')}.`,
			name: `columnsNotice_${spec.resource}_${spec.operation}`,
			type: 'notice',
			default: '',
			displayOptions: {
				show: { resource: [spec.resource], operation: [spec.operation], inputSource: ['items'] },
			},
		};
	}),
	{
		displayName: 'Columns',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'autoMapInputData', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: [
				'resource',
				'operation',
				'recordColumn',
				'userColumn',
				'roleColumn',
				'documentRoles',
			],
			resourceMapper: {
				resourceMapperMethod: 'getColumns',
				mode: 'add',
				fieldWords: { singular: 'column', plural: 'columns' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
		displayOptions: {
			show: { resource: bulkResources, operation: bulkOperations, inputSource: ['items'] },
		},
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show(bulkOperations),
		options: bulkOptions,
	},
	// below Options, beside Max Attempts, which it points to: above the Object it was the first thing every operation showed
	{
		displayName:
			"Leave n8n's Settings > Retry On Fail off for this node: it runs the whole node again, which can send batches Vault already accepted a second time. The node retries by itself (Options > Max Attempts), only where a repeat cannot change what Vault applied.",
		name: 'retryNotice',
		type: 'notice',
		default: '',
		displayOptions: show(bulkOperations),
	},
];
