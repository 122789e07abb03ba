import type { SessionContext } from '../http/apiContext';
import { failure, success, type VaultResponse } from '../http/vaultResponse';

/** GET /api/{version}/objects/users/me: Validate Session User */
export function validateSessionUser(context: SessionContext): VaultResponse {
	const user = context.world.directory.user(context.session.userId);
	if (!user) return failure('INVALID_SESSION_ID', 'Invalid or expired session ID.');
	return success({
		users: [
			{
				user: {
					id: user.id,
					user_name__v: user.username,
					user_first_name__v: user.firstName ?? '',
					user_last_name__v: user.lastName ?? '',
					user_email__v: user.username,
					active__v: user.active !== false,
				},
			},
		],
	});
}
