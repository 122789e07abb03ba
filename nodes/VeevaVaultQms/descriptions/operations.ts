import type { INodeProperties } from 'n8n-workflow';

import { describedAs, NODE_OPERATIONS, RESOURCES } from '../actions/registry';

/** The Resource list and, per resource, its Operation list: derived from the node's registry (actions/registry.ts). */
export const resourceField: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'qualityTeam',
	options: [...RESOURCES],
};

function operationOptions(resource: string) {
	return NODE_OPERATIONS.map(describedAs)
		.filter((entry) => entry.resource === resource)
		.map((entry) => ({
			name: entry.name,
			value: entry.operation,
			action: entry.action,
			description: entry.description,
		}));
}

/** One Operation list per resource; its first operation is the default. */
export const operationFields: INodeProperties[] = RESOURCES.map(({ value: resource }) => {
	const options = operationOptions(resource);
	const first = options[0].value;
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: first,
		displayOptions: { show: { resource: [resource] } },
		options,
	};
});
