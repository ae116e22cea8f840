import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../graph/embedded/sqlite-store.js';
import { EDGE_KINDS, NODE_KINDS } from '../graph/model.js';
import type { GraphStore } from '../graph/store.js';
import { packagePath } from '../lib/package-root.js';
import { BuildPool } from './build-pool.js';
import { IngestError } from './errors.js';
import { loadPlanned, loadSources } from './load.js';
import { ingestDocuments, planDocuments } from './registry.js';
import { type BuildJob, buildAll } from './types.js';

const fixture = () =>
  JSON.parse(readFileSync(packagePath('ingest', 'aws', 'fixtures', 'aws-snapshot.json'), 'utf8')) as {
    accounts: Array<Record<string, unknown> & { accountId: string }>;
  };

/** The fixture's account copied as another account (its IAM data renumbered). */
const secondAccount = (good: Record<string, unknown>) => ({
  ...good,
  accountId: '210987654321',
  authorizationDetails: JSON.parse(
    JSON.stringify(good.authorizationDetails).replaceAll('123456789012', '210987654321'),
  ),
});

const dirs: string[] = [];
const openStore = () => {
  const dir = mkdtempSync(join(tmpdir(), 'accessgraph-load-'));
  dirs.push(dir);
  return EmbeddedStore.open({ dataDir: dir });
};
/** Every node and edge of a store, read back through its scans. */
async function graphOf(store: GraphStore) {
  const nodes = await store.scanNodes({ kinds: NODE_KINDS, limit: 10_000 });
  const edges = [];
  for (const kind of EDGE_KINDS) edges.push(...(await store.scanEdges({ kind, limit: 10_000 })));
  return { nodes, edges, sources: (await store.listSources()).map(({ loadedAt: _, ...rest }) => rest) };
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('planned (streamed) ingest', () => {
  it('loads the same graph as building everything first, one source at a time', async () => {
    const docs = [{ file: 'snap.json', doc: fixture() }];
    const eager = await openStore();
    const streamed = await openStore();
    try {
      const built = await ingestDocuments(docs);
      await loadSources(eager, built);
      const planned = await planDocuments(docs);
      expect(planned.map((p) => p.id)).toEqual(built.map((s) => s.descriptor.id));
      const order: string[] = [];
      const infos = await loadPlanned(streamed, planned, {
        onBuild: (id, i, total) => order.push(`build ${id} ${i + 1}/${total}`),
        onBuilt: (s) => order.push(`built ${s.descriptor.id}`),
        onProgress: (id) => order.push(`load ${id}`),
      });
      // each source is evaluated just before it is written, never all of them up front
      const [first, second] = planned.map((p) => p.id);
      expect(order.indexOf(`load ${first}`)).toBeLessThan(
        order.indexOf(`build ${second} 2/${planned.length}`),
      );
      const counts = (xs: Array<{ id: string; nodeCount: number; edgeCount: number }>) =>
        xs.map((x) => [x.id, x.nodeCount, x.edgeCount]).sort();
      expect(counts(infos)).toEqual(counts(await eager.listSources()));
      expect(counts(await streamed.listSources())).toEqual(counts(await eager.listSources()));
      // a planned source lets go of its input once built
      await expect(planned[1]!.build()).rejects.toThrow(/already built/);
    } finally {
      await eager.close();
      await streamed.close();
    }
  });

  it('rejects bad input in any account before evaluating or loading anything', async () => {
    const snap = fixture();
    snap.accounts.push({
      ...secondAccount(snap.accounts[0]!),
      resources: [
        {
          arn: 'arn:aws:s3:::broken-bucket',
          type: 's3:bucket',
          name: 'broken-bucket',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 's3:*', Resource: '*' }] },
        },
      ],
    });
    const store = await openStore();
    try {
      let error: unknown;
      try {
        await loadPlanned(store, await planDocuments([{ file: 'snap.json', doc: snap }]));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(IngestError);
      expect((error as IngestError).file).toBe('snap.json');
      expect((error as IngestError).jsonPath).toMatch(/^\$\.accounts\[1\]\.resources\[0\]\.policy/);
      // the first account was valid, yet nothing of the snapshot reached the store
      expect(await store.listSources()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('builds in worker threads what it builds in process, and reports a failed build', async () => {
    const snap = fixture();
    snap.accounts.push(secondAccount(snap.accounts[0]!));
    const docs = [{ file: 'snap.json', doc: snap }];
    const inProcess = await buildAll(await planDocuments(docs));
    const pool = BuildPool.open(2);
    const eager = await openStore();
    const store = await openStore();
    const storeDir = dirs.at(-1)!;
    try {
      // sent back as objects (for stores that do not load staged files): the same sources
      const sent = await planDocuments(docs);
      expect(await Promise.all(sent.map((p) => (p.job ? pool.run(p.job()) : p.build())))).toEqual(inProcess);

      // staged as files for the embedded store: the same graph as loaded from objects
      await loadSources(eager, inProcess);
      const planned = await planDocuments(docs);
      expect(planned.filter((p) => p.job).map((p) => p.id)).toEqual(['aws:123456789012', 'aws:210987654321']);
      const order: string[] = [];
      const progress: string[] = [];
      const staged: string[] = [];
      await loadPlanned(
        store,
        planned,
        {
          onBuild: (id) => order.push(`build ${id}`),
          onBuilt: (s) => {
            if ('rows' in s) staged.push(s.descriptor.id);
            order.push(`built ${s.descriptor.id}`);
          },
          onProgress: (id, p) => progress.push(`${id} ${p.edges}/${p.totalEdges}`),
        },
        pool,
      );
      // the accounts came staged, in plan order, and the worker ran ahead
      expect(staged).toEqual(['aws:123456789012', 'aws:210987654321']);
      expect(order.indexOf('build aws:210987654321')).toBeLessThan(order.indexOf('built aws:123456789012'));
      expect(await graphOf(store)).toEqual(await graphOf(eager));
      const edges = inProcess.map((x) => `${x.descriptor.id} ${x.edges.length}/${x.edges.length}`);
      for (const done of edges) expect(progress).toContain(done);
      // the staged files go once loaded
      expect(readdirSync(join(storeDir, 'staging'))).toEqual([]);

      // a job that cannot be built fails its load with the worker's reason
      const broken = {
        id: 'aws:000000000000',
        build: () => Promise.reject(new Error('in process')),
        job: () => ({ kind: 'aws-snapshot-account', payload: { details: null } }) as unknown as BuildJob,
      };
      await expect(loadPlanned(store, [broken], {}, pool)).rejects.toThrow(/failed in a worker/);
      expect(readdirSync(join(storeDir, 'staging'))).toEqual([]);
    } finally {
      await pool.close();
      await eager.close();
      await store.close();
    }
  });
});
