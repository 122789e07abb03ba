/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (README, "Checks") */
import type { IncomingMessage } from 'node:http';

import type { SessionContext } from '../http/apiContext';
import { headerValue, mediaType } from '../http/incoming';
import { namedPart } from '../http/multipart';
import { failure, success, type VaultResponse } from '../http/vaultResponse';
import { metadataRefusal } from './metadata';
import type { QueryResultSet } from '../state/queryResults';
import { lineAndPosition, VqlError } from '../vql/lexer';
import { parseVql } from '../vql/parser';
import { queryTable } from '../vql/tables';

/** "Place your query of up to 50,000 characters in the body" (Veeva API reference, "Submitting a Query"). */
export const MAX_QUERY_CHARACTERS = 50_000;
/** Vault's default page size is 1000 (Veeva VQL reference, "Pagination Best Practices"). */
export const DEFAULT_PAGE_SIZE = 1000;
/**
 * The pages give 1000 as the default and say Vault may lower it for large answers, but name no
 * maximum for PAGESIZE. The sandbox caps a larger PAGESIZE (or pagesize= on a page URL) at 1000
 * rather than refusing it, and never lowers the page size for large answers.
 */
export const MAX_PAGE_SIZE = 1000;

/**
 * The VQL text of a Submitting a Query request: the `q` field of a form (application/x-www-form-urlencoded
 * or multipart/form-data, the page's Content-Types), else the `q` URL query parameter, which "the API
 * also allows" (Veeva API reference, "Submitting a Query").
 */
export function submittedQuery(request: IncomingMessage, body: Buffer, urlQuery: Record<string, string>): string | undefined {
	const contentType = headerValue(request, 'content-type');
	let fromBody: string | undefined;
	if (mediaType(contentType) === 'application/x-www-form-urlencoded') fromBody = new URLSearchParams(body.toString('utf8')).get('q') ?? undefined;
	else fromBody = namedPart(body, contentType, 'q')?.content.toString('utf8');
	return fromBody ?? urlQuery.q;
}

/**
 * POST /api/{version}/query: Submitting a Query (Veeva API reference), for the subset of VQL in
 * ../vql/parser.ts. Answers `{responseStatus, responseDetails: {pagesize, pageoffset, size, total,
 * previous_page?, next_page?}, data: [...]}`; a query Vault cannot read is a FAILURE.
 */
