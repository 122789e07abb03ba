import type { ApiContext } from './apiContext';
import { isKnownVersion } from './apiVersions';
import { authorizationToken } from './incoming';
import { matchTemplate, ROUTES } from './routes';
import { failure, type VaultResponse } from './vaultResponse';

/** Routes one API request: version, endpoint, method, client id, session, then the endpoint's handler. */
export function dispatchApi(context: ApiContext, clientId: string | undefined): VaultResponse {
	const { world, path, method } = context;
	const version = /^\/api\/([^/]+)/.exec(path)?.[1];
	if (version !== undefined && !isKnownVersion(version)) return failure('MALFORMED_URL', `Unknown API version "${version}".`);
	const matching = ROUTES.map((route) => ({ route, params: matchTemplate(route.template, path) })).filter((match) => match.params);
	if (matching.length === 0) return failure('MALFORMED_URL', `The resource ${path} does not exist.`);
	const match = matching.find(({ route }) => route.method === method);
	if (!match?.params) return failure('METHOD_NOT_SUPPORTED', `Method ${method} is not supported for ${path}.`);
	const allowed = world.settings.allowedClientIds;
	if (allowed && !(clientId && allowed.includes(clientId))) return failure('INSUFFICIENT_ACCESS', 'client id not allowed');

	const routed = { ...context, params: match.params };
	if (!match.route.session) return match.route.handler(routed);
	const session = world.sessions.use(authorizationToken(context.request), context.vault.id, context.now, world.settings.sessionIdleMs);
	if (!session) return failure('INVALID_SESSION_ID', 'Invalid or expired session ID.');
	return match.route.handler({ ...routed, session });
}
