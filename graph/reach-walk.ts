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
import { type AccessException, type GuardOutcome, guardOutcome } from './access-exceptions.js';
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
  /** a HAS_ACCESS edge with partial denies (graph/access-exceptions.ts isGuarded) */
  guarded?: boolean;
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
  /** the denies of those nodes that carry any (access-exceptions.ts nodeDeniesOf) */
  nodeDenies(ids: readonly string[]): Promise<Map<string, AccessException[]>>;
}

/** A store's `step` signals an exhausted budget with this, and the walk returns what it has. */
export class StepTimeout extends Error {}

interface Visit {
  node: string;
  state: number;
  /** key of the previous visit, toward the anchored node */
  prev: string | null;
  edge: string | null;
  /**
   * Forward walks, past a HAS_ACCESS edge with partial denies, or below a node with denies
   * of its own: that edge's id. Every node below it is checked against the denies, and such
   * visits are kept apart from unguarded ones (`key`), so a deny on one grant never hides a
   * node another grant reaches.
   */
  guard?: string;
  /** forward walks: the HAS_ACCESS edge this visit's path crossed */
  grant?: string;
  /** partial denies with undecided conditions that may take this path's access away */
  denies?: AccessException[];
  /** actions partial denies certainly take away from this path's grant */
  withheld?: string[];
}

/** What a visit carries over from the one it was reached from. */
function inherit(nv: Visit, v: Visit): void {
  if (v.grant) nv.grant = v.grant;
  if (v.denies) nv.denies = v.denies;
  if (v.withheld) nv.withheld = v.withheld;
}

function record(nv: Visit, outcome: Exclude<GuardOutcome, { effect: 'denied' }>): void {
  if (outcome.withheld.length) nv.withheld = outcome.withheld;
  if (outcome.effect === 'conditional') nv.denies = outcome.denies;
}

