/**
 * Azure scopes: the root `/`, management groups, subscriptions, resource groups and
 * resources, all ARM ids. Ids are compared lowercase (ARM ids are case-insensitive), and a
 * scope's node id is `azure:` + the lowercased ARM id.
 */

export type ScopeKind = 'root' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource';

const MG_PREFIX = '/providers/microsoft.management/managementgroups/';

export function normalizeScope(scope: string): string {
  let s = scope.trim().toLowerCase();
  if (!s.startsWith('/')) s = `/${s}`;
  while (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

export const scopeNodeId = (scope: string): string => `azure:${normalizeScope(scope)}`;
export const managementGroupScope = (id: string): string => `${MG_PREFIX}${id.toLowerCase()}`;
export const subscriptionScope = (id: string): string => `/subscriptions/${id.toLowerCase()}`;

export function scopeKind(scope: string): ScopeKind | null {
  const s = normalizeScope(scope);
  if (s === '/') return 'root';
  const parts = s.split('/').slice(1);
  if (s.startsWith(MG_PREFIX) && parts.length === 4) return 'managementGroup';
  if (parts[0] !== 'subscriptions' || !parts[1]) return null;
  if (parts.length === 2) return 'subscription';
  if (parts[2] === 'resourcegroups' && parts.length === 4 && parts[3]) return 'resourceGroup';
  if (parts.includes('providers') && parts.length >= 5) return 'resource';
  return null;
}

export function subscriptionOf(scope: string): string | null {
  const m = /^\/subscriptions\/([^/]+)/.exec(normalizeScope(scope));
  return m?.[1] ?? null;
}

/** `Microsoft.Compute/virtualMachines` (lowercased) for a resource id: namespace and type chain. */
export function resourceTypeOf(scope: string): string | null {
  const s = normalizeScope(scope);
  const at = s.lastIndexOf('/providers/');
  if (at < 0) return null;
  const segs = s.slice(at + '/providers/'.length).split('/');
  const ns = segs[0];
  const types = segs.slice(1).filter((_, i) => i % 2 === 0);
  return ns && types.length ? [ns, ...types].join('/') : null;
}

/** The ARM parent of a resource or resource group (resources nest; extension resources sit on their parent). */
function armParent(s: string): string | null {
  const kind = scopeKind(s);
  if (kind === 'resourceGroup') return s.split('/').slice(0, 3).join('/');
  if (kind !== 'resource') return null;
  const at = s.lastIndexOf('/providers/');
  const segs = s.slice(at + '/providers/'.length).split('/');
  const pairs = (segs.length - 1) / 2;
  if (pairs > 1) return s.split('/').slice(0, -2).join('/');
  return s.slice(0, at) || '/';
}

/** Management group hierarchy and where each subscription sits in it. */
export class ScopeTree {
  /** management group scope → parent scope (another management group, or `/`) */
  readonly mgParent = new Map<string, string>();
  /** subscription scope → management group scope */
  readonly subscriptionParent = new Map<string, string>();
  /** the tenant root group's scope, when known */
  rootGroup: string | null = null;

  parent(scope: string): string | null {
    const s = normalizeScope(scope);
    switch (scopeKind(s)) {
      case 'root':
        return null;
      case 'managementGroup':
        return this.mgParent.get(s) ?? (s === this.rootGroup ? '/' : (this.rootGroup ?? '/'));
      case 'subscription':
        return this.subscriptionParent.get(s) ?? this.rootGroup ?? '/';
      default:
        return armParent(s);
    }
  }

  /** The scope itself, then its parents up to `/`. */
  chain(scope: string): string[] {
    const out: string[] = [];
    for (let s: string | null = normalizeScope(scope); s !== null; s = this.parent(s)) {
      if (out.includes(s)) break; // a cycle in a bad hierarchy: the input check reports it
      out.push(s);
    }
    return out;
  }

  /** Whether `inner` is `outer` or lies below it. */
  within(inner: string, outer: string): boolean {
    return this.chain(inner).includes(normalizeScope(outer));
  }
}
