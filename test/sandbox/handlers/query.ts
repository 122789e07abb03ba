/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { IncomingMessage } from 'node:http';

import type { SessionContext } from '../http/apiContext';
import { headerValue, mediaType } from '../http/incoming';
import { namedPart } from '../http/multipart';
import { failure, success, type VaultResponse } from '../http/vaultResponse';
import { metadataRefusal } from './metadata';
import { objectFields } from './objectFields';
import { withQueryDescribe } from './queryDescribe';
import type { QueryResultSet } from '../state/queryResults';
import { VqlError } from '../vql/lexer';
import { orderRows } from '../vql/compare';
import { parseVql, type ParsedQuery } from '../vql/parser';
import { queryTable, type Row } from '../vql/tables';
import { relationshipOf, teamByMemberObject, type SandboxTeam } from '../qualityTeams';
import { APPLICATION_ROLES } from '../seedData';
import { memberRow } from '../vql/memberTables';
import type { FaultSpec } from '../types';

/** "Place your query of up to 50,000 characters in the body" (Veeva API reference, "Submitting a Query"). */
export const MAX_QUERY_CHARACTERS = 50_000;
/** Vault's default page size is 1000 (Veeva VQL reference, "Pagination Best Practices"). */
export const DEFAULT_PAGE_SIZE = 1000;
/**
 * The pages give 1000 as the default and say Vault may lower it for large answers, but name no
 * maximum for PAGESIZE. The sandbox caps a larger PAGESIZE (or pagesize= on a page URL) at 1000
 * rather than refusing it; the setting `maxPageSize` lowers every page, as Vault does for large answers.
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
 * previous_page?, next_page?}, data: [...]}`; a query Vault cannot read is a FAILURE:
 * `INCORRECT_QUERY_SYNTAX_ERROR` for what does not parse ("Query string used with VQL has an
 * incorrect query syntax": Veeva API reference, "Errors"), `INVALID_DATA` for an unknown object or
 * field. Neither message names a position: Vault's do not.
 */
