/**
 * Store walks the finding kinds share: paging through a scan, and finding every principal
 * that becomes a given principal (through groups, role assumption and escalation).
 */
import { type EdgeKind, type GraphEdge, type GraphNode, PRINCIPAL_KINDS } from '../model.js';
import type { GraphStore, Reached } from '../store.js';

const PAGE = 1000;

/** Every item of a scan, a page at a time: each page starts after the last id of the one before. */
async function* paged<T extends { id: string }>(page: (after?: string) => Promise<T[]>): AsyncGenerator<T> {
  let after: string | undefined;
  for (;;) {
    const items = await page(after);
    yield* items;
    if (items.length < PAGE) return;
    after = items[items.length - 1]?.id;
  }
}

export function scanEdges(
  store: GraphStore,
  kind: GraphEdge['kind'],
  flag?: 'adminEquivalent',
): AsyncGenerator<GraphEdge> {
  return paged((after) =>
    store.scanEdges({ kind, limit: PAGE, ...(flag ? { flag } : {}), ...(after ? { after } : {}) }),
  );
}

export function scanNodes(store: GraphStore, kinds: readonly GraphNode['kind'][]): AsyncGenerator<GraphNode> {
  return paged((after) => store.scanNodes({ kinds, limit: PAGE, ...(after ? { after } : {}) }));
}

export interface WalkBounds {
  maxDepth: number;
  maxResults: number;
  timeoutMs: number;
}

/**
 * Principals that can become `principal` over `hops`, shortest path each (path runs from
 * the reached principal to `principal`). The principal itself is not included.
 */
export async function principalsBecoming(
  store: GraphStore,
  principal: string,
  hops: readonly EdgeKind[],
  bounds: WalkBounds,
): Promise<{ reached: Reached[]; truncated: boolean }> {
  const res = await store.reach({
    start: principal,
    direction: 'reverse',
    shape: { kind: 'edges', edgeKinds: hops },
    resultKinds: PRINCIPAL_KINDS,
    ...bounds,
  });
  return { reached: res.reached.filter((r) => r.node.id !== principal), truncated: res.truncated };
}
