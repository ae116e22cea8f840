import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../graph/embedded/sqlite-store.js';
import { packagePath } from '../lib/package-root.js';
import { BuildPool } from './build-pool.js';
import { IngestError } from './errors.js';
import { loadPlanned, loadSources } from './load.js';
import { ingestDocuments, planDocuments } from './registry.js';
import { type BuildJob, buildAll, type IngestedSource } from './types.js';

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
    const store = await openStore();
    try {
      const planned = await planDocuments(docs);
      expect(planned.filter((p) => p.job).map((p) => p.id)).toEqual(['aws:123456789012', 'aws:210987654321']);
      const order: string[] = [];
      const built: IngestedSource[] = [];
      await loadPlanned(
        store,
        planned,
        {
          onBuild: (id) => order.push(`build ${id}`),
          onBuilt: (s) => {
            built.push(s);
            order.push(`built ${s.descriptor.id}`);
          },
        },
        pool,
      );
      // every source comes out as in process, in plan order, and the worker ran ahead
      expect(built).toEqual(inProcess);
      expect(order.indexOf('build aws:210987654321')).toBeLessThan(order.indexOf('built aws:123456789012'));
      const counts = (await store.listSources()).map((x) => [x.id, x.nodeCount, x.edgeCount]);
      expect(counts).toEqual(inProcess.map((x) => [x.descriptor.id, x.nodes.length, x.edges.length]).sort());
      // a job that cannot be built fails its load with the worker's reason
      const broken = {
        id: 'aws:000000000000',
        build: () => Promise.reject(new Error('in process')),
        job: () => ({ kind: 'aws-snapshot-account', payload: { details: null } }) as unknown as BuildJob,
      };
      await expect(loadPlanned(store, [broken], {}, pool)).rejects.toThrow(/failed in a worker/);
    } finally {
      await pool.close();
      await store.close();
    }
  });
});
