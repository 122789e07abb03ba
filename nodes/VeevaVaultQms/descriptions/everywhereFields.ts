import type { INodeProperties } from 'n8n-workflow';

import { operationsWith } from './specOptions';

// the options of Remove User From All Teams and Replace User (their specs' `everywhere`)
const EVERYWHERE_OPS = {
	show: { '/operation': operationsWith((spec) => spec.everywhere !== undefined) },
};
const REPLACE_OPS = {
	show: { '/operation': operationsWith((spec) => spec.everywhere === 'replace') },
};

/** Options of Remove User From All Teams and Replace User, added to the bulk options collection (Plan Only and Verify are shared with Sync and Manage). */
export const everywhereOptions: INodeProperties[] = [
	{
		displayName: 'Max Removals',
		name: 'maxRemovals',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 0 },
		description:
			'Most memberships one person may be removed from in a run. Above it nothing is sent for that person and the node lists what it would remove (Plan Only shows the whole plan). A guard against a wrong person or a lookup that found someone else.',
		displayOptions: EVERYWHERE_OPS,
	},
	{
		displayName: 'Record Filter',
		name: 'recordFilter',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add condition',
		description:
			"Only memberships on records that meet every condition, e.g. state__v not one of closed_state__c. Each value is quoted by the node; an item's values are never pasted into the query.",
		displayOptions: EVERYWHERE_OPS,
		options: [
			{
				displayName: 'Condition',
				name: 'conditions',
				values: [
					{
						displayName: 'Field',
						name: 'field',
						type: 'string',
						default: 'state__v',
						description:
							"A field of the team-enabled records, by API name, e.g. state__v (the record's lifecycle state)",
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						default: 'notIn',
						options: [
							{ name: 'Is One Of', value: 'in' },
							{ name: 'Is Not One Of', value: 'notIn' },
						],
					},
					{
						displayName: 'Values',
						name: 'values',
						type: 'string',
						default: '',
						placeholder: 'e.g. closed_state__c, cancelled_state__c',
						description: 'Comma-separated values, as Vault has them',
					},
				],
			},
		],
	},
	{
		displayName: 'Remove Last in Role',
		name: 'removeLastInRole',
		type: 'boolean',
		default: false,
		description:
			"Whether to remove a member even where the team's role would fall below its minimum (minimum_user_in_role, e.g. the last QA on a CAPA). Off: such memberships are skipped and listed, for a person to settle (or use Replace User).",
		displayOptions: {
			show: { '/operation': operationsWith((spec) => spec.everywhere === 'remove') },
		},
	},
	{
		displayName: 'Roles',
		name: 'roles',
		type: 'string',
		default: '',
		placeholder: 'e.g. qa__c, sme__c',
		description:
			'Only memberships in these application roles, comma-separated API names. Empty: every role.',
		displayOptions: EVERYWHERE_OPS,
	},
	{
		displayName: 'Send Pairs at Maximum',
		name: 'sendPairsAtMaximum',
		type: 'boolean',
		default: false,
		description:
			'Whether to replace in a role at its maximum (maximum_user_in_role, e.g. one owner) by sending the REMOVE and the ADD in one job. Vault documents the order of rows in a job only for QualityOne ("REMOVE executes before ADD"). Off: such memberships are skipped and listed.',
		displayOptions: REPLACE_OPS,
	},
	{
		displayName: 'Skip Locked Records',
		name: 'skipLockedRecords',
		type: 'boolean',
		default: true,
		description:
			"Whether to skip records in a state in which their Quality Team is locked (the team's locked_in_states): Vault refuses changes there. Off: they are sent, and Vault's refusal is in the job's results.",
		displayOptions: EVERYWHERE_OPS,
	},
	{
		displayName: 'Team Objects to Search',
		name: 'teamObjects',
		type: 'string',
		default: '',
		placeholder: 'e.g. quality_event__qdm, risk_event__v',
		description:
			"Used only when Vault refuses its Quality Team definitions (the user is no Vault admin): the team-enabled objects to search, comma-separated API names, each object's members read in the member object named after it (quality_event__qdm: quality_event_quality_team_member__v). Locked states and role limits are then not checked before sending (Vault checks them in the job). Empty: without the definitions every person is an error.",
		displayOptions: EVERYWHERE_OPS,
	},
	{
		displayName: 'Teams',
		name: 'teams',
		type: 'string',
		default: '',
		placeholder: 'e.g. capa_team__c, Deviation Team',
		description:
			'Only these Quality Teams, comma-separated names or labels (Describe Teams lists them). Empty: every active Quality Team of the Vault.',
		displayOptions: EVERYWHERE_OPS,
	},
];
