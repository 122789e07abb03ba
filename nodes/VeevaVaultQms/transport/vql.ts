import type { IDataObject } from 'n8n-workflow';

import type { VaultClient } from './client';
import { VaultRequestError } from './errors';
import { tryUrl } from './vaultAddress';

export interface VqlPage {
	records: IDataObject[];
	/** responseDetails.total: every record the query matches */
	total?: number;
}

/**
 * The only place that speaks VQL over HTTP. Submitting a Query (Veeva API reference):
 * `POST /api/{version}/query` with the form field `q`; the answer's `responseDetails.next_page`
 * is followed with POST on the same session (Pagination Best Practices: "Call these URLs with a
 * POST request"), through the client's pacing, re-login and retries. A query is a read, so a call
 * whose outcome is unknown is simply sent again.
 */
export async function* vqlPages(client: VaultClient, query: string): AsyncGenerator<VqlPage> {
	let request: { path: string; apiPath: boolean; body?: string } = { path: '/query', apiPath: false, body: new URLSearchParams({ q: query }).toString() };
	for (;;) {
		const answer = await client.request({
			method: 'POST',
			path: request.path,
			apiPath: request.apiPath,
			body: request.body,
			contentType: 'application/x-www-form-urlencoded',
			accept: 'application/json',
			retryUnknownOutcome: true,
		});
		const { envelope } = answer;
		const details = (envelope.responseDetails ?? {}) as IDataObject;
		const records = Array.isArray(envelope.data) ? (envelope.data as IDataObject[]) : [];
		yield { records, total: typeof details.total === 'number' ? details.total : undefined };
		const next = details.next_page;
		if (typeof next !== 'string' || next === '' || records.length === 0) return;
		request = { path: nextPagePath(client, next), apiPath: true };
	}
}

/** Every record of a query, or the first `limit`, reading no page past the one that reaches it. */
export async function vqlRecords(client: VaultClient, query: string, limit = Infinity): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	for await (const page of vqlPages(client, query)) {
		for (const record of page.records) {
			if (records.length >= limit) return records;
			records.push(record);
		}
		if (records.length >= limit) return records;
	}
	return records;
}

/**
 * The path of a next_page URL, which Vault gives as `/api/{version}/query/{id}?...` (or a full URL
 * to the same Vault). Anything pointing elsewhere is refused: the session goes only to its Vault.
 */
function nextPagePath(client: VaultClient, next: string): string {
	const url = tryUrl(new URL(next, client.address.origin).toString());
	if (!url || url.origin !== client.address.origin || !/^\/api\/v\d{1,2}\.\d{1,2}\/query\//.test(url.pathname)) {
		throw new VaultRequestError('garbled', `Vault's next_page for this query does not point to a query page of ${client.address.host}; stopped reading`);
	}
	return `${url.pathname}${url.search}`;
}
