import { BULK_OPERATIONS } from '../operations';
import { describeTeamsAction } from './describeTeams';
import { jobStatusAction } from './jobStatus';
import type { NodeOperation } from './types';
import { vqlQueryAction } from './vqlQuery';

/**
 * Every operation of the node, in the editor's order: the bulk endpoints (one spec each,
 * operations/) and the execute-style actions. The router dispatches over it and the editor's
 * Resource and Operation lists are derived from it (descriptions/operations.ts).
 */
export const NODE_OPERATIONS: readonly NodeOperation[] = [
	...BULK_OPERATIONS.map((spec): NodeOperation => ({ kind: 'bulk', spec })),
	{ kind: 'execute', action: describeTeamsAction },
	{ kind: 'execute', action: vqlQueryAction },
	{ kind: 'execute', action: jobStatusAction },
];

/** The editor's resources, in the order the Resource list shows them. */
export const RESOURCES = [
	{ name: 'Auditor', value: 'auditor' },
	{ name: 'Document Role', value: 'documentRole' },
	{ name: 'Job', value: 'job' },
	{ name: 'Quality Team', value: 'qualityTeam' },
	{ name: 'VQL', value: 'vql' },
] as const;

/** What an operation is called in the editor, whatever its kind. */
export function describedAs(entry: NodeOperation): {
	resource: string;
	operation: string;
	name: string;
	action: string;
	description: string;
} {
	return entry.kind === 'bulk' ? entry.spec : entry.action;
}

export function findOperation(resource: string, operation: string): NodeOperation | undefined {
	return NODE_OPERATIONS.find(
		(entry) =>
			describedAs(entry).resource === resource && describedAs(entry).operation === operation,
	);
}
