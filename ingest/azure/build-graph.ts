/** One tenant's data → one source (`azure:<tenantId>`): inventory nodes, then RBAC, then abuse edges. */
import type { JsonValue } from '../../graph/model.js';
import type { IngestedSource } from '../types.js';
import type { TenantContext } from './context.js';
import { evaluateRbac } from './emit-rbac.js';
import { emitEntraAbuse, tenantNodeId } from './entra-abuse.js';
import { AzureGraph } from './graph-builder.js';
import { emitVaultAccessPolicies } from './key-vault-access.js';
import { OperationCatalog } from './operations.js';
import { NODE_KIND, objectNodeId, PrincipalIndex } from './principals.js';
import { emitPublicBlobAccess } from './public-blob.js';
import { emitRbacAbuse } from './rbac-abuse.js';
import { builtinRoles } from './role-definitions.js';
import { managementGroupScope, ScopeTree, scopeNodeId, subscriptionScope } from './scope.js';
import { putObject, type TenantData } from './tenant.js';

export const AZURE_SOURCE_PREFIX = 'azure:';

function scopeTree(t: TenantData): ScopeTree {
  const tree = new ScopeTree();
  const root = t.managementGroups.get(t.tenantId)
    ? t.tenantId
    : [...t.managementGroups.values()].filter((m) => m.parent === null).map((m) => m.id)[0];
  if (root) tree.rootGroup = managementGroupScope(root);
  for (const mg of t.managementGroups.values()) {
    if (mg.parent) tree.mgParent.set(managementGroupScope(mg.id), managementGroupScope(mg.parent));
  }
  for (const s of t.subscriptions.values())
    if (s.managementGroup)
      tree.subscriptionParent.set(subscriptionScope(s.id), managementGroupScope(s.managementGroup));
  return tree;
}

/** Resources' managed identities are directory objects too; make sure each is one, of kind managedIdentity. */
function adoptIdentities(t: TenantData): void {
  for (const res of t.resources.values()) {
    for (const id of res.identities) {
      const ua = id.userAssignedId ? t.resources.get(id.userAssignedId) : undefined;
      const known = t.objects.get(id.principalId);
      putObject(t, {
        id: id.principalId,
        kind: 'managedIdentity',
        name:
          known?.name ??
          (id.kind === 'system'
            ? `${res.name} (system-assigned)`
            : (ua?.name ?? id.userAssignedId ?? id.principalId)),
        props: {
          identityType: id.kind === 'system' ? 'SystemAssigned' : 'UserAssigned',
          resourceId: id.userAssignedId ?? res.scope,
        },
      });
    }
  }
}

