import { veevaVaultApiTest } from './credentialTest';
import { veevaVaultOAuth2ApiTest } from './oauth2CredentialTest';
import { getDocumentRoles, searchTeamMemberObjects, searchTeamObjects } from './listSearch';
import { getColumns } from './resourceMapping';

/** The node's editor methods, by kind: the column mapper, the pickers, the loaded lists and the credential test. */
export const resourceMapping = { getColumns };
export const listSearch = { searchTeamObjects, searchTeamMemberObjects };
export const loadOptions = { getDocumentRoles };
export const credentialTest = { veevaVaultApiTest, veevaVaultOAuth2ApiTest };
