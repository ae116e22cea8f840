/**
 * Abuse edges from Entra: directory roles, Microsoft Graph application permissions and
 * ownership. Tenant-wide capabilities go through one synthetic node each (kind Role,
 * `synthetic: true`) that fans out to its targets, so holders × targets never multiply:
 * holder → CAN_ESCALATE → capability → CAN_ESCALATE → each user / group / service principal.
 * Roles scoped to an administrative unit or one object get direct edges to those targets.
 */
import type { JsonValue, Via } from '../../graph/model.js';
import type { TenantContext } from './context.js';
import {
  directoryRoleInfo,
  type EntraCapability,
  graphPermissionInfo,
  MICROSOFT_GRAPH_APP_ID,
} from './entra-catalog.js';
import { objectNodeId } from './principals.js';
import { scopeAdmin } from './scope-admin.js';
import type { DirectoryObject } from './tenant.js';

export const tenantNodeId = (tenantId: string): string => `azure:tenant:${tenantId}`;
const capabilityId = (tenantId: string, cap: EntraCapability) =>
  cap === 'tenant-admin' ? `azure:scope-admin:tenant:${tenantId}` : `azure:capability:${tenantId}:${cap}`;

/** What the synthetic node of each capability reaches, and with which technique. */
const TARGET_TECHNIQUE: Partial<Record<EntraCapability, string>> = {
  'reset-any-password': 'azure-reset-password',
  'reset-nonadmin-password': 'azure-reset-password',
  'add-members-any': 'azure-add-members',
  'add-members-nonrole-assignable': 'azure-add-members',
  'add-secret': 'azure-add-secret',
};

