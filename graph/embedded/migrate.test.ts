import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ACME, access, acmeEdges, acmeNodes, ids } from '../store-fixtures.js';
import { SCHEMA_VERSION } from './schema.js';
import { EMBEDDED_DB_FILE, EmbeddedStore } from './sqlite-store.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Rewrites a current database the way schema version 3 indexed it: narrow step indexes. */
function downgradeToV3(db: Database.Database): void {
  db.exec(`
    DROP INDEX edges_in; DROP INDEX edges_out;
    CREATE INDEX edges_by_dst ON edges (dst, kind);
    CREATE INDEX edges_by_src ON edges (src, kind);
    UPDATE meta SET value = '3' WHERE key = 'schema_version';
  `);
}

/** Rewrites a current database the way schema version 2 stored it: action lists inline. */
function downgradeToV2(db: Database.Database): void {
  downgradeToV3(db);
  db.exec(`
    ALTER TABLE edges ADD COLUMN actions TEXT;
    UPDATE edges SET actions = (SELECT actions FROM action_sets WHERE id = actions_set),
      props = json_set(props, '$.actions', json((SELECT actions FROM action_sets WHERE id = actions_set)))
      WHERE actions_set IS NOT NULL;
    DROP INDEX edges_by_action_set;
    ALTER TABLE edges DROP COLUMN actions_set;
    DROP TABLE action_sets;
    UPDATE meta SET value = '2' WHERE key = 'schema_version';
  `);
}

const version = (file: string) => {
  const check = new Database(file, { readonly: true });
  const row = check.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string };
  check.close();
  return row.value;
};

