/**
 * Interned action lists, the part both stores share (graph/embedded/action-sets.ts,
 * graph/neo4j/action-sets.ts).
 *
 * HAS_ACCESS edges carry `props.actions`, often thousands of action ids (an AWS admin-like
 * grant expands to ~21,600), but few distinct lists (39 over 14,308 edges at bench tier S).
 * A store keeps each distinct list once and an edge refers to it; readers rebuild
 * `props.actions` and test a walk's action filter against a parsed set cached per list.
 */
import { createHash } from 'node:crypto';

/** What stands in for the list inside an edge's stored props JSON (so key order survives). */
export const ACTIONS_PLACEHOLDER = 0;

/** Key of a list: its exact JSON, hashed (order and case kept, so props round-trip exactly). */
export function actionListKey(json: string): string {
  return createHash('sha256').update(json).digest('base64');
}

interface Parsed {
  list: readonly unknown[];
  /** lowercased string actions, for filters */
  lowered: ReadonlySet<string>;
}

/** Loads a set's list by id (its stored JSON, parsed); throws when the set is missing. */
export type ActionSetLoader<K> = (id: K) => readonly unknown[];

/**
 * Parsed sets, least recently used dropped first once the cached lists together hold more
 * than `maxActions` entries (a few admin-like sets at ~21,600 each plus many small ones stay
 * resident; memory stays in the tens of MB). Ids must never name other content: the embedded
 * store's are never reused, Neo4j's are content hashes.
 */
export class ParsedActionSets<K> {
  private readonly parsed = new Map<K, Parsed>();
  private held = 0;
  /** per wanted set (one per walk's filter): set id → whether it holds any of them */
  private readonly verdicts = new WeakMap<ReadonlySet<string>, Map<K, boolean>>();

  constructor(private readonly maxActions = 1_000_000) {}

  has(id: K): boolean {
    return this.parsed.has(id);
  }

  private load(id: K, loader: ActionSetLoader<K>): Parsed {
    const hit = this.parsed.get(id);
    if (hit) {
      // re-insert: Map order is the recency order
      this.parsed.delete(id);
      this.parsed.set(id, hit);
      return hit;
    }
    const list = Object.freeze(loader(id));
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
  list(id: K, loader: ActionSetLoader<K>): readonly unknown[] {
    return this.load(id, loader).list;
  }

  /**
   * Whether set `id` holds any of `wanted` (lowercased, as graph/reach-automaton.ts builds a
   * filter's actionsAny): the actions half of passesFilter. Remembered per wanted set, which
   * lives as long as its walk, so a walk tests each action set once.
   */
  anyOf(wanted: ReadonlySet<string>, id: K, loader: ActionSetLoader<K>): boolean {
    let memo = this.verdicts.get(wanted);
    if (!memo) {
      memo = new Map();
      this.verdicts.set(wanted, memo);
    }
    let v = memo.get(id);
    if (v === undefined) {
      const { lowered } = this.load(id, loader);
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

  /** Whether the verdict of `id` for `wanted` is known without loading anything. */
  knows(wanted: ReadonlySet<string>, id: K): boolean {
    return this.verdicts.get(wanted)?.has(id) === true;
  }
}
