import { BULK_OPERATIONS } from '../operations';
import type { BulkOperationSpec, LookupKind } from '../operations/types';

/**
 * Where a field shows, derived from the specs (operations/): the bulk operations whose spec has a
 * feature, so a field follows the feature, not a list of operation names.
 */

/** The operations whose spec has the feature, in the registry's order. */
export function operationsWith(has: (spec: BulkOperationSpec) => boolean): string[] {
	return BULK_OPERATIONS.filter(has).map((spec) => spec.operation);
}

/** displayOptions showing a field for those operations (and their resources). */
export function showFor(has: (spec: BulkOperationSpec) => boolean): {
	show: { resource: string[]; operation: string[] };
} {
	const specs = BULK_OPERATIONS.filter(has);
	return {
		show: {
			resource: [...new Set(specs.map((spec) => spec.resource))],
			operation: specs.map((spec) => spec.operation),
		},
	};
}

/** Whether a spec has columns of Vault ids of this kind, which the find-by options may look up by name. */
export function looksUp(kind: LookupKind): (spec: BulkOperationSpec) => boolean {
	return (spec) =>
		spec.columns({ objectName: '' }).some((column) => column.lookup === kind) ||
		spec.extraColumns?.lookupKinds?.includes(kind) === true;
}
