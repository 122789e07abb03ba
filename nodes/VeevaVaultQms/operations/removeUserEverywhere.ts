import { manageQualityTeamAssignments } from './manageAssignments';
import type { BulkOperationSpec } from './types';
import { USER_ID_FORM } from './valueForms';

/**
 * Remove User From All Teams: one item per person (a leaver). The stage pipeline/everywhere*.ts
 * reads the person's memberships on every Quality Team of the Vault (Vault's Qualityteam
 * definitions) and plans one REMOVE per membership; the rows go to Vault as Manage Quality Team
 * Assignments requests, one path per team-enabled object (the page's `{object_name}`): same
 * limits, resend policy and Verify. Veeva's own tool for it is Quality Admin → QMS Team
 * Management ("Manage Quality Team Membership", Veeva Quality Basics Help), which has no API.
 */
export const removeUserFromAllTeams: BulkOperationSpec = {
	...manageQualityTeamAssignments,
	operation: 'removeUserEverywhere',
	name: 'Remove User From All Teams',
	action: 'Remove a user from all quality teams',
	description:
		'Find every Quality Team membership of each person in the input, across every team-enabled object, and remove them (with a plan first, and rails)',
	requestName: manageQualityTeamAssignments.name,
	// no Object field: the run finds the team-enabled objects from Vault's team definitions
	objectName: undefined,
	columns: () => [
		{
			name: 'user_id',
			required: true,
			lookup: 'user',
			form: USER_ID_FORM,
			ui: { about: "the person's user ID (or what Find Users By names)" },
		},
	],
	everywhere: 'remove',
	sendsAs: manageQualityTeamAssignments,
};
