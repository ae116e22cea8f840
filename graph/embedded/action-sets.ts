/**
 * Interned action lists of the embedded store (schema v3).
 *
 * Why: an AWS admin-like grant expands to ~21,600 action ids, and ingest hands the same
 * list to many edges. Kept inline, every traversal step read and every filtered step parsed
 * half a megabyte per HAS_ACCESS edge (the S bench store was 2.5 KB per element on average
 * and who-can spent most of its time materializing those strings). Each distinct list is
 * now stored once in `action_sets`; an edge holds its set id, its props JSON a 0 in place
 * of the list (so key order survives), and readers rebuild `props.actions` from a bounded
 * cache of parsed sets. Set ids are AUTOINCREMENT, never reused, so a cached id can never
 * name other content, even when another process loads while this one reads.
 */
import type Database from 'better-sqlite3';
import { ACTIONS_PLACEHOLDER, actionListKey, ParsedActionSets } from '../action-set-cache.js';

type Db = Database.Database;

export { ACTIONS_PLACEHOLDER };

/**
 * Writes of one transaction. Ingest shares one array among the edges of a policy set, so
 * the array itself is remembered first: repeats cost neither a stringify nor a hash.
 */
export class ActionSetWriter {
  private readonly byArray = new WeakMap<readonly unknown[], number>();
  private readonly insert;
  private readonly find;

  constructor(db: Db) {
    this.insert = db.prepare<[string, string]>(
      'INSERT INTO action_sets(key, actions) VALUES (?, ?) ON CONFLICT(key) DO NOTHING',
    );
    this.find = db.prepare<[string], { id: number; actions: string }>(
      'SELECT id, actions FROM action_sets WHERE key = ?',
    );
  }

  /** The set id of `actions`, adding the list when it is new. */
  intern(actions: readonly unknown[]): number {
    const known = this.byArray.get(actions);
    if (known !== undefined) return known;
    const id = this.internJson(JSON.stringify(actions));
    this.byArray.set(actions, id);
    return id;
  }

  /** The set id of a list given as its JSON text (migration: the v2 `actions` column). */
  internJson(json: string): number {
    const key = actionListKey(json);
    this.insert.run(key, json);
    const row = this.find.get(key)!;
    // a sha-256 collision would silently merge two lists: refuse instead
    if (row.actions !== json) throw new Error(`action set hash collision on ${key}`);
    return row.id;
  }
}

/** Drops sets no edge references any more (after a source was replaced or deleted). */
export function pruneActionSets(db: Db): void {
  db.prepare(
    'DELETE FROM action_sets WHERE NOT EXISTS (SELECT 1 FROM edges WHERE edges.actions_set = action_sets.id)',
  ).run();
}

/** Parsed sets for one reading connection (graph/action-set-cache.ts), loaded from `action_sets`. */
export class ActionSetCache {
  private readonly sets: ParsedActionSets<number>;
  private readonly load: (id: number) => readonly unknown[];

  constructor(db: Db, maxActions = 1_000_000) {
    this.sets = new ParsedActionSets(maxActions);
    const get = db.prepare<[number], { actions: string }>('SELECT actions FROM action_sets WHERE id = ?');
    this.load = (id) => {
      const row = get.get(id);
      if (!row) throw new Error(`action set ${id} is missing from the store`);
      return JSON.parse(row.actions) as unknown[];
    };
  }

  /** The list, frozen and shared by every edge read with this set. */
  list(id: number): readonly unknown[] {
    return this.sets.list(id, this.load);
  }

  /** Whether set `id` holds any of `wanted` (lowercased), remembered per wanted set. */
  anyOf(wanted: ReadonlySet<string>, id: number): boolean {
    return this.sets.anyOf(wanted, id, this.load);
  }
}