export function buildTenantGraph(t: TenantData): IngestedSource {
  adoptIdentities(t);
  const tree = scopeTree(t);
  const names = new Map<string, string>();
  for (const mg of t.managementGroups.values()) names.set(managementGroupScope(mg.id), mg.name);
  for (const s of t.subscriptions.values()) names.set(subscriptionScope(s.id), s.name);
  for (const r of t.resources.values()) names.set(r.scope, r.name);
  const source = `${AZURE_SOURCE_PREFIX}${t.tenantId}`;
  const g = new AzureGraph(source, tree, (s) => names.get(s));
  const catalog = new OperationCatalog();
  for (const d of builtinRoles().values()) catalog.learn(d);
  for (const d of t.roleDefinitions.values()) catalog.learn(d);
  const ctx: TenantContext = {
    t,
    g,
    catalog,
    tree,
    principals: new PrincipalIndex(t),
    warnings: [...t.warnings],
  };

  const tenant = tenantNodeId(t.tenantId);
  g.node({
    id: tenant,
    kind: 'Organization',
    name: `Entra tenant ${t.tenantId}`,
    type: 'azure:tenant',
    props: { tenantId: t.tenantId },
  });
  g.scope('/', true);
  for (const mg of t.managementGroups.values()) g.scope(managementGroupScope(mg.id), true);
  for (const s of t.subscriptions.values()) g.scope(subscriptionScope(s.id), true);
  for (const r of t.resources.values()) {
    const props: Record<string, JsonValue> = {
      ...r.props,
      scope: r.scope,
      armId: r.armId,
      location: r.location,
      inventoried: true,
    };
    if (r.vaultRbac !== undefined) props.enableRbacAuthorization = r.vaultRbac;
    g.node({ id: scopeNodeId(r.scope), kind: 'Resource', name: r.name, type: r.type, props });
    const parent = tree.parent(r.scope);
    if (parent !== null)
      g.edge({ kind: 'CONTAINS', from: g.scope(parent), to: scopeNodeId(r.scope), via: null, props: {} });
    for (const id of r.identities)
      g.edge({
        kind: 'RUNS_AS',
        from: scopeNodeId(r.scope),
        to: objectNodeId('managedIdentity', id.principalId),
        via: null,
        props: {},
      });
  }
  emitPublicBlobAccess(ctx);
  for (const o of t.objects.values()) {
    const id = objectNodeId(o.kind, o.id);
    const props: Record<string, JsonValue> = { ...o.props, objectId: o.id };
    if (o.appId) props.appId = o.appId;
    if (o.kind === 'group') props.roleAssignable = o.roleAssignable === true;
    const si = t.signIns.get(o.id);
    if (si) {
      props.lastSignIn = si.lastSignIn;
      props.lastNonInteractiveSignIn = si.lastNonInteractiveSignIn;
      const last = [si.lastSignIn, si.lastNonInteractiveSignIn]
        .filter((d): d is string => !!d)
        .sort()
        .pop();
      // both dates empty: never signed in (findings measure that from createdAt)
      props.lastUsed = last ?? null;
    }
    if (typeof o.props.createdDateTime === 'string') props.createdAt = o.props.createdDateTime;
    g.node({
      id,
      kind: NODE_KIND[o.kind],
      name: o.name,
      type: o.kind === 'application' ? 'Microsoft.Graph/applications' : `azure:${o.kind}`,
      props,
    });
    g.edge({ kind: 'CONTAINS', from: tenant, to: id, via: null, props: {} });
  }

  const rbac = evaluateRbac(ctx);
  for (const m of t.memberships) {
    const materialized = rbac.materializedVia.get(m.memberId)?.has(m.groupId) === true;
    g.edge({
      kind: 'MEMBER_OF',
      from: ctx.principals.nodeId(m.memberId),
      to: ctx.principals.nodeId(m.groupId, 'Group'),
      via: null,
      props: materialized ? { grantsMaterialized: true } : {},
    });
  }
  emitRbacAbuse(ctx, rbac.grants);
  emitEntraAbuse(ctx, rbac.coveredGroups);
  emitVaultAccessPolicies(ctx, rbac.coveredGroups);
  addStubPrincipals(ctx);

  return {
    descriptor: {
      id: source,
      cloud: 'azure',
      meta: { tenantId: t.tenantId, inputs: [...t.files].sort(), collectedAt: t.collectedAt },
    },
    nodes: [...g.nodes.values()],
    edges: [...g.edges.values()],
    warnings: ctx.warnings,
  };
}

/** Principals that grants or memberships name but no input describes get a node marked not inventoried. */
function addStubPrincipals(ctx: TenantContext): void {
  const kinds = [
    ['azure:user:', 'User'],
    ['azure:group:', 'Group'],
    ['azure:sp:', 'ServicePrincipal'],
    ['azure:managedidentity:', 'ManagedIdentity'],
    ['azure:principal:', 'External'],
  ] as const;
  for (const e of [...ctx.g.edges.values()]) {
    for (const end of [e.from, e.to]) {
      if (ctx.g.nodes.has(end)) continue;
      const k = kinds.find(([p]) => end.startsWith(p));
      if (!k) continue;
      const objectId = end.slice(k[0].length);
      ctx.g.node({
        id: end,
        kind: k[1],
        name: objectId,
        type: 'azure:unknown-principal',
        props: { objectId, inventoried: false },
      });
      ctx.g.edge({ kind: 'CONTAINS', from: tenantNodeId(ctx.t.tenantId), to: end, via: null, props: {} });
    }
  }
}
