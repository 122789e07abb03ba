import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

/**
 * A NodeApiError that keeps our message. n8n swaps any message containing a common network code
 * (ECONNRESET, ENOTFOUND, ...) for its generic text ("The connection to the server was closed
 * unexpectedly..."), which drops what an admin needs: which host, which batch, whether Vault may
 * have acted. The generic text is kept among the error's messages.
 */
export function vaultApiError(
	node: INode,
	message: string,
	options: { description?: string; httpCode?: string; itemIndex?: number; kind?: string } = {},
): NodeApiError {
	const { kind, ...rest } = options;
	const error = new NodeApiError(node, { message, ...(kind ? { kind } : {}) } as JsonObject, { message, ...rest });
	if (error.message !== message) {
		error.messages.push(error.message);
		error.message = message;
	}
	return error;
}
