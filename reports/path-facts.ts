/**
 * Gather the facts scoring needs from a path and the nodes on it. Kept apart from the
 * arithmetic (scoring.ts) because this is where graph conventions live: which principals
 * count as public, how dormancy is read from `lastUsed`, which levels a grant carries.
 */
import type { FindingKind } from '../graph/findings/types.js';
import { type AccessLevel, CONTAINER_KINDS, type GraphNode, isPrincipalKind } from '../graph/model.js';
import type { Hop } from '../graph/queries/access.js';
import type { GraphStore } from '../graph/store.js';
import type { Sensitivity } from './config.js';
import { SENSITIVITIES } from './config-schema.js';
import type { AccessGained, Exposure, PathFacts, TargetSensitivity } from './scoring.js';

/** What a path is, whether it came from a finding or from a crown-jewel who-can answer. */
export interface PathInput {
  principal: string;
  target: string;
  path: readonly Hop[];
  conditional: boolean;
  /** the finding kind, when the path comes from a finding */
  kind?: FindingKind;
  /** levels of the path's HAS_ACCESS edge, when known */
  levels?: readonly AccessLevel[];
}

export interface FactsContext {
  nodes: ReadonlyMap<string, GraphNode>;
  /** resolved crown-jewel resource id → the sensitivity the report config gives it */
  jewels: ReadonlyMap<string, Sensitivity>;
  now: Date;
  dormantDays: number;
}

/** Well-known ids of "everyone" in the three clouds (AWS `*`, GCP allUsers/allAuthenticatedUsers). */
const EVERYONE = new Set(['*', 'allusers', 'allauthenticatedusers']);
const TOP_SCOPES = new Set(['Organization', 'ManagementGroup']);
const DAY_MS = 86_400_000;

export function isPublicPrincipal(n: GraphNode | undefined, id: string): boolean {
  if (EVERYONE.has(id.toLowerCase())) return true;
  if (n?.kind !== 'External') return false;
  return n.props?.public === true || EVERYONE.has(n.name.toLowerCase());
}

/**
 * Sensitivity of what the path reaches: the crown-jewel configuration wins, then the node's
 * own `sensitivity` property, then a default by kind (control over a whole organization is
 * critical, over an account/project/subscription high, becoming an identity medium).
 */
export function targetSensitivity(target: string, ctx: FactsContext): TargetSensitivity {
  const configured = ctx.jewels.get(target);
  if (configured) return configured;
  const n = ctx.nodes.get(target);
  const own = n?.props?.sensitivity;
  if (typeof own === 'string' && (SENSITIVITIES as readonly string[]).includes(own.toLowerCase())) {
    return own.toLowerCase() as Sensitivity;
  }
  if (!n) return 'unknown';
  if (TOP_SCOPES.has(n.kind)) return 'critical';
  if ((CONTAINER_KINDS as readonly string[]).includes(n.kind)) return 'high';
  if (isPrincipalKind(n.kind)) return 'medium';
  return 'unknown';
}

/** Mirrors graph/levels.ts: write includes permission changes; admin is its own level. */
export function accessFromLevels(levels: readonly AccessLevel[]): AccessGained {
  if (levels.includes('admin')) return 'admin';
  if (levels.includes('write') || levels.includes('permissions')) return 'write';
  if (levels.includes('read')) return 'read';
  return 'list';
}

export function accessGained(input: PathInput, ctx: FactsContext): AccessGained {
  if (input.kind === 'admin-equivalent') return 'admin';
  const grant = input.path.find((h) => h.edge === 'HAS_ACCESS');
  if (grant) {
    // unknown levels are scored as read: never guess a grant upward
    return input.levels && input.levels.length > 0 ? accessFromLevels(input.levels) : 'read';
  }
  const last = input.path[input.path.length - 1];
  const target = ctx.nodes.get(input.target);
  // CAN_ESCALATE into a scope (not a principal) is admin of that scope (DESIGN.md edge table)
  if (last?.edge === 'CAN_ESCALATE' && target && !isPrincipalKind(target.kind)) return 'admin';
  return 'assume';
}

export function exposureOf(input: PathInput, ctx: FactsContext): Exposure {
  const principal = ctx.nodes.get(input.principal);
  if (input.kind === 'public-access' || isPublicPrincipal(principal, input.principal)) return 'public';
  const onPath = new Set<string>([input.principal]);
  for (const h of input.path) onPath.add(h.from).add(h.to);
  const nodes = [...onPath].map((id) => ctx.nodes.get(id)).filter((n): n is GraphNode => n !== undefined);
  if (nodes.some((n) => isPublicPrincipal(n, n.id))) return 'public';
  // External covers foreign accounts and federated providers, and placeholders (ids no
  // loaded source defines) read as External too: someone else's identity either way
  if (
    input.kind === 'external-trust' ||
    input.kind === 'external-member' ||
    nodes.some((n) => n.kind === 'External')
  )
    return 'external';
  const sources = new Set(nodes.map((n) => n.source).filter((s) => s !== ''));
  if (input.kind === 'cross-account-access' || sources.size > 1) return 'cross-account';
  return 'internal';
}

export function isDormant(input: PathInput, ctx: FactsContext): boolean {
  if (input.kind === 'dormant-access') return true;
  const lastUsed = ctx.nodes.get(input.principal)?.props?.lastUsed;
  if (typeof lastUsed !== 'string') return false;
  const t = Date.parse(lastUsed);
  if (Number.isNaN(t)) return false;
  return ctx.now.getTime() - t > ctx.dormantDays * DAY_MS;
}

export function pathFacts(input: PathInput, ctx: FactsContext): PathFacts {
  return {
    sensitivity: targetSensitivity(input.target, ctx),
    access: accessGained(input, ctx),
    exposure: exposureOf(input, ctx),
    escalation: input.kind === 'privilege-escalation' || input.path.some((h) => h.edge === 'CAN_ESCALATE'),
    conditional: input.conditional || input.path.some((h) => h.conditional),
    hops: Math.max(1, input.path.length),
    dormant: isDormant(input, ctx),
  };
}

/**
 * Levels of a path's HAS_ACCESS hop, read back from the stored edge (a Hop carries the
 * actions but not the levels). Parallel grants between the same nodes are told apart by
 * their `via`.
 */
export async function grantLevels(
  store: GraphStore,
  path: readonly Hop[],
): Promise<AccessLevel[] | undefined> {
  const hop = path.find((h) => h.edge === 'HAS_ACCESS');
  if (!hop) return undefined;
  const edges = await store.getEdges(hop.from, { kinds: ['HAS_ACCESS'], direction: 'out', limit: 10_000 });
  const same = edges.filter(
    (e) =>
      e.kind === 'HAS_ACCESS' &&
      e.to === hop.to &&
      (hop.via === null || (e.via?.ref === hop.via.ref && e.via?.statement === hop.via.statement)),
  );
  if (same.length === 0) return undefined;
  const levels = new Set<AccessLevel>();
  for (const e of same) if (e.kind === 'HAS_ACCESS') for (const l of e.props.levels) levels.add(l);
  return [...levels];
}
