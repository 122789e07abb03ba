import { manageQualityTeamAssignments } from './manageAssignments';
import type { BulkOperationSpec } from './types';

/**
 * Sync Members: the input is the desired roster; the sync stage (pipeline/sync.ts) reads the
 * current members, and what differs goes to Vault through Manage Quality Team Assignments: same
 * path, limits and resend policy.
 */
export const syncQualityTeamMembers: BulkOperationSpec = {
	...manageQualityTeamAssignments,
	operation: 'syncMembers',
	name: 'Sync Members',
	action: 'Sync quality team members',
	description: "Make the Quality Teams of the records in the input match it: add who is missing, remove who is no longer listed (within the sync's scope)",
	columns: () => [
		{ name: 'record_id', required: true, lookup: 'record' },
		{ name: 'user_id', required: true, lookup: 'user' },
		{ name: 'application_role', required: true },
		// optional: REMOVE says "must not be on the team"; absent or ADD, "must be on it"
		{ name: 'operation', required: false, allowed: ['ADD', 'REMOVE'] },
	],
	sync: true,
};
