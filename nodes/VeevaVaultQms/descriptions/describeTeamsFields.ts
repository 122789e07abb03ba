import type { INodeProperties } from 'n8n-workflow';

/** Quality Team → Describe Teams (actions/describeTeams.ts): no settings; a notice says what it reads and who may. */
export const describeTeamsFields: INodeProperties[] = [
	{
		displayName:
			"Outputs one item per Quality Team of this Vault: its object and object type, member object and the fields Sync Members and Verify read, roles and locked states, and what could not be read. Vault gives its team definitions to Vault admins: run this first, with an admin's credential, before a first sync.",
		name: 'describeTeamsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['qualityTeam'], operation: ['describeTeams'] } },
	},
];