const key = (node: string, state: number, guard?: string) =>
  guard ? `${state}\u0000${node}\u0000${guard}` : `${state}\u0000${node}`;

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
  // states a walk may cross a grant from (reverse: the anchor's side)
  const crossesGrant = new Set([...outgoing].filter(([, ts]) => ts.some((t) => t.filter)).map(([s]) => s));
  const kindsFrom = new Map(
    [...outgoing].map(([s, ts]) => [s, [...new Set(ts.flatMap((t) => [...t.kinds]))].sort()]),
  );

  // Guarded HAS_ACCESS edges, loaded once each when a walk first crosses them.
  const guards = new Map<string, GraphEdge>();
  const loadGuards = async (ids: readonly string[]) => {
    const missing = [...new Set(ids)].filter((id) => !guards.has(id));
    if (missing.length > 0) for (const e of await graph.edges(missing)) guards.set(e.id, e);
  };
  // Denies nodes carry themselves, loaded once per node a walk may judge (null: none).
  const nodeDenies = new Map<string, AccessException[] | null>();
  const loadNodeDenies = async (ids: Iterable<string>) => {
    const missing = [...new Set(ids)].filter((id) => !nodeDenies.has(id));
    if (missing.length === 0) return;
    const found = await graph.nodeDenies(missing);
    for (const id of missing) nodeDenies.set(id, found.get(id) ?? null);
  };
  const deniesOn = (chain: readonly string[]): AccessException[] =>
    chain.flatMap((n) => nodeDenies.get(n) ?? []);
  /** Reverse walks: the target (when not the anchor), the anchor, then its containers up to `v`. */
  const chainFrom = (v: Visit): string[] => {
    const nodes: string[] = [];
    for (let at: Visit | undefined = v; at; at = at.prev ? visits.get(at.prev) : undefined)
      nodes.push(at.node);
    if (q.target !== undefined && q.target !== q.start) nodes.push(q.target);
    return nodes.reverse();
  };
  /**
   * Forward walks: whether the guarded grant `nv` descends from still gives access on
   * `nv.node`. Its chain runs from the node up through its containers to the grant's scope.
   * Undecided denies are recorded on the visit.
   */
  const guardAllows = async (nv: Visit): Promise<boolean> => {
    const chain: string[] = [];
    for (let at: Visit | undefined = nv; at; at = at.prev ? visits.get(at.prev) : undefined) {
      chain.push(at.node);
      if (at.edge === nv.guard) break;
    }
    await loadGuards([nv.guard!]);
    const outcome = guardOutcome(guards.get(nv.guard!)!, chain, filter, deniesOn(chain));
    if (outcome.effect === 'denied') return false;
    // each node below the grant is judged afresh, not with what its container was left
    delete nv.denies;
    delete nv.withheld;
    record(nv, outcome);
    return true;
  };

  for (let depth = 1; depth <= q.maxDepth + 1 && frontier.length > 0; depth++) {
    const lookahead = depth === q.maxDepth + 1;
    const stepped = await stepLevel(graph, frontier, kindsFrom, reverse ? 'in' : 'out', filter, deadline);
    if (stepped === 'timeout') {
      timedOut = true;
      break;
    }
    // Node denies the crossings below may judge: in reverse walks those on the anchor's
    // chains (the frontier's and the target), forward the nodes entered below a grant.
    if (reverse) {
      const ids = frontier.filter((v) => crossesGrant.has(v.state)).map((v) => v.node);
      if (q.target !== undefined && ids.length > 0) ids.push(q.target);
      await loadNodeDenies(ids);
    } else {
      const ids: string[] = [];
      for (const v of frontier)
        for (const e of stepped.get(v.node) ?? []) if (v.grant || e.kind === 'HAS_ACCESS') ids.push(e.other);
      await loadNodeDenies(ids);
    }
    const chainDenied = new Map<Visit, boolean>();
    const hasChainDenies = (v: Visit) => {
      let d = chainDenied.get(v);
      if (d === undefined) {
        d = deniesOn(chainFrom(v)).length > 0;
        chainDenied.set(v, d);
      }
      return d;
    };
    const next: Visit[] = [];
    const candidates: Visit[] = [];
    const admit = (nv: Visit, k: string) => {
      visits.set(k, nv);
      next.push(nv);
      if (reports(nv.state) && nv.node !== q.start && !reportedAt.has(nv.node)) candidates.push(nv);
    };
    // Crossings of guarded HAS_ACCESS edges wait until their edges are loaded (one batch).
    const pending: Array<{ v: Visit; e: StepEdge; state: number }> = [];
    for (const v of frontier) {
      for (const e of stepped.get(v.node) ?? []) {
        for (const t of outgoing.get(v.state) ?? []) {
          if (!t.kinds.has(e.kind) || (t.filter && !e.passes)) continue;
          const state = reverse ? t.from : t.to;
          if (t.filter && (e.guarded || (reverse && hasChainDenies(v)))) {
            pending.push({ v, e, state });
            continue;
          }
          const nv: Visit = { node: e.other, state, prev: key(v.node, v.state, v.guard), edge: e.id };
          if (v.guard) nv.guard = v.guard;
          inherit(nv, v);
          if (!reverse && t.filter) nv.grant = e.id;
          // below a grant, a node with denies of its own is judged like a guarded grant's
          if (!nv.guard && nv.grant && nodeDenies.get(nv.node)) nv.guard = nv.grant;
          const k = key(nv.node, state, nv.guard);
          if (visits.has(k)) continue;
          if (nv.guard && !(await guardAllows(nv))) {
            // denied here, but what it contains may not be: walk on without reporting it
            visits.set(k, nv);
            next.push(nv);
            continue;
          }
          admit(nv, k);
        }
      }
    }
    await loadGuards(pending.map((p) => p.e.id));
    for (const { v, e, state } of pending) {
      const nv: Visit = { node: e.other, state, prev: key(v.node, v.state, v.guard), edge: e.id };
      inherit(nv, v);
      if (reverse) {
        // the access ends at the anchor: check the denies against it and its containers
        const chain = chainFrom(v);
        const outcome = guardOutcome(guards.get(e.id)!, chain, filter, deniesOn(chain));
        if (outcome.effect === 'denied') continue;
        record(nv, outcome);
        const k = key(nv.node, state);
        if (!visits.has(k)) admit(nv, k);
      } else {
        nv.guard = e.id;
        nv.grant = e.id;
        const k = key(nv.node, state, e.id);
        if (visits.has(k)) continue;
        if (await guardAllows(nv)) admit(nv, k);
        else {
          visits.set(k, nv);
          next.push(nv);
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
      reportedAt.set(c.node, { depth, visitKey: key(c.node, c.state, c.guard) });
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
  const reached: Reached[] = kept.map(([node, r], i) => {
    const out: Reached = {
      node: nodes.get(node)!,
      depth: r.depth,
      path: pathIds[i]!.map((id) => {
        const e = edges.get(id);
        if (!e) throw new Error(`edge ${id} vanished during the search`);
        return e;
      }),
    };
    const v = visits.get(r.visitKey);
    if (v?.denies?.length) out.undecidedDenies = v.denies;
    if (v?.withheld?.length) out.withheld = v.withheld;
    return out;
  });
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
  const out = new Map<string, StepEdge[]>();
  // A node in two states may be stepped over two kind sets: then keep each edge once per node.
  // With one kind set (most levels) every edge is distinct already: no per-edge bookkeeping,
  // which at the M tier was a fifth of a who-can's time.
  const dedupe = byKinds.size > 1;
  const seen = new Set<string>();
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
      if (dedupe) {
        const k = `${e.node}\u0000${e.id}`;
        if (seen.has(k)) continue;
        seen.add(k);
      }
      const list = out.get(e.node);
      if (list) list.push(e);
      else out.set(e.node, [e]);
    }
  }
  if (Date.now() > deadline) return 'timeout';
  return out;
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
