/**
 * Write ingested sources into a store: each source replaced atomically, in batches, with
 * progress. Every input was parsed and validated before the first write (planDocuments /
 * ingestDocuments), so bad input never leaves a source half-loaded.
 */
import type { GraphStore, SourceInfo } from '../graph/store.js';
import type { BuildPool } from './build-pool.js';
import type { IngestedSource, PlannedSource } from './types.js';

export const LOAD_BATCH = 5000;

/**
 * Builds queued per worker ahead of the source being written. One ahead left both threads
 * idle ~40% of an M-tier ingest (accounts differ in size, so a big build stalled the writer
 * and a big write stalled the worker); three keep the worker busy while the writer catches up,
 * for at most that many more evaluated sources in memory.
 */
export const BUILDS_AHEAD_PER_WORKER = 3;

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
 *
 * With a `pool` (ingest/build-pool.ts), sources that offer a `job` are built in its worker
 * threads, up to BUILDS_AHEAD_PER_WORKER per worker ahead of the source being written, so
 * evaluation and writing overlap; memory then holds that many more evaluated sources. Sources load in
 * plan order either way, and a failed build still stops the load at that source.
 */
export async function loadPlanned(
  store: GraphStore,
  planned: readonly PlannedSource[],
  hooks: PlannedLoadHooks = {},
  pool?: BuildPool,
): Promise<SourceInfo[]> {
  const infos: SourceInfo[] = [];
  const builds = new Map<number, Promise<IngestedSource>>();
  const start = (i: number) => {
    const p = planned[i]!;
    hooks.onBuild?.(p.id, i, planned.length);
    const b = pool && p.job ? pool.run(p.job()) : p.build();
    b.catch(() => undefined); // awaited in order below; a failure ahead must not go unhandled
    builds.set(i, b);
  };
  for (let i = 0; i < planned.length; i++) {
    // in-process builds run on this thread: started only at their turn
    if (!builds.has(i)) start(i);
    const ahead = pool ? pool.size * BUILDS_AHEAD_PER_WORKER : 0;
    for (let j = i + 1; j <= i + ahead && j < planned.length; j++)
      if (!builds.has(j) && planned[j]!.job) start(j);
    const source = await builds.get(i)!;
    builds.delete(i);
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
