/**
 * Shortest simple path with excluded nodes and edges (the primitive under Yen's
 * k-shortest-paths in graph/queries/paths.ts). Returns edge ids in path order.
 *
 * Two phases. First a bidirectional search finds the length: a principal's side fans out
 * once a grant reaches an account (CONTAINS to every resource in it) while a resource's
 * side stays narrow, so growing whichever frontier is smaller stays near the narrow side,
 * and a missing path is found missing from that side too. Then the plain forward BFS runs
 * again, entering beyond the forward radius only nodes on some shortest path (known from
 * the backward distances): it returns exactly the path a full forward BFS would (every
 * node's BFS parent on a shortest path lies on one too, and pruning keeps the discovery
 * order of what is left), so answers do not change, only the work.
 */
import type { EdgeKind } from '../model.js';
import type { ShortestPathQuery } from '../store.js';

export type Stepper = (
  node: string,
  kinds: readonly EdgeKind[],
  direction: 'in' | 'out',
) => ReadonlyArray<{ id: string; other: string }>;

interface Side {
  /** node → its distance from the side's root, every node found so far */
  dist: Map<string, number>;
  frontier: string[];
  /** levels expanded completely */
  levels: number;
  direction: 'in' | 'out';
}

export function bfsShortestPath(q: ShortestPathQuery, step: Stepper): string[] | null {
  if (q.from === q.to) return [];
  const excludedNodes = new Set(q.excludeNodes ?? []);
  const excludedEdges = new Set(q.excludeEdges ?? []);
  if (excludedNodes.has(q.from) || excludedNodes.has(q.to)) return null;
  const deadline = Date.now() + q.timeoutMs;
  const usable = (e: { id: string; other: string }) =>
    !excludedEdges.has(e.id) && !excludedNodes.has(e.other);
  const found = pathLength(q, step, usable, deadline);
  if (found === null) return null;
  const { length, back } = found;

  const parent = new Map<string, { prev: string; edge: string } | null>([[q.from, null]]);
  let frontier = [q.from];
  for (let depth = 1; depth <= length && frontier.length > 0; depth++) {
    // from here on the backward distances are complete: keep only nodes on a shortest path
    const prune = length - depth <= back.levels;
    const next: string[] = [];
    for (const node of frontier) {
      if (Date.now() > deadline) return null;
      for (const e of step(node, q.edgeKinds, 'out')) {
        if (!usable(e) || parent.has(e.other)) continue;
        if (prune && back.dist.get(e.other) !== length - depth) continue;
        parent.set(e.other, { prev: node, edge: e.id });
        if (e.other === q.to) {
          const path: string[] = [];
          for (let p = parent.get(q.to); p; p = parent.get(p.prev)) path.push(p.edge);
          return path.reverse();
        }
        next.push(e.other);
      }
    }
    frontier = next;
  }
  return null;
}

/**
 * Length of a shortest path (bidirectional), with the backward side's distances. Before
 * each level no path of `used` edges or fewer exists (some node on it would lie within both
 * radii and have been met), so the first meeting gives the length.
 */
function pathLength(
  q: ShortestPathQuery,
  step: Stepper,
  usable: (e: { id: string; other: string }) => boolean,
  deadline: number,
): { length: number; back: Side } | null {
  const fwd: Side = { dist: new Map([[q.from, 0]]), frontier: [q.from], levels: 0, direction: 'out' };
  const back: Side = { dist: new Map([[q.to, 0]]), frontier: [q.to], levels: 0, direction: 'in' };
  for (let used = 0; used < q.maxDepth; used++) {
    if (fwd.frontier.length === 0 || back.frontier.length === 0) return null;
    const [grow, other] = fwd.frontier.length <= back.frontier.length ? [fwd, back] : [back, fwd];
    const next: string[] = [];
    for (const node of grow.frontier) {
      if (Date.now() > deadline) return null;
      for (const e of step(node, q.edgeKinds, grow.direction)) {
        if (!usable(e) || grow.dist.has(e.other)) continue;
        grow.dist.set(e.other, grow.levels + 1);
        if (other.dist.has(e.other)) return { length: used + 1, back };
        next.push(e.other);
      }
    }
    grow.frontier = next;
    grow.levels++;
  }
  return null;
}
