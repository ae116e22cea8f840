/**
 * Write ingested sources into a store: each source replaced atomically, in batches, with
 * progress. Every input was parsed and validated before the first write (planDocuments /
 * ingestDocuments), so bad input never leaves a source half-loaded.
 */
import type { GraphStore, SourceInfo } from '../graph/store.js';
import type { IngestedSource, PlannedSource } from './types.js';

export const LOAD_BATCH = 5000;

export type LoadProgress = (
  source: string,
  p: { nodes: number; edges: number; totalNodes: number; totalEdges: number },
) => void;

export async function loadSources(
  store: GraphStore,
  sources: readonly IngestedSource[],
  onProgress?: LoadProgress,
): Promise<SourceInfo[]> {
  const infos: SourceInfo[] = [];
  for (const s of sources) infos.push(await loadOne(store, s, onProgress));
  return infos;
}

export interface PlannedLoadHooks {
  /** before a source is evaluated: `index` counts from 0 over `total` planned sources */
  onBuild?: (source: string, index: number, total: number) => void;
  /** after it is built, before it is written: warnings, or a look at what it holds */
  onBuilt?: (source: IngestedSource) => void;
  onProgress?: LoadProgress;
}

/**
 * Build and load planned sources one at a time: evaluate one, replace it in the store, let
 * it go, go on. Peak memory is then one evaluated source (plus the validated input), which is
 * what makes a 200-account organization fit. Each source is still replaced atomically; a
 * failure while building one leaves it and every source after it as they were in the store.
 */
export async function loadPlanned(
  store: GraphStore,
  planned: readonly PlannedSource[],
  hooks: PlannedLoadHooks = {},
): Promise<SourceInfo[]> {
  const infos: SourceInfo[] = [];
  for (const [i, p] of planned.entries()) {
    hooks.onBuild?.(p.id, i, planned.length);
    const source = await p.build();
    hooks.onBuilt?.(source);
    infos.push(await loadOne(store, source, hooks.onProgress));
  }
  return infos;
}

async function loadOne(store: GraphStore, s: IngestedSource, onProgress?: LoadProgress): Promise<SourceInfo> {
  const totals = { totalNodes: s.nodes.length, totalEdges: s.edges.length };
  return store.replaceSource(
    s.descriptor,
    async (w) => {
      for (let i = 0; i < s.nodes.length; i += LOAD_BATCH) await w.addNodes(s.nodes.slice(i, i + LOAD_BATCH));
      for (let i = 0; i < s.edges.length; i += LOAD_BATCH) await w.addEdges(s.edges.slice(i, i + LOAD_BATCH));
    },
    { onProgress: (p) => onProgress?.(s.descriptor.id, { ...p, ...totals }) },
  );
}
