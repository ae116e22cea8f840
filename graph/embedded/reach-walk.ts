/**
 * Breadth-first reachability over a shape automaton (graph/reach-automaton.ts), following
 * the semantics written on `ReachQuery` in graph/store.ts. Storage-agnostic: the store
 * hands in how to step from a node and how to load nodes and edges.
 *
 * States are (node, automaton state) pairs; the first visit of a pair is at its shortest
 * distance, and a node is reported the first time it is reached in a reporting state.
 */
import type { EdgeKind, GraphEdge, GraphNode, NodeKind } from '../model.js';
import { automatonFor, passesFilter, type Transition } from '../reach-automaton.js';
import type { Reached, ReachQuery, ReachResult, TruncationReason } from '../store.js';

export interface StepEdge {
  id: string;
  kind: EdgeKind;
  /** the node at the other end of the edge */
  other: string;
  /** the edge's access lists, loaded on demand (only filters need them) */
  actions: () => readonly string[] | undefined;
  levels: () => readonly string[] | undefined;
}

export interface ReachGraph {
  /** edges of `kinds` ending at (`in`) or starting from (`out`) `node` */
  step(node: string, direction: 'in' | 'out', kinds: readonly EdgeKind[]): StepEdge[];
  /** kinds of the given node ids; ids no source defines are placeholders ('External') */
  kindsOf(ids: readonly string[]): Map<string, NodeKind>;
  node(id: string): GraphNode;
  edge(id: string): GraphEdge;
}

interface Visit {
  node: string;
  state: number;
  /** key of the previous visit, toward the anchored node */
  prev: string | null;
  edge: string | null;
}

const key = (node: string, state: number) => `${state}\u0000${node}`;
const TIME_CHECK_EVERY = 128;

export function walkReach(graph: ReachGraph, q: ReachQuery): ReachResult {
  const deadline = Date.now() + q.timeoutMs;
  const auto = automatonFor(q.shape);
  const reverse = q.direction === 'reverse';
  // In a reverse walk we move against edge direction, across transitions backwards.
  const startStates = reverse ? [...auto.accepting] : [auto.initial];
  const reports = (state: number) => (reverse ? state === auto.initial : auto.accepting.has(state));
  const wanted = q.resultKinds ? new Set<NodeKind>(q.resultKinds) : null;

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
  let expansions = 0;
  let timedOut = false;

  // Transitions usable from a state, in walk direction.
  const outgoing = new Map<number, Transition[]>();
  for (const t of auto.transitions) {
    const from = reverse ? t.to : t.from;
    const list = outgoing.get(from) ?? [];
    list.push(t);
    outgoing.set(from, list);
  }

  for (let depth = 1; depth <= q.maxDepth + 1 && frontier.length > 0 && !timedOut; depth++) {
    const lookahead = depth === q.maxDepth + 1;
    const next: Visit[] = [];
    const candidates: Visit[] = [];
    for (const v of frontier) {
      if (++expansions % TIME_CHECK_EVERY === 0 && Date.now() > deadline) {
        timedOut = true;
        break;
      }
      const transitions = outgoing.get(v.state) ?? [];
      const kinds = [...new Set(transitions.flatMap((t) => [...t.kinds]))];
      if (kinds.length === 0) continue;
      for (const e of graph.step(v.node, reverse ? 'in' : 'out', kinds)) {
        for (const t of transitions) {
          if (!t.kinds.has(e.kind) || (t.filter && !passesFilter(t.filter, e.actions(), e.levels())))
            continue;
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
    const kinds = wanted ? graph.kindsOf([...new Set(candidates.map((c) => c.node))]) : null;
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
  const edges = new Map<string, GraphEdge>();
  const edge = (id: string) => {
    let e = edges.get(id);
    if (!e) {
      e = graph.edge(id);
      edges.set(id, e);
    }
    return e;
  };
  const reached: Reached[] = ordered.slice(0, q.maxResults).map(([node, r]) => ({
    node: graph.node(node),
    depth: r.depth,
    path: pathTo(visits, r.visitKey, reverse).map(edge),
  }));
  const reasons = (['maxDepth', 'maxResults', 'timeout'] as const).filter((r) => truncatedBy.has(r));
  return { reached, truncated: reasons.length > 0, truncatedBy: reasons };
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
