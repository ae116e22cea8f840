/**
 * What Entra directory roles and Microsoft Graph application permissions let their holder
 * do to other directory objects, as the abuse catalogue (BloodHound's Azure model) states it.
 * Role template ids and app role ids are the same in every tenant.
 */

/**
 * Capabilities a directory role or Graph permission gives over directory objects:
 * - `tenant-admin`: full control of the directory (grant any role, Global Administrator included)
 * - `reset-any-password` / `reset-nonadmin-password`: become users (any / those holding no directory role)
 * - `reset-lesser-admin-password`: become users whose every role is one the resetting role may
 *   reset (password-reset-targets.ts); one node per resetting role, since each has its own list
 * - `add-members-any` / `add-members-nonrole-assignable`: add itself to groups
 * - `add-secret`: add credentials to apps and service principals, then sign in as them
 * - `add-owner`: add owners to apps and service principals (then add-secret as the owner)
 * - `grant-app-roles`: grant itself any Graph permission (RoleManagement.ReadWrite.Directory → tenant-admin)
 * - `elevate-access`: become User Access Administrator at the Azure root scope `/`
 */
export type EntraCapability =
  | 'tenant-admin'
  | 'reset-any-password'
  | 'reset-nonadmin-password'
  | 'reset-lesser-admin-password'
  | 'add-members-any'
  | 'add-members-nonrole-assignable'
  | 'add-secret'
  | 'add-owner'
  | 'grant-app-roles'
  | 'elevate-access';

export interface DirectoryRoleInfo {
  templateId: string;
  name: string;
  /** technique id of the edge from the role holder */
  technique: string;
  capabilities: EntraCapability[];
}

const role = (
  templateId: string,
  name: string,
  technique: string,
  capabilities: EntraCapability[],
): DirectoryRoleInfo => ({ templateId, name, technique, capabilities });

export const DIRECTORY_ROLES: readonly DirectoryRoleInfo[] = [
  role('62e90394-69f5-4237-9190-012177145e10', 'Global Administrator', 'azure-global-admin', [
    'tenant-admin',
    'elevate-access',
  ]),
  role(
    'e8611ab8-c189-46e8-94e1-60213ab1f814',
    'Privileged Role Administrator',
    'azure-privileged-role-admin',
    ['tenant-admin'],
  ),
  role(
    '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
    'Privileged Authentication Administrator',
    'azure-privileged-auth-admin',
    ['reset-any-password'],
  ),
  role('e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8', 'Partner Tier2 Support', 'azure-partner-tier2-support', [
    'reset-any-password',
    'add-owner',
  ]),
  role('4ba39ca4-527c-499a-b93d-d9b492c50246', 'Partner Tier1 Support', 'azure-partner-tier1-support', [
    'reset-nonadmin-password',
    'add-owner',
  ]),
  role('729827e3-9c14-49f7-bb1b-9608f156bbb8', 'Helpdesk Administrator', 'azure-helpdesk-admin', [
    'reset-nonadmin-password',
    'reset-lesser-admin-password',
  ]),
  role('c4e39bd9-1100-46d3-8c65-fb160da0071f', 'Authentication Administrator', 'azure-authentication-admin', [
    'reset-nonadmin-password',
    'reset-lesser-admin-password',
  ]),
  role('966707d0-3269-4727-9be2-8c3a10f19b9d', 'Password Administrator', 'azure-password-admin', [
    'reset-nonadmin-password',
    'reset-lesser-admin-password',
  ]),
  role('fe930be7-5e62-47db-91af-98c3a49a38b1', 'User Administrator', 'azure-user-admin', [
    'reset-nonadmin-password',
    'reset-lesser-admin-password',
    'add-members-nonrole-assignable',
  ]),
  role('fdd7a751-b60b-444a-984c-02652fe8fa1c', 'Groups Administrator', 'azure-groups-admin', [
    'add-members-nonrole-assignable',
  ]),
  role('9360feb5-f418-4baa-8175-e2a00bac4301', 'Directory Writers', 'azure-directory-writers', [
    'add-members-nonrole-assignable',
  ]),
  role(
    '45d8d3c5-c802-45c6-b32a-1d70b5e1e86e',
    'Identity Governance Administrator',
    'azure-identity-governance-admin',
    ['add-members-nonrole-assignable'],
  ),
  role('3a2c62db-5318-420d-8d74-23affee5d9d5', 'Intune Administrator', 'azure-intune-admin', [
    'add-members-nonrole-assignable',
  ]),
  role('b5a8dcf3-09d5-43a9-a639-8e29ef291470', 'Knowledge Administrator', 'azure-knowledge-admin', [
    'add-members-nonrole-assignable',
  ]),
  role('744ec460-397e-42ad-a462-8b3f9747a02c', 'Knowledge Manager', 'azure-knowledge-manager', [
    'add-members-nonrole-assignable',
  ]),
  role('9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', 'Application Administrator', 'azure-application-admin', [
    'add-secret',
  ]),
  role(
    '158c047a-c907-4556-b7ef-446551a6b5f7',
    'Cloud Application Administrator',
    'azure-cloud-application-admin',
    ['add-secret'],
  ),
  role(
    '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2',
    'Hybrid Identity Administrator',
    'azure-hybrid-identity-admin',
    ['add-owner'],
  ),
  role(
    'd29b2b05-8046-44ba-8758-1e26182fcf32',
    'Directory Synchronization Accounts',
    'azure-directory-sync-accounts',
    ['add-owner'],
  ),
];

