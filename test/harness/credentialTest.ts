import { CredentialTestContext, ExecuteContext, RoutingNode } from 'n8n-core';
import {
	Workflow,
	type ICredentialType,
	type INodeExecutionData,
	type INode,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { VeevaVaultApi } from '../../credentials/VeevaVaultApi.credentials';
import { VeevaVaultQms } from '../../nodes/VeevaVaultQms/VeevaVaultQms.node';
import type { TestCredentialsHelper } from './credentialsHelper';

/**
 * What n8n's "Test credential" button does (packages/cli/src/services/credentials-tester.service.ts,
 * getCredentialTestFunction and testCredentials): the credential type's own `test` request if it
 * has one, else the function a node names in `testedBy`, called with n8n-core's
 * CredentialTestContext. A declarative test runs as a temporary noOp node with
 * `parameters: {}`, exactly as n8n builds it: n8n's credentials helper then does NOT take it for
 * a test (it looks for `parameters.temp === ''`) and runs preAuthentication only when the session
 * field is empty, so a stored session is tested as it is, without a login. An earlier copy of
 * this harness set `temp: ''` and so logged in where real n8n did not.
 */
export async function testCredential(
	helper: TestCredentialsHelper,
	credentialId: string,
	additionalData: IWorkflowExecuteAdditionalData,
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const stored = helper.store.get(credentialId);
	if (!stored) throw new Error(`No credential ${credentialId}`);
	const credentialType: ICredentialType = new VeevaVaultApi();
	const testRequest = credentialType.test;
	const decryptedForm = await helper.getDecrypted(additionalData, { id: stored.id, name: stored.name }, stored.type);
	if (!testRequest) {
		const testedBy = new VeevaVaultQms().description.credentials?.find((entry) => entry.name === stored.type)?.testedBy;
		const testFunction = typeof testedBy === 'string' ? new VeevaVaultQms().methods.credentialTest[testedBy as 'veevaVaultApiTest'] : undefined;
		if (!testFunction) return { status: 'Error', message: 'No testing function found for this credential.' };
		const context = new CredentialTestContext(additionalData);
		return (await testFunction.call(context, { id: stored.id, name: stored.name, type: stored.type, data: decryptedForm })) as {
			status: 'OK' | 'Error';
			message: string;
		};
	}
	const nodeType: INodeType = {
		description: {
			displayName: 'No Operation',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Temp' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: stored.type, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: testRequest.request }, default: '' }],
		},
	};
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		credentials: { [stored.type]: { id: stored.id, name: stored.name } },
	};
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const decrypted = decryptedForm;
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		{ resultData: { runData: {} } } as never,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = (await new RoutingNode(context, nodeType, { id: stored.id, name: stored.name, type: stored.type, data: decrypted }).runNode()) as INodeExecutionData[][] | null | undefined;
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number }; code?: string } }).cause;
		if (cause?.response) return { status: 'Error', message: `Received HTTP status code: ${cause.response.status}` };
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: String((error as Error).message) };
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const data = response?.[0]?.[0]?.json ?? {};
		if (data[rule.properties.key] === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
