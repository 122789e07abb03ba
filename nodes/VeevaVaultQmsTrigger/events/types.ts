import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import type { VaultClient } from '../../VeevaVaultQms/transport/client';

/**
 * One event the trigger can watch: its option in the Event list and its poll. Each event keeps its own
 * cursor in the node's static data (under its value), so adding one (Quality Team Changed) is a file
 * here, its entry in events/index.ts and its fields in descriptions.ts, and touches no other event.
 */
export interface TriggerEvent {
	value: string;
	name: string;
	description: string;
	poll(fx: IPollFunctions, client: VaultClient): Promise<INodeExecutionData[][] | null>;
}
