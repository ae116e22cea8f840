/**
 * dormant-access: principals unused for more than N days (or never used since creation
 * more than N days ago) that still reach admin or sensitive access.
 * unused-permissions: principals whose last-accessed data (`props.servicesLastAccessed`,
 * AWS's service last-accessed report: [{ namespace, lastAccessed | null }]) shows granted
 * services not used within N days.
 *
 * Node properties read: `lastUsed` (ISO date; null = known never used), `createdAt`,
 * `sensitivity` and `tags` on resources.
 */
import type { GraphNode } from '../model.js';
import { canReach } from '../queries/access.js';
import type { GraphStore } from '../store.js';
import { describeVia, isSynthetic, makeFinding, type NodeNames } from './finding.js';
import type { Finding } from './types.js';
import { scanNodes, type WalkBounds } from './walk.js';

const DAY_MS = 86_400_000;
const ACTIVE_KINDS = ['User', 'Role', 'ServiceAccount', 'ServicePrincipal', 'ManagedIdentity'] as const;

export interface Dormancy {
  /** last use, or null when the principal was never used */
  lastUsed: string | null;
  days: number;
}

/** Whether a principal has been unused for more than `days` as of `now`, from what its node records. */
export function dormancyOf(n: GraphNode, now: Date, days: number): Dormancy | null {
  const p = n.props as { lastUsed?: unknown; createdAt?: unknown };
  const age = (iso: unknown): number | null => {
    if (typeof iso !== 'string') return null;
    const t = Date.parse(iso);
    return Number.isNaN(t) ? null : Math.floor((now.getTime() - t) / DAY_MS);
  };
  if (typeof p.lastUsed === 'string') {
    const d = age(p.lastUsed);
    return d !== null && d > days ? { lastUsed: p.lastUsed, days: d } : null;
  }
  if (p.lastUsed === null) {
    const d = age(p.createdAt);
    return d !== null && d > days ? { lastUsed: null, days: d } : null;
  }
  return null; // nothing recorded: unknown, not dormant
}

const SENSITIVE_TAG_KEY = /sensitiv|classification|data-?class/i;
const SENSITIVE_TAG_VALUE = /high|critical|confidential|restricted|secret|pii|pci|phi/i;

export function isSensitive(n: GraphNode): boolean {
  const p = n.props as { sensitivity?: unknown; tags?: unknown };
  if (typeof p.sensitivity === 'string' && /high|critical/i.test(p.sensitivity)) return true;
  if (p.tags && typeof p.tags === 'object' && !Array.isArray(p.tags)) {
    return Object.entries(p.tags).some(
      ([k, v]) => SENSITIVE_TAG_KEY.test(k) && typeof v === 'string' && SENSITIVE_TAG_VALUE.test(v),
    );
  }
  return false;
}

export interface DormantOptions {
  now: Date;
  days: number;
  bounds: WalkBounds;
  truncated: (why: string) => void;
}

export async function dormantFindings(
  store: GraphStore,
  names: NodeNames,
  o: DormantOptions,
): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const p of scanNodes(store, ACTIVE_KINDS)) {
    if (isSynthetic(p)) continue;
    const dormancy = dormancyOf(p, o.now, o.days);
    if (!dormancy) continue;
    const f = await dormantFinding(store, names, p, dormancy, o);
    if (f) out.push(f);
  }
  return out;
}

