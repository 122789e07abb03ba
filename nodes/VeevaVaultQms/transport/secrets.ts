import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * The credential's secrets, and text with them masked: no password, session id or token in output,
 * errors or logs.
 */

const SECRET_FIELDS = [
	'password',
	'sessionSecret',
	'sessionToken',
	'accessToken',
	'oauthClientSecret',
];

/** The credential's secret values, longest first so a secret inside another is masked whole. */
export function secretsOf(credentials: ICredentialDataDecryptedObject | undefined): string[] {
	if (!credentials) return [];
	return SECRET_FIELDS.map((field) => credentials[field])
		.filter((value): value is string => typeof value === 'string' && value.length >= 4)
		.sort((a, b) => b.length - a.length);
}

/** Masks every secret in a text meant for a user, a log or an output item. */
export function redactSecrets(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) result = result.split(secret).join('***');
	return result;
}
