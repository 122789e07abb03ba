import type { INodeProperties } from 'n8n-workflow';

/** VQL → Run Query: the statement and how many records (actions/vqlQuery.ts). */
const SHOW = { show: { resource: ['vql'], operation: ['query'] } };

export const vqlQueryFields: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		placeholder:
			"e.g. SELECT id, username__sys, email__sys FROM user__sys WHERE status__v = 'active__v'",
		description:
			"A VQL statement (Vault Query Language). Vault answers at most 1,000 records a page; the node reads every page (Vault's next_page links, or PAGEOFFSET where Vault gives none, as for users). A query with its own PAGEOFFSET is refused when Vault gives no next_page.",
		displayOptions: SHOW,
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: true,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: SHOW,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { ...SHOW.show, returnAll: [false] } },
	},
];
