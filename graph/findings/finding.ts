/**
 * Building blocks every finding kind shares: the stable id reports diff on, severity
 * arithmetic, node names for titles, and the remediation sentence that names the statement.
 */
import { createHash } from 'node:crypto';
import type { GraphEdge, GraphNode, JsonObject } from '../model.js';
import { toHop } from '../queries/access.js';
import type { GraphStore } from '../store.js';
import { type Finding, type FindingKind, SEVERITIES, type Severity } from './types.js';

export function findingId(kind: FindingKind, principal: string, target: string, technique = ''): string {
  const h = createHash('sha256').update([kind, principal, target, technique].join('\u0000')).digest('hex');
  return `${kind}:${h.slice(0, 16)}`;
}

/** One band less severe (a condition AWS cannot decide statically may block the path). */
export function softened(s: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.indexOf(s) + 1, SEVERITIES.length - 1)] ?? s;
}

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

export function isConditional(path: readonly GraphEdge[]): boolean {
  return path.some((e) => (e.props as { conditional?: unknown }).conditional === true);
}

/** Ingester-made nodes standing for "administrator of a scope" are targets, never culprits. */
export const isSynthetic = (n: GraphNode | undefined): boolean =>
  (n?.props as { synthetic?: unknown } | undefined)?.synthetic === true;

/**
 * Whether a node is reported as the holder of admin or escalation findings: our own
 * principals only. Outsiders (other accounts, services, the public) are exposure findings.
 */
export const isInsider = (n: GraphNode | undefined): boolean =>
  n !== undefined && n.kind !== 'External' && !isSynthetic(n);

/** Names of nodes, fetched in one batch per call, cached for the whole findings run. */
export class NodeNames {
  private readonly nodes = new Map<string, GraphNode>();
  constructor(private readonly store: GraphStore) {}

  async load(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.nodes.has(id));
    for (let i = 0; i < missing.length; i += 500) {
      for (const n of await this.store.getNodes(missing.slice(i, i + 500))) this.nodes.set(n.id, n);
    }
  }

  node(id: string): GraphNode | undefined {
    return this.nodes.get(id);
  }

  /** The node's name, with its account when the id names one the name does not (roles of the same name in many accounts). */
  name(id: string): string {
    const name = this.nodes.get(id)?.name ?? id;
    const account = /:(\d{12}):/.exec(id)?.[1];
    return account && name !== id && !name.includes(account) ? `${name} (${account})` : name;
  }
}

/** "statement 2 of AdminAccess (managed policy)", or the edge kind when nothing is recorded. */
export function describeVia(e: GraphEdge): string {
  const via = e.via;
  if (!via) return `the ${e.kind} edge ${e.from} → ${e.to}`;
  return via.statement === null || via.statement === undefined
    ? `"${via.label}"`
    : `statement ${JSON.stringify(via.statement)} of "${via.label}"`;
}

export interface FindingDraft {
  kind: FindingKind;
  severity: Severity;
  principal: string;
  target: string;
  technique?: string;
  title: string;
  path: readonly GraphEdge[];
  remediation: string;
  details?: JsonObject;
}

export function makeFinding(d: FindingDraft): Finding {
  const conditional = isConditional(d.path);
  const f: Finding = {
    id: findingId(d.kind, d.principal, d.target, d.technique),
    kind: d.kind,
    severity: conditional ? softened(d.severity) : d.severity,
    principal: d.principal,
    target: d.target,
    title: d.title,
    path: d.path.map(toHop),
    remediation: d.remediation,
    conditional,
  };
  if (d.technique !== undefined) f.technique = d.technique;
  if (d.details !== undefined) f.details = d.details;
  return f;
}
