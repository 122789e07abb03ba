import type { IDataObject } from 'n8n-workflow';

import type { VaultClient } from '../transport/client';
import { VaultRequestError } from '../transport/errors';
import { tryUrl } from '../transport/vaultAddress';
import { containsQueries, setsOwnPageOffset, withPageOffset } from './vqlText';

/**
 * VQL over HTTP: a query's pages read in full and checked to add up (vqlPages, vqlRecords).
 */

export interface VqlPage {
	records: IDataObject[];
	/** responseDetails.total: every record the query matches */
	total: number;
}

/** What one answer of a query says about itself (Veeva API reference, "Submitting a Query": responseDetails). */
interface PageAnswer {
	records: IDataObject[];
	total: number;
	pageoffset?: number;
	next?: string;
}

/** One call: the query itself (optionally with a PAGEOFFSET the node added), or a next_page link Vault gave. */
type PageRequest = { path: string; apiPath: boolean; body?: string };

/**
 * The only place that speaks VQL over HTTP. Submitting a Query (Veeva API reference):
 * `POST /api/{version}/query` with the form field `q`; the answer's `responseDetails.next_page`
 * is followed with POST on the same session (Pagination Best Practices: "Call these URLs with a
 * POST request"), through the client's pacing, re-login and retries. A query is a read, so a call
 * whose outcome is unknown is simply sent again.
 *
 * An answer is trusted only when it adds up (issue 20, item 4): every answer has a `data` list
 * and a `total`; the rows of all pages come to `total` (less the query's own PAGEOFFSET); a page
 * with a next_page has rows and is not past `total`; a next_page already followed, or more pages
 * than `total` takes at the first page's size, is refused. Anything else is a read error, so no
 * caller plans a change from a part of the answer.
 *
 * Pagination Best Practices: "When querying workflows (legacy), events, or users, the response
 * does not include the next_page or previous_page URL endpoints ... submit additional queries
 * using PAGEOFFSET". So when the first answer has no next_page and `total` says more rows follow,
 * the query is sent again with `PAGEOFFSET {rows read}` until they are all read; a query that sets
 * its own PAGEOFFSET (or OFFSET) cannot be paged that way and is refused with a clear error.
 */
export async function* vqlPages(client: VaultClient, query: string): AsyncGenerator<VqlPage> {
	const submit = (text: string): PageRequest => ({
		path: '/query',
		apiPath: false,
		body: new URLSearchParams({ q: text }).toString(),
	});
	const first = readPage(await call(client, submit(query)));
	const { total } = first;
	// the query's own PAGEOFFSET starts it past the first rows: those are not expected
	const expected = Math.max(0, total - (first.pageoffset ?? 0));
	// Vault's pages are all as large as the first (it may shrink them for large rows, for the whole query)
	const maxCalls = Math.ceil(expected / Math.max(1, first.records.length)) + 1;
	const followed = new Set<string>();
	let mode: 'links' | 'offset' | undefined;
	let calls = 1;
	let read = 0;
	let page = first;
	for (;;) {
		if (page.total !== total)
			throw untrusted(
				`its pages disagree on the total (${total}, then ${page.total}): the rows changed while they were read`,
			);
		read += page.records.length;
		if (read > expected)
			throw untrusted(`its pages hold more rows than the ${expected} its total names`);
		yield { records: page.records, total };
		const remaining = expected - read;
		let request: PageRequest;
		if (page.next !== undefined && mode !== 'offset') {
			if (page.records.length === 0)
				throw untrusted(
					`a page with no rows points to a next page, ${remaining} row(s) short of its total`,
				);
			if (remaining === 0)
				throw untrusted(
					`all ${expected} rows of its total were read, yet the last page points to a next page`,
				);
			const path = nextPagePath(client, page.next);
			if (followed.has(path))
				throw untrusted(`its next_page points to a page already read (${path})`);
			followed.add(path);
			mode = 'links';
			request = { path, apiPath: true };
		} else if (remaining === 0) {
			return;
		} else if (mode === 'links') {
			throw untrusted(
				`its last page ends without a next_page after ${read} of the ${expected} rows its total names`,
			);
		} else if (page.records.length === 0) {
			throw untrusted(
				`it stops ${remaining} row(s) short of its total of ${total}: an answer with no rows and no next_page`,
			);
		} else {
			if (mode === undefined && setsOwnPageOffset(query)) {
				throw new VaultRequestError(
					'config',
					`Vault answered ${read} of ${expected} rows without a next_page (as it does for some query targets, e.g. users: Veeva's "Pagination Best Practices"), and the query sets its own PAGEOFFSET, so the node cannot page on: remove PAGEOFFSET to get every row, or narrow the query`,
				);
			}
			mode = 'offset';
			request = submit(withPageOffset(query, read));
		}
		if (++calls > maxCalls)
			throw untrusted(
				`its pages go on past the ${maxCalls - 1} that ${expected} rows at ${first.records.length} a page take`,
			);
		page = readPage(await call(client, request));
		if (mode === 'offset' && page.pageoffset !== undefined && page.pageoffset !== read) {
			throw untrusted(
				`asked for the rows from PAGEOFFSET ${read}, it answered rows from ${page.pageoffset}`,
			);
		}
	}
}

