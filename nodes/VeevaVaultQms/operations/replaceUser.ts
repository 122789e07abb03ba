import { manageQualityTeamAssignments } from './manageAssignments';
import type { BulkOperationSpec } from './types';
import { USER_ID_FORM } from './valueForms';

/**
 * Replace User: one item per replacement (a leave of absence, a mover). For every Quality Team
 * membership of `user_id` the stand-in `replacement_user_id` is put in the same role on the same
 * record, and only then the first taken off (pipeline/run.ts, runEverywhere): both through
 * Manage Quality Team Assignments, one path per team-enabled object.
 */
export const replaceUserOnAllTeams: BulkOperationSpec = {
	...manageQualityTeamAssignments,
	operation: 'replaceUser',
	name: 'Replace User',
	action: 'Replace a user on all quality teams',
	description:
		'Put a stand-in on every Quality Team membership of each person in the input, then take the person off where the stand-in is confirmed on',
	requestName: manageQualityTeamAssignments.name,
	objectName: undefined,
	columns: () => [
		{
			name: 'user_id',
			required: true,
			lookup: 'user',
			form: USER_ID_FORM,
			ui: { about: 'the user ID of the person to replace (or what Find Users By names)' },
		},
		{
			name: 'replacement_user_id',
			required: true,
			lookup: 'user',
			form: USER_ID_FORM,
			ui: { about: "the stand-in's user ID (or what Find Users By names)" },
		},
	],
	everywhere: 'replace',
	sendsAs: manageQualityTeamAssignments,
};
