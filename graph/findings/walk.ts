/**
 * Store walks the finding kinds share: paging through a scan, and finding every principal
 * that becomes a given principal (through groups, role assumption and escalation).
 */
import { type EdgeKind, type GraphEdge, type GraphNode, PRINCIPAL_KINDS } from '../model.js';
import type { GraphStore, Reached } from '../store.js';

const PAGE = 1000;

export async function* scanEdges(
  store: GraphStore,
  kind: GraphEdge['kind'],
  flag?: 'adminEquivalent',
): AsyncGenerator<GraphEdge> {
  let after: string | undefined;
  for (;;) {
    const page = await store.scanEdges({
      kind,
      limit: PAGE,
      ...(flag ? { flag } : {}),
      ...(after ? { after } : {}),
    });
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]?.id;
  }
}

export async function* scanNodes(
  store: GraphStore,
  kinds: readonly GraphNode['kind'][],
): AsyncGenerator<GraphNode> {
  let after: string | undefined;
  for (;;) {
    const page = await store.scanNodes({ kinds, limit: PAGE, ...(after ? { after } : {}) });
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]?.id;
  }
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
