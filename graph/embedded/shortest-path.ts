/**
 * Shortest simple path with excluded nodes and edges (the primitive under Yen's
 * k-shortest-paths in graph/queries/paths.ts). Returns edge ids in path order.
 *
 * Bidirectional: a principal's side fans out once a grant reaches an account (CONTAINS to
 * every resource in it), while a resource's side stays narrow (its containers, the grants
 * on them, their holders). Growing whichever frontier is smaller keeps a search near the
 * narrow side instead of stepping through thousands of resources one query each.
 */
import type { EdgeKind } from '../model.js';
import type { ShortestPathQuery } from '../store.js';

export type Stepper = (
  node: string,
  kinds: readonly EdgeKind[],
  direction: 'in' | 'out',
) => ReadonlyArray<{ id: string; other: string }>;

interface Side {
  /** node → the edge that reached it and the node it came from (null at the side's root) */
  parent: Map<string, { node: string; edge: string } | null>;
  frontier: string[];
  direction: 'in' | 'out';
}

export function bfsShortestPath(q: ShortestPathQuery, step: Stepper): string[] | null {
  if (q.from === q.to) return [];
  const excludedNodes = new Set(q.excludeNodes ?? []);
  const excludedEdges = new Set(q.excludeEdges ?? []);
  if (excludedNodes.has(q.from) || excludedNodes.has(q.to)) return null;
  const deadline = Date.now() + q.timeoutMs;
  const fwd: Side = { parent: new Map([[q.from, null]]), frontier: [q.from], direction: 'out' };
  const back: Side = { parent: new Map([[q.to, null]]), frontier: [q.to], direction: 'in' };
  // `used` edges are covered by the two searches together; each level adds one.
  // Before a level, no path of `used` edges or fewer exists (else some node on it would lie
  // within both radii and have been met already), so the first meeting is a shortest path.
  for (let used = 0; used < q.maxDepth; used++) {
    if (fwd.frontier.length === 0 || back.frontier.length === 0) return null;
    const [grow, other] = fwd.frontier.length <= back.frontier.length ? [fwd, back] : [back, fwd];
    const next: string[] = [];
    for (const node of grow.frontier) {
      if (Date.now() > deadline) return null;
      for (const e of step(node, q.edgeKinds, grow.direction)) {
        if (excludedEdges.has(e.id) || excludedNodes.has(e.other) || grow.parent.has(e.other)) continue;
        grow.parent.set(e.other, { node, edge: e.id });
        if (other.parent.has(e.other)) return join(fwd, back, e.other);
        next.push(e.other);
      }
    }
    grow.frontier = next;
  }
  return null;
}

/** The path through `meet`, which both sides reached, in forward order. */
function join(fwd: Side, back: Side, meet: string): string[] {
  const head: string[] = [];
  for (let p = fwd.parent.get(meet); p; p = fwd.parent.get(p.node)) head.push(p.edge);
  const tail: string[] = [];
  for (let p = back.parent.get(meet); p; p = back.parent.get(p.node)) tail.push(p.edge);
  return [...head.reverse(), ...tail];
}
