import { success, type VaultResponse } from '../http/vaultResponse';

/** POST /api/{version}/keep-alive: the pipeline has already refreshed the session's idle time. */
export function keepAlive(): VaultResponse {
	return success();
}
