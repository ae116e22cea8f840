/**
 * What the API needs of the reports `serve` runs: the definitions, the run history, and
 * "run now" under the scheduler's one-run-at-a-time lock.
 *
 * `serve` starts the HTTP server and the report scheduler independently (the scheduler
 * needs a store that is already serving). So the scheduler publishes its service under the
 * store it runs on, and the API looks it up, per request, for the store it serves: no
 * wiring through the CLI, and a server without `--reports` simply finds nothing.
 */
import type { GraphStore } from '../graph/store.js';
import type { ReportDefinition } from './config.js';
import type { RunHistory } from './history.js';

export interface StartedRun {
  /** the run's id, once the history has recorded it */
  runId: Promise<number>;
  /** settles when the run has recorded its outcome (never rejects: failures are recorded) */
  done: Promise<void>;
}

export interface ReportService {
  definitions: readonly ReportDefinition[];
  history: RunHistory;
  /** when a scheduled report fires next; null for unscheduled ones */
  nextRun(name: string): Date | null;
  /** a run of this report is in progress in this process */
  inProgress(name: string): boolean;
  /** start a run now; null when one is already in progress (the caller says so) */
  runNow(name: string): StartedRun | null;
}

const published = new WeakMap<GraphStore, ReportService>();

export function publishReports(store: GraphStore, service: ReportService): void {
  published.set(store, service);
}

/** Withdraw only this service: a newer one published since stays. */
export function withdrawReports(store: GraphStore, service: ReportService): void {
  if (published.get(store) === service) published.delete(store);
}

export function reportsFor(store: GraphStore): ReportService | null {
  return published.get(store) ?? null;
}
