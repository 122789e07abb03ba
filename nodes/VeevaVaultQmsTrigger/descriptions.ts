import type { INodeProperties } from 'n8n-workflow';

import { objectPicker } from '../VeevaVaultQms/descriptions/objectPicker';
import { TRIGGER_EVENTS } from './events';
import { MAX_ITEMS_PER_POLL } from './events/recordChanged';
import { OPERATORS } from './events/recordQuery';

/**
 * The trigger's panel. Event picks what is watched; the object is common to every event; the rest
 * shows per event (displayOptions on `event`), so another event adds its own fields beside these.
 */

const forRecordChanged = { show: { event: ['recordChanged'] } };

const OPERATOR_NAMES: Record<keyof typeof OPERATORS, string> = {
	equal: 'Is Equal To (=)',
	notEqual: 'Is Not Equal To (!=)',
	greater: 'Is Greater Than (>)',
	greaterOrEqual: 'Is Greater Than or Equal To (>=)',
	less: 'Is Less Than (<)',
	lessOrEqual: 'Is Less Than or Equal To (<=)',
};

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		default: 'recordChanged',
		noDataExpression: true,
		options: TRIGGER_EVENTS.map((event) => ({
			name: event.name,
			value: event.value,
			description: event.description,
		})),
	},
	objectPicker({
		displayName: 'Object',
		description:
			'The object whose records to watch, e.g. Quality Event (quality_event__qdm). From List shows the objects of the Vault the credential connects to, those with Quality Teams first.',
		searchListMethod: 'searchTeamObjects',
		placeholder: 'e.g. quality_event__qdm',
		displayOptions: undefined,
	}),
	{
		displayName: 'On',
		name: 'on',
		type: 'options',
		default: 'createdOrUpdated',
		description:
			'Which records start the workflow: new ones (by created_date__v), or new and changed ones (by modified_date__v: a record changed twice between polls comes once, as it is now)',
		options: [
			{ name: 'Created', value: 'created' },
			{ name: 'Created or Updated', value: 'createdOrUpdated' },
		],
		displayOptions: forRecordChanged,
	},
	{
		displayName: 'Only Records Where',
		name: 'conditions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Condition',
		default: {},
		description:
			"Conditions on the record's fields, all of which must hold (VQL WHERE … AND …). Values are quoted by the node: type them as they are, no quotes.",
		options: [
			{
				displayName: 'Condition',
				name: 'condition',
				values: [
					{
						displayName: 'Field',
						name: 'field',
						type: 'string',
						default: '',
						placeholder: 'e.g. status__v',
						description: "The field's Vault name",
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						default: 'equal',
						options: Object.entries(OPERATOR_NAMES).map(([value, name]) => ({ name, value })),
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. open__v, or 2026-12-01T00:00:00.000Z',
					},
					{
						displayName: 'Value Type',
						name: 'type',
						type: 'options',
						default: 'text',
						description:
							'How the value is written in VQL: text, dates and picklist values in quotes; numbers and booleans as they are',
						options: [
							{ name: 'Boolean', value: 'boolean' },
							{ name: 'Number', value: 'number' },
							{ name: 'Text, Date or Picklist Value', value: 'text' },
						],
					},
				],
			},
		],
		displayOptions: forRecordChanged,
	},
	{
		displayName: 'Fields to Return',
		name: 'fields',
		type: 'string',
		default: 'name__v',
		placeholder: 'e.g. name__v, status__v, site__c',
		description:
			'Vault field names, separated by commas. Every item also carries the record ID, created_date__v and modified_date__v (UTC, as Vault answers them).',
		displayOptions: forRecordChanged,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: forRecordChanged,
		options: [
			{
				displayName: 'Include Existing',
				name: 'includeExisting',
				type: 'boolean',
				default: false,
				description:
					'Whether the first poll after activation emits the records that already exist (oldest first, Max Items per Poll at a time). Off: it starts after the newest record and emits only what changes from then on.',
			},
			{
				displayName: 'Max Items per Poll',
				name: 'maxItemsPerPoll',
				type: 'number',
				default: 1000,
				typeOptions: { minValue: 1, maxValue: MAX_ITEMS_PER_POLL },
				description:
					'The most records one poll emits; the rest come on the next polls, oldest first, none lost',
			},
		],
	},
];
