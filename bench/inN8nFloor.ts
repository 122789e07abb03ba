/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
/**
 * The in-n8n floor: the least any node can spend inside n8n to send the same rows. A node type
 * run in n8n-core's engine (test/harness) in the Vault node's place, with the same credential:
 * per batch of `limit` input items, papaparse.unparse of their json and one
 * `httpRequestWithAuthentication` call (n8n's request helper, the credential's preAuthentication
 * logs in once, its `authenticate` adds the session); one output item per batch, paired to its
 * items. No mapping, validation, retry, pacing or per-item output: what it does not do is what the
 * node adds over it.
 */
import Papa from 'papaparse';
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

export const IN_N8N_FLOOR_TYPE = 'bench.inN8nFloor';

export class InN8nFloor implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'In-n8n Floor',
		name: 'inN8nFloor',
		group: ['transform'],
		version: 1,
		description: 'papaparse + one httpRequestWithAuthentication per batch',
		defaults: { name: 'In-n8n Floor' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'veevaVaultApi', required: true }],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Rows per Batch', name: 'limit', type: 'number', default: 500 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const url = this.getNodeParameter('url', 0) as string;
		const limit = this.getNodeParameter('limit', 0) as number;
		const output: INodeExecutionData[] = [];
		for (let at = 0; at < items.length; at += limit) {
			const slice = items.slice(at, at + limit);
			const csv = Papa.unparse(
				slice.map((item) => item.json),
				{ newline: '\r\n' },
			);
			const answer = (await this.helpers.httpRequestWithAuthentication.call(this, 'veevaVaultApi', {
				method: 'POST',
				url,
				headers: { 'Content-Type': 'text/csv', Accept: 'application/json' },
				body: csv,
			})) as { responseStatus?: string; jobId?: unknown; data?: unknown };
			if (answer.responseStatus !== 'SUCCESS') throw new NodeOperationError(this.getNode(), `batch at ${at}: ${JSON.stringify(answer).slice(0, 300)}`);
			output.push({
				json: { jobId: answer.jobId as string, rows: slice.length },
				pairedItem: slice.map((_, k) => ({ item: at + k })),
			});
		}
		return [output];
	}
}
