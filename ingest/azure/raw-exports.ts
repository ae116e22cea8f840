/**
 * The Azure CLI exports `accessgraph ingest` reads unmodified, recognised by their shape:
 * each is a JSON array (or, for `management-group show`, an object) whose entries carry the
 * fields that CLI command prints. A reader validates the whole document and returns what it
 * adds to its tenant; nothing is applied until every input has been read.
 */
import type { JsonValue } from '../../graph/model.js';
import { IngestError, jsonPathJoin } from '../errors.js';
import { asObject, guid, isObj, type Obj, optBool, optStr, str } from './json-check.js';
import { readAccessPolicies } from './key-vault-access.js';
import { readRoleDefinition, roleGuid } from './role-definitions.js';
import { normalizeScope, scopeKind } from './scope.js';
import { putObject, putResource, type ResourceInfo, type TenantData } from './tenant.js';

export type RawKind =
  | 'role-assignments'
  | 'role-definitions'
  | 'resources'
  | 'resource'
  | 'management-groups'
  | 'management-group'
  | 'accounts'
  | 'users'
  | 'groups'
  | 'service-principals'
  | 'applications';

export interface Contribution {
  kind: RawKind;
  file: string;
  /** tenants the document names (management groups, subscriptions, identities) */
  tenantIds: string[];
  apply(t: TenantData): void;
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');

/** Which export a document is, or null. Arrays are recognised by their first entry. */
export function rawKind(doc: unknown): RawKind | null {
  if (isObj(doc)) {
    if (lower(doc.type) === 'microsoft.management/managementgroups' && typeof doc.name === 'string')
      return 'management-group';
    // one resource, as `az keyvault show` or `az resource show` prints it
    if (isResourceEntry(doc)) return 'resource';
    return null;
  }
  if (!Array.isArray(doc) || doc.length === 0 || !isObj(doc[0])) return null;
  const e = doc[0];
  if ('principalId' in e && 'roleDefinitionId' in e && 'scope' in e) return 'role-assignments';
  if ('roleName' in e && 'permissions' in e) return 'role-definitions';
  if (lower(e.type) === 'microsoft.management/managementgroups') return 'management-groups';
  if ('tenantId' in e && 'isDefault' in e && 'state' in e) return 'accounts';
  if ('servicePrincipalType' in e && 'appId' in e) return 'service-principals';
  if ('appId' in e && 'signInAudience' in e) return 'applications';
  if ('userPrincipalName' in e && 'id' in e) return 'users';
  if ('securityEnabled' in e && 'mailEnabled' in e && 'id' in e) return 'groups';
  if (isResourceEntry(e)) return 'resources';
  return null;
}

const isResourceEntry = (e: Obj): boolean =>
  typeof e.id === 'string' && lower(e.id).startsWith('/subscriptions/') && typeof e.type === 'string';

function entries(doc: unknown, file: string, base: string): Array<[Obj, string]> {
  if (!Array.isArray(doc)) throw new IngestError(file, base, 'must be a JSON array');
  return doc.map((e, i) => [asObject(e, file, `${base}[${i}]`), `${base}[${i}]`]);
}

function validScope(v: string, file: string, path: string): string {
  if (scopeKind(v) === null) throw new IngestError(file, path, `not an Azure scope: ${JSON.stringify(v)}`);
  return normalizeScope(v);
}

export function readRoleAssignments(doc: unknown, file: string, base = '$'): Contribution {
  const rows = entries(doc, file, base).map(([e, p]) => {
    const scope = validScope(str(e, 'scope', file, p), file, jsonPathJoin(p, 'scope'));
    const roleDefinitionId = str(e, 'roleDefinitionId', file, p);
    return {
      id: normalizeScope(str(e, 'id', file, p)),
      principalId: guid(e, 'principalId', file, p),
      principalType: optStr(e, 'principalType', file, p),
      roleGuid: roleGuid(roleDefinitionId),
      roleName: optStr(e, 'roleDefinitionName', file, p),
      scope,
      condition: optStr(e, 'condition', file, p),
      conditionVersion: optStr(e, 'conditionVersion', file, p),
      eligible: false,
      origin: { file, path: p },
      raw: e as JsonValue,
    };
  });
  return { kind: 'role-assignments', file, tenantIds: [], apply: (t) => t.roleAssignments.push(...rows) };
}

export function readRoleDefinitions(doc: unknown, file: string, base = '$'): Contribution {
  const defs = entries(doc, file, base).map(([e, p]) => readRoleDefinition(e, file, p));
  return {
    kind: 'role-definitions',
    file,
    tenantIds: [],
    apply: (t) => {
      for (const d of defs) t.roleDefinitions.set(d.guid, d);
    },
  };
}

/** A resource as `az resource list` prints it, with the managed identities in its `identity` block. */
export function readResource(e: Obj, file: string, p: string): { res: ResourceInfo; tenantIds: string[] } {
  const armId = str(e, 'id', file, p);
  const scope = validScope(armId, file, jsonPathJoin(p, 'id'));
  if (scopeKind(scope) !== 'resource')
    throw new IngestError(file, jsonPathJoin(p, 'id'), 'not a resource id');
  const res: ResourceInfo = {
    scope,
    armId,
    name: str(e, 'name', file, p),
    type: str(e, 'type', file, p),
    location: optStr(e, 'location', file, p),
    props: {},
    identities: [],
  };
  if (isObj(e.tags)) res.props.tags = e.tags as JsonValue;
  const tenantIds: string[] = [];
  if (e.identity !== undefined && e.identity !== null) {
    const ip = jsonPathJoin(p, 'identity');
    const id = asObject(e.identity, file, ip);
    const type = lower(id.type);
    if (type.includes('systemassigned')) {
      res.identities.push({
        principalId: guid(id, 'principalId', file, ip),
        kind: 'system',
        userAssignedId: null,
      });
      const tid = optStr(id, 'tenantId', file, ip);
      if (tid) tenantIds.push(tid.toLowerCase());
    }
    if (isObj(id.userAssignedIdentities)) {
      for (const [uaId, v] of Object.entries(id.userAssignedIdentities)) {
        const up = jsonPathJoin(jsonPathJoin(ip, 'userAssignedIdentities'), uaId);
        const ua = asObject(v, file, up);
        res.identities.push({
          principalId: guid(ua, 'principalId', file, up),
          kind: 'user',
          userAssignedId: validScope(uaId, file, up),
        });
      }
    }
  }
  if (isObj(e.properties)) {
    const props = e.properties;
    if (lower(res.type) === 'microsoft.keyvault/vaults') {
      const pp = jsonPathJoin(p, 'properties');
      // absent means access policies: the default of every API version before 2026-02-01
      res.vaultRbac = optBool(props, 'enableRbacAuthorization', file, pp) ?? false;
      res.vaultAccessPolicies = readAccessPolicies(props, file, pp);
      const tid = optStr(props, 'tenantId', file, pp);
      if (tid) tenantIds.push(tid.toLowerCase());
    }
    if (
      lower(res.type) === 'microsoft.managedidentity/userassignedidentities' &&
      typeof props.principalId === 'string'
    )
      res.props.principalId = props.principalId.toLowerCase();
  } else if (lower(res.type) === 'microsoft.keyvault/vaults') {
    res.vaultRbac = null; // `az resource list` leaves properties out: the permission model is unknown
  }
  readBlobPublicAccess(e, res, file, p);
  return { res, tenantIds };
}

/**
 * Anonymous blob access (public-blob.ts): a storage account's `allowBlobPublicAccess` and a
 * blob container's `publicAccess`, from ARM's `properties` or flattened at the top level as
 * `az storage account list` and `az storage container-rm list` print them. An account whose
 * properties were read but lack the switch records null (Azure permits anonymous access
 * then); an account read without properties records nothing (unknown).
 */
function readBlobPublicAccess(e: Obj, res: ResourceInfo, file: string, p: string): void {
  const type = lower(res.type);
  const props = isObj(e.properties) ? e.properties : null;
  const at = props ? jsonPathJoin(p, 'properties') : p;
  const from = props ?? e;
  if (type === 'microsoft.storage/storageaccounts' && (props || 'allowBlobPublicAccess' in e))
    res.props.allowBlobPublicAccess = optBool(from, 'allowBlobPublicAccess', file, at);
  if (type === 'microsoft.storage/storageaccounts/blobservices/containers') {
    const level = optStr(from, 'publicAccess', file, at);
    if (level) res.props.publicAccess = level;
  }
}

export function readResources(doc: unknown, file: string, base = '$'): Contribution {
  const read = entries(doc, file, base).map(([e, p]) => readResource(e, file, p));
  return {
    kind: 'resources',
    file,
    tenantIds: read.flatMap((r) => r.tenantIds),
    apply: (t) => {
      for (const { res } of read) putResource(t, res);
    },
  };
}

interface MgRow {
  id: string;
  name: string;
  parent: string | null;
  tenantId: string | null;
}

export function readManagementGroups(doc: unknown, file: string, base = '$'): Contribution {
  const rows: MgRow[] = entries(doc, file, base).map(([e, p]) => ({
    id: str(e, 'name', file, p).toLowerCase(),
    name: optStr(e, 'displayName', file, p) ?? str(e, 'name', file, p),
    parent: null,
    tenantId: optStr(e, 'tenantId', file, p)?.toLowerCase() ?? null,
  }));
  return {
    kind: 'management-groups',
    file,
    tenantIds: rows.flatMap((r) => (r.tenantId ? [r.tenantId] : [])),
    apply: (t) => {
      for (const r of rows) {
        const prev = t.managementGroups.get(r.id);
        t.managementGroups.set(r.id, { id: r.id, name: r.name, parent: prev?.parent ?? null });
      }
    },
  };
}

/** `az account management-group show --name X [--expand --recurse]`: the group, its parent, and its children tree. */
function readManagementGroup(doc: unknown, file: string): Contribution {
  const root = asObject(doc, file, '$');
  const groups: MgRow[] = [];
  const subs: Array<{ id: string; name: string; mg: string }> = [];
  const walk = (o: Obj, p: string, parent: string | null) => {
    const id = str(o, 'name', file, p).toLowerCase();
    let up = parent;
    if (isObj(o.details) && isObj(o.details.parent) && typeof o.details.parent.name === 'string')
      up = o.details.parent.name.toLowerCase();
    groups.push({
      id,
      name: optStr(o, 'displayName', file, p) ?? id,
      parent: up,
      tenantId: optStr(o, 'tenantId', file, p)?.toLowerCase() ?? null,
    });
    if (o.children === undefined || o.children === null) return;
    if (!Array.isArray(o.children))
      throw new IngestError(file, jsonPathJoin(p, 'children'), 'must be an array');
    o.children.forEach((c, i) => {
      const cp = jsonPathJoin(jsonPathJoin(p, 'children'), i);
      const child = asObject(c, file, cp);
      const type = lower(child.type);
      if (type === 'microsoft.management/managementgroups') walk(child, cp, id);
      else if (type === '/subscriptions' || type === 'microsoft.management/managementgroups/subscriptions')
        subs.push({
          id: str(child, 'name', file, cp).toLowerCase(),
          name: optStr(child, 'displayName', file, cp) ?? '',
          mg: id,
        });
      else
        throw new IngestError(
          file,
          jsonPathJoin(cp, 'type'),
          `unknown management group child type ${JSON.stringify(child.type)}`,
        );
    });
  };
  walk(root, '$', null);
  return {
    kind: 'management-group',
    file,
    tenantIds: groups.flatMap((g) => (g.tenantId ? [g.tenantId] : [])),
    apply: (t) => {
      for (const g of groups) {
        const prev = t.managementGroups.get(g.id);
        t.managementGroups.set(g.id, { id: g.id, name: g.name, parent: g.parent ?? prev?.parent ?? null });
      }
      for (const s of subs) {
        const prev = t.subscriptions.get(s.id);
        t.subscriptions.set(s.id, { id: s.id, name: s.name || prev?.name || s.id, managementGroup: s.mg });
      }
    },
  };
}

export function readAccounts(doc: unknown, file: string, base = '$'): Contribution {
  const rows = entries(doc, file, base).map(([e, p]) => ({
    id: guid(e, 'id', file, p),
    name: optStr(e, 'name', file, p),
    tenantId: guid(e, 'tenantId', file, p),
  }));
  return {
    kind: 'accounts',
    file,
    tenantIds: rows.map((r) => r.tenantId),
    apply: (t) => {
      for (const r of rows.filter((x) => x.tenantId === t.tenantId)) {
        const prev = t.subscriptions.get(r.id);
        t.subscriptions.set(r.id, {
          id: r.id,
          name: r.name ?? r.id,
          managementGroup: prev?.managementGroup ?? null,
        });
      }
    },
  };
}

export function readDirectoryObjects(doc: unknown, file: string, kind: RawKind, base = '$'): Contribution {
  const objs = entries(doc, file, base).map(([e, p]) => {
    const id = guid(e, 'id', file, p);
    const name = optStr(e, 'displayName', file, p) ?? id;
    const props: Record<string, JsonValue> = {};
    for (const k of [
      'userPrincipalName',
      'mail',
      'accountEnabled',
      'userType',
      'createdDateTime',
      'servicePrincipalType',
      'appOwnerOrganizationId',
      'signInAudience',
      'publisherDomain',
    ]) {
      const v = e[k];
      if (v !== undefined && v !== null) props[k] = v as JsonValue;
    }
    if (kind === 'users') return { id, kind: 'user' as const, name, props };
    if (kind === 'groups') {
      return {
        id,
        kind: 'group' as const,
        name,
        props: { ...props, securityEnabled: e.securityEnabled as JsonValue },
        roleAssignable: optBool(e, 'isAssignableToRole', file, p) === true,
      };
    }
    if (kind === 'applications')
      return { id, kind: 'application' as const, name, props, appId: guid(e, 'appId', file, p) };
    const spType = optStr(e, 'servicePrincipalType', file, p);
    const appRoles = new Map<string, string>();
    if (Array.isArray(e.appRoles)) {
      e.appRoles.forEach((r, i) => {
        const rp = jsonPathJoin(jsonPathJoin(p, 'appRoles'), i);
        const ro = asObject(r, file, rp);
        const value = optStr(ro, 'value', file, rp);
        if (value) appRoles.set(guid(ro, 'id', file, rp), value);
      });
    }
    // a managed identity's service principal names the resource (or user-assigned identity) behind it
    const resource = Array.isArray(e.alternativeNames)
      ? e.alternativeNames.find(
          (n): n is string => typeof n === 'string' && n.toLowerCase().startsWith('/subscriptions/'),
        )
      : undefined;
    if (resource) props.resourceId = normalizeScope(resource);
    return {
      id,
      kind: spType === 'ManagedIdentity' ? ('managedIdentity' as const) : ('servicePrincipal' as const),
      name,
      props,
      appId: guid(e, 'appId', file, p),
      appRoles,
    };
  });
  return {
    kind,
    file,
    tenantIds: [],
    apply: (t) => {
      for (const o of objs) putObject(t, o);
    },
  };
}

export function readRawExport(doc: unknown, file: string): Contribution {
  const kind = rawKind(doc);
  switch (kind) {
    case 'role-assignments':
      return readRoleAssignments(doc, file);
    case 'role-definitions':
      return readRoleDefinitions(doc, file);
    case 'resources':
      return readResources(doc, file);
    case 'resource': {
      const { res, tenantIds } = readResource(asObject(doc, file, '$'), file, '$');
      return { kind, file, tenantIds, apply: (t) => putResource(t, res) };
    }
    case 'management-groups':
      return readManagementGroups(doc, file);
    case 'management-group':
      return readManagementGroup(doc, file);
    case 'accounts':
      return readAccounts(doc, file);
    case 'users':
    case 'groups':
    case 'service-principals':
    case 'applications':
      return readDirectoryObjects(doc, file, kind);
    default:
      throw new IngestError(file, '$', 'not an Azure CLI export this ingester knows');
  }
}
