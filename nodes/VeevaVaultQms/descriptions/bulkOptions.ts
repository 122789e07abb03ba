import type { INodeProperties } from 'n8n-workflow';

import { everywhereOptions } from './everywhereFields';
import { memberOptions } from './syncFields';

/**
 * The bulk operations' Options collection: batching, dry run, retries, output, waiting, and the
 * options of the team operations (syncFields.ts, everywhereFields.ts), in alphabetical order as n8n
 * lists them. Apart from bulkFields.ts, the fields above it, because it is the longest part of the
 * panel.
 */
export const bulkOptions: INodeProperties[] = (
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
			description: 'Wait before the first retry; doubled for each further one, at most 60 seconds',
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
).sort((a, b) => a.displayName.localeCompare(b.displayName));
