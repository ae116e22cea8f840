/**
 * Breadth-first reachability over a shape automaton (graph/reach-automaton.ts), following
 * the semantics written on `ReachQuery` in graph/store.ts. Both stores answer `reach`
 * with this one walker, so they agree by construction; each hands in how to step from a
 * whole BFS level at once (one SQLite statement per node, one Cypher round trip per level)
 * and how to load nodes and edges.
 *
 * Why not one Cypher `SHORTEST` query on Neo4j: with only the anchored end bound, the
 * planner sometimes evaluates the pattern once per candidate start node instead of one
 * search from the anchor, and who-can on a 10k-principal graph then ran into its 60 s
 * timeout intermittently. A walk driven from here costs one round trip per level (at most
 * maxDepth + 1) and its cost never depends on a plan.
 *
 * States are (node, automaton state) pairs; the first visit of a pair is at its shortest
 * distance, and a node is reported the first time it is reached in a reporting state.
 */
import type { EdgeKind, GraphEdge, GraphNode, NodeKind } from './model.js';
import { automatonFor, type EdgeFilter, type Transition } from './reach-automaton.js';
import type { Reached, ReachQuery, ReachResult, TruncationReason } from './store.js';

export interface StepEdge {
  id: string;
  kind: EdgeKind;
  /** the frontier node the edge was found from */
  node: string;
  /** the node at the other end of the edge */
  other: string;
  /** whether a HAS_ACCESS edge passes the step's filter (always true for other kinds) */
  passes: boolean;
}

export interface ReachGraph {
  /**
   * Traversable edges of `kinds` ending at (`in`) or starting from (`out`) any of `nodes`.
   * `filter` is evaluated on HAS_ACCESS edges only (the one filtered transition of a shape).
   * `timeoutMs` is what is left of the query's budget; a store may give up early and throw.
   */
  step(
    nodes: readonly string[],
    direction: 'in' | 'out',
    kinds: readonly EdgeKind[],
    filter: EdgeFilter | undefined,
    timeoutMs: number,
  ): Promise<StepEdge[]>;
  /** kinds of the given node ids; ids no source defines are placeholders ('External') */
  kindsOf(ids: readonly string[]): Promise<Map<string, NodeKind>>;
  /** the nodes (placeholders for ids no source defines), any order */
  nodes(ids: readonly string[]): Promise<GraphNode[]>;
  /** the edges, any order */
  edges(ids: readonly string[]): Promise<GraphEdge[]>;
}

/** A store's `step` signals an exhausted budget with this, and the walk returns what it has. */
export class StepTimeout extends Error {}

interface Visit {
  node: string;
  state: number;
  /** key of the previous visit, toward the anchored node */
  prev: string | null;
  edge: string | null;
}

const key = (node: string, state: number) => `${state}\u0000${node}`;

