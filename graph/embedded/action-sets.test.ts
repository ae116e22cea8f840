import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { GraphEdge } from '../model.js';
import { ACME, access, acmeNodes, ids } from '../store-fixtures.js';
import { ActionSetCache } from './action-sets.js';
import { EMBEDDED_DB_FILE, EmbeddedStore } from './sqlite-store.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const OTHER = { id: 'aws:other', cloud: 'aws' as const };
const setCount = () => {
  const db = new Database(join(dir, EMBEDDED_DB_FILE), { readonly: true });
  const n = (db.prepare('SELECT count(*) AS n FROM action_sets').get() as { n: number }).n;
  db.close();
  return n;
};
const edgeOf = async (store: EmbeddedStore, e: GraphEdge) =>
  (await store.getEdges(e.from, { direction: 'out' })).find((x) => x.id === e.id);

describe('embedded store action sets', () => {
  it('stores a list shared by edges of two sources once, and drops it only when no edge uses it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'accessgraph-sets-'));
    const store = await EmbeddedStore.open({ dataDir: dir });
    const list = ['s3:GetObject', 's3:PutObject'];
    const mine = access(ids.alice, ids.bucket, list, ['read', 'write'], 'p/a');
    const theirs = { ...access(ids.bob, ids.bucket, [...list], ['read', 'write'], 'p/b'), source: OTHER.id };
    await store.replaceSource(ACME, async (w) => {
      await w.addNodes(acmeNodes());
      await w.addEdges([mine]);
    });
    await store.replaceSource(OTHER, async (w) => w.addEdges([theirs]));
    expect(setCount()).toBe(1);

    await store.deleteSource(OTHER.id);
    expect(setCount()).toBe(1);
    expect(await edgeOf(store, mine)).toEqual(mine);

    // a new version of the source with another list leaves the old one unreferenced
    const changed = access(ids.alice, ids.bucket, ['s3:getobject'], ['read'], 'p/a');
    await store.replaceSource(ACME, async (w) => {
      await w.addNodes(acmeNodes());
      await w.addEdges([changed]);
    });
    expect(setCount()).toBe(1);
    expect(await edgeOf(store, changed)).toEqual(changed);
    await store.upsertEdges(ACME.id, [access(ids.alice, ids.bucket, ['kms:decrypt'], ['read'], 'p/a')]);
    expect(setCount()).toBe(1);
    await store.close();
  });

  it('keeps a bounded number of parsed actions and answers filters from the set', () => {
    dir = mkdtempSync(join(tmpdir(), 'accessgraph-sets-'));
    const db = new Database(join(dir, 'sets.sqlite'));
    db.exec('CREATE TABLE action_sets (id INTEGER PRIMARY KEY, key TEXT, actions TEXT)');
    const put = db.prepare('INSERT INTO action_sets(id, key, actions) VALUES (?, ?, ?)');
    put.run(1, 'a', JSON.stringify(['S3:GetObject', 's3:putobject']));
    put.run(2, 'b', JSON.stringify(['kms:decrypt']));
    const cache = new ActionSetCache(db, 2);
    const wanted = new Set(['s3:getobject']);
    expect(cache.anyOf(wanted, 1)).toBe(true);
    expect(cache.anyOf(wanted, 2)).toBe(false);
    // set 1 was evicted to make room for set 2; reading it again reloads it
    expect(cache.list(1)).toEqual(['S3:GetObject', 's3:putobject']);
    expect(Object.isFrozen(cache.list(2))).toBe(true);
    db.close();
  });
});
