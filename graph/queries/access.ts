/**
 * The access questions every front end asks (CLI, GraphQL, reports): who can reach a
 * resource, and what a principal can reach. Built on the store's `reach` primitive with
 * DESIGN.md's path shape; no policy logic here (that ran at load time).
 */
import type { AccessException } from '../access-exceptions.js';
import { type LevelQuery, levelsFor } from '../levels.js';
import {
  type GraphEdge,
  type GraphNode,
  type NodeKind,
  PRINCIPAL_HOP_KINDS,
  PRINCIPAL_KINDS,
  type Via,
} from '../model.js';
import type { GraphStore, Reached, ReachQuery, TruncationReason } from '../store.js';

export const DEFAULT_MAX_DEPTH = 8;
export const DEFAULT_LIMIT = 1000;
export const DEFAULT_TIMEOUT_MS = 30_000;

/** One hop of an explained path, as the JSON contract prints it. */
export interface Hop {
  from: string;
  to: string;
  edge: GraphEdge['kind'];
  via: Via | null;
  conditional: boolean;
  /** HAS_ACCESS hops: the granted actions; CAN_ESCALATE hops: the technique */
  actions?: string[];
  technique?: string;
}

export interface AccessAnswer {
  /** the node at the far end: the principal for who-can, the resource for can-reach */
  node: GraphNode;
  depth: number;
  /** actions granted by the path's HAS_ACCESS hop (narrowed to the asked action) */
  actions: string[];
  /** true when any hop on the path is guarded by an undecided condition, or a deny may apply */
  conditional: boolean;
  /** partial denies on the grant that cover this target under undecided conditions */
  undecidedDenies?: AccessException[];
  path: Hop[];
  /** the same path as the stored edges, for callers that render edges themselves */
  edges: GraphEdge[];
}

export interface AccessResult {
  /** false when the anchored id is not in the graph at all */
  known: boolean;
  /** who-can on a resource not in the graph: the nodes containing it that answered */
  within?: string[];
  answers: AccessAnswer[];
  truncated: boolean;
  truncatedBy: TruncationReason[];
}

export interface AccessQuery {
  action?: string;
  /**
   * When no action is asked: the actions that matter on the target (per cloud, e.g. only
   * S3 actions on a bucket), so grants of unrelated actions on a container do not count.
   */
  applicableActions?: readonly string[];
  level?: LevelQuery;
  /**
   * who-can on a resource no source inventoried (an S3 object, a secret by ARN): the nodes
   * that contain it (its bucket, its account, patterns matching it), walked from instead,
   * with partial denies judged for the resource itself. Per cloud: ingest/targets.ts.
   */
  within?: readonly string[];
  kinds?: readonly NodeKind[];
  maxDepth?: number;
  limit?: number;
  timeoutMs?: number;
}

export function toHop(e: GraphEdge): Hop {
  const p = e.props as { conditional?: boolean; actions?: string[]; technique?: string };
  const hop: Hop = { from: e.from, to: e.to, edge: e.kind, via: e.via, conditional: p.conditional === true };
  if (e.kind === 'HAS_ACCESS') hop.actions = e.props.actions;
  if (e.kind === 'CAN_ESCALATE') hop.technique = e.props.technique;
  return hop;
}

/**
 * The actions a grant gives on the asked question. Admin-like AWS grants list ~21,600
 * actions and one group's or scope's grant ends hundreds of paths, so answers sharing a
 * grant (with nothing withheld) share one array through `memo`, keyed by the edge id.
 * Answers are read, never changed in place (as hops already share their edge's list).
 */
function grantedActions(
  grant: GraphEdge | undefined,
  withheld: readonly string[] | undefined,
  wanted: ReadonlySet<string> | null,
  memo: Map<string, string[]>,
): string[] {
  if (grant?.kind !== 'HAS_ACCESS') return [];
  if (withheld?.length) {
    const out = new Set(withheld);
    return grant.props.actions.filter((a) => !out.has(a) && (!wanted || wanted.has(a)));
  }
  let actions = memo.get(grant.id);
  if (!actions) {
    actions = wanted ? grant.props.actions.filter((a) => wanted.has(a)) : grant.props.actions;
    memo.set(grant.id, actions);
  }
  return actions;
}

/** Answers share edges (a group's grant ends hundreds of paths): one hop per edge, shared, read only. */
type HopMemo = Map<GraphEdge, Hop>;
function hopOf(e: GraphEdge, hops: HopMemo): Hop {
  let h = hops.get(e);
  if (!h) {
    h = toHop(e);
    hops.set(e, h);
  }
  return h;
}