export async function walkReach(graph: ReachGraph, q: ReachQuery): Promise<ReachResult> {
  const deadline = Date.now() + q.timeoutMs;
  const auto = automatonFor(q.shape);
  const reverse = q.direction === 'reverse';
  // In a reverse walk we move against edge direction, across transitions backwards.
  const startStates = reverse ? [...auto.accepting] : [auto.initial];
  const reports = (state: number) => (reverse ? state === auto.initial : auto.accepting.has(state));
  const wanted = q.resultKinds ? new Set<NodeKind>(q.resultKinds) : null;
  // the access shape has one filter, on its HAS_ACCESS transition
  const filter = auto.transitions.find((t) => t.filter)?.filter;

  const visits = new Map<string, Visit>();
  let frontier: Visit[] = [];
  for (const s of startStates) {
    const v: Visit = { node: q.start, state: s, prev: null, edge: null };
    visits.set(key(q.start, s), v);
    frontier.push(v);
  }

  const reportedAt = new Map<string, { depth: number; visitKey: string }>();
  const truncatedBy = new Set<TruncationReason>();
  let beyondDepth = false;
  let timedOut = false;

  // Transitions usable from a state, in walk direction.
  const outgoing = new Map<number, Transition[]>();
  for (const t of auto.transitions) {
    const from = reverse ? t.to : t.from;
    const list = outgoing.get(from) ?? [];
    list.push(t);
    outgoing.set(from, list);
  }
  const kindsFrom = new Map(
    [...outgoing].map(([s, ts]) => [s, [...new Set(ts.flatMap((t) => [...t.kinds]))].sort()]),
  );

  for (let depth = 1; depth <= q.maxDepth + 1 && frontier.length > 0; depth++) {
    const lookahead = depth === q.maxDepth + 1;
    const stepped = await stepLevel(graph, frontier, kindsFrom, reverse ? 'in' : 'out', filter, deadline);
    if (stepped === 'timeout') {
      timedOut = true;
      break;
    }
    const next: Visit[] = [];
    const candidates: Visit[] = [];
    for (const v of frontier) {
      for (const e of stepped.get(v.node) ?? []) {
        for (const t of outgoing.get(v.state) ?? []) {
          if (!t.kinds.has(e.kind) || (t.filter && !e.passes)) continue;
          const state = reverse ? t.from : t.to;
          const k = key(e.other, state);
          if (visits.has(k)) continue;
          const nv: Visit = { node: e.other, state, prev: key(v.node, v.state), edge: e.id };
          visits.set(k, nv);
          next.push(nv);
          if (reports(state) && e.other !== q.start && !reportedAt.has(e.other)) candidates.push(nv);
        }
      }
    }
    // Kind filtering happens per level so one lookup serves the whole level.
    const kinds = wanted ? await graph.kindsOf([...new Set(candidates.map((c) => c.node))]) : null;
    for (const c of candidates) {
      if (reportedAt.has(c.node)) continue;
      if (wanted && !wanted.has(kinds!.get(c.node) ?? 'External')) continue;
      if (lookahead) {
        beyondDepth = true;
        break;
      }
      reportedAt.set(c.node, { depth, visitKey: key(c.node, c.state) });
    }
    if (lookahead) break;
    frontier = next;
  }

  if (timedOut) truncatedBy.add('timeout');
  if (beyondDepth) truncatedBy.add('maxDepth');
  const ordered = [...reportedAt.entries()].sort(
    (a, b) => a[1].depth - b[1].depth || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  if (ordered.length > q.maxResults) truncatedBy.add('maxResults');

  // Paths share most of their edges (a group's grant, a scope's CONTAINS): load each once.
  const kept = ordered.slice(0, q.maxResults);
  const pathIds = kept.map(([, r]) => pathTo(visits, r.visitKey, reverse));
  const edges = new Map((await graph.edges([...new Set(pathIds.flat())])).map((e) => [e.id, e]));
  const nodes = new Map((await graph.nodes(kept.map(([n]) => n))).map((n) => [n.id, n]));
  const reached: Reached[] = kept.map(([node, r], i) => ({
    node: nodes.get(node)!,
    depth: r.depth,
    path: pathIds[i]!.map((id) => {
      const e = edges.get(id);
      if (!e) throw new Error(`edge ${id} vanished during the search`);
      return e;
    }),
  }));
  const reasons = (['maxDepth', 'maxResults', 'timeout'] as const).filter((r) => truncatedBy.has(r));
  return { reached, truncated: reasons.length > 0, truncatedBy: reasons };
}

/** One step from every frontier node, grouped by the edge kinds its state may follow. */
async function stepLevel(
  graph: ReachGraph,
  frontier: readonly Visit[],
  kindsFrom: ReadonlyMap<number, EdgeKind[]>,
  direction: 'in' | 'out',
  filter: EdgeFilter | undefined,
  deadline: number,
): Promise<Map<string, StepEdge[]> | 'timeout'> {
  const byKinds = new Map<string, { kinds: EdgeKind[]; nodes: Set<string> }>();
  for (const v of frontier) {
    const kinds = kindsFrom.get(v.state) ?? [];
    if (kinds.length === 0) continue;
    const k = kinds.join(',');
    const group = byKinds.get(k) ?? { kinds, nodes: new Set<string>() };
    group.nodes.add(v.node);
    byKinds.set(k, group);
  }
  // A node in two states may be stepped over two kind sets: keep each edge once per node.
  const out = new Map<string, Map<string, StepEdge>>();
  for (const { kinds, nodes } of byKinds.values()) {
    const left = deadline - Date.now();
    if (left <= 0) return 'timeout';
    let edges: StepEdge[];
    try {
      edges = await graph.step([...nodes], direction, kinds, filter, left);
    } catch (err) {
      if (err instanceof StepTimeout) return 'timeout';
      throw err;
    }
    for (const e of edges) {
      const m = out.get(e.node) ?? new Map<string, StepEdge>();
      m.set(e.id, e);
      out.set(e.node, m);
    }
  }
  if (Date.now() > deadline) return 'timeout';
  return new Map([...out].map(([n, m]) => [n, [...m.values()]]));
}

/** Edge ids from the reported visit back to the anchor, put in path order. */
function pathTo(visits: Map<string, Visit>, visitKey: string, reverse: boolean): string[] {
  const edges: string[] = [];
  let v = visits.get(visitKey);
  while (v?.edge) {
    edges.push(v.edge);
    v = v.prev ? visits.get(v.prev) : undefined;
  }
  // Walking back from the reported node toward the anchor lists a reverse walk's edges
  // in path order already (reported node first); a forward walk's come out backwards.
  return reverse ? edges : edges.reverse();
}
