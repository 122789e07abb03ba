import type { INodeProperties } from 'n8n-workflow';

import { BULK_OPERATIONS } from '../operations';
import { memberOptions } from './syncFields';

const bulkOperations = BULK_OPERATIONS.map((spec) => spec.operation);
const bulkResources = [...new Set(BULK_OPERATIONS.map((spec) => spec.resource))];
const show = (operation: string[], resource = bulkResources) => ({ show: { resource, operation } });

export const bulkFields: INodeProperties[] = [
	{
		displayName: 'Object Name',
		name: 'objectName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. quality_event__qdm',
		description: 'The team-enabled object whose records have the Quality Teams, e.g. quality_event__qdm, risk_event__v, investigation__qdm',
		displayOptions: show(['manageAssignments', 'syncMembers'], ['qualityTeam']),
	},
	{
		displayName: 'Team Member Object Name',
		name: 'objectName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. lab_investigation_quality_team_member__v',
		description: 'The Quality Team member object to create records in, e.g. lab_investigation_quality_team_member__v',
		displayOptions: show(['migrateMembers'], ['qualityTeam']),
	},
	{
		displayName: 'Record Column',
		name: 'recordColumn',
		type: 'string',
		required: true,
		default: 'quality_event__qdm.name__v',
		description:
			'The CSV column Vault finds the team-enabled record by: a unique text field (not an ID). Rows are grouped by it: all rows of one record go to Vault in the same batch.',
		displayOptions: show(['migrateMembers'], ['qualityTeam']),
	},
	{
		displayName: 'User Column',
		name: 'userColumn',
		type: 'string',
		required: true,
		default: 'user__sys.global_id__sys',
		description: 'The CSV column Vault finds the user by: a unique text field (not an ID)',
		displayOptions: show(['migrateMembers'], ['qualityTeam']),
	},
	{
		displayName: 'Application Role Column',
		name: 'roleColumn',
		type: 'string',
		required: true,
		default: 'application_role__v.api_name__v',
		description: 'The CSV column Vault finds the application role by: a unique text field (not an ID)',
		displayOptions: show(['migrateMembers'], ['qualityTeam']),
	},
	{
		displayName: 'Document Roles',
		name: 'documentRoles',
		type: 'string',
		default: 'reviewer__v, approver__v',
		description:
			'Roles to offer as columns under "Map Each Column Below" (each gets a .users and a .groups column). With "Map Automatically", every input field named {role}.users or {role}.groups is sent.',
		displayOptions: show(['assign', 'remove'], ['documentRole']),
	},
	{
		displayName: 'Input Source',
		name: 'inputSource',
		type: 'options',
		default: 'items',
		options: [
			{ name: 'Input Items', value: 'items', description: 'One CSV row per input item' },
			{ name: 'CSV File (Binary)', value: 'binary', description: "Rows from a CSV file in the items' binary data; its header row names the Vault columns" },
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
		displayOptions: { show: { resource: bulkResources, operation: bulkOperations, inputSource: ['binary'] } },
	},
	{
		displayName: 'Columns',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'autoMapInputData', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['resource', 'operation', 'recordColumn', 'userColumn', 'roleColumn', 'documentRoles'],
			resourceMapper: {
				resourceMapperMethod: 'getColumns',
				mode: 'add',
				fieldWords: { singular: 'column', plural: 'columns' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
		displayOptions: { show: { resource: bulkResources, operation: bulkOperations, inputSource: ['items'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show(bulkOperations),
		options: ([
			{ displayName: 'Attach CSV', name: 'attachCsv', type: 'boolean', default: false, description: 'Whether to attach the exact CSV sent to each per-batch output item, as binary "csv"' },
			{ displayName: 'Batch Size', name: 'batchSize', type: 'number', default: 0, typeOptions: { minValue: 0 }, description: "Most rows per batch; 0 means the endpoint's limit (500, or 1000 for documents). Larger values are capped at that limit." },
			{ displayName: 'Dry Run', name: 'dryRun', type: 'boolean', default: false, description: 'Whether to build the CSV batches and output them without sending anything to Vault' },
			{ displayName: 'Max Attempts', name: 'maxAttempts', type: 'number', default: 3, typeOptions: { minValue: 1, maxValue: 10 }, description: 'How many times one request may be sent when the README\'s retry policy allows a retry' },
			{ displayName: 'Max Batch Bytes', name: 'maxBatchBytes', type: 'number', default: 0, typeOptions: { minValue: 0 }, description: "Most bytes of CSV per batch; 0 means the endpoint's limit (1 GB, or 50 MB for Migrate)" },
			{
				displayName: 'Output',
				name: 'outputMode',
				type: 'options',
				default: 'perItem',
				options: [
					{ name: 'One Item per Input Item', value: 'perItem' },
					{ name: 'One Item per Batch', value: 'perBatch' },
				],
			},
			{ displayName: 'Poll Interval (Seconds)', name: 'pollIntervalSeconds', type: 'number', default: 10, typeOptions: { minValue: 0.1, maxValue: 600 }, description: 'Time between status checks of the job being waited on. At least 10 against a real Vault, which allows one check per job every 10 seconds: a lower value counts only for a test Vault on this machine (localhost). Stretched, up to 6 times, while the Vault has under 25% of its burst budget left.' },
			{ displayName: 'Request Timeout (Seconds)', name: 'requestTimeoutSeconds', type: 'number', default: 300, typeOptions: { minValue: 1, maxValue: 1800 }, description: 'How long one request may take before it counts as unanswered (at most 30 minutes)' },
			{ displayName: 'Retry Wait (Seconds)', name: 'retryWaitSeconds', type: 'number', default: 2, typeOptions: { minValue: 0, maxValue: 60 }, description: 'Wait before the first retry; doubled for each further one, at most 60 seconds' },
			{ displayName: 'Wait for Completion', name: 'waitForCompletion', type: 'boolean', default: false, description: 'Whether to wait until Vault finishes each job and output its final status. Jobs are checked oldest first, one at a time, so waiting costs about one status call per job plus one per poll interval.' },
			...memberOptions,
			{ displayName: 'Wait Timeout (Minutes)', name: 'waitTimeoutMinutes', type: 'number', default: 60, typeOptions: { minValue: 0, maxValue: 1440 }, description: 'Stop waiting after this long; items then carry the last status seen and waitTimedOut' },
		] as INodeProperties[]).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];
