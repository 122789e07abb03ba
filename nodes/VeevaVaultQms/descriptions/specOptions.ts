import { BULK_OPERATIONS } from '../operations';
import type { BulkOperationSpec } from '../operations/types';

/**
 * Where a field shows, derived from the specs (operations/): the bulk operations whose spec has a
 * feature, so a field follows the feature, not a list of operation names.
 */

/** The operations whose spec has the feature, in the registry's order. */
export function operationsWith(has: (spec: BulkOperationSpec) => boolean): string[] {
	return BULK_OPERATIONS.filter(has).map((spec) => spec.operation);
}

/** displayOptions showing a field for those operations (and their resources). */
export function showFor(has: (spec: BulkOperationSpec) => boolean): { show: { resource: string[]; operation: string[] } } {
	const specs = BULK_OPERATIONS.filter(has);
	return { show: { resource: [...new Set(specs.map((spec) => spec.resource))], operation: specs.map((spec) => spec.operation) } };
}
