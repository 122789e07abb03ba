import { manageQualityTeamAssignments } from './manageAssignments';
import type { BulkOperationSpec } from './types';

/**
 * Sync Members: the input is the desired roster; the reconcile stage (pipeline/reconcile.ts) reads the
 * current members, and what differs goes to Vault through Manage Quality Team Assignments: same
 * path, limits and resend policy.
 */
export const syncQualityTeamMembers: BulkOperationSpec = {
	...manageQualityTeamAssignments,
	operation: 'syncMembers',
	name: 'Sync Members',
	action: 'Sync quality team members',
	description:
		"Make the Quality Teams of the records in the input match it: add who is missing, remove who is no longer listed (within the sync's scope)",
	// Manage's columns; operation optional: REMOVE says "must not be on the team", absent or ADD "must be on it"
	columns: (context) =>
		manageQualityTeamAssignments
			.columns(context)
			.map((column) => (column.name === 'operation' ? { ...column, required: false } : column)),
	sync: true,
	// what it sends are Manage Quality Team Assignments requests, and messages name them so
	requestName: manageQualityTeamAssignments.name,
};
