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
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

type Db = Database.Database;

/** What stands in for the list inside the stored props JSON. */
export const ACTIONS_PLACEHOLDER = 0;

/** Key of a list: its exact JSON, hashed (order kept, so props round-trip exactly). */
function keyOf(json: string): string {
  return createHash('sha256').update(json).digest('base64');
}

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
    const key = keyOf(json);
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

interface Parsed {
  list: readonly unknown[];
  /** lowercased string actions, for filters */
  lowered: ReadonlySet<string>;
}

/**
 * Parsed sets for one reading connection, least recently used dropped first once the
 * cached lists together hold more than `maxActions` entries (a few admin-like sets
 * at ~21,600 each plus many small ones stay resident; memory stays in the tens of MB).
 */
export class ActionSetCache {
  private readonly parsed = new Map<number, Parsed>();
  private held = 0;
  private readonly get;
  /** per wanted set (one per walk's filter): set id → whether it holds any of them */
  private readonly verdicts = new WeakMap<ReadonlySet<string>, Map<number, boolean>>();

  constructor(
    db: Db,
    private readonly maxActions = 1_000_000,
  ) {
    this.get = db.prepare<[number], { actions: string }>('SELECT actions FROM action_sets WHERE id = ?');
  }

  private load(id: number): Parsed {
    const hit = this.parsed.get(id);
    if (hit) {
      // re-insert: Map order is the recency order
      this.parsed.delete(id);
      this.parsed.set(id, hit);
      return hit;
    }
    const row = this.get.get(id);
    if (!row) throw new Error(`action set ${id} is missing from the store`);
    const list = Object.freeze(JSON.parse(row.actions) as unknown[]);
    const lowered = new Set<string>();
    for (const a of list) if (typeof a === 'string') lowered.add(a.toLowerCase());
    const p: Parsed = { list, lowered };
    this.parsed.set(id, p);
    this.held += list.length;
    for (const [old, q] of this.parsed) {
      if (this.held <= this.maxActions || old === id) break;
      this.parsed.delete(old);
      this.held -= q.list.length;
    }
    return p;
  }

  /**
   * The list, shared by every edge read with this set and frozen so that a caller changing
   * it in place fails loudly instead of changing other edges (copying 21,600 ids per edge
   * read was a tenth of a who-can). Frozen arrays still round-trip deep-equal.
   */
  list(id: number): readonly unknown[] {
    return this.load(id).list;
  }

  /**
   * Whether set `id` holds any of `wanted` (lowercased, as graph/reach-automaton.ts builds a
   * filter's actionsAny): the actions half of passesFilter. Remembered per wanted set, which
   * lives as long as its walk, so a walk tests each action set once.
   */
  anyOf(wanted: ReadonlySet<string>, id: number): boolean {
    let memo = this.verdicts.get(wanted);
    if (!memo) {
      memo = new Map();
      this.verdicts.set(wanted, memo);
    }
    let v = memo.get(id);
    if (v === undefined) {
      const { lowered } = this.load(id);
      const [small, large] = lowered.size < wanted.size ? [lowered, wanted] : [wanted, lowered];
      v = false;
      for (const a of small)
        if (large.has(a)) {
          v = true;
          break;
        }
      memo.set(id, v);
    }
    return v;
  }
}