describe('embedded store schema migration', () => {
  it('upgrades a version 1 data directory: partial denies written before apply after', async () => {
    dir = mkdtempSync(join(tmpdir(), 'accessgraph-migrate-'));
    const store = await EmbeddedStore.open({ dataDir: dir });
    const grant = access(ids.bob, ids.account, ['s3:deletebucket'], ['write'], 'p/bob');
    grant.props = { ...grant.props, notResources: [ids.bucketLogs] };
    await store.replaceSource(ACME, async (w) => {
      await w.addNodes(acmeNodes());
      await w.addEdges([...acmeEdges(), grant]);
    });
    await store.close();

    // what version 1 wrote: no guarded column
    const db = new Database(join(dir, EMBEDDED_DB_FILE));
    downgradeToV2(db);
    db.exec(
      "ALTER TABLE edges DROP COLUMN guarded; UPDATE meta SET value = '1' WHERE key = 'schema_version'",
    );
    db.close();

    const upgraded = await EmbeddedStore.open({ dataDir: dir });
    const who = (start: string) =>
      upgraded.reach({
        start,
        direction: 'reverse',
        shape: { kind: 'access', hopKinds: ['MEMBER_OF'], actionsAny: ['s3:deletebucket'] },
        maxDepth: 4,
        maxResults: 10,
        timeoutMs: 5000,
      });
    expect((await who(ids.bucketLogs)).reached).toEqual([]);
    expect((await who(ids.bucket)).reached.map((r) => r.node.id)).toEqual([ids.bob]);
    await upgraded.close();
    expect(version(join(dir, EMBEDDED_DB_FILE))).toBe(String(SCHEMA_VERSION));
  });

  it('upgrades a version 2 data directory: action lists interned, edges read back unchanged', async () => {
    dir = mkdtempSync(join(tmpdir(), 'accessgraph-migrate-'));
    const store = await EmbeddedStore.open({ dataDir: dir });
    // two grants share one list, a third has its own; key order of props must survive
    const shared = ['s3:GetObject', 's3:ListBucket'];
    const a = access(ids.alice, ids.bucket, shared, ['read'], 'p/a');
    const b = access(ids.bob, ids.bucket, [...shared], ['read'], 'p/b');
    const c = access(ids.bob, ids.bucketLogs, ['s3:deletebucket'], ['write'], 'p/c');
    const written = [...acmeEdges(), a, b, c];
    await store.replaceSource(ACME, async (w) => {
      await w.addNodes(acmeNodes());
      await w.addEdges(written);
    });
    await store.close();

    const db = new Database(join(dir, EMBEDDED_DB_FILE));
    downgradeToV2(db);
    const inline = db.prepare('SELECT props FROM edges WHERE id = ?').get(a.id) as { props: string };
    db.close();
    expect(JSON.parse(inline.props).actions).toEqual(shared);

    const upgraded = await EmbeddedStore.open({ dataDir: dir });
    for (const e of [a, b, c]) {
      const [back] = await upgraded
        .getEdges(e.from, { kinds: ['HAS_ACCESS'], direction: 'out', limit: 1000 })
        .then((es) => es.filter((x) => x.id === e.id));
      expect(back).toEqual(e);
      expect(Object.keys(back!.props)).toEqual(Object.keys(e.props));
    }
    const put = await upgraded.reach({
      start: ids.bucket,
      direction: 'reverse',
      shape: { kind: 'access', hopKinds: ['MEMBER_OF'], actionsAny: ['S3:ListBucket'] },
      maxDepth: 4,
      maxResults: 10,
      timeoutMs: 5000,
    });
    expect(put.reached.map((r) => r.node.id)).toEqual(expect.arrayContaining([ids.alice, ids.bob]));
    await upgraded.close();
    expect(version(join(dir, EMBEDDED_DB_FILE))).toBe(String(SCHEMA_VERSION));
    const after = new Database(join(dir, EMBEDDED_DB_FILE), { readonly: true });
    const sets = after.prepare('SELECT count(*) AS n FROM action_sets').get() as { n: number };
    const cols = after.prepare("SELECT name FROM pragma_table_info('edges')").all() as { name: string }[];
    after.close();
    expect(cols.map((c) => c.name)).not.toContain('actions');
    // one row per distinct list
    const distinct = new Set(
      written.flatMap((e) => (Array.isArray(e.props.actions) ? [JSON.stringify(e.props.actions)] : [])),
    );
    expect(sets.n).toBe(distinct.size);
  });

  it('upgrades a version 3 data directory: steps read covering indexes instead of table rows', async () => {
    dir = mkdtempSync(join(tmpdir(), 'accessgraph-migrate-'));
    const store = await EmbeddedStore.open({ dataDir: dir });
    await store.replaceSource(ACME, async (w) => {
      await w.addNodes(acmeNodes());
      await w.addEdges(acmeEdges());
    });
    await store.close();
    const db = new Database(join(dir, EMBEDDED_DB_FILE));
    downgradeToV3(db);
    db.close();

    const upgraded = await EmbeddedStore.open({ dataDir: dir });
    const who = await upgraded.reach({
      start: ids.bucket,
      direction: 'reverse',
      shape: { kind: 'access', hopKinds: ['MEMBER_OF'] },
      maxDepth: 4,
      maxResults: 10,
      timeoutMs: 5000,
    });
    expect(who.reached.map((r) => r.node.id)).toEqual(expect.arrayContaining([ids.alice, ids.bob]));
    await upgraded.close();
    expect(version(join(dir, EMBEDDED_DB_FILE))).toBe(String(SCHEMA_VERSION));
    const after = new Database(join(dir, EMBEDDED_DB_FILE), { readonly: true });
    const indexes = (
      after.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'edges'").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    const plan = after
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id, kind, src AS other, actions_set, levels, guarded FROM edges
         WHERE dst = ? AND kind IN ('HAS_ACCESS', 'MEMBER_OF') AND traversable = 1 ORDER BY id`,
      )
      .all('x') as { detail: string }[];
    after.close();
    expect(indexes).toEqual(expect.arrayContaining(['edges_in', 'edges_out']));
    expect(indexes).not.toContain('edges_by_dst');
    expect(indexes).not.toContain('edges_by_src');
    expect(plan.map((p) => p.detail).join('; ')).toContain('COVERING INDEX edges_in');
  });
});
