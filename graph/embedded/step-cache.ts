/**
 * Recently read rows of the embedded store, kept between queries: stepped adjacency, and
 * the edges and nodes reach answers are made of.
 *
 * Why: who-can walks from a resource out to the principals, and on AWS data most of a walk
 * is the same principal side every time (who may escalate to or assume which role, group
 * memberships): ~10,000 rows a query on the S bench, 70% of its time reading them from
 * SQLite. Queries on one data directory share that side, so it is kept here, bounded by
 * rows, least recently used dropped first.
 *
 * Correctness: `PRAGMA data_version` of the reading connection changes whenever another
 * connection (this process's writer, or another process) commits; the store calls
 * `validate` at the start of every query, and the cache is emptied on any change.
 */
import type Database from 'better-sqlite3';

export class StepCache<Row> {
  private readonly rows = new Map<string, readonly Row[]>();
  private held = 0;
  private version: number | null = null;
  private readonly dataVersion;

  /**
   * `maxRows` bounds what is held (a stepped row is ~0.3 KB with its strings). The default
   * holds the principal side of the M bench tier (~1.2 M rows): a smaller bound made warm
   * who-can queries re-read it from SQLite, p95 460 ms against 180 ms.
   */
  constructor(
    db: Database.Database,
    private readonly maxRows = 2_000_000,
  ) {
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** Empties the cache when the database changed since the last call. */
  validate(): void {
    const v = this.dataVersion.get()!;
    if (v !== this.version) {
      this.rows.clear();
      this.held = 0;
      this.version = v;
    }
  }

  /** The cached rows of `key`, or `load()`'s (then cached). Rows are shared: read only. */
  get(key: string, load: () => Row[]): readonly Row[] {
    const hit = this.rows.get(key);
    if (hit) {
      // re-insert: Map order is the recency order
      this.rows.delete(key);
      this.rows.set(key, hit);
      return hit;
    }
    const rows = load();
    this.rows.set(key, rows);
    this.held += rows.length;
    for (const [old, r] of this.rows) {
      if (this.held <= this.maxRows || old === key) break;
      this.rows.delete(old);
      this.held -= r.length;
    }
    return rows;
  }
}