/** Every record of a query, or the first `limit`, reading no page past the one that reaches it. */
export async function vqlRecords(
	client: VaultClient,
	query: string,
	limit = Infinity,
): Promise<IDataObject[]> {
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
 * Every record of `from` whose `field` is one of `values` (optionally AND `andClause`; in any letter
 * case with `caseInsensitive`), in as few queries as VQL's query length allows (containsQueries),
 * each read to its last page.
 */
export async function* recordsWhereIn(
	client: VaultClient,
	select: readonly string[],
	from: string,
	field: string,
	values: Iterable<string>,
	andClause = '',
	caseInsensitive = false,
): AsyncGenerator<IDataObject> {
	for (const query of containsQueries(select, from, field, values, andClause, caseInsensitive))
		yield* await vqlRecords(client, query);
}

async function call(client: VaultClient, request: PageRequest): Promise<IDataObject> {
	const answer = await client.request({
		method: 'POST',
		path: request.path,
		apiPath: request.apiPath,
		body: request.body,
		contentType: 'application/x-www-form-urlencoded',
		accept: 'application/json',
		retryUnknownOutcome: true,
	});
	return answer.envelope;
}

/**
 * One SUCCESS answer, checked to be whole: `data` a list, `responseDetails.total` a count, and
 * `size` (where given) the rows the page carries. Veeva's answers always have all three
 * (Submitting a Query; VQL "PAGEOFFSET" example); a SUCCESS without them is not "no rows".
 */
function readPage(envelope: IDataObject): PageAnswer {
	if (!Array.isArray(envelope.data)) throw untrusted('it answered SUCCESS without a data list');
	const records = envelope.data as IDataObject[];
	const details = (
		typeof envelope.responseDetails === 'object' && envelope.responseDetails !== null
			? envelope.responseDetails
			: {}
	) as IDataObject;
	const total = count(details.total);
	if (total === undefined) throw untrusted('its answer gives no total (responseDetails.total)');
	const size = count(details.size);
	if (size !== undefined && size !== records.length)
		throw untrusted(`a page says it holds ${size} rows but carries ${records.length}`);
	const next =
		typeof details.next_page === 'string' && details.next_page !== ''
			? details.next_page
			: undefined;
	return { records, total, pageoffset: count(details.pageoffset), next };
}

/** A whole number of at least 0, as Vault gives its counts (a number; a digit string is read too). */
function count(value: unknown): number | undefined {
	const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0
		? number
		: undefined;
}

function untrusted(reason: string): VaultRequestError {
	return new VaultRequestError(
		'garbled',
		`Vault's answer to a query does not add up, so it was not used: ${reason}`,
	);
}

/**
 * The path of a next_page URL, which Vault gives as `/api/{version}/query/{id}?...` (or a full URL
 * to the same Vault). Anything pointing elsewhere is refused: the session goes only to its Vault.
 */
function nextPagePath(client: VaultClient, next: string): string {
	const url = tryUrl(new URL(next, client.address.origin).toString());
	if (
		!url ||
		url.origin !== client.address.origin ||
		!/^\/api\/v\d{1,2}\.\d{1,2}\/query\//.test(url.pathname)
	) {
		throw new VaultRequestError(
			'garbled',
			`Vault's next_page for this query does not point to a query page of ${client.address.host}; stopped reading`,
		);
	}
	return `${url.pathname}${url.search}`;
}
