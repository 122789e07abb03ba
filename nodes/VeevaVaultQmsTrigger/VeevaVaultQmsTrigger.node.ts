import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { authenticationField } from '../VeevaVaultQms/descriptions/authentication';
import { credentialTest, listSearch } from '../VeevaVaultQms/methods';
import { vaultApiError } from '../VeevaVaultQms/pipeline/errors';
import { VaultClient } from '../VeevaVaultQms/transport/client';
import { VaultRequestError } from '../VeevaVaultQms/transport/errors';
import { triggerProperties } from './descriptions';
import { findEvent } from './events';

/**
 * Veeva Vault QMS Trigger: a polling trigger (n8n calls poll at the Poll Times set on the node). Every
 * poll goes through the action node's Vault client (the credential's session, pacing, retries, no
 * redirects, untrusted answers refused) and its VQL paging; the event's cursor lives in the node's
 * static data and moves only when a poll succeeded.
 */
export class VeevaVaultQmsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Veeva Vault QMS Trigger',
		name: 'veevaVaultQmsTrigger',
		icon: { light: 'file:veevaVault.svg', dark: 'file:veevaVault.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ ({"recordChanged":"Record Created or Updated","teamChanged":"Quality Team Changed"})[$parameter["event"]] || $parameter["event"] }}',
		description:
			'Starts the workflow when records in Veeva Vault QMS are created or changed, or their Quality Teams change',
		defaults: { name: 'Veeva Vault QMS Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// the action node's two credentials, chosen by the same Authentication field (transport/credentialAccess.ts reads it in a poll too)
		credentials: [
			{
				name: 'veevaVaultApi',
				required: true,
				testedBy: 'veevaVaultApiTest',
				displayOptions: { show: { authentication: ['vaultApi'] } },
			},
			{
				name: 'veevaVaultOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: [authenticationField, ...triggerProperties],
	};

	methods = { listSearch, credentialTest };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const value = this.getNodeParameter('event', 'recordChanged') as string;
		const event = findEvent(value);
		if (!event) throw new NodeOperationError(this.getNode(), `Unknown event "${value}"`);
		try {
			const client = await VaultClient.create(this);
			return await event.poll(this, client);
		} catch (error) {
			throw pollFailure(this, error);
		}
	}
}

/**
 * A failed poll, in n8n's error kinds: what went wrong (the client's words, never a secret) and that the
 * cursor did not move, so the next poll reads the same changes again and none is skipped.
 */
function pollFailure(fx: IPollFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const kept =
		"The trigger's place in Vault's changes was not moved: the next poll reads the same changes again, so none is skipped.";
	if (error instanceof VaultRequestError) {
		if (error.kind === 'config')
			return new NodeOperationError(fx.getNode(), error.message, { description: kept });
		return vaultApiError(fx.getNode(), `Polling Vault failed: ${error.message}`, {
			kind: error.kind,
			description: `${kept} Check the credential, the network path to Vault and the object and fields picked.`,
			httpCode: error.details.httpCode ? String(error.details.httpCode) : undefined,
		});
	}
	return new NodeOperationError(fx.getNode(), (error as Error)?.message ?? String(error), {
		description: kept,
	});
}
