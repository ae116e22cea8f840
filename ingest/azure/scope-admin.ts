/**
 * The synthetic admin of a scope: ONE node per scope (`azure:scope-admin:<scope>`, kind
 * Role, `synthetic: true`) standing for "whoever can make itself Owner plus any data role
 * here". Escalation edges point at it, so 1,000 principals that can write role assignments
 * on a subscription cost 1,000 edges, not one per resource below it.
 */
import { ACCESS_LEVELS, type AccessLevel } from '../../graph/model.js';
import type { TenantContext } from './context.js';
import { normalizeScope, scopeKind } from './scope.js';

export const ACCESS_LEVELS_ALL: AccessLevel[] = [...ACCESS_LEVELS].sort();

export const scopeAdminId = (scope: string): string => `azure:scope-admin:${normalizeScope(scope)}`;

export function scopeAdmin(ctx: TenantContext, scope: string): string {
  const s = normalizeScope(scope);
  const id = scopeAdminId(s);
  if (ctx.g.nodes.has(id)) return id;
  const target = ctx.g.scope(s);
  ctx.g.node({
    id,
    kind: 'Role',
    name: `admin of ${ctx.g.nodes.get(target)?.name ?? s}`,
    type: 'azure:scope-admin',
    props: { synthetic: true, scope: s },
  });
  const kind = scopeKind(s);
  ctx.g.edge({
    kind: 'HAS_ACCESS',
    from: id,
    to: target,
    via: {
      ref: id,
      label: 'full control: any role, Owner and data roles included, can be assigned here',
      statement: null,
      excerpt: null,
    },
    props: {
      actions: ctx.catalog.all(),
      levels: ACCESS_LEVELS_ALL,
      conditional: false,
      conditions: null,
      scope: s,
      adminEquivalent: kind === 'root' || kind === 'managementGroup' || kind === 'subscription',
    },
  });
  return id;
}
