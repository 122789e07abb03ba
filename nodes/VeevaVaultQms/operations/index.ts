import { associateAuditorRoles } from './auditorRoles';
import { assignDocumentRoles, removeDocumentRoles } from './documentRoles';
import { manageQualityTeamAssignments } from './manageAssignments';
import { migrateQualityTeamMembers } from './migrateMembers';
import { removeUserFromAllTeams } from './removeUserEverywhere';
import { replaceUserOnAllTeams } from './replaceUser';
import { syncQualityTeamMembers } from './syncMembers';
import type { BulkOperationSpec } from './types';

/**
 * Every bulk endpoint's spec, in the editor's order.
 */

export const BULK_OPERATIONS: BulkOperationSpec[] = [
	associateAuditorRoles,
	manageQualityTeamAssignments,
	migrateQualityTeamMembers,
	syncQualityTeamMembers,
	removeUserFromAllTeams,
	replaceUserOnAllTeams,
	assignDocumentRoles,
	removeDocumentRoles,
];

export function findBulkOperation(
	resource: string,
	operation: string,
): BulkOperationSpec | undefined {
	return BULK_OPERATIONS.find((spec) => spec.resource === resource && spec.operation === operation);
}
