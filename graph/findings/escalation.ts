/**
 * privilege-escalation: every CAN_ESCALATE edge the ingesters derived, and every principal
 * that can become its holder (through groups, role assumption or another escalation), with
 * the whole path. Gaining an administrator (a synthetic "administrator of scope" node, or a
 * principal holding an admin-equivalent grant) is critical; anything else is high, unless
 * the target is a synthetic capability node (no principal, no administrator: e.g. GCP
 * organization-policy control or a project's API keys) that names its own severity and gain.
 */
import type { GraphEdge, GraphNode } from '../model.js';
import type { GraphStore } from '../store.js';
import { describeVia, isInsider, isSynthetic, makeFinding, type NodeNames } from './finding.js';
import { type Finding, SEVERITIES, type Severity } from './types.js';
import { principalsBecoming, scanEdges, type WalkBounds } from './walk.js';

export interface EscalationContext {
  store: GraphStore;
  names: NodeNames;
  bounds: WalkBounds;
  /** principals holding an admin-equivalent grant (admin.ts) */
  adminHolders: ReadonlySet<string>;
  /** scopes each principal already administers (admin.ts): escalating there gains nothing */
  administers: ReadonlyMap<string, ReadonlySet<string>>;
  /** called when a walk hit its bounds, so the caller can say the answer is partial */
  truncated: (why: string) => void;
}

const HOPS = ['MEMBER_OF', 'CAN_ASSUME', 'CAN_ESCALATE'] as const;

export async function escalationFindings(ctx: EscalationContext): Promise<Finding[]> {
  const edges: GraphEdge[] = [];
  for await (const e of scanEdges(ctx.store, 'CAN_ESCALATE')) edges.push(e);
  await ctx.names.load(edges.flatMap((e) => [e.from, e.to]));

  // One finding per (principal, target gained): the shortest path, with every technique
  // that gets there listed. A principal already administering the target's scope gains
  // nothing by escalating there, so it is left out.
  const scopesOf = await targetScopes(ctx, edges);
  const best = new Map<
    string,
    { principal: string; path: GraphEdge[]; esc: GraphEdge; techniques: Set<string> }
  >();
  const offer = (principal: GraphNode | undefined, path: GraphEdge[], esc: GraphEdge) => {
    // becoming oneself again through a group or a role is no escalation
    if (!principal || !isInsider(principal) || esc.kind !== 'CAN_ESCALATE' || principal.id === esc.to) return;
    const owned = ctx.administers.get(principal.id);
    if (owned && (scopesOf.get(esc.to) ?? []).some((s) => owned.has(s))) return;
    const key = [principal.id, esc.to].join('\u0000');
    const prev = best.get(key);
    const techniques = prev?.techniques ?? new Set<string>();
    techniques.add(esc.props.technique);
    if (!prev || prev.path.length > path.length)
      best.set(key, { principal: principal.id, path, esc, techniques });
  };
  for (const esc of edges) {
    if (esc.kind !== 'CAN_ESCALATE') continue;
    offer(ctx.names.node(esc.from), [esc], esc);
    const depth = Math.max(1, ctx.bounds.maxDepth - 1);
    const { reached, truncated } = await principalsBecoming(ctx.store, esc.from, HOPS, {
      ...ctx.bounds,
      maxDepth: depth,
    });
    if (truncated) ctx.truncated(`principals becoming ${esc.from}`);
    for (const r of reached) offer(r.node, [...r.path, esc], esc);
  }
  await ctx.names.load([...best.values()].map((b) => b.principal));

  const out: Finding[] = [];
  for (const { principal, path, esc, techniques } of best.values()) {
    if (esc.kind !== 'CAN_ESCALATE') continue;
    const capability = capabilityOf(ctx.names.node(esc.to));
    const gainsAdmin = !capability && (isSynthetic(ctx.names.node(esc.to)) || ctx.adminHolders.has(esc.to));
    const technique = esc.props.technique;
    const through = path.length > 1 ? ` (by becoming ${ctx.names.name(esc.from)})` : '';
    const gains = capability?.gains ?? `can escalate to ${ctx.names.name(esc.to)}`;
    out.push(
      makeFinding({
        kind: 'privilege-escalation',
        severity: capability?.severity ?? (gainsAdmin ? 'critical' : 'high'),
        principal,
        target: esc.to,
        technique,
        title: `${ctx.names.name(principal)} ${gains} with ${technique}${
          techniques.size > 1 ? ` (+${techniques.size - 1} more techniques)` : ''
        }${through}`,
        path,
        remediation: `Remove or narrow ${describeVia(esc)} so ${ctx.names.name(esc.from)} loses the permissions ${technique} needs${
          path.length > 1
            ? `, or cut the path that lets ${ctx.names.name(principal)} become ${ctx.names.name(esc.from)}`
            : ''
        }.`,
        details: { hops: path.length, gainsAdmin, techniques: [...techniques].sort() },
      }),
    );
  }
  return out;
}

/**
 * A synthetic target that stands for a capability rather than an administrator says what
 * is gained (`props.gains`, a phrase after the principal's name) and how severe it is
 * (`props.escalationSeverity`).
 */
function capabilityOf(n: GraphNode | undefined): { gains: string; severity: Severity } | null {
  if (!isSynthetic(n)) return null;
  const { gains, escalationSeverity } = (n?.props ?? {}) as { gains?: unknown; escalationSeverity?: unknown };
  if (typeof gains !== 'string' || !SEVERITIES.includes(escalationSeverity as Severity)) return null;
  return { gains, severity: escalationSeverity as Severity };
}

/**
 * The scopes an escalation target stands for: what a synthetic administrator node holds
 * its grants on (a capability node holds none: its `props.scope`), else the containers
 * that hold the target (its account).
 */
async function targetScopes(
  ctx: EscalationContext,
  edges: readonly GraphEdge[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const to of new Set(edges.map((e) => e.to))) {
    const synthetic = isSynthetic(ctx.names.node(to));
    const around = await ctx.store.getEdges(to, {
      kinds: [synthetic ? 'HAS_ACCESS' : 'CONTAINS'],
      direction: synthetic ? 'out' : 'in',
      limit: 100,
    });
    const scope = ctx.names.node(to)?.props?.scope;
    out.set(
      to,
      synthetic && around.length === 0 && typeof scope === 'string'
        ? [scope]
        : around.map((e) => (synthetic ? e.to : e.from)),
    );
  }
  return out;
}