const byTemplate = new Map(DIRECTORY_ROLES.map((r) => [r.templateId, r]));
const byName = new Map(DIRECTORY_ROLES.map((r) => [r.name.toLowerCase(), r]));

/** The catalogue entry for a directory role, by template id or (when the id is unknown) display name. */
export function directoryRoleInfo(templateId: string, name?: string | null): DirectoryRoleInfo | undefined {
  return byTemplate.get(templateId.toLowerCase()) ?? (name ? byName.get(name.toLowerCase()) : undefined);
}

/** Microsoft Graph's application id, the same in every tenant. */
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface GraphPermissionInfo {
  id: string;
  value: string;
  technique: string;
  capabilities: EntraCapability[];
}

const perm = (id: string, value: string, technique: string, capabilities: EntraCapability[]) => ({
  id,
  value,
  technique,
  capabilities,
});

export const GRAPH_APP_PERMISSIONS: readonly GraphPermissionInfo[] = [
  perm(
    '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8',
    'RoleManagement.ReadWrite.Directory',
    'azure-graph-role-management',
    ['tenant-admin'],
  ),
  perm(
    '06b708a9-e830-4db3-a914-8e69da51d44f',
    'AppRoleAssignment.ReadWrite.All',
    'azure-graph-app-role-assignment',
    ['grant-app-roles'],
  ),
  perm(
    '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9',
    'Application.ReadWrite.All',
    'azure-graph-application-readwrite',
    ['add-secret', 'add-owner'],
  ),
  perm('19dbc75e-c2e2-444c-a770-ec69d8559fc7', 'Directory.ReadWrite.All', 'azure-graph-directory-readwrite', [
    'add-members-nonrole-assignable',
  ]),
  perm('62a82d76-70ea-41e2-9197-370581804d09', 'Group.ReadWrite.All', 'azure-graph-group-readwrite', [
    'add-members-nonrole-assignable',
  ]),
  perm(
    'dbaae8cf-10b5-4b86-a4a1-f871c94c6695',
    'GroupMember.ReadWrite.All',
    'azure-graph-groupmember-readwrite',
    ['add-members-nonrole-assignable'],
  ),
  perm(
    '89c8469c-83ad-45f7-8ff2-6e3d4285709e',
    'ServicePrincipalEndpoint.ReadWrite.All',
    'azure-graph-sp-endpoint-readwrite',
    ['add-owner'],
  ),
];

const permById = new Map(GRAPH_APP_PERMISSIONS.map((p) => [p.id, p]));
const permByValue = new Map(GRAPH_APP_PERMISSIONS.map((p) => [p.value.toLowerCase(), p]));

/** The catalogue entry for a Graph app role, by id or by its value (`RoleManagement.ReadWrite.Directory`). */
export function graphPermissionInfo(
  appRoleId: string,
  value?: string | null,
): GraphPermissionInfo | undefined {
  return permById.get(appRoleId.toLowerCase()) ?? (value ? permByValue.get(value.toLowerCase()) : undefined);
}
