import type { INodeProperties } from 'n8n-workflow';

import { BULK_OPERATIONS } from '../operations';
import { showFor } from './specOptions';
import { everywhereOptions } from './everywhereFields';
import { memberOptions } from './syncFields';

const bulkOperations = BULK_OPERATIONS.map((spec) => spec.operation);
const bulkResources = [...new Set(BULK_OPERATIONS.map((spec) => spec.resource))];
const show = (operation: string[], resource = bulkResources) => ({ show: { resource, operation } });

/**
 * A Vault object: picked from the connected Vault's object list, or typed by name. A typed or
 * chosen value stays usable when Vault cannot be reached: runs never load the list.
 */
export function objectPicker(picker: {
	displayName: string;
	description: string;
	searchListMethod: string;
	placeholder: string;
	displayOptions: INodeProperties['displayOptions'];
}): INodeProperties {
	return {
		displayName: picker.displayName,
		name: 'objectName',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: picker.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: picker.searchListMethod, searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: picker.placeholder,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[a-z][a-z0-9_]*$',
							errorMessage:
								'A Vault object name: lower-case letters, digits and "_", e.g. quality_event__qdm',
						},
					},
				],
			},
		],
		displayOptions: picker.displayOptions,
	};
}

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
		options: (
			[
				{
					displayName: 'Attach CSV',
					name: 'attachCsv',
					type: 'boolean',
					default: false,
					description:
						'Whether to attach the exact CSV sent to each per-batch output item, as binary "csv"',
				},
				{
					displayName: 'Batch Size',
					name: 'batchSize',
					type: 'number',
					default: 0,
					typeOptions: { minValue: 0 },
					description:
						"Most rows per batch; 0 means the endpoint's limit (500, or 1000 for documents). Larger values are capped at that limit.",
				},
				{
					displayName: 'Dry Run',
					name: 'dryRun',
					type: 'boolean',
					default: false,
					description:
						'Whether to build the CSV batches and output them without sending anything to Vault. On Sync Members, Vault is read to find the changes and the output is the CSV batches that would be sent (Max Removals still stops the run); Plan Only lists each change with its reason instead.',
				},
				{
					displayName: 'Max Attempts',
					name: 'maxAttempts',
					type: 'number',
					default: 3,
					typeOptions: { minValue: 1, maxValue: 10 },
					description:
						'Most times one request is sent. A request is sent again only when Vault did not get it (no connection, session expired, rate limit), or when Vault documents a repeat as harmless (Migrate; document role Assign); a Manage, Auditor Roles or document role Remove batch Vault may have received is never sent again.',
				},
				{
					displayName: 'Max Batch Bytes',
					name: 'maxBatchBytes',
					type: 'number',
					default: 0,
					typeOptions: { minValue: 0 },
					description:
						"Most bytes of CSV per batch; 0 means the endpoint's limit (1 GB, or 50 MB for Migrate)",
				},
				{
					displayName: 'Output',
					name: 'outputMode',
					type: 'options',
					default: 'perItem',
					description:
						'What the node outputs: a result for every input item (with its CSV row and job), or one summary per batch sent (faster for large files)',
					options: [
						{
							name: 'One Item per Input Item',
							value: 'perItem',
							description:
								'Each item gets its job ID, state and the row sent; rejected items go to the error output',
						},
						{
							name: 'One Item per Batch',
							value: 'perBatch',
							description:
								'One item per CSV batch: job ID, rows, state; rejected items still get one item each',
						},
					],
				},
				{
					displayName: 'Poll Interval (Seconds)',
					name: 'pollIntervalSeconds',
					type: 'number',
					default: 10,
					typeOptions: { minValue: 0.1, maxValue: 600 },
					description:
						'Time between status checks of the job being waited on. At least 10 against a real Vault, which allows one check per job every 10 seconds: a lower value counts only for a test Vault on this machine (localhost). Stretched, up to 6 times, while the Vault has under 25% of its burst budget left.',
				},
				{
					displayName: 'Request Timeout (Seconds)',
					name: 'requestTimeoutSeconds',
					type: 'number',
					default: 300,
					typeOptions: { minValue: 1, maxValue: 1800 },
					description:
						'How long one request may take before it counts as unanswered (at most 30 minutes)',
				},
				{
					displayName: 'Retry Wait (Seconds)',
					name: 'retryWaitSeconds',
					type: 'number',
					default: 2,
					typeOptions: { minValue: 0, maxValue: 60 },
					description:
						'Wait before the first retry; doubled for each further one, at most 60 seconds',
				},
				{
					displayName: 'Wait for Completion',
					name: 'waitForCompletion',
					type: 'boolean',
					default: false,
					description:
						'Whether to wait until Vault finishes each job and output its final status. Jobs are checked oldest first, one at a time, so waiting costs about one status call per job plus one per poll interval.',
				},
				...memberOptions,
				...everywhereOptions,
				{
					displayName: 'Wait Timeout (Minutes)',
					name: 'waitTimeoutMinutes',
					type: 'number',
					default: 60,
					typeOptions: { minValue: 0, maxValue: 1440 },
					description:
						'Stop waiting after this long; items then carry the last status seen and waitTimedOut',
				},
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
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
