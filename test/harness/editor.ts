import { LoadOptionsContext } from 'n8n-core';
import { NodeHelpers, Workflow, type INode, type INodeParameters } from 'n8n-workflow';

import type { Harness } from './engine';
import { makeAdditionalData } from './engine';
import { createNodeTypes, VAULT_NODE_TYPE } from './nodeTypes';

const nodeTypes = createNodeTypes();

/**
 * What n8n's editor asks of the node when it fills a list (resource locator "From list", a
 * dynamic options list, the column mapper): the node's method, run in n8n-core's own
 * LoadOptionsContext over a one-node workflow holding the parameters as they stand in the editor,
 * as n8n's DynamicNodeParametersService does.
 */
export async function callEditorMethod<T>(
	harness: Harness,
	kind: 'listSearch' | 'loadOptions' | 'resourceMapping',
	method: string,
	parameters: INodeParameters,
	options: { credentialId?: string; filter?: string; nodeType?: string } = {},
): Promise<T> {
	const credentialId = options.credentialId ?? [...harness.credentials.store.keys()][0];
	const credential = credentialId ? harness.credentials.store.get(credentialId) : undefined;
	const node: INode = {
		id: 'vault',
		name: 'Vault',
		type: options.nodeType ?? VAULT_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: credential ? { [credential.type]: { id: credential.id, name: credential.name } } : undefined,
	};
	node.parameters = editorParameters(node.type, parameters, credential?.type);
	const workflow = new Workflow({ id: 'wf-editor', name: 'editor', nodes: [node], connections: {}, active: false, nodeTypes, settings: { executionOrder: 'v1' } });
	const additionalData = { ...makeAdditionalData(harness.credentials, 'editor'), currentNodeParameters: node.parameters };
	const context = new LoadOptionsContext(workflow, node, additionalData, `parameters.${method}`);
	const nodeType = nodeTypes.getByNameAndVersion(options.nodeType ?? VAULT_NODE_TYPE, 1);
	const methods = (nodeType.methods ?? {}) as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
	const fn = methods[kind]?.[method];
	if (!fn) throw new Error(`the node has no ${kind} method ${method}`);
	return (await fn.call(context, options.filter)) as T;
}

/**
 * The parameters as the editor holds them: defaults filled in (Authentication among them), since
 * n8n-core checks the credential a method asks for against them (the credential's displayOptions).
 */
function editorParameters(type: string, parameters: INodeParameters, credentialType: string | undefined): INodeParameters {
	const { description } = nodeTypes.getByNameAndVersion(type, 1);
	const withDefaults = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, null, description) ?? {};
	return { ...withDefaults, ...(credentialType === 'veevaVaultOAuth2Api' ? { authentication: 'oAuth2' } : {}), ...parameters };
}
