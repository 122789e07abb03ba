import type { IDataObject } from 'n8n-workflow';

import { Papa } from '../csv/papaparse';
import { VaultRequestError } from './errors';

/**
 * Reads Vault's answer, JSON or CSV, into its envelope; anything else is a clear error. The body
 * decides, not its label: the Manage Quality Team Assignments page asks for `Accept: text/csv`
 * and shows a JSON answer, so a JSON body may arrive labelled text/csv.
 */
export function readEnvelope(
	statusCode: number,
	contentType: string,
	body: string,
	host: string,
): IDataObject {
	const trimmed = body.trimStart();
	if (statusCode !== 200) {
		const what = /^</.test(trimmed) || /html/i.test(contentType) ? ' with a web page' : '';
		throw new VaultRequestError(
			'httpStatus',
			`${host} answered HTTP ${statusCode}${what} instead of Vault's API: a proxy, the network or a Vault outage stood in the way`,
			{ httpCode: statusCode },
		);
	}
	const json = /^[{[]/.test(trimmed) ? parseJsonObject(body) : undefined;
	if (json) return json as IDataObject;
	if (/^</.test(trimmed) || (/html/i.test(contentType) && !/^[{[]/.test(trimmed))) {
		throw new VaultRequestError(
			'notVault',
			`${host} answered with a web page, not Vault's API (a proxy or sign-in portal in the way?). Check the Vault DNS and any proxy between n8n and Vault`,
			{ httpCode: statusCode },
		);
	}
	if (/^"?responseStatus"?\s*,/i.test(trimmed)) return readCsvEnvelope(body, host);
	throw new VaultRequestError(
		'garbled',
		`${host} answered with a body that is not readable JSON (cut off or garbled on the way)`,
		{ httpCode: statusCode },
	);
}

/**
 * A CSV answer (Accept: text/csv): a header row naming responseStatus and the answer's fields.
 * No Veeva page shows one for these endpoints, so the error columns are read by any of the names
 * the JSON form uses (`errors.type`/`errors.message`, `type`/`message`), and INVALID_SESSION_ID
 * or API_LIMIT_EXCEEDED in them is recognised like the JSON form.
 */
function readCsvEnvelope(body: string, host: string): IDataObject {
	const parsed = Papa.parse<Record<string, string>>(body.trim(), {
		header: true,
		skipEmptyLines: true,
	});
	const first = parsed.data[0];
	if (!first || typeof first.responseStatus !== 'string') {
		throw new VaultRequestError(
			'garbled',
			`${host} answered with a CSV that has no responseStatus column`,
		);
	}
	const envelope: IDataObject = { ...first };
	const type = first['errors.type'] ?? first['errors[0].type'] ?? first.errorType ?? first.type;
	const message =
		first['errors.message'] ?? first['errors[0].message'] ?? first.errorMessage ?? first.message;
	if (first.responseStatus !== 'SUCCESS' && (type || message))
		envelope.errors = [{ type: type ?? 'UNKNOWN', message: message ?? '' }];
	return envelope;
}

/** The object a JSON text holds, or undefined when it is not JSON or not an object. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
	try {
		const parsed: unknown = JSON.parse(text);
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
			? (parsed as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}
