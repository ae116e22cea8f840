/**
 * Write ingested sources into a store: each source replaced atomically, in batches, with
 * progress. Every input was parsed and validated before the first write (planDocuments /
 * ingestDocuments), so bad input never leaves a source half-loaded.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphStore, ReplaceOptions, SourceInfo } from '../graph/store.js';
import { turnOfTheEventLoop } from '../lib/event-loop.js';
import type { BuildPool } from './build-pool.js';
import type { BuiltSource, IngestedSource, PlannedSource, StagedSource } from './types.js';

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
  /**
   * after it is built, before it is written: warnings, or a look at what it holds (a source
   * staged by a worker, for a store that loads staged files, comes without its nodes and edges)
   */
  onBuilt?: (source: BuiltSource) => void;
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
 * evaluation and writing overlap; memory then holds that many more evaluated sources. A store
 * that loads staged files (GraphStore.staging: the embedded store) gets them staged by the
 * worker instead of sent back as objects, in a staging directory removed at the end. Sources
 * load in plan order either way, and a failed build still stops the load at that source.
 */
export async function loadPlanned(
  store: GraphStore,
  planned: readonly PlannedSource[],
  hooks: PlannedLoadHooks = {},
  pool?: BuildPool,
): Promise<SourceInfo[]> {
  const infos: SourceInfo[] = [];
  const builds = new Map<number, Promise<BuiltSource>>();
  const stagingDir =
    pool && store.staging && planned.some((p) => p.job) ? store.staging.newStagingDir() : null;
  const start = (i: number) => {
    const p = planned[i]!;
    hooks.onBuild?.(p.id, i, planned.length);
    let b: Promise<BuiltSource>;
    if (pool && p.job)
      b = stagingDir ? pool.stage(p.job(), join(stagingDir, `${i}.sqlite`)) : pool.run(p.job());
    else b = p.build();
    b.catch(() => undefined); // awaited in order below; a failure ahead must not go unhandled
    builds.set(i, b);
  };
  try {
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
      if ('rows' in source) rmSync(source.rows.file, { force: true });
    }
  } finally {
    if (stagingDir) {
      // builds still running would write into the directory after it is gone
      await Promise.allSettled(builds.values());
      rmSync(stagingDir, { recursive: true, force: true });
    }
  }
  return infos;
}

async function loadOne(store: GraphStore, s: BuiltSource, onProgress?: LoadProgress): Promise<SourceInfo> {
  if ('rows' in s) return loadStaged(store, s, onProgress);
  return store.replaceSource(
    s.descriptor,
    async (w) => {
      for (let i = 0; i < s.nodes.length; i += LOAD_BATCH) {
        await w.addNodes(s.nodes.slice(i, i + LOAD_BATCH));
        await turnOfTheEventLoop();
      }
      for (let i = 0; i < s.edges.length; i += LOAD_BATCH) {
        await w.addEdges(s.edges.slice(i, i + LOAD_BATCH));
        await turnOfTheEventLoop();
      }
    },
    progressOf(s.descriptor.id, { totalNodes: s.nodes.length, totalEdges: s.edges.length }, onProgress),
  );
}

function loadStaged(store: GraphStore, s: StagedSource, onProgress?: LoadProgress): Promise<SourceInfo> {
  if (!store.staging)
    throw new Error(`${s.descriptor.id} was staged for a store that cannot load staged files`);
  const totals = { totalNodes: s.rows.nodes, totalEdges: s.rows.edges };
  return store.staging.loadStaged(s.descriptor, s.rows, progressOf(s.descriptor.id, totals, onProgress));
}

/** A store's per-source progress, reported as LoadProgress with the source's totals. */
function progressOf(
  id: string,
  totals: { totalNodes: number; totalEdges: number },
  onProgress?: LoadProgress,
): ReplaceOptions {
  return { onProgress: (p) => onProgress?.(id, { ...p, ...totals }) };
}
