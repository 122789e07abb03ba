import type { SessionContext } from '../http/apiContext';
import { success, type VaultResponse } from '../http/vaultResponse';

/** DELETE /api/{version}/session */
export function endSession(context: SessionContext): VaultResponse {
	context.world.sessions.end(context.session.id);
	return success();
}
