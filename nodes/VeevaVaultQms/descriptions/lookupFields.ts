import type { INodeProperties } from 'n8n-workflow';

import { looksUp, showFor } from './specOptions';

/**
 * The find-by options: the names other systems use (HR, LMS, SSO) in place of Vault ids, looked
 * up in bulk with VQL before anything is sent (pipeline/resolve.ts).
 */
export const lookupFields: INodeProperties[] = [
	{
		displayName: 'Find Users By',
		name: 'findUsersBy',
		type: 'options',
		default: 'id',
		description:
			'What the user columns hold (user_id; {role}.users). Anything but ID is looked up in Vault, letter case included unless Ignore Case is on: only active users match, and a value two users share is refused, never guessed.',
		options: [
			{
				name: 'Email',
				value: 'email',
				description: "The user's email (email__sys); Vault does not make emails unique",
			},
			{
				name: 'Federated ID',
				value: 'federatedId',
				description: 'The single sign-on ID (federated_id__sys)',
			},
			{ name: 'ID', value: 'id', description: 'Vault user IDs, sent as they are' },
			{
				name: 'User Name',
				value: 'userName',
				description: 'The Vault user name (username__sys), e.g. ana.lopez@example.com',
			},
		],
		displayOptions: showFor(looksUp('user')),
	},
	{
		displayName: 'Ignore Case',
		name: 'findUsersIgnoreCase',
		type: 'boolean',
		default: false,
		description:
			"Whether to match emails or user names in any letter case (Vault's CASEINSENSITIVE). Two active users whose values differ only in case are refused, never guessed.",
		displayOptions: {
			show: { ...showFor(looksUp('user')).show, findUsersBy: ['email', 'userName'] },
		},
	},
	{
		displayName: 'Find Auditor Profiles By',
		name: 'findAuditorProfilesBy',
		type: 'options',
		default: 'name',
		description:
			"What the auditor_profile__v.name__v column holds. A user is looked up in Vault (active users only), then the one Auditor Profile linked to that user, through the profile's user field read from Vault's metadata; no profile, or more than one, is that item's error.",
		options: [
			{ name: 'Name', value: 'name', description: "The Auditor Profile's name, sent as it is" },
			{
				name: 'User Email',
				value: 'email',
				description:
					"The email of the profile's user (email__sys); Vault does not make emails unique",
			},
			{ name: 'User ID', value: 'userId', description: "The Vault ID of the profile's user" },
			{
				name: 'User Name',
				value: 'userName',
				description: "The Vault user name of the profile's user (username__sys)",
			},
		],
		displayOptions: showFor(looksUp('auditorProfile')),
	},
	{
		displayName: 'Find Groups By',
		name: 'findGroupsBy',
		type: 'options',
		default: 'id',
		description:
			"What the {role}.groups columns hold. Name is looked up in Vault's active groups by their name__v; an inactive group is its item's error.",
		options: [
			{ name: 'ID', value: 'id', description: 'Vault group IDs, sent as they are' },
			{ name: 'Name', value: 'name', description: 'The group name__v, e.g. quality_reviewers__c' },
		],
		displayOptions: showFor(looksUp('group')),
	},
	{
		displayName: 'Find Records By',
		name: 'findRecordsBy',
		type: 'options',
		default: 'id',
		description:
			'What the record_id column holds. Name is looked up in the object above by its name__v, e.g. QE-000123.',
		options: [
			{ name: 'ID', value: 'id', description: 'Record IDs, e.g. OP4000008, sent as they are' },
			{ name: 'Name', value: 'name', description: 'The record name__v, e.g. QE-000123' },
		],
		displayOptions: showFor(looksUp('record')),
	},
];