export function submitQuery(context: SessionContext): VaultResponse {
	const query = submittedQuery(context.request, context.body, context.query);
	if (query === undefined || query.trim() === '') return failure('PARAMETER_REQUIRED', 'Missing required parameter [q].');
	const length = [...query].length;
	if (length > MAX_QUERY_CHARACTERS) {
		// The page gives the limit but not Vault's answer past it; INVALID_DATA is the sandbox's choice.
		return failure('INVALID_DATA', `The query is too long: ${length} characters; a VQL query may have up to ${MAX_QUERY_CHARACTERS} characters.`);
	}
	let parsed: ParsedQuery;
	try {
		parsed = parseVql(query);
	} catch (error) {
		if (!(error instanceof VqlError)) throw error;
		// Only `type` is stable: the message's first words are the type's description on Veeva's "Errors" page,
		// the rest (what could not be read) the sandbox's own; no line or position, as Vault gives none.
		return failure('INCORRECT_QUERY_SYNTAX_ERROR', `Query string used with VQL has an incorrect query syntax: ${error.reason}`);
	}
	// The query reads the teams as they are now: every API call first finishes the jobs whose time
	// has come (http/serveApi.ts), and member tables are rebuilt after any change to a team.
	const table = queryTable(context.world.directory, context.world.assignments, parsed.target.text);
	if (!table) {
		return failure(
			'INVALID_DATA',
			`${parsed.target.text} is not a queryable object (the sandbox answers user__sys, group__sys, application_role__v, the team-enabled objects and their Quality Team member objects)`,
		);
	}
	// settings.refuseMetadata: a user who may not read the application roles (the editor's role picker).
	const refused = table.name === 'application_role__v' ? metadataRefusal(context.world.settings) : undefined;
	if (refused) return refused;
	// settings.absentUserFields: user__sys fields this Vault lacks (handlers/objectFields.ts)
	const absent = table.name === 'user__sys' ? context.world.settings.absentUserFields : [];
	const fields = table.fields.filter((field) => !absent.includes(field));
	for (const field of [...parsed.fields, ...parsed.where.map((condition) => condition.field), ...parsed.orderBy.map((key) => key.field)]) {
		if (!fields.includes(field.text)) return failure('INVALID_DATA', `unknown field '${field.text}' on ${table.name} (fields: ${fields.join(', ')})`);
	}
	// "The {field} parameter must be the name of an object field of type String" (VQL reference, "CASEINSENSITIVE"),
	// String as Retrieve Object Metadata types it (objectFields); Vault's answer to another field is not documented:
	// INVALID_DATA is the sandbox's choice
	const types = new Map((objectFields(context.world.directory, context.world.settings, table.name) ?? []).map((field) => [field.name, field.type]));
	const folded = parsed.where.find((condition) => condition.caseInsensitive && types.get(condition.field.text) !== 'String');
	if (folded) return failure('INVALID_DATA', `CASEINSENSITIVE() takes a field of type String; '${folded.field.text}' on ${table.name} is not one`);
	if (parsed.pagesize === 0 && parsed.pagesizeToken) return failure('INVALID_DATA', 'PAGESIZE must be at least 1');
	const { settings } = context.world;
	const pagesize = Math.min(parsed.pagesize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, settings.maxPageSize);
	const pageoffset = parsed.pageoffset ?? 0;
	const rows = orderRows(table.select(parsed.where).map((row) => table.rows[row]), parsed.orderBy);
	const fault = context.fault;
	// fault foreignMembers: member rows the query did not ask for, part of the result set so every page agrees
	const team = teamByMemberObject(table.name);
	if (fault?.kind === 'foreignMembers' && team) rows.push(...foreignMembers(context, parsed, team, rows));
	const set: Omit<QueryResultSet, 'id'> = {
		vaultId: context.vault.id,
		userId: context.session.userId,
		query,
		fields: parsed.fields.map((field) => field.text),
		rows,
		pagesize,
		usedAt: context.now,
	};
	// settings.noNextPageTargets: targets Vault answers without page URLs (Pagination Best Practices)
	const links = !settings.noNextPageTargets.includes(table.name);
	// A set is kept only when the answer has a page URL to follow (or a fault makes one).
	const paged = links && (pageoffset > 0 || pageoffset + pagesize < rows.length || fault?.kind === 'emptyPageThenNext' || fault?.kind === 'nextPageLoop');
	const stored = paged ? context.world.queryResults.add(set) : { id: '', ...set };
	return withQueryDescribe(context, table.name, set.fields, answerPage(pageAnswer(context.params.version, stored, pagesize, pageoffset, links), fault));
}

/**
 * POST /api/{version}/query/{id}?pagesize=&pageoffset=: a next_page / previous_page URL. "Call these
 * URLs with a POST request" (Veeva VQL reference, "Pagination Best Practices"); GET is answered the same,
 * since Veeva's own Java library (VAPIL) calls them with GET while Vault Toolbox uses POST, and the page
 * does not say Vault refuses GET. Other methods get METHOD_NOT_SUPPORTED. They count against the burst
 * limit like any call. An unknown or expired id answers INVALID_DATA: Vault documents no answer for it.
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
	const page = pageAnswer(context.params.version, set, Math.min(pagesize, MAX_PAGE_SIZE, context.world.settings.maxPageSize), pageoffset, true);
	return answerPage(page, context.fault);
}

function whole(text: string | undefined, fallback: number): number | undefined {
	if (text === undefined) return fallback;
	return /^\d+$/.test(text) ? Number(text) : undefined;
}

interface Page {
	responseDetails: Record<string, unknown>;
	data?: Array<Record<string, unknown>>;
	/** this page's own URL, when its set is kept (for the faults that point back to it) */
	self?: string;
}

