import { WebhookContext, WorkflowExecute } from 'n8n-core';
import type { IDataObject, IRun, IWebhookData, IWebhookResponseData, IWorkflowExecuteAdditionalData, Workflow } from 'n8n-workflow';

/**
 * A run waiting at a Wait node ("Resume: On Form Submitted" or "On Webhook Call") carried on as
 * n8n carries it on when the form is submitted to `$execution.resumeFormUrl` (or the resume URL
 * is called): n8n's WaitingForms / WaitingWebhooks (packages/cli/src/webhooks/waiting-webhooks.ts)
 * find the waiting node's webhook for the request's method, run the node's own `webhook` method
 * on the request (WebhookHelpers.executeWebhook), put what it returns in place of the node's input
 * on the execution stack, and continue the stored execution; n8n-core's WorkflowExecute then
 * disables the waiting node (it passes that data on) and clears the wait (handleWaitingState).
 * Here the request is an object, not HTTP: a form's fields come as n8n's body parser leaves a
 * multipart body, `{ data: { 'field-0': … } }` in the form's field order.
 */
export interface WaitingRequest {
	method: 'POST' | 'GET';
	/** the form's answers by field position, or a webhook's JSON body */
	body: IDataObject;
	query?: IDataObject;
	form?: boolean;
}

export async function resumeWaiting(
	workflow: Workflow,
	run: IRun,
	additionalData: IWorkflowExecuteAdditionalData,
	request: WaitingRequest,
): Promise<IRun> {
	const entry = run.data.executionData?.nodeExecutionStack[0];
	if (!run.waitTill || !entry) throw new Error('the run is not waiting');
	const node = workflow.getNode(entry.node.name);
	const nodeType = node && workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const description = nodeType?.description.webhooks?.find(
		(webhook) => webhook.restartWebhook === true && webhook.httpMethod === request.method && (webhook.nodeType === 'form') === (request.form === true),
	);
	if (!node || !nodeType?.webhook || !description) throw new Error(`${entry.node.name} has no waiting webhook for ${request.method}`);
	const httpRequest = {
		method: request.method,
		contentType: request.form ? 'multipart/form-data' : 'application/json',
		body: request.form ? { data: request.body } : request.body,
		query: request.query ?? {},
		params: {},
		headers: {},
		ips: [],
		ip: '127.0.0.1',
	};
	const response = { status: () => response, send: () => response, end: () => response, setHeader: () => response, writeHead: () => response, render: () => response };
	const requestData = { ...additionalData, httpRequest, httpResponse: response } as unknown as IWorkflowExecuteAdditionalData;
	const webhookData = { httpMethod: request.method, node: node.name, path: '', webhookDescription: description, workflowId: workflow.id, workflowExecuteAdditionalData: requestData } as unknown as IWebhookData;
	const context = new WebhookContext(workflow, node, requestData, 'webhook', webhookData, [], run.data);
	// a class node (the Wait node: `webhook(context)`) takes the context as its argument, a plain one as `this` (n8n's WebhookService.runWebhook)
	const answer = await (nodeType.webhook as (this: WebhookContext, context: WebhookContext) => Promise<IWebhookResponseData>).call(context, context);
	if (!answer.workflowData) throw new Error(`${node.name} took the request but gave no data to go on with`);
	entry.data = { main: answer.workflowData };
	return await new WorkflowExecute(additionalData, run.mode, run.data).processRunExecutionData(workflow);
}
