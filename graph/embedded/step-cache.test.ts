import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReachQuery } from '../store.js';
import { ACME, access, acmeEdges, acmeNodes, ids } from '../store-fixtures.js';
import { EmbeddedStore } from './sqlite-store.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const who: ReachQuery = {
  start: ids.bucketLogs,
  direction: 'reverse',
  shape: { kind: 'access', hopKinds: ['MEMBER_OF'], actionsAny: ['kms:decrypt'] },
  maxDepth: 4,
  maxResults: 10,
  timeoutMs: 5000,
};

describe('embedded store step cache', () => {
  it('sees a load committed through another store on the same data directory (another process)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'accessgraph-step-cache-'));
    const reader = await EmbeddedStore.open({ dataDir: dir });
    const writer = await EmbeddedStore.open({ dataDir: dir });
    const load = (extra: ReturnType<typeof access>[]) =>
      writer.replaceSource(ACME, async (w) => {
        await w.addNodes(acmeNodes());
        await w.addEdges([...acmeEdges(), ...extra]);
      });
    await load([]);
    expect((await reader.reach(who)).reached).toEqual([]);
    await load([access(ids.bob, ids.bucketLogs, ['kms:Decrypt'], ['read'], 'p/new')]);
    expect((await reader.reach(who)).reached.map((r) => r.node.id)).toEqual([ids.bob]);
    await load([]);
    expect((await reader.reach(who)).reached).toEqual([]);
    // node kinds are cached too (the kind filter): a reload that changes one is seen
    const users: ReachQuery = { ...who, resultKinds: ['User'] };
    await load([access(ids.bob, ids.bucketLogs, ['kms:Decrypt'], ['read'], 'p/new')]);
    expect((await reader.reach(users)).reached.map((r) => r.node.id)).toEqual([ids.bob]);
    await writer.replaceSource(ACME, async (w) => {
      await w.addNodes(acmeNodes().map((n) => (n.id === ids.bob ? { ...n, kind: 'Role' as const } : n)));
      await w.addEdges([...acmeEdges(), access(ids.bob, ids.bucketLogs, ['kms:Decrypt'], ['read'], 'p/new')]);
    });
    expect((await reader.reach(users)).reached).toEqual([]);
    await reader.close();
    await writer.close();
  });
});
