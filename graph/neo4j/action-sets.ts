/**
 * Interned action lists of the Neo4j store (data layout 2; graph/action-set-cache.ts says why).
 *
 * Each distinct `props.actions` list of a HAS_ACCESS edge is one `(:ActionSet {hash, json,
 * actions})` node, keyed by the SHA-256 of the list's exact JSON; the edge holds the hash in
 * `actionSet` and its `propsJson` a 0 in the list's place. Hashes name content, so a list
 * cached by hash in this process can never be stale, whoever writes the database.
 */
import type { Record as Neo4jRecord } from 'neo4j-driver';
import {
  ACTIONS_PLACEHOLDER,
  type ActionSetLoader,
  actionListKey,
  ParsedActionSets,
} from '../action-set-cache.js';
import { StoreError } from '../store.js';
import { statement } from './cypher-files.js';

/** One set as load/merge-action-sets.cypher writes it. */
export interface ActionSetRow {
  hash: string;
  /** the list as written */
  json: string;
  /** its string actions, lowercased */
  actions: string[];
}

/** Runs one statement, giving its records. */
export type RunStatement = (text: string, params: Record<string, unknown>) => Promise<Neo4jRecord[]>;

/**
 * The sets of one write: ingest shares one array among the edges of a policy set, so the
 * array itself is remembered first and repeats cost neither a stringify nor a hash.
 */
export class ActionSetInterner {
  private readonly byArray = new WeakMap<readonly unknown[], ActionSetRow>();
  private readonly byHash = new Map<string, ActionSetRow>();
  private readonly written = new Set<string>();

  /** `props` as stored (the list replaced by the placeholder) and the list's hash, if any. */
  split(props: Record<string, unknown>): { propsJson: string; actionSet: string | null } {
    const list = props.actions;
    if (!Array.isArray(list)) return { propsJson: JSON.stringify(props), actionSet: null };
    return {
      propsJson: JSON.stringify({ ...props, actions: ACTIONS_PLACEHOLDER }),
      actionSet: this.intern(list),
    };
  }

  private intern(list: readonly unknown[]): string {
    let row = this.byArray.get(list);
    if (!row) {
      const json = JSON.stringify(list);
      const hash = actionListKey(json);
      row = this.byHash.get(hash);
      if (!row) {
        const actions = list.filter((a): a is string => typeof a === 'string').map((a) => a.toLowerCase());
        row = { hash, json, actions };
        this.byHash.set(hash, row);
      }
      this.byArray.set(list, row);
    }
    return row.hash;
  }

  /** Forget what was stored: the transaction is being retried from the start. */
  restart(): void {
    this.written.clear();
  }

  /**
   * Store the sets of `hashes` this write has not stored yet (before the edges naming them).
   * A stored set whose hash matches but whose list differs (a SHA-256 collision) fails the write.
   */
  async store(run: RunStatement, hashes: Iterable<string | null>, gen: string): Promise<void> {
    const sets: ActionSetRow[] = [];
    for (const h of hashes) {
      if (h === null || this.written.has(h)) continue;
      this.written.add(h);
      sets.push(this.byHash.get(h)!);
    }
    if (sets.length === 0) return;
    for (const r of await run(statement('load/merge-action-sets.cypher'), { sets, gen })) {
      if (r.get('same') !== true)
        throw new StoreError(`action set hash collision on ${r.get('hash')}`, 'INTERNAL');
    }
  }
}

/** Parsed sets for this process's readers (bounded, see ParsedActionSets). */
export class ActionSetReader {
  private readonly sets = new ParsedActionSets<string>();

  /**
   * A loader for the sets of `hashes`: those not parsed yet are read now (one statement),
   * those parsed already are held by the loader, so evicting them meanwhile changes nothing.
   */
  async prepare(
    run: RunStatement,
    hashes: Iterable<string | null | undefined>,
  ): Promise<ActionSetLoader<string>> {
    const lists = new Map<string, readonly unknown[]>();
    const missing = new Set<string>();
    const none: ActionSetLoader<string> = () => [];
    for (const h of hashes) {
      if (typeof h !== 'string' || lists.has(h)) continue;
      if (this.sets.has(h)) lists.set(h, this.sets.list(h, none));
      else missing.add(h);
    }
    if (missing.size > 0) {
      for (const r of await run(statement('query/action-sets.cypher'), { hashes: [...missing] })) {
        lists.set(r.get('hash') as string, JSON.parse(r.get('json') as string) as unknown[]);
      }
    }
    return (h) => {
      const list = lists.get(h);
      if (!list) {
        // only when a concurrent write deleted the set between reading an edge and its set
        throw new StoreError(
          `action set ${h} is gone from the database; the graph changed while being read, retry`,
          'CONFLICT',
        );
      }
      return list;
    };
  }

  list(hash: string, loader: ActionSetLoader<string>): readonly unknown[] {
    return this.sets.list(hash, loader);
  }

  anyOf(wanted: ReadonlySet<string>, hash: string, loader: ActionSetLoader<string>): boolean {
    return this.sets.anyOf(wanted, hash, loader);
  }

  knows(wanted: ReadonlySet<string>, hash: string): boolean {
    return this.sets.knows(wanted, hash);
  }
}
