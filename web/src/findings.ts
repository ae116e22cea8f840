/**
 * Findings in the explorer: severity order and labels, the page-side filters, and the
 * conversion of a finding's path into the drawn graph.
 */
import type { Finding, FindingSummary, GEdge, Severity } from './api';
import { buildPathsGraph, type VGraph } from './model';

export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export const isSeverity = (v: unknown): v is Severity =>
  typeof v === 'string' && (SEVERITIES as string[]).includes(v);

/** The schema's FindingKind values, in the order the chips show them. */
export const FINDING_KINDS = [
  'PRIVILEGE_ESCALATION',
  'ADMIN_EQUIVALENT',
  'PUBLIC_ACCESS',
  'CROSS_ACCOUNT_ACCESS',
  'EXTERNAL_TRUST',
  'DORMANT_ACCESS',
  'UNUSED_PERMISSIONS',
  'EXTERNAL_MEMBER',
  'DEFAULT_SERVICE_ACCOUNT_ADMIN',
] as const;

export const kindLabel = (kind: string) => kind.toLowerCase().replaceAll('_', ' ');

export interface FindingFilters {
  /** empty: every kind */
  kinds: ReadonlySet<string>;
  minSeverity: Severity | null;
  text: string;
}

export function parseKinds(v: string | undefined): Set<string> {
  return new Set((v ?? '').split(',').filter((k) => (FINDING_KINDS as readonly string[]).includes(k)));
}

export function matchesText(f: FindingSummary, text: string): boolean {
  if (!text) return true;
  const t = text.toLowerCase();
  return [
    f.title,
    f.technique,
    kindLabel(f.kind),
    f.principal?.name,
    f.principal?.id,
    f.target?.name,
    f.target?.id,
  ].some((s) => !!s && s.toLowerCase().includes(t));
}

export function filterFindings<T extends FindingSummary>(all: readonly T[], f: FindingFilters): T[] {
  const max = f.minSeverity ? SEVERITY_RANK[f.minSeverity] : SEVERITY_RANK.info;
  return all.filter(
    (x) =>
      (f.kinds.size === 0 || f.kinds.has(x.kind)) &&
      SEVERITY_RANK[x.severity] <= max &&
      matchesText(x, f.text),
  );
}

/** How many of each severity, for the summary and the severity filter. */
export function countBy<T>(items: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

/** The id a hop has in the graph and in the URL (`hop=2`: the second hop, counted from 1). */
export const hopId = (i: number) => `hop:${i + 1}`;
export const hopFromRoute = (v: string | undefined) => (v && /^\d+$/.test(v) ? `hop:${v}` : null);
export const hopToRoute = (id: string) => id.replace(/^hop:/, '');

/** The finding's hops as explorer edges, so the graph and HopDetails treat them like any other hop. */
export function findingEdges(f: Finding): GEdge[] {
  return f.path.map((h, i) => ({
    id: hopId(i),
    kind: h.edge,
    from: h.from,
    to: h.to,
    // findings are computed across sources; the hop carries no source of its own
    source: '',
    via: h.via,
    actions: h.actions,
    levels: null,
    conditional: h.conditional,
    conditions: null,
    technique: h.technique,
  }));
}

/** The drawn graph: the path from the principal (left) to what it reaches (right). */
export function findingGraph(f: Finding): VGraph {
  const edges = findingEdges(f);
  const from = f.principal?.id ?? edges[0]?.from ?? '';
  const to = f.target?.id ?? edges.at(-1)?.to ?? '';
  const g = buildPathsGraph([edges], f.pathNodes, from, to);
  // a finding without hops (e.g. unused permissions of one principal) still shows its principal
  if (g.nodes.length === 0 && f.pathNodes[0]) {
    const n = f.pathNodes[0];
    g.nodes.push({ id: n.id, label: n.name || n.id, kind: n.kind, role: 'anchor', cloud: n.cloud, node: n });
  }
  return g;
}
