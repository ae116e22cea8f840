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

import { narrowToTarget } from '../../ingest/applicability.js';
import type { GraphNode } from '../model.js';
import { type AccessAnswer, canReach, whoCan } from '../queries/access.js';
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
/** tags that name a regulated data class themselves (`pci-scope=true`, `contains=customer-pii`) */
const REGULATED_KEY = /\b(pci|pii|phi|hipaa|gdpr)\b/i;
const REGULATED_VALUE = /\b(pii|pci|phi|cardholder)\b/i;
const YES = /^(true|yes|1|in-scope)$/i;

export function isSensitive(n: GraphNode): boolean {
  const p = n.props as { sensitivity?: unknown; tags?: unknown };
  if (typeof p.sensitivity === 'string' && /high|critical/i.test(p.sensitivity)) return true;
  if (p.tags && typeof p.tags === 'object' && !Array.isArray(p.tags)) {
    return Object.entries(p.tags).some(
      ([k, v]) =>
        typeof v === 'string' &&
        ((SENSITIVE_TAG_KEY.test(k) && SENSITIVE_TAG_VALUE.test(v)) ||
          (REGULATED_KEY.test(k) && YES.test(v)) ||
          REGULATED_VALUE.test(v)),
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
  const dormant = new Map<string, Dormancy>();
  for await (const p of scanNodes(store, ACTIVE_KINDS)) {
    if (isSynthetic(p)) continue;
    const dormancy = dormancyOf(p, o.now, o.days);
    if (dormancy) dormant.set(p.id, dormancy);
  }
  if (dormant.size === 0) return [];
  const q = { maxDepth: o.bounds.maxDepth, timeoutMs: o.bounds.timeoutMs };
  const hits = new Map<string, { answer: AccessAnswer; what: string; severity: Finding['severity'] }>();
  // Admin first: one short forward walk per dormant principal.
  for (const id of dormant.keys()) {
    const admin = await canReach(store, id, { ...q, level: 'admin', limit: 1 });
    const a = admin.answers[0];
    if (a) hits.set(id, { answer: a, what: 'admin access', severity: 'high' });
  }
  // Sensitive data: one who-can per sensitive resource (there are few), narrowed to the
  // actions that act on it, instead of a forward walk per principal whose one shortest
  // path per resource may well be an unrelated account-wide grant.
  for await (const r of scanNodes(store, ['Resource'])) {
    if (!isSensitive(r)) continue;
    const result = await whoCan(
      store,
      r.id,
      await narrowToTarget(store, r.id, { ...q, limit: o.bounds.maxResults }),
    );
    if (result.truncated) o.truncated(`who can reach ${r.id}`);
    for (const a of result.answers) {
      if (!dormant.has(a.node.id) || a.actions.length === 0) continue;
      const write = a.edges.some((e) => e.kind === 'HAS_ACCESS' && writeLike(e.props.levels));
      const prev = hits.get(a.node.id);
      if (prev && (prev.severity === 'high' || !write)) continue;
      // the finding reads principal → … → resource, so flip who-can's resource-anchored answer
      hits.set(a.node.id, {
        answer: { ...a, node: r },
        what: 'sensitive data',
        severity: write ? 'high' : 'medium',
      });
    }
  }
  const out: Finding[] = [];
  for (const [id, hit] of hits) {
    const dormancy = dormant.get(id)!;
    await names.load([id, hit.answer.node.id]);
    const since = dormancy.lastUsed
      ? `unused for ${dormancy.days} days`
      : `never used since its creation ${dormancy.days} days ago`;
    const grant = hit.answer.edges.find((e) => e.kind === 'HAS_ACCESS');
    out.push(
      makeFinding({
        kind: 'dormant-access',
        severity: hit.severity,
        principal: id,
        target: hit.answer.node.id,
        title: `${names.name(id)} is ${since} but still reaches ${hit.what}: ${names.name(hit.answer.node.id)}`,
        path: hit.answer.edges,
        remediation: `Disable or remove ${names.name(id)} (${since})${grant ? `, or remove ${describeVia(grant)}` : ''}.`,
        details: { lastUsed: dormancy.lastUsed, daysUnused: dormancy.days },
      }),
    );
  }
  return out;
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
