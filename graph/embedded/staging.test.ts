import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../model.js';
import { EmbeddedStore } from './sqlite-store.js';
import { stageSource } from './staging.js';

const dirs: string[] = [];
const newDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'accessgraph-staging-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SOURCE = { id: 'aws:111111111111', cloud: 'aws' as const };
const node = (id: string, name: string): GraphNode =>
  ({ id, cloud: 'aws', kind: 'User', name, source: SOURCE.id, props: { arn: id } }) as GraphNode;
const grant = (from: string, to: string, actions: string[]): GraphEdge =>
  ({
    id: `HAS_ACCESS|${from}|${to}`,
    kind: 'HAS_ACCESS',
    from,
    to,
    via: { ref: 'p', label: 'policy p', statement: 0 },
    props: { actions, levels: ['read'], conditional: false, conditions: null },
  }) as GraphEdge;

describe('staged sources', () => {
  it('load like replaceSource, action sets shared with rows written directly', async () => {
    const dataDir = newDir();
    const store = await EmbeddedStore.open({ dataDir });
    try {
      const actions = ['s3:GetObject', 's3:ListBucket'];
      const nodes = [node('u/ann', 'Ann'), node('u/Ünal', 'Ünal')];
      const edges = [
        grant('u/ann', 'b/1', actions),
        grant('u/Ünal', 'b/1', actions),
        grant('u/ann', 'b/2', ['kms:Decrypt']),
      ];
      await store.replaceSource({ id: 'direct', cloud: 'aws' }, async (w) => {
        await w.addEdges([grant('x', 'b/1', actions)]);
      });
      const dir = store.staging.newStagingDir();
      const rows = stageSource(join(dir, 'a.sqlite'), nodes, edges);
      expect(rows).toMatchObject({ nodes: 2, edges: 3 });
      const progress: Array<{ nodes: number; edges: number }> = [];
      const info = await store.staging.loadStaged(SOURCE, rows, { onProgress: (p) => progress.push(p) });
      expect(info).toMatchObject({ id: SOURCE.id, nodeCount: 2, edgeCount: 3 });
      expect(progress.at(-1)).toEqual({ nodes: 2, edges: 3 });
      expect(await store.getEdges('u/ann', { direction: 'out' })).toEqual(
        edges.filter((e) => e.from === 'u/ann').map((e) => ({ ...e, source: SOURCE.id })),
      );
      // the search columns were lowercased as direct writes do (not by SQLite's ASCII lower())
      expect((await store.search('ünal')).map((h) => h.node.id)).toEqual(['u/Ünal']);
      // one action set for the list both loads wrote
      const db = new Database(join(dataDir, 'graph.sqlite'), { readonly: true });
      expect(db.prepare('SELECT count(*) AS c FROM action_sets').get()).toEqual({ c: 2 });
      // new stores use 16 KB pages (sqlite-store.ts connect)
      expect(db.pragma('page_size', { simple: true })).toBe(16384);
      db.close();
    } finally {
      await store.close();
    }
  });

  it('leaves the previous version when a staged load fails', async () => {
    const dataDir = newDir();
    const store = await EmbeddedStore.open({ dataDir });
    try {
      await store.replaceSource(SOURCE, async (w) => {
        await w.addNodes([node('u/old', 'Old')]);
      });
      const file = join(store.staging.newStagingDir(), 'bad.sqlite');
      const rows = stageSource(file, [node('u/new', 'New')], [grant('u/new', 'b/1', ['s3:GetObject'])]);
      // a list that hashes to a key the store holds for other actions must be refused
      const staged = new Database(file);
      staged.prepare('UPDATE action_sets SET actions = ?').run('["s3:PutObject"]');
      staged.close();
      await store.replaceSource({ id: 'other', cloud: 'aws' }, async (w) => {
        await w.addEdges([grant('x', 'b/1', ['s3:GetObject'])]);
      });
      await expect(store.staging.loadStaged(SOURCE, rows)).rejects.toThrow(/collision/);
      expect((await store.getNode('u/old'))?.name).toBe('Old');
      expect(await store.getNode('u/new')).toBeNull();
      // and the store is usable afterwards (the staged file was detached)
      await store.staging.loadStaged(SOURCE, stageSource(`${file}.2`, [node('u/new', 'New')], []));
      expect((await store.getNode('u/new'))?.name).toBe('New');
    } finally {
      await store.close();
    }
  });

  it('removes the staging directories of ingests that died, not of running ones', async () => {
    const dataDir = newDir();
    const dead = join(dataDir, 'staging', '999999999-1');
    const running = join(dataDir, 'staging', `${process.ppid}-1`);
    for (const d of [dead, running]) mkdirSync(d, { recursive: true });
    const store = await EmbeddedStore.open({ dataDir });
    await store.close();
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(running)).toBe(true);
  });
});
