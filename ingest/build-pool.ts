/**
 * Worker threads that build planned sources (policy evaluation, graph building) while the
 * main thread writes the previous ones into the store: ingest's two halves on two cores.
 * A job goes to an idle worker, or waits for one; each worker builds one job at a time.
 *
 * Why threads and not one process per account: the built source comes back by structured
 * clone (or, for a store that takes them, staged as a file: graph/embedded/staging.ts), the
 * store stays owned by the one main thread, and a failed build is an ordinary
 * rejected promise (an IngestError keeps its file, JSON path and problem).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { IngestError } from './errors.js';
import type { BuildJob, BuiltSource, IngestedSource, StagedSource } from './types.js';

type Reply =
  | { id: number; source: IngestedSource }
  | { id: number; staged: StagedSource }
  | { id: number; error: { ingest?: { file: string; jsonPath: string; problem: string }; message?: string } };

interface Pending {
  resolve: (s: BuiltSource) => void;
  reject: (e: Error) => void;
}

/**
 * How many build workers an ingest of `jobs` sources uses. `stagedLoads`: the store copies
 * staged files in (GraphStore.staging), so the writing thread is idle most of the time (at the
 * M bench tier over half of it) and every core can evaluate; otherwise the writing thread, or
 * the Neo4j server it feeds, keeps a core.
 */
export function buildWorkersFor(
  jobs: number,
  env: NodeJS.ProcessEnv = process.env,
  opts: { stagedLoads?: boolean } = {},
): number {
  const asked = env.ACCESSGRAPH_INGEST_WORKERS;
  if (asked !== undefined && asked !== '') {
    const n = Number(asked);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`ACCESSGRAPH_INGEST_WORKERS must be a whole number, got ${JSON.stringify(asked)}`);
    return Math.min(n, jobs);
  }
  // a single source gains nothing: its build and its load cannot overlap
  if (jobs < 2) return 0;
  const cores = availableParallelism();
  return Math.max(0, Math.min(opts.stagedLoads ? cores : cores - 1, 3, jobs));
}

export class BuildPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<{ job: BuildJob; stageTo?: string; pending: Pending }> = [];
  private readonly pending = new Map<number, Pending & { worker: Worker }>();
  private nextId = 0;
  private failure: Error | null = null;

  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.on('message', (m: Reply) => this.settle(w, m));
      w.on('error', (e) => this.fail(w, e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(w, new Error(`an ingest build worker exited with code ${code}`));
      });
      this.idle.push(w);
    }
  }

  /** `size` workers; the caller must `close` the pool. */
  static open(size: number): BuildPool {
    const fromSource = import.meta.url.endsWith('.ts');
    const script = new URL(`./build-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
    // Run from TypeScript sources (tsx, tests), a worker needs tsx's loader, and `--import
    // tsx` in a worker's execArgv registers it too late on Node 20: register it, then import.
    const bootstrap = fromSource
      ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})` +
        `.then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); })`
      : null;
    const start = () => (bootstrap ? new Worker(bootstrap, { eval: true }) : new Worker(script));
    return new BuildPool(Array.from({ length: size }, start));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Build `job` and send the source back. */
  run(job: BuildJob): Promise<IngestedSource> {
    return this.submit(job) as Promise<IngestedSource>;
  }

  /** Build `job` and stage it as the new file `file` (GraphStore.staging). */
  stage(job: BuildJob, file: string): Promise<StagedSource> {
    return this.submit(job, file) as Promise<StagedSource>;
  }

  private submit(job: BuildJob, stageTo?: string): Promise<BuiltSource> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, ...(stageTo ? { stageTo } : {}), pending: { resolve, reject } });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const worker = this.idle.pop()!;
      const { job, stageTo, pending } = this.waiting.shift()!;
      const id = this.nextId++;
      this.pending.set(id, { ...pending, worker });
      worker.postMessage({ id, job, stageTo });
    }
  }

  private settle(worker: Worker, m: Reply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    this.idle.push(worker);
    if ('source' in m) p.resolve(m.source);
    else if ('staged' in m) p.resolve(m.staged);
    else if (m.error.ingest)
      p.reject(new IngestError(m.error.ingest.file, m.error.ingest.jsonPath, m.error.ingest.problem));
    else p.reject(new Error(`building a source failed in a worker: ${m.error.message}`));
    this.dispatch();
  }

  /** A worker died: everything it or any other worker was asked fails, now and later. */
  private fail(worker: Worker, e: Error): void {
    this.failure ??= e;
    for (const [id, p] of this.pending) {
      if (p.worker !== worker) continue;
      this.pending.delete(id);
      p.reject(e);
    }
    for (const w of this.waiting.splice(0)) w.pending.reject(e);
  }
}
