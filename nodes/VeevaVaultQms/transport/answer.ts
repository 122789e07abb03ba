import { Papa } from '../csv/papaparse';
import type { IDataObject } from 'n8n-workflow';

import { VaultRequestError } from './errors';
import { parseJsonObject } from './login';

/** Reads Vault's answer, JSON or CSV, into its envelope; anything else is a clear error. */
export function readEnvelope(statusCode: number, contentType: string, body: string, host: string): IDataObject {
	const trimmed = body.trimStart();
	if (statusCode !== 200) {
		const what = /^</.test(trimmed) || /html/i.test(contentType) ? ' with a web page' : '';
		throw new VaultRequestError(
			'httpStatus',
			`${host} answered HTTP ${statusCode}${what} instead of Vault's API: a proxy, the network or a Vault outage stood in the way`,
			{ httpCode: statusCode },
		);
	}
	if (/html/i.test(contentType) || /^<(!doctype|html|\?xml|head|body)/i.test(trimmed)) {
		throw new VaultRequestError(
			'notVault',
			`${host} answered with a web page, not Vault's API (a proxy or sign-in portal in the way?). Check the Vault DNS and any proxy between n8n and Vault`,
			{ httpCode: statusCode },
		);
	}
	if (/text\/csv/i.test(contentType)) return readCsvEnvelope(body, host);
	const parsed = parseJsonObject(body);
	if (parsed) return parsed as IDataObject;
	throw new VaultRequestError(
		'garbled',
		`${host} answered with a body that is not readable JSON (cut off or garbled on the way)`,
		{ httpCode: statusCode },
	);
}

function readCsvEnvelope(body: string, host: string): IDataObject {
	const parsed = Papa.parse<Record<string, string>>(body.trim(), { header: true, skipEmptyLines: true });
	const first = parsed.data[0];
	if (!first || typeof first.responseStatus !== 'string') {
		throw new VaultRequestError('garbled', `${host} answered with a CSV that has no responseStatus column`);
	}
	return { ...first };
}