function toAnswer(
  r: Reached,
  wanted: ReadonlySet<string> | null,
  memo: Map<string, string[]>,
  hops: HopMemo,
): AccessAnswer {
  const grant = r.path.find((e) => e.kind === 'HAS_ACCESS');
  const answer: AccessAnswer = {
    node: r.node,
    depth: r.depth,
    actions: grantedActions(grant, r.withheld, wanted, memo),
    conditional:
      r.undecidedDenies !== undefined ||
      r.path.some((e) => (e.props as { conditional?: boolean }).conditional === true),
    path: r.path.map((e) => hopOf(e, hops)),
    edges: r.path,
  };
  if (r.undecidedDenies) answer.undecidedDenies = r.undecidedDenies;
  return answer;
}

function reachQuery(start: string, direction: ReachQuery['direction'], q: AccessQuery): ReachQuery {
  const shape: ReachQuery['shape'] = { kind: 'access', hopKinds: PRINCIPAL_HOP_KINDS };
  if (q.action) shape.actionsAny = [q.action.toLowerCase()];
  else if (q.applicableActions) shape.actionsAny = q.applicableActions;
  if (q.level) shape.levelsAny = levelsFor(q.level);
  const query: ReachQuery = {
    start,
    direction,
    shape,
    maxDepth: q.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxResults: q.limit ?? DEFAULT_LIMIT,
    timeoutMs: q.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  if (q.kinds?.length) query.resultKinds = q.kinds;
  return query;
}

async function run(
  store: GraphStore,
  start: string,
  direction: ReachQuery['direction'],
  q: AccessQuery,
  kinds?: readonly NodeKind[],
): Promise<AccessResult> {
  const known = (await store.getNode(start)) !== null;
  const query = reachQuery(start, direction, { ...q, kinds: q.kinds ?? kinds });
  if (direction === 'reverse' && !known && q.within?.length) return runWithin(store, start, query, q);
  const result = await store.reach(query);
  return {
    known,
    answers: answersOf(result.reached, q),
    truncated: result.truncated,
    truncatedBy: result.truncatedBy,
  };
}

// ingesters' synthetic "administrator of scope" nodes are waypoints of escalation paths, not
// principals anyone signs in as: never an answer of their own
function answersOf(reached: readonly Reached[], q: AccessQuery): AccessAnswer[] {
  // the asked action, else the ones that matter on the target (narrowed by the caller), else all
  const wanted = q.action
    ? new Set([q.action.toLowerCase()])
    : q.applicableActions
      ? new Set(q.applicableActions)
      : null;
  const memo = new Map<string, string[]>();
  const hops: HopMemo = new Map();
  return reached.filter((r) => r.node.props?.synthetic !== true).map((r) => toAnswer(r, wanted, memo, hops));
}

/**
 * who-can on a resource outside the graph: one walk from each node containing it, each
 * principal answered at its shortest path over all of them (ties: the earlier container).
 */
async function runWithin(
  store: GraphStore,
  resource: string,
  query: ReachQuery,
  q: AccessQuery,
): Promise<AccessResult> {
  const best = new Map<string, Reached>();
  const truncatedBy = new Set<TruncationReason>();
  for (const anchor of q.within ?? []) {
    const result = await store.reach({ ...query, start: anchor, target: resource });
    for (const t of result.truncatedBy) truncatedBy.add(t);
    for (const r of result.reached) {
      const seen = best.get(r.node.id);
      if (!seen || r.depth < seen.depth) best.set(r.node.id, r);
    }
  }
  const ordered = [...best.values()].sort(
    (a, b) => a.depth - b.depth || (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0),
  );
  if (ordered.length > query.maxResults) truncatedBy.add('maxResults');
  const reasons = (['maxDepth', 'maxResults', 'timeout'] as const).filter((r) => truncatedBy.has(r));
  return {
    known: false,
    within: [...(q.within ?? [])],
    answers: answersOf(ordered.slice(0, query.maxResults), q),
    truncated: reasons.length > 0,
    truncatedBy: reasons,
  };
}

/** Principals that reach `resource`, shortest path each. */
export function whoCan(store: GraphStore, resource: string, q: AccessQuery = {}): Promise<AccessResult> {
  return run(store, resource, 'reverse', q, PRINCIPAL_KINDS);
}

/** Resources and scopes `principal` reaches, shortest path each. */
export function canReach(store: GraphStore, principal: string, q: AccessQuery = {}): Promise<AccessResult> {
  return run(store, principal, 'forward', q);
}
