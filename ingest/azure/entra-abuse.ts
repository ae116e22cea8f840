/**
 * Abuse edges from Entra: directory roles, Microsoft Graph application permissions and
 * ownership. Tenant-wide capabilities go through one synthetic node each (kind Role,
 * `synthetic: true`) that fans out to its targets, so holders × targets never multiply:
 * holder → CAN_ESCALATE → capability → CAN_ESCALATE → each user / group / service principal.
 * Roles scoped to an administrative unit or one object get direct edges to those targets.
 * Limited password reset roles reach users holding no role plus, per resetting role, users
 * whose every role is one Microsoft lets that role reset (password-reset-targets.ts).
 */
import type { JsonValue, Via } from '../../graph/model.js';
import type { TenantContext } from './context.js';
import {
  directoryRoleInfo,
  type EntraCapability,
  graphPermissionInfo,
  MICROSOFT_GRAPH_APP_ID,
} from './entra-catalog.js';
import { canResetHolderOf, LESSER_ROLES_BY_RESETTER, lesserRoleTemplate } from './password-reset-targets.js';
import { objectNodeId } from './principals.js';
import { scopeAdmin } from './scope-admin.js';
import type { DirectoryObject } from './tenant.js';

export const tenantNodeId = (tenantId: string): string => `azure:tenant:${tenantId}`;
/** Capability node id; the lesser-admin reset node is per resetting role (each has its own target list). */
const capabilityId = (tenantId: string, cap: EntraCapability, resetter?: string) =>
  cap === 'tenant-admin'
    ? `azure:scope-admin:tenant:${tenantId}`
    : `azure:capability:${tenantId}:${cap}${resetter ? `:${resetter}` : ''}`;

/** What the synthetic node of each capability reaches, and with which technique. */
const TARGET_TECHNIQUE: Partial<Record<EntraCapability, string>> = {
  'reset-any-password': 'azure-reset-password',
  'reset-nonadmin-password': 'azure-reset-password',
  'reset-lesser-admin-password': 'azure-reset-password',
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

  // Who a limited resetter may reach depends on the roles the target holds (active or
  // eligible, directly or through a group) and on role-assignable groups it is in or owns.
  const assigned = new Map<string, Set<string>>();
  for (const a of t.directoryRoleAssignments) {
    const set = assigned.get(a.principalId) ?? new Set<string>();
    set.add(lesserRoleTemplate(a.roleTemplateId, a.roleName));
    assigned.set(a.principalId, set);
  }
  const roleAssignable = new Set(
    objects.filter((o) => o.kind === 'group' && o.roleAssignable).map((o) => o.id),
  );
  const ownsRoleAssignable = new Set(
    t.owners.filter((o) => roleAssignable.has(o.objectId)).map((o) => o.ownerId),
  );
  const rolesCache = new Map<string, Set<string>>();
  const rolesOf = (id: string): Set<string> => {
    let out = rolesCache.get(id);
    if (!out) {
      out = new Set(assigned.get(id));
      for (const gid of principals.allGroupsOf(id)) for (const r of assigned.get(gid) ?? []) out.add(r);
      rolesCache.set(id, out);
    }
    return out;
  };
  /** only Privileged Authentication and Global Administrators reset members and owners of role-assignable groups */
  const inRoleAssignableGroup = (id: string) =>
    ownsRoleAssignable.has(id) || [...principals.allGroupsOf(id)].some((gid) => roleAssignable.has(gid));
  const limitedResetTarget = (o: DirectoryObject) => o.kind === 'user' && !inRoleAssignableGroup(o.id);

  const targets: Record<EntraCapability, (resetter?: string) => DirectoryObject[]> = {
    'tenant-admin': () => [],
    'elevate-access': () => [],
    'grant-app-roles': () => [],
    'add-owner': () => [],
    'reset-any-password': () => objects.filter((o) => o.kind === 'user'),
    'reset-nonadmin-password': () => objects.filter((o) => limitedResetTarget(o) && rolesOf(o.id).size === 0),
    'reset-lesser-admin-password': (resetter) =>
      objects.filter((o) => {
        if (!resetter || !limitedResetTarget(o)) return false;
        const roles = rolesOf(o.id);
        return roles.size > 0 && canResetHolderOf(resetter, roles);
      }),
    'add-members-any': () => objects.filter((o) => o.kind === 'group'),
    'add-members-nonrole-assignable': () => objects.filter((o) => o.kind === 'group' && !o.roleAssignable),
    'add-secret': () => objects.filter((o) => o.kind === 'servicePrincipal'),
  };
  const targetNode = (o: DirectoryObject) => objectNodeId(o.kind, o.id);

  const made = new Set<string>();
  const capability = (cap: EntraCapability, resetter?: string): string => {
    if (cap === 'elevate-access') return scopeAdmin(ctx, '/');
    const perRole = cap === 'reset-lesser-admin-password' ? resetter : undefined;
    const id = capabilityId(t.tenantId, cap, perRole);
    if (made.has(id)) return id;
    made.add(id);
    const resetterName = perRole ? directoryRoleInfo(perRole)?.name : undefined;
    g.node({
      id,
      kind: 'Role',
      name:
        cap === 'tenant-admin'
          ? `admin of tenant ${t.tenantId}`
          : `${cap}${resetterName ? ` (${resetterName})` : ''} in tenant ${t.tenantId}`,
      type: cap === 'tenant-admin' ? 'azure:scope-admin' : 'azure:entra-capability',
      props: {
        synthetic: true,
        capability: cap,
        scope: `tenant:${t.tenantId}`,
        ...(perRole
          ? {
              resetterRole: perRole,
              resettableRoles: (LESSER_ROLES_BY_RESETTER.get(perRole) ?? []).map((r) => r.name),
            }
          : {}),
      },
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
      for (const o of targets[cap](perRole)) esc(targetNode(o), technique);
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
          g.edge({
            kind: 'CAN_ESCALATE',
            from,
            to: capability(cap, info.templateId),
            via,
            props,
            discriminator: a.id,
          });
        continue;
      }
      // scoped: an administrative unit's members, or one object (an app stands for its service principal)
      const au = /^\/administrativeunits\/(.+)$/.exec(a.directoryScopeId)?.[1];
      const inScope = new Set(
        au ? (t.administrativeUnits.get(au)?.members ?? []) : [a.directoryScopeId.slice(1)],
      );
      for (const cap of info.capabilities) {
        // scoped to an administrative unit or object, a reset role reaches only users holding no role
        if (cap === 'reset-lesser-admin-password') continue;
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