/**
 * One page. "When the number of query results is greater than the page size, the response provides
 * next_page and previous_page URLs": next_page only when more rows follow, previous_page only when not
 * on the first page, in the page's order and form (Veeva VQL reference, "PAGEOFFSET":
 * `"previous_page": "/api/v20.3/query/{id}?pagesize=100&pageoffset=100"`, then next_page). Rows carry
 * the SELECTed fields, named as selected. Without `links` (settings.noNextPageTargets) there are none.
 */
function pageAnswer(version: string, set: QueryResultSet, pagesize: number, pageoffset: number, links: boolean): Page {
	const total = set.rows.length;
	const data = set.rows.slice(pageoffset, pageoffset + pagesize).map((row) => Object.fromEntries(set.fields.map((field) => [field, row[field]])));
	const url = (offset: number) => `/api/${version}/query/${set.id}?pagesize=${pagesize}&pageoffset=${offset}`;
	const responseDetails: Record<string, unknown> = { pagesize, pageoffset, size: data.length, total };
	if (links && pageoffset > 0) responseDetails.previous_page = url(Math.max(0, pageoffset - pagesize));
	if (links && pageoffset + pagesize < total) responseDetails.next_page = url(pageoffset + pagesize);
	return { responseDetails, data, self: set.id === '' ? undefined : url(pageoffset) };
}

/** The page as Vault's envelope, bent first by a query fault if one hit the request (types.ts QueryFaultKind). */
function answerPage(page: Page, fault: FaultSpec | undefined): VaultResponse {
	const { responseDetails: details } = page;
	const data = page.data ?? [];
	switch (fault?.kind) {
		case 'noData':
			return success({ responseDetails: details });
		case 'shortOfTotal':
			if (data.length > 0) data.pop();
			else details.total = Number(details.total) + 1;
			details.size = data.length;
			delete details.next_page;
			break;
		case 'emptyPageThenNext':
			data.length = 0;
			details.size = 0;
			if (details.next_page === undefined && page.self !== undefined) details.next_page = page.self;
			break;
		case 'nextPageLoop':
			if (page.self !== undefined) details.next_page = page.self;
			break;
		case 'shrinkingPages':
			if (typeof details.next_page === 'string') details.next_page = details.next_page.replace(/pagesize=\d+/, 'pagesize=1');
			break;
	}
	return success({ responseDetails: details, data });
}

/**
 * Fault foreignMembers: rows of the member object the query did not ask for. One on a record its WHERE does
 * not name (the object's first such record of this team), in the first role it names (by api name through the
 * role relationship, or by role id; else qa__c); and, when it names roles, one on its first named record in a
 * role it does not name. The user is the first row's (else 100001). Fields as the team's (vql/memberTables.ts).
 */
function foreignMembers(context: SessionContext, parsed: ParsedQuery, team: SandboxTeam, rows: readonly Row[]): Row[] {
	const { directory } = context.world;
	const named = (field: string) => new Set(parsed.where.filter((condition) => condition.field.text === field).flatMap((condition) => condition.values.map((value) => value.value)));
	const records = named(team.fields.record);
	const roleIds = [...named(team.fields.role)].map((id) => directory.applicationRoleById(id)).filter((name): name is string => name !== undefined);
	const roles = new Set([...roleIds, ...named(`${relationshipOf(team.fields.role)}.api_name__v`)]);
	const otherRecord = directory.teamRecords(team.object).find((record) => !records.has(record.id) && directory.recordTeam(team.object, record.id) === team)?.id ?? 'FOREIGN0001';
	const user = Number(rows[0]?.[team.fields.user] ?? 100001);
	const role = [...roles][0] ?? 'qa__c';
	const row = (recordId: string, roleName: string, n: number): Row =>
		memberRow(team, directory, { memberId: `QTM99999999999${n}`, recordId, user_id: user, application_role: roleName, active: true });
	const foreign = [row(otherRecord, role, 1)];
	const otherRole = APPLICATION_ROLES.find((name) => !roles.has(name));
	if (roles.size > 0 && otherRole) foreign.push(row([...records][0] ?? otherRecord, otherRole, 2));
	return foreign;
}
