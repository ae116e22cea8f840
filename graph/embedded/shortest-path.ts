/**
 * Breadth-first shortest simple path with excluded nodes and edges (the primitive under
 * Yen's k-shortest-paths in graph/queries/paths.ts). Returns edge ids in path order.
 */
import type { EdgeKind } from '../model.js';
import type { ShortestPathQuery } from '../store.js';

export function bfsShortestPath(
  q: ShortestPathQuery,
  stepOut: (node: string, kinds: readonly EdgeKind[]) => Array<{ id: string; other: string }>,
): string[] | null {
  if (q.from === q.to) return [];
  const excludedNodes = new Set(q.excludeNodes ?? []);
  const excludedEdges = new Set(q.excludeEdges ?? []);
  if (excludedNodes.has(q.from) || excludedNodes.has(q.to)) return null;
  const deadline = Date.now() + q.timeoutMs;
  const parent = new Map<string, { prev: string; edge: string } | null>([[q.from, null]]);
  let frontier = [q.from];
  for (let depth = 1; depth <= q.maxDepth && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const node of frontier) {
      if (Date.now() > deadline) return null;
      for (const e of stepOut(node, q.edgeKinds)) {
        if (excludedEdges.has(e.id) || excludedNodes.has(e.other) || parent.has(e.other)) continue;
        parent.set(e.other, { prev: node, edge: e.id });
        if (e.other === q.to) {
          const path: string[] = [];
          for (let at: string = q.to; ; ) {
            const p = parent.get(at);
            if (!p) break;
            path.push(p.edge);
            at = p.prev;
          }
          return path.reverse();
        }
        next.push(e.other);
      }
    }
    frontier = next;
  }
  return null;
}
