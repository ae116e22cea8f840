/**
 * k shortest loopless paths between two nodes (Yen's algorithm) over the edges paths
 * travel, built on one store primitive: a single shortest path that avoids given nodes
 * and edges. Both stores answer that primitive; the k-path logic lives only here.
 */
import type { EdgeKind, GraphEdge } from '../model.js';
import type { GraphStore, ShortestPathQuery } from '../store.js';

/** The edges an access path may use (DESIGN.md, path semantics). */
export const PATH_EDGE_KINDS: readonly EdgeKind[] = [
  'MEMBER_OF',
  'CAN_ASSUME',
  'CAN_ESCALATE',
  'HAS_ACCESS',
  'CONTAINS',
];

export interface PathsQuery {
  from: string;
  to: string;
  maxDepth: number;
  k: number;
  timeoutMs: number;
  edgeKinds?: readonly EdgeKind[];
}

export interface PathsResult {
  /** shortest first */
  paths: GraphEdge[][];
  /** true when time ran out before k paths were settled */
  truncated: boolean;
}

const key = (p: readonly GraphEdge[]) => p.map((e) => e.id).join('\u0001');
const nodesOf = (from: string, p: readonly GraphEdge[]) => [from, ...p.map((e) => e.to)];

/** `bounded: false` runs spur searches to the full depth, for tests to compare against. */
export async function kShortestPaths(
  store: GraphStore,
  q: PathsQuery,
  { bounded = true }: { bounded?: boolean } = {},
): Promise<PathsResult> {
  const deadline = Date.now() + q.timeoutMs;
  const kinds = q.edgeKinds ?? PATH_EDGE_KINDS;
  const remaining = () => Math.max(1, deadline - Date.now());
  const shortest = (from: string, maxDepth: number, excludeNodes: string[], excludeEdges: string[]) => {
    const sq: ShortestPathQuery = {
      from,
      to: q.to,
      edgeKinds: kinds,
      maxDepth,
      timeoutMs: remaining(),
      excludeNodes,
      excludeEdges,
    };
    return store.shortestPath(sq);
  };
  if (q.from === q.to) return { paths: [], truncated: false };
  const first = await shortest(q.from, q.maxDepth, [], []);
  if (!first) return { paths: [], truncated: false };
  const accepted: GraphEdge[][] = [first];
  const candidates = new Map<string, GraphEdge[]>();
  while (accepted.length < q.k) {
    if (Date.now() > deadline) return { paths: accepted, truncated: true };
    const last = accepted[accepted.length - 1]!;
    const lastNodes = nodesOf(q.from, last);
    for (let i = 0; i < last.length; i++) {
      const root = last.slice(0, i);
      const spur = lastNodes[i]!;
      const rootKey = key(root);
      // edges leaving the spur node on every accepted path that shares this root
      const excludeEdges = accepted
        .filter((p) => key(p.slice(0, i)) === rootKey && p.length > i)
        .map((p) => p[i]!.id);
      const excludeNodes = lastNodes.slice(0, i);
      // Once `needed` candidates are at most `bound` long, a longer one can never be
      // accepted (each acceptance takes the shortest left), so spur searches stop there: a
      // search that finds nothing is the costly kind, and a shorter bound cuts it most.
      const bound = bounded
        ? Math.min(q.maxDepth, lengthBound(candidates, q.k - accepted.length))
        : q.maxDepth;
      if (bound - i < 1) continue;
      const tail = await shortest(spur, bound - i, excludeNodes, excludeEdges);
      if (tail) {
        const path = [...root, ...tail];
        const k = key(path);
        if (!accepted.some((p) => key(p) === k)) candidates.set(k, path);
      }
    }
    if (candidates.size === 0) break;
    // shortest candidate; ties broken by edge ids so answers are repeatable
    const [bestKey, best] = [...candidates.entries()].sort(
      (a, b) => a[1].length - b[1].length || (a[0] < b[0] ? -1 : 1),
    )[0]!;
    candidates.delete(bestKey);
    accepted.push(best);
  }
  return { paths: accepted, truncated: false };
}

/** The `needed`-th smallest candidate length, or Infinity while there are fewer candidates. */
function lengthBound(candidates: ReadonlyMap<string, readonly GraphEdge[]>, needed: number): number {
  if (candidates.size < needed) return Number.POSITIVE_INFINITY;
  return [...candidates.values()].map((p) => p.length).sort((a, b) => a - b)[needed - 1]!;
}
