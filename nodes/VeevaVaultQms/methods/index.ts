import { veevaVaultApiTest } from './credentialTest';
import { getDocumentRoles, searchTeamMemberObjects, searchTeamObjects } from './listSearch';
import { getColumns } from './resourceMapping';

/** The node's editor methods, by kind: the column mapper, the pickers, the loaded lists and the credential test. */
export const resourceMapping = { getColumns };
export const listSearch = { searchTeamObjects, searchTeamMemberObjects };
export const loadOptions = { getDocumentRoles };
// the OAuth2 credential has none: n8n tests it by its own `test` request (credentials/oauth2TestRequest.ts)
export const credentialTest = { veevaVaultApiTest };
