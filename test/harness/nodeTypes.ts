/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import { NodeHelpers, type INodeType, type INodeTypes, type IVersionedNodeType } from 'n8n-workflow';

import { VeevaVaultQms } from '../../nodes/VeevaVaultQms/VeevaVaultQms.node';
import { VeevaVaultQmsTrigger } from '../../nodes/VeevaVaultQmsTrigger/VeevaVaultQmsTrigger.node';

export const VAULT_NODE_TYPE = 'n8n-nodes-veeva-vault-qms.veevaVaultQms';
export const VAULT_TRIGGER_NODE_TYPE = 'n8n-nodes-veeva-vault-qms.veevaVaultQmsTrigger';

const BASE_PREFIX = 'n8n-nodes-base.';
const baseNodePaths: string[] = (require('n8n-nodes-base/package.json') as { n8n: { nodes: string[] } }).n8n.nodes;
const loaded = new Map<string, INodeType | IVersionedNodeType>();

/**
 * Node types as n8n's loader serves them: this package's node under its community name, and
 * n8n's own nodes (Manual Trigger, Edit Fields, Split Out, Convert to File, ...) from
 * n8n-nodes-base, so example workflows run with the real nodes they name.
 */
export function createNodeTypes(extra: Record<string, INodeType> = {}): INodeTypes {
	const byName = (type: string): INodeType | IVersionedNodeType => {
		if (extra[type]) return extra[type];
		const cached = loaded.get(type);
		if (cached) return cached;
		const node = load(type);
		loaded.set(type, node);
		return node;
	};
	return {
		getByName: byName,
		getByNameAndVersion: (type: string, version?: number) => NodeHelpers.getVersionedNodeType(byName(type), version),
		getKnownTypes: () => ({}),
	};
}

function load(type: string): INodeType | IVersionedNodeType {
	if (type === VAULT_NODE_TYPE) return new VeevaVaultQms();
	if (type === VAULT_TRIGGER_NODE_TYPE) return new VeevaVaultQmsTrigger();
	if (!type.startsWith(BASE_PREFIX)) throw new Error(`Unknown node type ${type}`);
	const fileName = `${type.slice(BASE_PREFIX.length)}.node.js`.toLowerCase();
	const path = baseNodePaths.find((candidate) => candidate.toLowerCase().endsWith(`/${fileName}`));
	if (!path) throw new Error(`n8n-nodes-base has no node ${type}`);
	const nodeModule = require(`n8n-nodes-base/${path}`) as Record<string, new () => INodeType | IVersionedNodeType>;
	const NodeClass = Object.values(nodeModule)[0];
	return new NodeClass();
}
