/**
 * Worker thread of ingest/build-pool.ts: builds the jobs it is sent, one at a time, and posts
 * each built source back (structured clone), or stages it as a file for the store when asked
 * (`stageTo`, graph/embedded/staging.ts) and posts where; or the error that stopped it.
 */
import { parentPort } from 'node:worker_threads';
import { runBuildJob } from './build-jobs.js';
import { IngestError } from './errors.js';
import type { BuildJob } from './types.js';

const port = parentPort;
if (!port) throw new Error('build-worker.ts runs as a worker thread (ingest/build-pool.ts)');

port.on('message', async (m: { id: number; job: BuildJob; stageTo?: string }) => {
  try {
    const source = await runBuildJob(m.job);
    if (!m.stageTo) {
      port.postMessage({ id: m.id, source });
      return;
    }
    const { stageSource } = await import('../graph/embedded/staging.js');
    const rows = stageSource(m.stageTo, source.nodes, source.edges);
    port.postMessage({
      id: m.id,
      staged: { descriptor: source.descriptor, warnings: source.warnings, rows },
    });
  } catch (e) {
    const err = e as Error;
    port.postMessage({
      id: m.id,
      error:
        e instanceof IngestError
          ? { ingest: { file: e.file, jsonPath: e.jsonPath, problem: e.problem } }
          : { message: err?.stack ?? String(e) },
    });
  }
});
