/**
 * The one call `accessgraph serve` makes: load the report config, open the run history
 * and start the scheduler. `stop()` stops the timers, waits for runs in progress, and
 * closes the history.
 */
import type { GraphStore } from '../graph/store.js';
import { loadReportConfig } from './config.js';
import { defaultOutDir, executeReport } from './execute.js';
import { RunHistory } from './history.js';
import type { FindingsProvider } from './run-report.js';
import { type Clock, ReportScheduler } from './scheduler.js';
import { publishReports, type ReportService, withdrawReports } from './service.js';

/** A run still marked running this long after it started was cut off by a stopped process. */
export const INTERRUPTED_AFTER_MS = 6 * 3_600_000;

export interface StartReportSchedulerOptions {
  store: GraphStore;
  dataDir: string;
  configPath: string;
  findings: FindingsProvider;
  log?: (message: string) => void;
  /** default `<dataDir>/reports` */
  outDir?: string;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
}

export interface RunningReportScheduler {
  scheduler: ReportScheduler;
  /** what the API reads and triggers (also published for `opts.store`, see service.ts) */
  service: ReportService;
  stop(): Promise<void>;
}

export async function startReportScheduler(
  opts: StartReportSchedulerOptions,
): Promise<RunningReportScheduler> {
  const definitions = await loadReportConfig(opts.configPath);
  const history = RunHistory.open(opts.dataDir);
  const log = opts.log ?? (() => undefined);
  const startedAt = opts.clock?.now() ?? new Date();
  const closed = history.failInterrupted(new Date(startedAt.getTime() - INTERRUPTED_AFTER_MS), startedAt);
  if (closed > 0)
    log(`report scheduler: marked ${closed} run(s) left running by a stopped process as failed`);
  const outDir = opts.outDir ?? defaultOutDir(opts.dataDir);
  const deps = { store: opts.store, history, findings: opts.findings };
  const schedulerOptions: ConstructorParameters<typeof ReportScheduler>[0] = {
    definitions,
    history,
    log,
    run: async (def, trigger, onBegin) => {
      const runOptions: Parameters<typeof executeReport>[2] = { trigger, outDir };
      if (onBegin) runOptions.onBegin = onBegin;
      if (opts.env) runOptions.env = opts.env;
      if (opts.clock) {
        const clock = opts.clock;
        runOptions.now = () => clock.now();
      }
      const outcome = await executeReport(deps, def, runOptions);
      if (outcome.status === 'failed')
        log(`report ${def.name}: run #${outcome.runId} failed: ${outcome.error}`);
      else log(`report ${def.name}: run #${outcome.runId} wrote ${outcome.files.length} file(s)`);
      for (const d of outcome.deliveries) {
        if (!d.ok)
          log(`report ${def.name}: webhook ${d.url} failed after ${d.attempts} attempt(s): ${d.error}`);
      }
    },
  };
  if (opts.clock) schedulerOptions.clock = opts.clock;
  let scheduler: ReportScheduler;
  try {
    scheduler = new ReportScheduler(schedulerOptions);
    scheduler.start();
  } catch (err) {
    history.close();
    throw err;
  }
  log(`report scheduler: ${scheduler.scheduled.length} scheduled report(s) from ${opts.configPath}`);
  const service: ReportService = {
    definitions,
    history,
    nextRun: (name) => scheduler.nextFire(name),
    inProgress: (name) => scheduler.inProgress(name) !== null,
    runNow(name) {
      let begun: (id: number) => void = () => undefined;
      const runId = new Promise<number>((resolve) => {
        begun = resolve;
      });
      const done = scheduler.runNow(name, (id) => begun(id));
      if (!done) return null;
      // a run that ended without being recorded (history unusable) must not leave callers waiting
      const recorded = Promise.race([
        runId,
        done.then(() => Promise.reject(new Error(`the run of ${name} ended before it was recorded`))),
      ]);
      recorded.catch(() => undefined);
      return { runId: recorded, done };
    },
  };
  publishReports(opts.store, service);
  return {
    scheduler,
    service,
    async stop() {
      withdrawReports(opts.store, service);
      await scheduler.stop();
      history.close();
    },
  };
}
