/**
 * Runs reports on their cron schedules inside `accessgraph serve`.
 *
 * - croner computes fire times (time zones, DST) but does not own the timers: timers come
 *   from an injectable clock, so tests drive time without waiting on it.
 * - One run of a report at a time: a fire that comes while the previous run is still going
 *   is skipped (and logged), never queued behind it. The same lock covers `runNow` (the
 *   API's "run now"), for scheduled and unscheduled reports alike.
 * - Catch-up: at start, a report whose last recorded run is older than its schedule's
 *   previous fire time missed a run while the server was down, and runs once now. A report
 *   with no history at all has missed nothing; it waits for its first fire.
 */
import { Cron } from 'croner';
import type { ReportDefinition } from './config.js';
import type { RunHistory, RunTrigger } from './history.js';

export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // a pending report must not keep the process alive once serve shuts down
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Node timers overflow above 2^31−1 ms (~24.8 days): wake up early and re-arm. */
export const MAX_TIMER_MS = 2_147_483_647;

export interface SchedulerOptions {
  definitions: readonly ReportDefinition[];
  history: RunHistory;
  /** runs one report; records its own outcome in the history; calls `onBegin` with its run id */
  run: (def: ReportDefinition, trigger: RunTrigger, onBegin?: (runId: number) => void) => Promise<unknown>;
  clock?: Clock;
  log?: (message: string) => void;
}

interface Job {
  def: ReportDefinition;
  cron: Cron;
  timer: unknown;
}

export class ReportScheduler {
  private readonly jobs = new Map<string, Job>();
  /** the run in progress per report name: the one-run-at-a-time lock */
  private readonly running = new Map<string, Promise<void>>();
  private readonly clock: Clock;
  private readonly log: (message: string) => void;
  private stopped = false;

  constructor(private readonly opts: SchedulerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? (() => undefined);
    for (const def of opts.definitions) {
      if (!def.schedule) continue;
      const cron = new Cron(def.schedule.cron, { timezone: def.schedule.timezone, paused: true });
      this.jobs.set(def.name, { def, cron, timer: null });
    }
  }

  /** Names of the scheduled reports. */
  get scheduled(): string[] {
    return [...this.jobs.keys()];
  }

  /** When the report fires next (null when unscheduled or the schedule has no future fire). */
  nextFire(name: string): Date | null {
    const job = this.jobs.get(name);
    return job ? job.cron.nextRun(this.clock.now()) : null;
  }

  /** Start the catch-up runs that are due and arm every schedule. */
  start(): void {
    const now = this.clock.now();
    for (const job of this.jobs.values()) {
      const last = this.opts.history.lastStartedAt(job.def.name);
      const previousFire = job.cron.previousRuns(1, now)[0];
      if (last && previousFire && last.getTime() < previousFire.getTime()) {
        this.log(`report ${job.def.name}: missed the run due ${previousFire.toISOString()}; running it now`);
        this.trigger(job, 'catch-up');
      }
      this.arm(job);
    }
  }

  /** Clear the timers and wait for runs in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs.values()) {
      if (job.timer !== null) this.clock.clearTimeout(job.timer);
      job.timer = null;
    }
    await Promise.all([...this.running.values()]);
  }

  /** The run in progress for a report, if any (tests and shutdown wait on it). */
  inProgress(name: string): Promise<void> | null {
    return this.running.get(name) ?? null;
  }

  /**
   * Run a report of the config now, scheduled or not, under the same lock as its schedule.
   * Returns the run's completion, or null when a run of it is already in progress.
   */
  runNow(name: string, onBegin?: (runId: number) => void): Promise<void> | null {
    if (this.stopped) throw new Error('the report scheduler has stopped');
    const def = this.opts.definitions.find((d) => d.name === name);
    if (!def) throw new Error(`no report named "${name}" in the config`);
    if (this.running.has(name)) return null;
    return this.launch(def, 'manual', onBegin);
  }

  private arm(job: Job): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const next = job.cron.nextRun(now);
    if (!next) {
      this.log(`report ${job.def.name}: the schedule has no future run`);
      return;
    }
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, next.getTime() - now.getTime()));
    job.timer = this.clock.setTimeout(() => {
      job.timer = null;
      if (this.stopped) return;
      // woken early (long delays are split, clocks drift): re-arm for the same fire
      if (this.clock.now().getTime() < next.getTime()) return this.arm(job);
      this.trigger(job, 'schedule');
      this.arm(job);
    }, delay);
  }

  private trigger(job: Job, trigger: RunTrigger): void {
    if (this.running.has(job.def.name)) {
      this.log(`report ${job.def.name}: previous run still in progress; skipping this ${trigger} run`);
      return;
    }
    void this.launch(job.def, trigger);
  }

  private launch(
    def: ReportDefinition,
    trigger: RunTrigger,
    onBegin?: (runId: number) => void,
  ): Promise<void> {
    let settled = false;
    const run = (async () => {
      try {
        await this.opts.run(def, trigger, onBegin);
      } catch (err) {
        // the run records its own failure; this only keeps the scheduler alive
        this.log(`report ${def.name}: run failed: ${(err as Error).message ?? String(err)}`);
      } finally {
        settled = true;
        this.running.delete(def.name);
      }
    })();
    // a run that threw synchronously has already settled and must not hold the lock
    if (!settled) this.running.set(def.name, run);
    return run;
  }
}
