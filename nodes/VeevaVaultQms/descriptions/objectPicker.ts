import type { INodeProperties } from 'n8n-workflow';

/**
 * The object picker (a resource locator: from the Vault's object list, or by name), used by the
 * bulk operations' Object and Team Member Object and by the trigger. Apart from bulkFields.ts so
 * that the trigger's panel imports the picker, not the bulk fields.
 */

/**
 * A Vault object: picked from the connected Vault's object list, or typed by name. A typed or
 * chosen value stays usable when Vault cannot be reached: runs never load the list.
 */
export function objectPicker(picker: {
	displayName: string;
	description: string;
	searchListMethod: string;
	placeholder: string;
	displayOptions: INodeProperties['displayOptions'];
}): INodeProperties {
	return {
		displayName: picker.displayName,
		name: 'objectName',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: picker.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: picker.searchListMethod, searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: picker.placeholder,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[a-z][a-z0-9_]*$',
							errorMessage:
								'A Vault object name: lower-case letters, digits and "_", e.g. quality_event__qdm',
						},
					},
				],
			},
		],
		displayOptions: picker.displayOptions,
	};
}
