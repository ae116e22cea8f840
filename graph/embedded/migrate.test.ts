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
    const check = new Database(join(dir, EMBEDDED_DB_FILE), { readonly: true });
    const version = check.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as {
      value: string;
    };
    check.close();
    expect(version.value).toBe(String(SCHEMA_VERSION));
  });
});