export function submitQuery(context: SessionContext): VaultResponse {
	const query = submittedQuery(context.request, context.body, context.query);
	if (query === undefined || query.trim() === '') return failure('PARAMETER_REQUIRED', 'Missing required parameter [q].');
	const length = [...query].length;
	if (length > MAX_QUERY_CHARACTERS) {
		// The page gives the limit but not Vault's answer past it; INVALID_DATA is the sandbox's choice.
		return failure('INVALID_DATA', `The query is too long: ${length} characters; a VQL query may have up to ${MAX_QUERY_CHARACTERS} characters.`);
	}
	try {
		const parsed = parseVql(query);
		// The query reads the teams as they are now: every API call first finishes the jobs whose time
		// has come (http/serveApi.ts), and member tables are rebuilt after any change to a team.
		const table = queryTable(context.world.directory, context.world.assignments, parsed.target.text);
		if (!table) {
			throw new VqlError(
				parsed.target.at,
				`unknown object '${parsed.target.text}' (the sandbox answers user__sys, group__sys, application_role__v, the team-enabled objects and their Quality Team member objects)`,
			);
		}
		// settings.refuseMetadata: a user who may not read the application roles (the editor's role picker).
		const refused = table.name === 'application_role__v' ? metadataRefusal(context.world.settings) : undefined;
		if (refused) return refused;
		for (const field of [...parsed.fields, ...parsed.where.map((condition) => condition.field)]) {
			if (!table.fields.includes(field.text)) throw new VqlError(field.at, `unknown field '${field.text}' on ${table.name} (fields: ${table.fields.join(', ')})`);
		}
		if (parsed.pagesize === 0 && parsed.pagesizeToken) throw new VqlError(parsed.pagesizeToken.at, 'PAGESIZE must be at least 1');
		const pagesize = Math.min(parsed.pagesize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
		const pageoffset = parsed.pageoffset ?? 0;
		const rows = table.select(parsed.where).map((row) => table.rows[row]);
		const set: Omit<QueryResultSet, 'id'> = {
			vaultId: context.vault.id,
			userId: context.session.userId,
			query,
			fields: parsed.fields.map((field) => field.text),
			rows,
			pagesize,
			usedAt: context.now,
		};
		// A set is kept only when the answer has a page URL to follow.
		const paged = pageoffset > 0 || pageoffset + pagesize < rows.length;
		return pageAnswer(context.params.version, paged ? context.world.queryResults.add(set) : { id: '', ...set }, pagesize, pageoffset);
	} catch (error) {
		if (!(error instanceof VqlError)) throw error;
		// Only `type` is stable: Vault documents no wording for its query errors. The sandbox's message
		// names the line and position (1-based) of what it could not read, and what that was.
		const { line, position } = lineAndPosition(query, error.at);
		return failure('INVALID_DATA', `Error parsing query at line ${line} position ${position}: ${error.reason}`);
	}
}

/**
 * POST /api/{version}/query/{id}?pagesize=&pageoffset=: a next_page / previous_page URL. "Call these
 * URLs with a POST request" (Veeva VQL reference, "Pagination Best Practices"; other methods get
 * METHOD_NOT_SUPPORTED); they count against the burst limit like any call. An unknown or expired id
 * answers INVALID_DATA: Vault documents no answer for it.
 */
export function queryPage(context: SessionContext): VaultResponse {
	const set = context.world.queryResults.use(context.params.queryId, context.vault.id, context.session.userId, context.now);
	if (!set) {
		return failure('INVALID_DATA', `Query ${context.params.queryId} does not exist or has expired (72 hours after its last use); submit the query again.`);
	}
	const pagesize = whole(context.query.pagesize, set.pagesize);
	const pageoffset = whole(context.query.pageoffset, 0);
	if (pagesize === undefined || pagesize < 1) return failure('INVALID_DATA', `Invalid pagesize "${context.query.pagesize}": expected a whole number of at least 1.`);
	if (pageoffset === undefined) return failure('INVALID_DATA', `Invalid pageoffset "${context.query.pageoffset}": expected a whole number.`);
	return pageAnswer(context.params.version, set, Math.min(pagesize, MAX_PAGE_SIZE), pageoffset);
}

function whole(text: string | undefined, fallback: number): number | undefined {
	if (text === undefined) return fallback;
	return /^\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * One page. "When the number of query results is greater than the page size, the response provides
 * next_page and previous_page URLs": next_page only when more rows follow, previous_page only when not
 * on the first page, in the page's order and form (Veeva VQL reference, "PAGEOFFSET":
 * `"previous_page": "/api/v20.3/query/{id}?pagesize=100&pageoffset=100"`, then next_page). Rows carry
 * the SELECTed fields, named as selected.
 */
function pageAnswer(version: string, set: QueryResultSet, pagesize: number, pageoffset: number): VaultResponse {
	const total = set.rows.length;
	const data = set.rows.slice(pageoffset, pageoffset + pagesize).map((row) => Object.fromEntries(set.fields.map((field) => [field, row[field]])));
	const url = (offset: number) => `/api/${version}/query/${set.id}?pagesize=${pagesize}&pageoffset=${offset}`;
	const responseDetails: Record<string, unknown> = { pagesize, pageoffset, size: data.length, total };
	if (pageoffset > 0) responseDetails.previous_page = url(Math.max(0, pageoffset - pagesize));
	if (pageoffset + pagesize < total) responseDetails.next_page = url(pageoffset + pagesize);
	return success({ responseDetails, data });
}
