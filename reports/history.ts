/**
 * Run history in `<dataDir>/reports.sqlite`: every run of every report with its outcome,
 * and every scored item (finding or crown-jewel path) of the runs that succeeded.
 *
 * SQLite rather than JSON files because the scheduler inside `serve` and a `report run`
 * from the CLI may write the same history at once: SQLite's locking and transactions make
 * that safe, a run's items land all-or-nothing, and diffs, trends and retention are single
 * indexed queries instead of directory scans.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Severity } from '../graph/findings/types.js';
import type { JsonValue } from '../graph/model.js';

export const REPORTS_DB_FILE = 'reports.sqlite';

export type RunStatus = 'running' | 'ok' | 'failed';
export type RunTrigger = 'manual' | 'schedule' | 'catch-up';

export interface RunRecord {
  id: number;
  report: string;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  error: string | null;
  summary: JsonValue | null;
  deliveries: JsonValue | null;
}

/** One scored thing a run found; `key` is Finding.id for findings. */
export interface RunItem {
  key: string;
  source: 'finding' | 'crown-jewel';
  score: number;
  band: Severity;
  title: string;
}

/**
 * A stored item with what the explorer needs to draw it: its kind, ends and explained path
 * (JSON, see execute.ts `itemDetail`). `detail` is null for runs recorded before paths
 * were kept.
 */
export interface RunItemWithDetail extends RunItem {
  detail: JsonValue | null;
}

