/**
 * Write ingested sources into a store: each source replaced atomically, in batches, with
 * progress. Everything was parsed and validated before the first write (ingestDocuments),
 * so bad input never leaves a source half-loaded.
 */
import type { GraphStore, SourceInfo } from '../graph/store.js';
import type { IngestedSource } from './types.js';

export const LOAD_BATCH = 5000;

export async function loadSources(
  store: GraphStore,
  sources: readonly IngestedSource[],
  onProgress?: (
    source: string,
    p: { nodes: number; edges: number; totalNodes: number; totalEdges: number },
  ) => void,
): Promise<SourceInfo[]> {
  const infos: SourceInfo[] = [];
  for (const s of sources) {
    const totals = { totalNodes: s.nodes.length, totalEdges: s.edges.length };
    const info = await store.replaceSource(
      s.descriptor,
      async (w) => {
        for (let i = 0; i < s.nodes.length; i += LOAD_BATCH)
          await w.addNodes(s.nodes.slice(i, i + LOAD_BATCH));
        for (let i = 0; i < s.edges.length; i += LOAD_BATCH)
          await w.addEdges(s.edges.slice(i, i + LOAD_BATCH));
      },
      { onProgress: (p) => onProgress?.(s.descriptor.id, { ...p, ...totals }) },
    );
    infos.push(info);
  }
  return infos;
}
