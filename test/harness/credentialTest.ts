import { CredentialTestContext, ExecuteContext, RoutingNode } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type ICredentialTestRequest,
	type INodeExecutionData,
	type INode,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { VeevaVaultQms } from '../../nodes/VeevaVaultQms/VeevaVaultQms.node';
import type { TestCredentialsHelper } from './credentialsHelper';

type TestResult = { status: 'OK' | 'Error'; message: string };

/**
 * Which n8n's tester: '2.40' (2.40.7 and 1.123.81: the request's credential read from the store) or
 * '2.41' (2.41.1 runRequestTest: the credentials helper's getDecrypted answers the data the editor
 * sent, unless asked for the raw stored data; a stored OAuth token then reads `true`).
 */
export type TesterVersion = '2.40' | '2.41';

/**
 * What n8n's "Test credential" button does (n8n 2.40.7 packages/cli/dist/services/credentials-tester.service.js,
 * getCredentialTestFunction, testCredentials and runRequestTest; the same order in 1.123.81 and 2.41.1), in
 * n8n's order, for the stored credential's own type:
 * 1. the credential type's own `test` request, run through n8n-core's RoutingNode as a temporary noOp node;
 * 2. else, for a credential whose parents include `oAuth2Api`, n8n's own check, hasAccessToken: is
 *    `oauthTokenData` an object with an access_token ("This OAuth2 credential was not connected to an
 *    account." otherwise). A node's `testedBy` is never reached for such a credential;
 * 3. else the function a node names in `testedBy`, called with n8n-core's CredentialTestContext.
 * The data is what the editor sends: the stored credential with the OAuth token data redacted to `true`
 * (n8n's credentials.service redacts it so; an unconnected credential has none).
 * A declarative test runs with `parameters: {}`, exactly as n8n builds it: n8n's credentials helper then
 * does NOT take it for a test (it looks for `parameters.temp === ''`) and runs preAuthentication only when
 * the session field is empty, so a stored session is tested as it is, without a login.
 */
export async function testCredential(
	helper: TestCredentialsHelper,
	credentialId: string,
	additionalData: IWorkflowExecuteAdditionalData,
	tester: TesterVersion = '2.40',
): Promise<TestResult> {
	const stored = helper.store.get(credentialId);
	if (!stored) throw new Error(`No credential ${credentialId}`);
	const data = await helper.getDecrypted(additionalData, { id: stored.id, name: stored.name }, stored.type);
	if (data.oauthTokenData) data.oauthTokenData = true;
	const credential: ICredentialsDecrypted = { id: stored.id, name: stored.name, type: stored.type, data };
	const testRequest = helper.credentialType(stored.type).test;
	if (testRequest) return await runRequestTest(credential, testRequest, tester === '2.41' ? readingSentData(additionalData, data) : additionalData);
	const nodeEntry = new VeevaVaultQms().description.credentials?.find((entry) => entry.name === stored.type);
	if (!nodeEntry) return { status: 'Error', message: 'No testing function found for this credential.' };
	if (stored.type === 'oAuth2Api' || helper.getParentTypes(stored.type).includes('oAuth2Api')) return hasAccessToken(data);
	const testFunction = typeof nodeEntry.testedBy === 'string' ? new VeevaVaultQms().methods.credentialTest[nodeEntry.testedBy as 'veevaVaultApiTest'] : undefined;
	if (!testFunction) return { status: 'Error', message: 'No testing function found for this credential.' };
	return (await testFunction.call(new CredentialTestContext(additionalData), credential)) as TestResult;
}

/** n8n's oauth2CredTest (CredentialsTester.hasAccessToken): the stored token data is looked at, nothing is sent. */
function hasAccessToken(data: ICredentialDataDecryptedObject): TestResult {
	const token = data.oauthTokenData;
	return typeof token === 'object' && token !== null && !Array.isArray(token) && 'access_token' in token
		? { status: 'OK', message: 'Connection Successful!' }
		: { status: 'Error', message: 'This OAuth2 credential was not connected to an account.' };
}

/** n8n 2.41.1's runRequestTest: its credentials helper behind a Proxy whose getDecrypted answers the sent data unless `raw`. */
function readingSentData(additionalData: IWorkflowExecuteAdditionalData, sent: ICredentialDataDecryptedObject): IWorkflowExecuteAdditionalData {
	const stored = additionalData.credentialsHelper;
	const getDecrypted = async (...args: Parameters<typeof stored.getDecrypted>) => (args[5] ? await stored.getDecrypted(...args) : { ...sent });
	const credentialsHelper = new Proxy(stored, {
		get: (target, prop) => {
			if (prop === 'getDecrypted') return getDecrypted;
			const value = Reflect.get(target, prop) as unknown;
			return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
		},
	});
	return { ...additionalData, credentialsHelper };
}

/** n8n's runRequestTest: the request through RoutingNode on a temporary noOp node, then the rules. */
async function runRequestTest(credential: ICredentialsDecrypted, testRequest: ICredentialTestRequest, additionalData: IWorkflowExecuteAdditionalData): Promise<TestResult> {
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
			credentials: [{ name: credential.type, required: true }],
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
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	};
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const executeData = { node, data: {}, source: null };
	const context = new ExecuteContext(workflow, node, additionalData, 'internal', { resultData: { runData: {} } } as never, 0, [], { main: [[{ json: {} }]] }, executeData, []);
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = (await new RoutingNode(context, nodeType, credential).runNode()) as INodeExecutionData[][] | null | undefined;
	} catch (error) {
		return requestTestFailure(error, testRequest);
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response?.[0]?.[0]?.json ?? {};
		if (body[rule.properties.key] === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** runRequestTest's catch: a `responseCode` rule, else the HTTP status, else the network error code, else the error's message. */
function requestTestFailure(error: unknown, testRequest: ICredentialTestRequest): TestResult {
	const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }).cause;
	if (cause?.response) {
		const status = cause.response.status;
		for (const rule of testRequest.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === status) return { status: 'Error', message: rule.properties.message };
		}
		if (status < 199 || status > 299) return { status: 'Error', message: cause.response.statusText || `Received HTTP status code: ${status}` };
	} else if (cause?.code) return { status: 'Error', message: cause.code };
	return { status: 'Error', message: String((error as Error).message) };
}