interface RunRow {
  id: number;
  report: string;
  trigger: RunTrigger;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  error: string | null;
  summary: string | null;
  deliveries: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  report TEXT NOT NULL,
  trigger TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,
  error TEXT,
  summary TEXT,
  deliveries TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_report ON runs (report, id);
CREATE TABLE IF NOT EXISTS run_items (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  source TEXT NOT NULL,
  score INTEGER NOT NULL,
  band TEXT NOT NULL,
  title TEXT NOT NULL,
  detail TEXT,
  PRIMARY KEY (run_id, key)
);
`;

/** Histories created before item details were kept get the column added (NULL for old runs). */
function addDetailColumn(db: Database.Database): void {
  const cols = db.prepare<[], { name: string }>('PRAGMA table_info(run_items)').all();
  if (!cols.some((c) => c.name === 'detail')) db.exec('ALTER TABLE run_items ADD COLUMN detail TEXT');
}

const toRecord = (r: RunRow): RunRecord => ({
  id: r.id,
  report: r.report,
  trigger: r.trigger,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  status: r.status,
  error: r.error,
  summary: r.summary === null ? null : (JSON.parse(r.summary) as JsonValue),
  deliveries: r.deliveries === null ? null : (JSON.parse(r.deliveries) as JsonValue),
});

const withDetail = (r: RunItem & { detail: string | null }): RunItemWithDetail => ({
  ...r,
  detail: r.detail === null ? null : (JSON.parse(r.detail) as JsonValue),
});

export class RunHistory {
  private constructor(private readonly db: Database.Database) {}

  static open(dataDir: string): RunHistory {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, REPORTS_DB_FILE));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 10000');
    db.pragma('foreign_keys = ON');
    db.exec(SCHEMA);
    addDetailColumn(db);
    return new RunHistory(db);
  }

  close(): void {
    this.db.close();
  }

  beginRun(report: string, trigger: RunTrigger, startedAt: Date): number {
    const r = this.db
      .prepare('INSERT INTO runs (report, trigger, started_at, status) VALUES (?, ?, ?, ?)')
      .run(report, trigger, startedAt.toISOString(), 'running');
    return Number(r.lastInsertRowid);
  }

  /**
   * Record success with its items, in one transaction: a run is never half stored. Items may
   * carry a `detail` (their path and ends) for the API to show later.
   */
  finishOk(
    id: number,
    finishedAt: Date,
    summary: JsonValue,
    items: ReadonlyArray<RunItem & { detail?: JsonValue }>,
  ): void {
    const insert = this.db.prepare(
      'INSERT INTO run_items (run_id, key, source, score, band, title, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const it of items)
        insert.run(
          id,
          it.key,
          it.source,
          it.score,
          it.band,
          it.title,
          it.detail === undefined ? null : JSON.stringify(it.detail),
        );
      this.db
        .prepare("UPDATE runs SET status = 'ok', finished_at = ?, summary = ? WHERE id = ?")
        .run(finishedAt.toISOString(), JSON.stringify(summary), id);
    })();
  }

  finishFailed(id: number, finishedAt: Date, error: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM run_items WHERE run_id = ?').run(id);
      this.db
        .prepare("UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE id = ?")
        .run(finishedAt.toISOString(), error, id);
    })();
  }

  /**
   * Runs still marked running that started before `before` belong to a process that died
   * mid-run (a run takes minutes, not hours): record them as failed so `report list` tells
   * the truth. Returns how many were closed.
   */
  failInterrupted(before: Date, now: Date): number {
    return this.db
      .prepare(
        "UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE status = 'running' AND started_at < ?",
      )
      .run(
        now.toISOString(),
        'interrupted: the process stopped before the run finished',
        before.toISOString(),
      ).changes;
  }

  recordDeliveries(id: number, deliveries: JsonValue): void {
    this.db.prepare('UPDATE runs SET deliveries = ? WHERE id = ?').run(JSON.stringify(deliveries), id);
  }

  getRun(id: number): RunRecord | null {
    const r = this.db.prepare<[number], RunRow>('SELECT * FROM runs WHERE id = ?').get(id);
    return r ? toRecord(r) : null;
  }

  /** Most recent runs first. */
  listRuns(report: string, limit = 20): RunRecord[] {
    return this.db
      .prepare<[string, number], RunRow>('SELECT * FROM runs WHERE report = ? ORDER BY id DESC LIMIT ?')
      .all(report, limit)
      .map(toRecord);
  }

  /** The start time of the latest run of any outcome: what the scheduler compares with the schedule. */
  lastStartedAt(report: string): Date | null {
    const r = this.db
      .prepare<[string], { started_at: string }>(
        'SELECT started_at FROM runs WHERE report = ? ORDER BY id DESC LIMIT 1',
      )
      .get(report);
    return r ? new Date(r.started_at) : null;
  }

  /** The latest successful run before `beforeId` (or overall when omitted). */
  previousOk(report: string, beforeId = Number.MAX_SAFE_INTEGER): RunRecord | null {
    const r = this.db
      .prepare<[string, number], RunRow>(
        "SELECT * FROM runs WHERE report = ? AND status = 'ok' AND id < ? ORDER BY id DESC LIMIT 1",
      )
      .get(report, beforeId);
    return r ? toRecord(r) : null;
  }

  /** The last `n` successful runs up to and including `uptoId`, oldest first. */
  recentOk(report: string, n: number, uptoId = Number.MAX_SAFE_INTEGER): RunRecord[] {
    return this.db
      .prepare<[string, number, number], RunRow>(
        "SELECT * FROM runs WHERE report = ? AND status = 'ok' AND id <= ? ORDER BY id DESC LIMIT ?",
      )
      .all(report, uptoId, n)
      .map(toRecord)
      .reverse();
  }

  items(runId: number): RunItem[] {
    return this.db
      .prepare<[number], RunItem>(
        'SELECT key, source, score, band, title FROM run_items WHERE run_id = ? ORDER BY score DESC, key',
      )
      .all(runId);
  }

  /** How many items a run stored (the API's page counts). */
  itemCount(runId: number): number {
    return this.db
      .prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM run_items WHERE run_id = ?')
      .get(runId)!.n;
  }

  /**
   * Items with their details, highest score first (the order `items` uses), `limit` from
   * `offset`: the API pages a run's risks without loading every path of a big run.
   */
  itemsWithDetail(runId: number, limit: number, offset = 0): RunItemWithDetail[] {
    return this.db
      .prepare<[number, number, number], RunItem & { detail: string | null }>(
        'SELECT key, source, score, band, title, detail FROM run_items WHERE run_id = ? ORDER BY score DESC, key LIMIT ? OFFSET ?',
      )
      .all(runId, limit, offset)
      .map(withDetail);
  }

  /** Chosen items of a run with their details, in no particular order (diff entries). */
  itemsByKey(runId: number, keys: readonly string[]): RunItemWithDetail[] {
    if (keys.length === 0) return [];
    const one = this.db.prepare<[number, string], RunItem & { detail: string | null }>(
      'SELECT key, source, score, band, title, detail FROM run_items WHERE run_id = ? AND key = ?',
    );
    const out: RunItemWithDetail[] = [];
    for (const k of keys) {
      const r = one.get(runId, k);
      if (r) out.push(withDetail(r));
    }
    return out;
  }

  /** Most recent runs first, strictly before run id `beforeId` (keyset paging for the API). */
  listRunsBefore(report: string, beforeId: number, limit: number): RunRecord[] {
    return this.db
      .prepare<[string, number, number], RunRow>(
        'SELECT * FROM runs WHERE report = ? AND id < ? ORDER BY id DESC LIMIT ?',
      )
      .all(report, beforeId, limit)
      .map(toRecord);
  }

  /** How many runs a report has in the history. */
  runCount(report: string): number {
    return this.db
      .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM runs WHERE report = ?')
      .get(report)!.n;
  }

  /**
   * Drop runs beyond retention: more than `keepRuns` newer runs, or started more than
   * `keepDays` before `now`. The newest successful run always stays, so the next diff has a
   * baseline. Returns the removed run ids.
   */
  prune(report: string, retention: { keepRuns?: number; keepDays?: number }, now: Date): number[] {
    const rows = this.db
      .prepare<[string], { id: number; started_at: string; status: RunStatus }>(
        'SELECT id, started_at, status FROM runs WHERE report = ? ORDER BY id DESC',
      )
      .all(report);
    const newestOk = rows.find((r) => r.status === 'ok')?.id;
    const cutoff = retention.keepDays === undefined ? null : now.getTime() - retention.keepDays * 86_400_000;
    const doomed = rows
      .filter((r, i) => {
        if (r.id === newestOk || r.status === 'running') return false;
        if (retention.keepRuns !== undefined && i >= retention.keepRuns) return true;
        return cutoff !== null && Date.parse(r.started_at) < cutoff;
      })
      .map((r) => r.id);
    const del = this.db.prepare('DELETE FROM runs WHERE id = ?');
    this.db.transaction(() => {
      for (const id of doomed) del.run(id);
    })();
    return doomed;
  }

  /** Names of every report with history, for `report list`. */
  reportNames(): string[] {
    return this.db
      .prepare<[], { report: string }>('SELECT DISTINCT report FROM runs ORDER BY report')
      .all()
      .map((r) => r.report);
  }
}
