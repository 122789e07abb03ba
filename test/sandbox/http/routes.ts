/* eslint-disable -- a Node program (test, sandbox, harness, bench or example), not node code: n8n's node rules do not apply (docs/development.md, "Checks") */
import type { IncomingMessage } from 'node:http';

import { listApiVersions } from '../handlers/apiVersions';
import { associateAuditorRoles } from '../handlers/auditorRoles';
import { authenticate } from '../handlers/auth';
import { authorizeEndpoint, tokenEndpoint } from '../handlers/authorizationServer';
import { retrieveDeletedRecords } from '../handlers/deletedRecords';
import { documentRolesBatch } from '../handlers/documentRoles';
import { endSession } from '../handlers/endSession';
import { retrieveJobStatus } from '../handlers/jobStatus';
import { keepAlive } from '../handlers/keepAlive';
import { retrieveConfiguration } from '../handlers/componentRecords';
import { labelAsAsked, manageQualityTeamAssignments, manageTeamAssignmentsQualityOne } from '../handlers/manageAssignments';
import { retrieveObjectCollection, retrieveRoleAssignmentRules } from '../handlers/metadata';
import { retrieveObjectFieldMetadata, retrieveObjectMetadata } from '../handlers/objectMetadata';
import { migrateQualityTeamMembers } from '../handlers/migrateMembers';
import { oauthSession } from '../handlers/oauthSession';
import { queryPage, submitQuery } from '../handlers/query';
import { validateSessionUser } from '../handlers/usersMe';
import type { PublicHandler, SessionHandler } from './apiContext';
import type { VaultResponse } from './vaultResponse';

/** Relabels whatever Vault answers on a route (handler, pipeline or fault), for endpoints whose label depends on the request. */
type Label = <T extends VaultResponse>(request: IncomingMessage, answer: T) => T;

export type Route = { method: string; template: string; label?: Label } & (
	| { session: false; handler: PublicHandler }
	| { session: true; handler: SessionHandler }
);

/** Every Vault endpoint the sandbox answers; `:name` segments are path parameters. */
export const ROUTES: Route[] = [
	{ method: 'GET', template: '/api', session: false, handler: listApiVersions },
	{ method: 'POST', template: '/api/:version/auth', session: false, handler: authenticate },
	{ method: 'POST', template: '/auth/oauth/session/:profileId', session: false, handler: oauthSession },
	// the identity provider a Vault OAuth/OIDC profile trusts (handlers/authorizationServer.ts), not Vault
	{ method: 'GET', template: '/oauth2/authorize', session: false, handler: authorizeEndpoint },
	{ method: 'POST', template: '/oauth2/token', session: false, handler: tokenEndpoint },
	{ method: 'GET', template: '/api/:version/objects/users/me', session: true, handler: validateSessionUser },
	{ method: 'POST', template: '/api/:version/keep-alive', session: true, handler: keepAlive },
	{ method: 'DELETE', template: '/api/:version/session', session: true, handler: endSession },
	{ method: 'GET', template: '/api/:version/services/jobs/:jobId', session: true, handler: retrieveJobStatus },
	{ method: 'POST', template: '/api/:version/app/quality/qms/auditor_profiles/roles/batch', session: true, handler: associateAuditorRoles },
	{
		method: 'POST',
		template: '/api/:version/app/quality/qms/teams/vobjects/:objectName/actions/manageassignments',
		session: true,
		handler: manageQualityTeamAssignments,
		label: labelAsAsked,
	},
	{
		method: 'POST',
		template: '/api/:version/app/qualityone/qms/teams/vobjects/:objectName/actions/manageassignments',
		session: true,
		handler: manageTeamAssignmentsQualityOne,
		label: labelAsAsked,
	},
	{ method: 'POST', template: '/api/:version/qms/teams/vobjects/:objectName/actions/migration', session: true, handler: migrateQualityTeamMembers },
	{ method: 'POST', template: '/api/:version/objects/documents/roles/batch', session: true, handler: documentRolesBatch },
	{ method: 'DELETE', template: '/api/:version/objects/documents/roles/batch', session: true, handler: documentRolesBatch },
	{ method: 'POST', template: '/api/:version/query', session: true, handler: submitQuery },
	{ method: 'POST', template: '/api/:version/query/:queryId', session: true, handler: queryPage },
	// page URLs by GET too: VAPIL (Veeva's Java library) calls them so, Vault Toolbox with POST (handlers/query.ts)
	{ method: 'GET', template: '/api/:version/query/:queryId', session: true, handler: queryPage },
	{ method: 'GET', template: '/api/:version/metadata/vobjects', session: true, handler: retrieveObjectCollection },
	{ method: 'GET', template: '/api/:version/metadata/vobjects/:objectName', session: true, handler: retrieveObjectMetadata },
	{ method: 'GET', template: '/api/:version/metadata/vobjects/:objectName/fields/:fieldName', session: true, handler: retrieveObjectFieldMetadata },
	{ method: 'GET', template: '/api/:version/objects/deletions/vobjects/:objectName', session: true, handler: retrieveDeletedRecords },
	{ method: 'GET', template: '/api/:version/configuration/role_assignment_rule', session: true, handler: retrieveRoleAssignmentRules },
	// after role_assignment_rule, which the first matching route answers: Qualityteam and Qualityteam.{name}
	{ method: 'GET', template: '/api/:version/configuration/:component', session: true, handler: retrieveConfiguration },
];

/** The label of the route a request is for, if it has one. */
export function routeLabel(method: string, path: string): Label | undefined {
	return ROUTES.find((route) => route.method === method && matchTemplate(route.template, path))?.label;
}

/** The path parameters if the path fits the template; empty segments (`a//b`) are ignored, as Vault does. */
export function matchTemplate(template: string, path: string): Record<string, string> | undefined {
	const wanted = template.split('/').filter(Boolean);
	const given = path.split('/').filter(Boolean);
	if (wanted.length !== given.length) return undefined;
	const params: Record<string, string> = {};
	for (const [index, segment] of wanted.entries()) {
		if (segment.startsWith(':')) params[segment.slice(1)] = safeDecode(given[index]);
		else if (segment !== given[index]) return undefined;
	}
	return params;
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
