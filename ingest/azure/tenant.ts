/**
 * One Entra tenant's data, normalized from whichever inputs named it (raw `az` exports, the
 * Azure snapshot). Readers fill it; the evaluator turns it into the graph.
 */
import type { JsonValue } from '../../graph/model.js';
import type { RoleDefinition } from './role-definitions.js';

/** Where an entry came from, for warnings and `via`. */
export interface Origin {
  file: string;
  path: string;
}

export type DirectoryObjectKind = 'user' | 'group' | 'servicePrincipal' | 'managedIdentity' | 'application';

export interface DirectoryObject {
  /** Entra object id, lowercase */
  id: string;
  kind: DirectoryObjectKind;
  name: string;
  props: Record<string, JsonValue>;
  /** groups: may hold Entra roles (only Global/Privileged Role Administrators manage its members) */
  roleAssignable?: boolean;
  /** applications and service principals: the client id linking the two */
  appId?: string | null;
  /** service principals: app roles they publish (Microsoft Graph's permissions), id → value */
  appRoles?: Map<string, string>;
}

export interface RoleAssignment {
  /** ARM id, lowercased */
  id: string;
  principalId: string;
  principalType: string | null;
  roleGuid: string;
  roleName: string | null;
  scope: string;
  condition: string | null;
  conditionVersion: string | null;
  /** PIM: eligible (activatable) rather than active */
  eligible: boolean;
  origin: Origin;
  raw: JsonValue;
}

export interface DenyAssignment {
  id: string;
  name: string;
  scope: string;
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
  /** principal ids; the all-zero id with type SystemDefined means everyone */
  principals: string[];
  excludePrincipals: string[];
  doNotApplyToChildScopes: boolean;
  origin: Origin;
  raw: JsonValue;
}

export interface DirectoryRoleAssignment {
  id: string;
  principalId: string;
  roleTemplateId: string;
  roleName: string | null;
  /** `/` (whole tenant), `/administrativeUnits/<id>`, or `/<objectId>` (one object) */
  directoryScopeId: string;
  eligible: boolean;
  origin: Origin;
}

export interface AppRoleAssignment {
  principalId: string;
  /** object id of the resource service principal (e.g. Microsoft Graph's in this tenant) */
  resourceId: string;
  appRoleId: string;
  appRoleValue: string | null;
  origin: Origin;
}

/** One entry of a key vault's `properties.accessPolicies` (vaults not using Azure RBAC for data). */
export interface VaultAccessPolicy {
  tenantId: string;
  /** the user, group or service principal granted access; lowercase */
  objectId: string;
  /** compound identity: the grant holds only when `objectId` acts through this application */
  applicationId: string | null;
  /** permission names as the vault lists them, lowercased, by object type */
  permissions: { keys: string[]; secrets: string[]; certificates: string[]; storage: string[] };
  origin: Origin;
}

export interface ResourceInfo {
  /** lowercased ARM id */
  scope: string;
  armId: string;
  name: string;
  type: string;
  location: string | null;
  props: Record<string, JsonValue>;
  /** managed identities the resource runs as: principal (object) ids */
  identities: Array<{ principalId: string; kind: 'system' | 'user'; userAssignedId: string | null }>;
  /** Key Vault: true = Azure RBAC decides data access; false = access policies; null = unknown */
  vaultRbac?: boolean | null;
  /** Key Vault: the access policy entries, when the input carried the vault's properties */
  vaultAccessPolicies?: VaultAccessPolicy[];
}

export interface TenantData {
  tenantId: string;
  files: Set<string>;
  managementGroups: Map<string, { id: string; name: string; parent: string | null }>;
  subscriptions: Map<string, { id: string; name: string; managementGroup: string | null }>;
  resources: Map<string, ResourceInfo>;
  objects: Map<string, DirectoryObject>;
  memberships: Array<{ groupId: string; memberId: string; origin: Origin }>;
  owners: Array<{ objectId: string; ownerId: string; origin: Origin }>;
  roleDefinitions: Map<string, RoleDefinition>;
  roleAssignments: RoleAssignment[];
  denyAssignments: DenyAssignment[];
  directoryRoleAssignments: DirectoryRoleAssignment[];
  appRoleAssignments: AppRoleAssignment[];
  administrativeUnits: Map<string, { id: string; name: string; members: string[] }>;
  signIns: Map<string, { lastSignIn: string | null; lastNonInteractiveSignIn: string | null }>;
  collectedAt: string | null;
  warnings: string[];
}

export function emptyTenant(tenantId: string): TenantData {
  return {
    tenantId: tenantId.toLowerCase(),
    files: new Set(),
    managementGroups: new Map(),
    subscriptions: new Map(),
    resources: new Map(),
    objects: new Map(),
    memberships: [],
    owners: [],
    roleDefinitions: new Map(),
    roleAssignments: [],
    denyAssignments: [],
    directoryRoleAssignments: [],
    appRoleAssignments: [],
    administrativeUnits: new Map(),
    signIns: new Map(),
    collectedAt: null,
    warnings: [],
  };
}

/** Add a directory object, merging what a second export says about the same id. */
export function putObject(t: TenantData, o: DirectoryObject): void {
  const prev = t.objects.get(o.id);
  if (!prev) {
    t.objects.set(o.id, o);
    return;
  }
  // a managed identity listed by `az ad sp list` and by a resource's identity block is one object
  const kind =
    prev.kind === 'managedIdentity' || o.kind === 'managedIdentity' ? 'managedIdentity' : prev.kind;
  t.objects.set(o.id, {
    ...prev,
    ...o,
    kind,
    name: o.name || prev.name,
    props: { ...prev.props, ...o.props },
    appRoles: o.appRoles ?? prev.appRoles,
  });
}

/**
 * Add a resource, merging what another export says about the same id (`az resource list`
 * has identities but no properties; `az storage account list` has the properties), so the
 * order of the inputs does not decide which facts survive.
 */
export function putResource(t: TenantData, r: ResourceInfo): void {
  const prev = t.resources.get(r.scope);
  if (!prev) {
    t.resources.set(r.scope, r);
    return;
  }
  const identities = [...prev.identities];
  for (const id of r.identities)
    if (!identities.some((x) => x.principalId === id.principalId)) identities.push(id);
  const merged: ResourceInfo = { ...prev, ...r, props: { ...prev.props, ...r.props }, identities };
  const vaultRbac = r.vaultRbac ?? prev.vaultRbac;
  if (vaultRbac !== undefined) merged.vaultRbac = vaultRbac;
  const policies = r.vaultAccessPolicies ?? prev.vaultAccessPolicies;
  if (policies !== undefined) merged.vaultAccessPolicies = policies;
  t.resources.set(r.scope, merged);
}
