import { VAULT_NAME, type ValueForm } from './types';

/**
 * The forms Vault gives its ids and names in, for the columns that carry them (Manage Quality Team
 * Assignments and Sync Members). A value in another form is never sent: Vault would refuse it
 * (an ADD) while a Sync, comparing it with what Vault has, would also plan to REMOVE the member it
 * stands for. Each form says what it is in words and, where a plain rule finds one, the value an
 * admin most likely meant; the node suggests it and never sends it on its own.
 */
/** characters that cannot be seen in a spreadsheet cell: spaces, soft hyphen, zero-width ones, BOM */
const UNSEEN = /[\s\u00AD\u200B-\u200D\u2060\uFEFF]/g;

/**
 * `user_id`: "The id value of the Vault user" (Veeva API reference, Manage Quality Team Assignments;
 * its example rows carry 116468 and 137357), the number /auth answers as `userId`: a whole number.
 */
export const USER_ID_FORM: ValueForm = {
	pattern: /^[1-9][0-9]*$/,
	hint: 'a Vault user id (a whole number, e.g. 116468)',
	suggest(value) {
		if (value.includes('@'))
			return 'it looks like an email or user name: to give those, set Find Users By';
		const cleaned = value
			.replace(UNSEEN, '')
			.replace(/[oO]/g, '0')
			.replace(/\.0+$/, '')
			.replace(/^0+(?=\d)/, '');
		return cleaned !== value && this.pattern.test(cleaned) ? `did you mean ${cleaned}?` : undefined;
	},
};

/**
 * `record_id`: "The object record's id field value" (same page; its example OP4000008). Vault's
 * object record ids are letters and digits (VQL answers reference fields as ids such as
 * OOT00000002E002, VAULT-API.md "Reference fields answer ids"). Vault documents no letter case
 * for them, so either case passes here; Sync guards the pairing of near-identical ids itself.
 */
export const RECORD_ID_FORM: ValueForm = {
	pattern: /^[A-Za-z0-9]+$/,
	hint: 'a Vault record id (letters and digits, e.g. OP4000008)',
	suggest(value) {
		const cleaned = value.replace(UNSEEN, '');
		if (cleaned !== value && this.pattern.test(cleaned)) return `did you mean ${cleaned}?`;
		return "if it is the record's name (name__v), set Find Records By to Name";
	},
};

/**
 * `application_role`: "The name of the application_role__v" (same page; its example
 * record_owner__c). Vault names are lower-case letters, digits and "_" (VAULT-API.md).
 */
export const VAULT_NAME_FORM: ValueForm = {
	pattern: VAULT_NAME,
	hint: 'a Vault name (lower-case letters, digits and "_", e.g. record_owner__c)',
	suggest(value) {
		const cleaned = value.replace(UNSEEN, '').toLowerCase();
		if (cleaned === value || !this.pattern.test(cleaned)) return undefined;
		return `did you mean "${cleaned}"?${cleaned !== value.replace(UNSEEN, '') ? ' Vault names are lower-case' : ''}`;
	},
};
