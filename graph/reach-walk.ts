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
  /** the node at the other end of the edge */
  other: string;
  /** a HAS_ACCESS edge with partial denies (graph/access-exceptions.ts isGuarded) */
  guarded?: boolean;
}

export interface ReachGraph {
  /**
   * Traversable edges of `kinds` ending at (`in`) or starting from (`out`) each of `nodes`,
   * by node (nodes without any may be left out). The arrays are read, never changed: a
   * store may hand out the same ones to every walk (the embedded store caches them).
   * `filter` is what the step's HAS_ACCESS edges will be asked (`passes`); a store may
   * prepare for it. `timeoutMs` is what is left of the query's budget; a store may give up
   * early and throw StepTimeout. `onlyFirst`, when given, says the walk takes each node at
   * the far end once, through the first edge to it (in `nodes` order, then edge id order),
   * and none to the nodes `onlyFirst()` lists (settled before this step): a store may return
   * just those edges, or all of them. A server saves sending the rest: at scale most of a
   * who-can level's escalation edges lead to principals found before or by another edge.
   */
  step(
    nodes: readonly string[],
    direction: 'in' | 'out',
    kinds: readonly EdgeKind[],
    filter: EdgeFilter | undefined,
    timeoutMs: number,
    onlyFirst?: () => string[],
  ): Promise<ReadonlyMap<string, readonly StepEdge[]>>;
  /** whether a HAS_ACCESS edge of the last step passes the filter (reach-automaton.ts passesFilter) */
  passes(edge: StepEdge, filter: EdgeFilter): boolean;
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
  /** the previous visit, toward the anchored node */
  prev: Visit | null;
  edge: string | null;
  /**
   * Forward walks, past a HAS_ACCESS edge with partial denies, or below a node with denies
   * of its own: that edge's id. Every node below it is checked against the denies, and such
   * visits are kept apart from unguarded ones (`Visits`), so a deny on one grant never hides
   * a node another grant reaches.
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

/**
 * Visits by (node, state, guard). Unguarded visits, nearly all of them, sit in one map per
 * state keyed by the node id itself: no key string is built per stepped edge.
 */
class Visits {
  private readonly plain = new Map<number, Map<string, Visit>>();
  private readonly guarded = new Map<string, Visit>();
  private byState(state: number): Map<string, Visit> {
    let m = this.plain.get(state);
    if (!m) {
      m = new Map();
      this.plain.set(state, m);
    }
    return m;
  }
  has(node: string, state: number, guard?: string): boolean {
    return guard ? this.guarded.has(`${state}\u0000${node}\u0000${guard}`) : this.byState(state).has(node);
  }
  /** nodes with an unguarded visit in `state` */
  plainIn(state: number): string[] {
    return [...this.byState(state).keys()];
  }
  add(v: Visit): void {
    if (v.guard) this.guarded.set(`${v.state}\u0000${v.node}\u0000${v.guard}`, v);
    else this.byState(v.state).set(v.node, v);
  }
}

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

  const visits = new Visits();
  let frontier: Visit[] = [];
  for (const s of startStates) {
    const v: Visit = { node: q.start, state: s, prev: null, edge: null };
    visits.add(v);
    frontier.push(v);
  }

