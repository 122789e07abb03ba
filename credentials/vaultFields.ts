import type { INodeProperties } from 'n8n-workflow';

/**
 * The Vault fields both credentials ask for (Veeva Vault API, Veeva Vault OAuth2 API): where the
 * Vault is, the API version the node speaks, and the Quality application the Vault runs.
 */

export const vaultDnsField: INodeProperties = {
	displayName: 'Vault DNS',
	name: 'vaultDns',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. myvault.veevavault.com',
	description:
		'Host name of your Vault; https is implied. A full http:// URL is accepted only for a local test Vault (127.0.0.1 or localhost).',
};

export const apiVersionField: INodeProperties = {
	displayName: 'API Version',
	name: 'apiVersion',
	type: 'string',
	default: 'v25.3',
	description:
		'Vault API version. v25.3 is the first that has every operation of this node; versions before v21.3 are refused (VQL escaping differs before it).',
};

export const vaultApplicationField: INodeProperties = {
	// a Vault runs QMS or QualityOne; Manage Assignments and Sync Members send to that application's
	// path (Veeva API reference: Manage Quality Team Assignments; QualityOne: Manage Team Assignments)
	displayName: 'Vault Application',
	name: 'vaultApplication',
	type: 'options',
	default: 'qms',
	options: [
		{
			name: 'QMS (Vault Quality)',
			value: 'qms',
			description: 'Quality Teams managed at /app/quality/qms/...',
		},
		{
			name: 'QualityOne',
			value: 'qualityOne',
			description: 'Teams managed at /app/qualityone/qms/... (QualityOne Vaults)',
		},
	],
	description:
		"The Quality application this Vault runs. Quality Team changes go to that application's endpoint; a QualityOne Vault applies a job's REMOVE rows before its ADD rows.",
};
