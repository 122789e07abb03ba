import type { ApiContext } from '../http/apiContext';
import { API_VERSIONS } from '../http/apiVersions';
import { success, type VaultResponse } from '../http/vaultResponse';

/** GET /api/ */
export function listApiVersions(context: ApiContext): VaultResponse {
	const values = Object.fromEntries(API_VERSIONS.map((version) => [version, `${context.vault.url}/api/${version}`]));
	return success({ values });
}