  const reportedAt = new Map<string, { depth: number; visit: Visit }>();
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
  const kindSets = new Map<string, EdgeKind[]>();
  const kindsFrom = new Map(
    [...outgoing].map(([s, ts]) => {
      const kinds = [...new Set(ts.flatMap((t) => [...t.kinds]))].sort();
      const k = kinds.join(',');
      if (!kindSets.has(k)) kindSets.set(k, kinds);
      return [s, kindSets.get(k)!];
    }),
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
    for (let at: Visit | null = v; at; at = at.prev) nodes.push(at.node);
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
    for (let at: Visit | null = nv; at; at = at.prev) {
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
    const stepped = await stepLevel(
      graph,
      frontier,
      kindsFrom,
      reverse ? 'in' : 'out',
      filter,
      deadline,
      (kinds) => {
        // When every edge of a step leads to one state, no frontier visit of it carries a grant
        // or guard (those key visits by more than node and state) and no transition judges the
        // edge (a filter), the loop below admits each far node through the first edge to it
        // and skips the rest and those already visited unguarded in that state (`visits.has`):
        // the store need not send them (ReachGraph.step `onlyFirst`).
        const targets = new Set<number>();
        for (const v of frontier) {
          if (kindsFrom.get(v.state) !== kinds) continue;
          if (v.grant || v.guard) return undefined;
          for (const t of outgoing.get(v.state) ?? []) {
            if (![...t.kinds].some((k) => kinds.includes(k))) continue;
            if (t.filter) return undefined;
            targets.add(reverse ? t.from : t.to);
          }
        }
        if (targets.size !== 1) return undefined;
        const [state] = targets;
        return () => visits.plainIn(state!);
      },
    );
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
    const admit = (nv: Visit) => {
      visits.add(nv);
      next.push(nv);
      if (reports(nv.state) && nv.node !== q.start && !reportedAt.has(nv.node)) candidates.push(nv);
    };
    // Crossings of guarded HAS_ACCESS edges wait until their edges are loaded (one batch).
    const pending: Array<{ v: Visit; e: StepEdge; state: number }> = [];
    for (const v of frontier) {
      for (const e of stepped.get(v.node) ?? []) {
        for (const t of outgoing.get(v.state) ?? []) {
          if (!t.kinds.has(e.kind) || (t.filter && !graph.passes(e, t.filter))) continue;
          const state = reverse ? t.from : t.to;
          if (t.filter && (e.guarded || (reverse && hasChainDenies(v)))) {
            pending.push({ v, e, state });
            continue;
          }
          const grant = !reverse && t.filter ? e.id : v.grant;
          // below a grant, a node with denies of its own is judged like a guarded grant's
          const guard = v.guard ?? (grant && nodeDenies.get(e.other) ? grant : undefined);
          if (visits.has(e.other, state, guard)) continue;
          const nv: Visit = { node: e.other, state, prev: v, edge: e.id };
          inherit(nv, v);
          if (grant) nv.grant = grant;
          if (guard) nv.guard = guard;
          if (guard && !(await guardAllows(nv))) {
            // denied here, but what it contains may not be: walk on without reporting it
            visits.add(nv);
            next.push(nv);
            continue;
          }
          admit(nv);
        }
      }
    }
    await loadGuards(pending.map((p) => p.e.id));
    for (const { v, e, state } of pending) {
      const nv: Visit = { node: e.other, state, prev: v, edge: e.id };
      inherit(nv, v);
      if (reverse) {
        // the access ends at the anchor: check the denies against it and its containers
        const chain = chainFrom(v);
        const outcome = guardOutcome(guards.get(e.id)!, chain, filter, deniesOn(chain));
        if (outcome.effect === 'denied') continue;
        record(nv, outcome);
        if (!visits.has(nv.node, state)) admit(nv);
      } else {
        nv.guard = e.id;
        nv.grant = e.id;
        if (visits.has(nv.node, state, e.id)) continue;
        if (await guardAllows(nv)) admit(nv);
        else {
          visits.add(nv);
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
      reportedAt.set(c.node, { depth, visit: c });
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
  const pathIds = kept.map(([, r]) => pathTo(r.visit, reverse));
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
    const v = r.visit;
    if (v.denies?.length) out.undecidedDenies = v.denies;
    if (v.withheld?.length) out.withheld = v.withheld;
    return out;
  });
  const reasons = (['maxDepth', 'maxResults', 'timeout'] as const).filter((r) => truncatedBy.has(r));
  return { reached, truncated: reasons.length > 0, truncatedBy: reasons };
}

/** One step from every frontier node, grouped by the edge kinds its state may follow. */
async function stepLevel(
  graph: ReachGraph,
  frontier: readonly Visit[],
  kindsFrom: ReadonlyMap<number, readonly EdgeKind[]>,
  direction: 'in' | 'out',
  filter: EdgeFilter | undefined,
  deadline: number,
  onlyFirstFor: (kinds: readonly EdgeKind[]) => (() => string[]) | undefined,
): Promise<ReadonlyMap<string, readonly StepEdge[]> | 'timeout'> {
  // states sharing a kind set share its array (kindsFrom), so the array is the group's key
  const byKinds = new Map<readonly EdgeKind[], Set<string>>();
  for (const v of frontier) {
    const kinds = kindsFrom.get(v.state);
    if (!kinds?.length) continue;
    const nodes = byKinds.get(kinds);
    if (nodes) nodes.add(v.node);
    else byKinds.set(kinds, new Set([v.node]));
  }
  const steps: Array<ReadonlyMap<string, readonly StepEdge[]>> = [];
  for (const [kinds, nodes] of byKinds) {
    const left = deadline - Date.now();
    if (left <= 0) return 'timeout';
    try {
      steps.push(await graph.step([...nodes], direction, kinds, filter, left, onlyFirstFor(kinds)));
    } catch (err) {
      if (err instanceof StepTimeout) return 'timeout';
      throw err;
    }
  }
  if (Date.now() > deadline) return 'timeout';
  // One kind set (most levels): the store's arrays as they are, nothing copied per edge,
  // which at the M tier was a fifth of a who-can's time. A node in two states may be stepped
  // over two kind sets: then keep each edge once per node.
  if (steps.length === 1) return steps[0]!;
  const out = new Map<string, { list: StepEdge[]; ids: Set<string> }>();
  for (const step of steps) {
    for (const [node, edges] of step) {
      let m = out.get(node);
      if (!m) {
        m = { list: [], ids: new Set() };
        out.set(node, m);
      }
      for (const e of edges) {
        if (m.ids.has(e.id)) continue;
        m.ids.add(e.id);
        m.list.push(e);
      }
    }
  }
  return new Map([...out].map(([node, m]) => [node, m.list]));
}

/** Edge ids from the reported visit back to the anchor, put in path order. */
function pathTo(visit: Visit, reverse: boolean): string[] {
  const edges: string[] = [];
  for (let v: Visit | null = visit; v?.edge; v = v.prev) edges.push(v.edge);
  // Walking back from the reported node toward the anchor lists a reverse walk's edges
  // in path order already (reported node first); a forward walk's come out backwards.
  return reverse ? edges : edges.reverse();
}