async function dormantFinding(
  store: GraphStore,
  names: NodeNames,
  p: GraphNode,
  dormancy: Dormancy,
  o: DormantOptions,
): Promise<Finding | null> {
  const q = { maxDepth: o.bounds.maxDepth, timeoutMs: o.bounds.timeoutMs };
  const admin = await canReach(store, p.id, { ...q, level: 'admin', limit: 1 });
  let hit = admin.answers[0];
  let what = 'admin access';
  let severity: Finding['severity'] = 'high';
  if (!hit) {
    const any = await canReach(store, p.id, { ...q, limit: o.bounds.maxResults });
    if (any.truncated) o.truncated(`what ${p.id} can reach`);
    const sensitive = any.answers.filter((a) => isSensitive(a.node));
    const writes = sensitive.find((a) =>
      a.edges.some((e) => e.kind === 'HAS_ACCESS' && writeLike(e.props.levels)),
    );
    hit = writes ?? sensitive[0];
    what = 'sensitive data';
    severity = writes ? 'high' : 'medium';
  }
  if (!hit) return null;
  await names.load([p.id, hit.node.id]);
  const since = dormancy.lastUsed
    ? `unused for ${dormancy.days} days`
    : `never used in ${dormancy.days} days`;
  const grant = hit.edges.find((e) => e.kind === 'HAS_ACCESS');
  return makeFinding({
    kind: 'dormant-access',
    severity,
    principal: p.id,
    target: hit.node.id,
    title: `${names.name(p.id)} is ${since} but still reaches ${what}: ${names.name(hit.node.id)}`,
    path: hit.edges,
    remediation: `Disable or remove ${names.name(p.id)} (${since})${grant ? `, or remove ${describeVia(grant)}` : ''}.`,
    details: { lastUsed: dormancy.lastUsed, daysUnused: dormancy.days },
  });
}

const writeLike = (levels: readonly string[]) =>
  levels.some((l) => l === 'admin' || l === 'write' || l === 'permissions');

interface ServiceAccess {
  namespace: string;
  lastAccessed: string | null;
}

function servicesLastAccessed(n: GraphNode): ServiceAccess[] | null {
  const v = (n.props as { servicesLastAccessed?: unknown }).servicesLastAccessed;
  if (!Array.isArray(v)) return null;
  return v.flatMap((x) => {
    const r = x as { namespace?: unknown; lastAccessed?: unknown };
    if (typeof r?.namespace !== 'string') return [];
    return [
      {
        namespace: r.namespace.toLowerCase(),
        lastAccessed: typeof r.lastAccessed === 'string' ? r.lastAccessed : null,
      },
    ];
  });
}

export async function unusedPermissionFindings(
  store: GraphStore,
  names: NodeNames,
  o: DormantOptions,
): Promise<Finding[]> {
  const out: Finding[] = [];
  const cutoff = o.now.getTime() - o.days * DAY_MS;
  for await (const p of scanNodes(store, ACTIVE_KINDS)) {
    const report = servicesLastAccessed(p);
    if (!report || isSynthetic(p)) continue;
    const unused = new Set(
      report
        .filter((s) => s.lastAccessed === null || Date.parse(s.lastAccessed) < cutoff)
        .map((s) => s.namespace),
    );
    if (unused.size === 0) continue;
    // only what the principal is still granted counts: the report lists services it could use
    const reach = await canReach(store, p.id, {
      maxDepth: o.bounds.maxDepth,
      timeoutMs: o.bounds.timeoutMs,
      limit: o.bounds.maxResults,
    });
    if (reach.truncated) o.truncated(`what ${p.id} can reach`);
    const unusedActions = new Set<string>();
    const grants = new Map<string, string>();
    for (const a of reach.answers) {
      const grant = a.edges.find((e) => e.kind === 'HAS_ACCESS');
      for (const action of a.actions) {
        const ns = action.split(':')[0] ?? '';
        if (!unused.has(ns)) continue;
        unusedActions.add(action);
        if (grant) grants.set(grant.id, describeVia(grant));
      }
    }
    if (unusedActions.size === 0) continue;
    await names.load([p.id]);
    const services = [...new Set([...unusedActions].map((a) => a.split(':')[0] ?? ''))].sort();
    out.push(
      makeFinding({
        kind: 'unused-permissions',
        severity: unusedActions.size >= 100 ? 'medium' : 'low',
        principal: p.id,
        target: p.id,
        title: `${names.name(p.id)} holds ${unusedActions.size} permissions in ${services.length} services unused for ${o.days}+ days`,
        path: [],
        remediation: `Remove ${services.join(', ')} from ${[...grants.values()].slice(0, 5).join('; ')}${
          grants.size > 5 ? ` and ${grants.size - 5} more` : ''
        }.`,
        details: { unusedServices: services, unusedActionCount: unusedActions.size, days: o.days },
      }),
    );
  }
  return out;
}