export function emitEntraAbuse(ctx: TenantContext, coveredGroups: Map<string, Set<string>>): void {
  const { t, g, principals } = ctx;
  const tenant = tenantNodeId(t.tenantId);
  const objects = [...t.objects.values()];
  const spOfApp = new Map<string, DirectoryObject>();
  for (const o of objects) if (o.kind === 'servicePrincipal' && o.appId) spOfApp.set(o.appId, o);

  /** Principals that hold a directory role (active or eligible), directly or through a role-assignable group. */
  const roleHolders = new Set(t.directoryRoleAssignments.map((a) => a.principalId));
  const isAdmin = (id: string) =>
    roleHolders.has(id) || [...principals.allGroupsOf(id)].some((gid) => roleHolders.has(gid));

  const targets: Record<EntraCapability, () => DirectoryObject[]> = {
    'tenant-admin': () => [],
    'elevate-access': () => [],
    'grant-app-roles': () => [],
    'add-owner': () => [],
    'reset-any-password': () => objects.filter((o) => o.kind === 'user'),
    'reset-nonadmin-password': () => objects.filter((o) => o.kind === 'user' && !isAdmin(o.id)),
    'add-members-any': () => objects.filter((o) => o.kind === 'group'),
    'add-members-nonrole-assignable': () => objects.filter((o) => o.kind === 'group' && !o.roleAssignable),
    'add-secret': () => objects.filter((o) => o.kind === 'servicePrincipal'),
  };
  const targetNode = (o: DirectoryObject) => objectNodeId(o.kind, o.id);

  const made = new Set<EntraCapability>();
  const capability = (cap: EntraCapability): string => {
    if (cap === 'elevate-access') return scopeAdmin(ctx, '/');
    const id = capabilityId(t.tenantId, cap);
    if (made.has(cap)) return id;
    made.add(cap);
    g.node({
      id,
      kind: 'Role',
      name: cap === 'tenant-admin' ? `admin of tenant ${t.tenantId}` : `${cap} in tenant ${t.tenantId}`,
      type: cap === 'tenant-admin' ? 'azure:scope-admin' : 'azure:entra-capability',
      props: { synthetic: true, capability: cap, scope: `tenant:${t.tenantId}` },
    });
    const via: Via = { ref: id, label: `Entra capability ${cap}`, statement: null, excerpt: null };
    const esc = (to: string, technique: string) =>
      g.edge({
        kind: 'CAN_ESCALATE',
        from: id,
        to,
        via,
        props: { technique, conditional: false, conditions: null },
      });
    if (cap === 'tenant-admin') {
      g.edge({
        kind: 'HAS_ACCESS',
        from: id,
        to: tenant,
        via: { ...via, label: 'full control of the directory' },
        props: {
          actions: [],
          levels: ['admin', 'permissions', 'read', 'write'],
          conditional: false,
          conditions: null,
          adminEquivalent: true,
        },
      });
      // a tenant admin can make itself Global Administrator, then elevate to User Access Administrator at `/`
      esc(scopeAdmin(ctx, '/'), 'azure-elevate-access');
      for (const c of ['reset-any-password', 'add-members-any', 'add-secret'] as const)
        esc(capability(c), 'azure-tenant-admin');
    } else if (cap === 'add-owner') {
      esc(capability('add-secret'), 'azure-add-owner');
    } else if (cap === 'grant-app-roles') {
      esc(capability('tenant-admin'), 'azure-graph-grant-role-management');
    } else {
      const technique = TARGET_TECHNIQUE[cap] ?? cap;
      for (const o of targets[cap]()) esc(targetNode(o), technique);
    }
    return id;
  };

  /** A group holder's edges also go to members whose MEMBER_OF edges are not travelled. */
  const holdersFor = (principalId: string, principalType: string | null) => {
    const out = [principals.nodeId(principalId, principalType)];
    for (const [m, groups] of coveredGroups) if (groups.has(principalId)) out.push(principals.nodeId(m));
    return out;
  };

  for (const a of t.directoryRoleAssignments) {
    const info = directoryRoleInfo(a.roleTemplateId, a.roleName);
    const roleNode = `azure:directoryrole:${a.roleTemplateId}`;
    g.node({
      id: roleNode,
      kind: 'RoleDefinition',
      name: info?.name ?? a.roleName ?? a.roleTemplateId,
      type: 'azure:entra-role',
      props: { templateId: a.roleTemplateId, catalogued: info !== undefined },
    });
    const holderNode = principals.nodeId(a.principalId);
    const holder = g.nodes.get(holderNode);
    if (holder) {
      const key = a.eligible ? 'eligibleDirectoryRoles' : 'directoryRoles';
      const prev = (holder.props?.[key] as string[] | undefined) ?? [];
      const name = info?.name ?? a.roleName ?? a.roleTemplateId;
      if (!prev.includes(name)) g.mergeProps(holderNode, { [key]: [...prev, name] });
    }
    if (!info) continue;
    const via: Via = {
      ref: roleNode,
      label: `${info.name} (Entra role${a.eligible ? ', PIM eligible' : ''}${a.directoryScopeId !== '/' ? ` scoped to ${a.directoryScopeId}` : ''})`,
      statement: a.id,
      excerpt: {
        principalId: a.principalId,
        roleDefinitionId: a.roleTemplateId,
        directoryScopeId: a.directoryScopeId,
      },
    };
    const props = {
      technique: info.technique,
      conditional: a.eligible,
      conditions: a.eligible ? ({ pimEligible: true } as JsonValue) : null,
    };
    for (const from of holdersFor(a.principalId, null)) {
      if (a.directoryScopeId === '/') {
        for (const cap of info.capabilities)
          g.edge({ kind: 'CAN_ESCALATE', from, to: capability(cap), via, props, discriminator: a.id });
        continue;
      }
      // scoped: an administrative unit's members, or one object (an app stands for its service principal)
      const au = /^\/administrativeunits\/(.+)$/.exec(a.directoryScopeId)?.[1];
      const inScope = new Set(
        au ? (t.administrativeUnits.get(au)?.members ?? []) : [a.directoryScopeId.slice(1)],
      );
      for (const cap of info.capabilities) {
        for (const o of targets[cap]()) {
          const app = o.appId
            ? objects.find((x) => x.kind === 'application' && x.appId === o.appId)
            : undefined;
          if (!inScope.has(o.id) && !(app && inScope.has(app.id))) continue;
          g.edge({ kind: 'CAN_ESCALATE', from, to: targetNode(o), via, props, discriminator: a.id });
        }
      }
    }
  }

  for (const ar of t.appRoleAssignments) {
    const resource = t.objects.get(ar.resourceId);
    if (resource?.appId && resource.appId !== MICROSOFT_GRAPH_APP_ID) continue;
    const value = resource?.appRoles?.get(ar.appRoleId) ?? ar.appRoleValue;
    const info = graphPermissionInfo(ar.appRoleId, value);
    if (!info) continue;
    const via: Via = {
      ref: `azure:graph-permission:${info.id}`,
      label: `${info.value} (Microsoft Graph application permission)`,
      statement: null,
      excerpt: { principalId: ar.principalId, resourceId: ar.resourceId, appRoleId: ar.appRoleId },
    };
    for (const cap of info.capabilities)
      g.edge({
        kind: 'CAN_ESCALATE',
        from: principals.nodeId(ar.principalId, 'ServicePrincipal'),
        to: capability(cap),
        via,
        props: { technique: info.technique, conditional: false, conditions: null },
      });
  }

  for (const own of t.owners) {
    const obj = t.objects.get(own.objectId);
    if (!obj) {
      ctx.warnings.push(
        `${own.origin.file}: ${own.origin.path}: owned object ${own.objectId} is not in the inputs; ownership skipped`,
      );
      continue;
    }
    let to: string | null = null;
    let technique = '';
    if (obj.kind === 'group') [to, technique] = [targetNode(obj), 'azure-group-owner'];
    else if (obj.kind === 'servicePrincipal')
      [to, technique] = [targetNode(obj), 'azure-sp-owner-add-secret'];
    else if (obj.kind === 'application') {
      const sp = obj.appId ? spOfApp.get(obj.appId) : undefined;
      if (sp) [to, technique] = [targetNode(sp), 'azure-app-owner-add-secret'];
    }
    if (!to) continue;
    g.edge({
      kind: 'CAN_ESCALATE',
      from: principals.nodeId(own.ownerId),
      to,
      via: {
        ref: objectNodeId(obj.kind, obj.id),
        label: `owner of ${obj.name}`,
        statement: null,
        excerpt: { objectId: own.objectId, ownerId: own.ownerId },
      },
      props: { technique, conditional: false, conditions: null },
    });
  }
}
