import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeNeo4j, neo4jTestConfig } from '../../test/neo4j.js';
import { EmbeddedStore } from '../embedded/sqlite-store.js';
import { edgeId, type GraphEdge, type GraphNode } from '../model.js';
import { placeholderNode, StoreError } from '../store.js';
import { defineStoreContract } from '../store-contract.js';
import {
  ACME,
  access,
  acmeEdges,
  acmeNodes,
  ids,
  simple,
  VENDOR,
  vendorEdges,
  vendorNodes,
} from '../store-fixtures.js';
import { DATA_LAYOUT, type Neo4jStore, openNeo4jStore } from './neo4j-store.js';

function config() {
  const c = neo4jTestConfig();
  if (!c) throw new Error('no Neo4j for this test run');
  return c;
}

/** A store over an emptied database (Community has one user database, so tests clear it). */
async function freshStore(): Promise<Neo4jStore> {
  const store = await openNeo4jStore(config());
  await store.clearAll();
  return store;
}

const user = (id: string, source = ACME.id, extra: Partial<GraphNode> = {}): GraphNode => ({
  id,
  cloud: 'aws',
  kind: 'User',
  name: id,
  source,
  props: {},
  ...extra,
});

/** Runs write Cypher the store itself never runs (tests that fake an older database). */
async function rawWrite(text: string): Promise<void> {
  const c = config();
  const driver = neo4j.driver(c.uri, neo4j.auth.basic(c.user, c.password));
  try {
    await driver.executeQuery(text, {}, { routing: neo4j.routing.WRITE });
  } finally {
    await driver.close();
  }
}

async function actionSetCount(store: Neo4jStore): Promise<number> {
  const res = await store.readOnlyCypher(
    'MATCH (s:ActionSet) RETURN count(s) AS n',
    {},
    {
      timeoutMs: 10_000,
      maxRows: 1,
    },
  );
  return res.rows[0]![0] as number;
}

const whoCanWith = (store: Neo4jStore, action: string) =>
  store
    .reach({
      start: ids.bucket,
      direction: 'reverse',
      shape: { kind: 'access', hopKinds: ['MEMBER_OF', 'CAN_ASSUME', 'CAN_ESCALATE'], actionsAny: [action] },
      maxDepth: 8,
      maxResults: 1000,
      timeoutMs: 30_000,
    })
    .then((r) => r.reached.map((x) => x.node.id).sort());

async function loadAcme(store: Neo4jStore): Promise<void> {
  await store.replaceSource(ACME, async (w) => {
    await w.addNodes(acmeNodes());
    await w.addEdges(acmeEdges());
  });
  await store.replaceSource(VENDOR, async (w) => {
    await w.addNodes(vendorNodes());
    await w.addEdges(vendorEdges());
  });
}

// Not a Neo4j test: a server nobody listens on must give a clear, password-free error.
describe('openNeo4jStore without a server', () => {
  it('names the URI and what to do, never the password', async () => {
    const err = await openNeo4jStore({
      uri: 'bolt://127.0.0.1:1',
      user: 'neo4j',
      password: 'hunter2-secret',
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('UNAVAILABLE');
    expect((err as StoreError).message).toContain('bolt://127.0.0.1:1');
    expect((err as StoreError).message).toMatch(/NEO4J_URI/);
    expect((err as StoreError).message).not.toContain('hunter2-secret');
  });
});

describeNeo4j('neo4j store', () => {
  defineStoreContract('neo4j', {
    open: freshStore,
    propertyRuns: 30,
    // the embedded store walks with the same walker over its own steps: answers, paths
    // included, must not differ (ties broken alike: least edge id, frontier order)
    reference: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'accessgraph-reference-'));
      const embedded = await EmbeddedStore.open({ dataDir: dir });
      const close = embedded.close.bind(embedded);
      embedded.close = async () => {
        await close();
        rmSync(dir, { recursive: true, force: true });
      };
      return embedded;
    },
  });

  describe('neo4j specifics', () => {
    let store: Neo4jStore;
    beforeEach(async () => {
      store = await freshStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('rejects wrong credentials with a clear, password-free error', async () => {
      const c = config();
      const wrong = `${c.password}-wrong-Zq9`;
      const err = await openNeo4jStore({ ...c, password: wrong }).then(
        () => null,
        (e: unknown) => e,
      );
      expect((err as StoreError).code).toBe('UNAVAILABLE');
      expect((err as StoreError).message).toContain(c.uri);
      expect((err as StoreError).message).toMatch(/NEO4J_PASSWORD/);
      expect((err as StoreError).message).not.toContain(wrong);
    });

    it('applies the schema idempotently, also when two processes open at once', async () => {
      const before = await store.schemaState();
      expect(before.length).toBe(22);
      expect(before.every((i) => i.state === 'ONLINE')).toBe(true);
      const [a, b] = await Promise.all([openNeo4jStore(config()), openNeo4jStore(config())]);
      await a.close();
      await b.close();
      expect(await store.schemaState()).toEqual(before);
    });

    it('stores each distinct action list once, shared across sources, and drops it when unused', async () => {
      const edgeOf = async (e: GraphEdge) =>
        (await store.getEdges(e.from, { direction: 'out' })).find((x) => x.id === e.id);
      const list = ['s3:GetObject', 's3:PutObject'];
      const mine = access(ids.alice, ids.bucket, list, ['read', 'write'], 'p/a');
      const again = access(ids.bob, ids.bucket, [...list], ['read', 'write'], 'p/b');
      const theirs = {
        ...access(ids.vendor, ids.bucket, [...list], ['read', 'write'], 'p/v'),
        source: VENDOR.id,
      };
      const other = access(ids.carol, ids.bucket, ['kms:Decrypt'], ['read'], 'p/c');
      await store.replaceSource(ACME, async (w) => {
        await w.addNodes(acmeNodes());
        await w.addEdges([mine, again, other]);
      });
      await store.replaceSource(VENDOR, async (w) => {
        await w.addEdges([theirs]);
      });
      expect(await actionSetCount(store)).toBe(2);
      expect(await edgeOf(mine)).toEqual(mine);
      expect(await edgeOf(other)).toEqual(other);
      // a second process reads the sets from the database, not from the writer's cache
      const reader = await openNeo4jStore(config());
      try {
        expect(await reader.getEdges(ids.bucket, { direction: 'in' })).toEqual(
          [mine, again, other, theirs].sort((a, b) => (a.id < b.id ? -1 : 1)),
        );
        expect(await whoCanWith(reader, 's3:putobject')).toEqual([ids.alice, ids.bob, ids.vendor].sort());
        expect(await whoCanWith(reader, 'kms:decrypt')).toEqual([ids.carol]);
      } finally {
        await reader.close();
      }
      // a new version of acme with another list leaves only vendor's list and the new one
      const changed = access(ids.alice, ids.bucket, ['s3:getobject'], ['read'], 'p/a');
      await store.replaceSource(ACME, async (w) => {
        await w.addNodes(acmeNodes());
        await w.addEdges([changed]);
      });
      expect(await actionSetCount(store)).toBe(2);
      expect(await edgeOf(changed)).toEqual(changed);
      expect(await whoCanWith(store, 'kms:decrypt')).toEqual([]);
      await store.deleteSource(ACME.id);
      expect(await actionSetCount(store)).toBe(1);
      await store.deleteSource(VENDOR.id);
      expect(await actionSetCount(store)).toBe(0);
    });

    it('migrates a database that holds action lists inline on every edge', async () => {
      await loadAcme(store);
      const edges = await store.scanEdges({ kind: 'HAS_ACCESS', limit: 1000 });
      const answers = await whoCanWith(store, 's3:getobject');
      expect(answers.length).toBeGreaterThan(0);
      // the layout before action sets: the list in propsJson and lowercased in r.actions
      await rawWrite(`
        MATCH ()-[r:HAS_ACCESS]->() MATCH (s:ActionSet {hash: r.actionSet})
        SET r.propsJson = replace(r.propsJson, '"actions":0', '"actions":' + s.json), r.actions = s.actions
        REMOVE r.actionSet`);
      await rawWrite('MATCH (s:ActionSet) DELETE s');
      await rawWrite('MATCH (m:AccessgraphSchema) DELETE m');
      const migrated = await openNeo4jStore(config());
      try {
        expect(await actionSetCount(migrated)).toBeGreaterThan(0);
        expect(await migrated.scanEdges({ kind: 'HAS_ACCESS', limit: 1000 })).toEqual(edges);
        expect(await whoCanWith(migrated, 's3:getobject')).toEqual(answers);
        const version = await migrated.readOnlyCypher(
          'MATCH (m:AccessgraphSchema) RETURN m.version',
          {},
          {
            timeoutMs: 10_000,
            maxRows: 2,
          },
        );
        expect(version.rows).toEqual([[DATA_LAYOUT]]);
      } finally {
        await migrated.close();
      }
    });

    it('keeps readers on the old version during a slow fill, then switches at commit', async () => {
      await loadAcme(store);
      const reader = await openNeo4jStore(config());
      try {
        let release!: () => void;
        const gate = new Promise<void>((r) => {
          release = r;
        });
        let filled!: () => void;
        const halfway = new Promise<void>((r) => {
          filled = r;
        });
        const renamed = { ...acmeNodes().find((n) => n.id === ids.alice)!, name: 'alice-v2' };
        const replacing = store.replaceSource(ACME, async (w) => {
          await w.addNodes([...acmeNodes().filter((n) => n.id !== ids.alice), renamed, user('newcomer')]);
          await w.addEdges(acmeEdges().filter((e) => e.kind !== 'CAN_ESCALATE'));
          filled();
          await gate;
        });
        await halfway;
        expect((await reader.getNode(ids.alice))?.name).toBe(ids.alice.split('/').pop());
        expect(await reader.getNode('newcomer')).toBeNull();
        expect(await reader.getEdges(ids.dave)).toHaveLength(1);
        expect(await reader.stats()).toEqual({
          nodes: acmeNodes().length + 1,
          edges: acmeEdges().length + 1,
          sources: 2,
        });
        release();
        await replacing;
        expect((await reader.getNode(ids.alice))?.name).toBe('alice-v2');
        expect(await reader.getNode('newcomer')).toEqual(user('newcomer'));
        expect(await reader.getEdges(ids.dave)).toEqual([]);
      } finally {
        await reader.close();
      }
    });

    it('rolls back everything when the fill fails late, deletions included', async () => {
      await loadAcme(store);
      const before = await store.rawCounts();
      await expect(
        store.replaceSource(ACME, async (w) => {
          await w.addNodes([user('half')]);
          await w.addEdges([simple('MEMBER_OF', 'half', 'nowhere')]);
          throw new Error('disk full');
        }),
      ).rejects.toThrow('disk full');
      expect(await store.rawCounts()).toEqual(before);
      expect(await store.getNode(ids.erin)).toEqual(acmeNodes().find((n) => n.id === ids.erin));
      expect(await store.getNode('nowhere')).toBeNull();
    });

    it('keeps placeholders as bare nodes, promotes and strips them, and removes orphans', async () => {
      await store.replaceSource(VENDOR, async (w) => {
        await w.addNodes(vendorNodes());
        await w.addEdges(vendorEdges());
      });
      // the edge points at acme's deployer, which nobody defines yet
      expect(await store.getNode(ids.deployer)).toEqual(placeholderNode(ids.deployer));
      expect(await store.nodeLabels(ids.deployer)).toEqual(['Node', 'Placeholder']);
      expect(await store.stats()).toEqual({ nodes: 1, edges: 1, sources: 1 });
      expect(await store.search('deployer')).toEqual([]);

      await loadAcme(store);
      expect(await store.nodeLabels(ids.deployer)).toEqual(['Node', 'Role']);
      expect((await store.getNode(ids.deployer))?.kind).toBe('Role');

      // acme goes away: deployer is still referenced by vendor's edge, so it is stripped back
      await store.deleteSource(ACME.id);
      expect(await store.nodeLabels(ids.deployer)).toEqual(['Node', 'Placeholder']);
      expect(await store.getNode(ids.deployer)).toEqual(placeholderNode(ids.deployer));
      // vendor goes away: nothing references the placeholder any more, so nothing is left
      await store.deleteSource(VENDOR.id);
      expect(await store.rawCounts()).toEqual({ nodes: 0, placeholders: 0, relationships: 0, sources: 0 });
    });

    it('swaps the kind label when a node is redefined with another kind', async () => {
      await store.replaceSource(ACME, async (w) => {
        await w.addNodes([user('shape-shifter')]);
      });
      expect(await store.nodeLabels('shape-shifter')).toEqual(['Node', 'User']);
      await store.upsertNodes(ACME.id, [{ ...user('shape-shifter'), kind: 'Role', type: 'iam:role' }]);
      expect(await store.nodeLabels('shape-shifter')).toEqual(['Node', 'Role']);
      expect(await store.getNode('shape-shifter')).toEqual({
        ...user('shape-shifter'),
        kind: 'Role',
        type: 'iam:role',
      });
    });

    it('treats an edge id as global: rewriting it moves it, whatever its old ends, kind or owner', async () => {
      await loadAcme(store);
      const id = 'edge-that-moves';
      await store.upsertEdges(ACME.id, [{ ...simple('MEMBER_OF', ids.alice, ids.devs), id }]);
      await store.upsertEdges(VENDOR.id, [
        {
          id,
          kind: 'CAN_ASSUME',
          from: ids.vendor,
          to: ids.admin,
          source: VENDOR.id,
          via: null,
          props: { conditional: true, conditions: null },
        },
      ]);
      expect((await store.getEdges(ids.alice)).filter((e) => e.id === id)).toEqual([]);
      expect((await store.getEdges(ids.admin)).filter((e) => e.id === id)).toEqual([
        {
          id,
          kind: 'CAN_ASSUME',
          from: ids.vendor,
          to: ids.admin,
          source: VENDOR.id,
          via: null,
          props: { conditional: true, conditions: null },
        },
      ]);
      // duplicates inside one batch: the last one wins
      await store.upsertEdges(ACME.id, [
        { ...simple('MEMBER_OF', ids.bob, ids.devs), id: 'dup' },
        { ...simple('MEMBER_OF', ids.carol, ids.devs), id: 'dup' },
      ]);
      expect(
        (await store.getEdges(ids.devs, { direction: 'in' }))
          .filter((e) => e.id === 'dup')
          .map((e) => e.from),
      ).toEqual([ids.carol]);
    });

    it('rejects unknown node and edge kinds instead of turning them into labels or types', async () => {
      await loadAcme(store);
      await expect(
        store.upsertNodes(ACME.id, [{ ...user('x'), kind: 'User`) DETACH DELETE n //' as never }]),
      ).rejects.toMatchObject({ code: 'BAD_INPUT' });
      await expect(
        store.upsertEdges(ACME.id, [
          { ...simple('MEMBER_OF', 'a', 'b'), kind: 'X]->() DELETE r //' as never },
        ]),
      ).rejects.toMatchObject({ code: 'BAD_INPUT' });
      expect((await store.stats()).nodes).toBe(acmeNodes().length + 1);
    });

    it('keeps hostile strings inert everywhere they can travel', async () => {
      const evil = [
        "'}) MATCH (n) DETACH DELETE n //",
        '`) RETURN 1 //',
        '$start',
        '{{MAX_LEN}}',
        'Ωmega 🚀 ünï',
      ];
      const source = { id: evil[0]!, cloud: 'aws' as const, meta: { note: evil[1]! } };
      await store.replaceSource(source, async (w) => {
        await w.addNodes(evil.map((s) => user(s, source.id, { name: s, type: s, props: { s } })));
        await w.addEdges(
          evil
            .map((s, i) => simple('MEMBER_OF', s, evil[(i + 1) % evil.length]!))
            .map((e) => ({ ...e, source: source.id })),
        );
      });
      for (const s of evil) {
        expect(await store.getNode(s)).toEqual(user(s, source.id, { name: s, type: s, props: { s } }));
        expect((await store.search(s))[0]?.node.id).toBe(s);
        const r = await store.reach({
          start: s,
          direction: 'forward',
          shape: { kind: 'edges', edgeKinds: ['MEMBER_OF'] },
          maxDepth: 8,
          maxResults: 100,
          timeoutMs: 10_000,
        });
        expect(r.reached.map((x) => x.node.id).sort()).toEqual(evil.filter((x) => x !== s).sort());
      }
      expect((await store.listSources())[0]).toMatchObject({
        id: source.id,
        meta: source.meta,
        nodeCount: 5,
        edgeCount: 5,
      });
      expect(await store.deleteSource(source.id)).toBe(true);
      expect(await store.rawCounts()).toEqual({ nodes: 0, placeholders: 0, relationships: 0, sources: 0 });
    });

    it('rejects depth and limit bounds that are not integers', async () => {
      await loadAcme(store);
      const q = {
        start: ids.bucket,
        direction: 'reverse' as const,
        shape: { kind: 'edges' as const, edgeKinds: ['MEMBER_OF' as const] },
        maxResults: 10,
        timeoutMs: 1000,
      };
      for (const maxDepth of [1.5, Number.NaN, Number.POSITIVE_INFINITY, '2' as unknown as number, 0, 33]) {
        await expect(store.reach({ ...q, maxDepth })).rejects.toMatchObject({ code: 'BAD_INPUT' });
      }
      await expect(store.neighborhood(ids.bucket, { depth: 1.5 })).rejects.toMatchObject({
        code: 'BAD_INPUT',
      });
      await expect(store.getEdges(ids.bucket, { limit: 2.5 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    });

    it('round-trips large integers, floats, nested JSON and unicode in props and via', async () => {
      const props = {
        big: Number.MAX_SAFE_INTEGER,
        neg: -(2 ** 40),
        f: 0.1,
        nested: { a: [1, 'two', null, true] },
        u: 'ünï 🚀',
      };
      await store.replaceSource(ACME, async (w) => {
        await w.addNodes([user('n1', ACME.id, { props }), user('n2')]);
        await w.addEdges([
          {
            id: edgeId('HAS_ACCESS', 'n1', 'n2', 'p#0'),
            kind: 'HAS_ACCESS',
            from: 'n1',
            to: 'n2',
            source: ACME.id,
            via: { ref: 'p', label: 'p', statement: 3, excerpt: props },
            props: {
              actions: ['S3:GetObject'],
              levels: ['read'],
              conditional: true,
              conditions: { n: 2 ** 53 - 1 },
            },
          } as GraphEdge,
        ]);
      });
      expect((await store.getNode('n1'))?.props).toEqual(props);
      const [e] = await store.getEdges('n1');
      expect(e?.props).toEqual({
        actions: ['S3:GetObject'],
        levels: ['read'],
        conditional: true,
        conditions: { n: 2 ** 53 - 1 },
      });
      expect(e?.via).toEqual({ ref: 'p', label: 'p', statement: 3, excerpt: props });
      expect((await store.listSources())[0]?.nodeCount).toBe(2);
    });

    it('times out into a truncated answer instead of an exception', async () => {
      // A dense layered graph: every node of a layer is a member of every node of the next.
      const layers = 8;
      const width = 60;
      const id = (l: number, i: number) => `g-${l}-${i}`;
      const nodes: GraphNode[] = [];
      const edges: GraphEdge[] = [];
      for (let l = 0; l < layers; l++) for (let i = 0; i < width; i++) nodes.push(user(id(l, i)));
      for (let l = 0; l + 1 < layers; l++)
        for (let i = 0; i < width; i++)
          for (let j = 0; j < width; j++) edges.push(simple('MEMBER_OF', id(l, i), id(l + 1, j)));
      nodes.push(user('top'));
      for (let i = 0; i < width; i++) edges.push(simple('MEMBER_OF', id(layers - 1, i), 'top'));
      await store.replaceSource(ACME, async (w) => {
        await w.addNodes(nodes);
        await w.addEdges(edges);
      });
      const walkUp = (timeoutMs: number) =>
        store.reach({
          start: 'top',
          direction: 'reverse',
          shape: { kind: 'edges', edgeKinds: ['MEMBER_OF'] },
          maxDepth: 32,
          maxResults: 1_000_000,
          timeoutMs,
        });
      const started = Date.now();
      const r = await walkUp(1);
      const took = Date.now() - started;
      // Either the server finished inside the tiny budget (then the answer is complete) or it is cut.
      if (r.truncated) expect(r.truncatedBy).toEqual(['timeout']);
      else expect(r.reached).toHaveLength(layers * width);
      expect(took).toBeLessThan(3000);
      // and the store is still usable afterwards
      expect((await store.stats()).nodes).toBe(nodes.length);
      // Budgets that may run out mid-walk: what was found is still loaded, nodes and paths,
      // after the walk's own transaction is gone.
      for (const timeoutMs of [20, 60, 150]) {
        const part = await walkUp(timeoutMs);
        if (part.truncated) expect(part.truncatedBy).toEqual(['timeout']);
        for (const x of part.reached) {
          expect(x.node.kind).toBe('User');
          expect(x.path).toHaveLength(x.depth);
          expect(x.path[x.path.length - 1]!.to).toBe('top');
        }
      }
    });
  });
});

// A measurement, not a correctness test (the contract suite covers answers): it runs when
// ACCESSGRAPH_NEO4J_BENCH is set, like `npm run bench`. On CI its who-can intermittently hit
// the 60 s timeout (a Neo4j planning problem under investigation, see the closing note), which
// a timed check inside `npm test` turned into random red builds.
const describeTimings = process.env.ACCESSGRAPH_NEO4J_BENCH ? describeNeo4j : describe.skip;
describeTimings('neo4j store timings', () => {
  let store: Neo4jStore;
  beforeAll(async () => {
    store = await freshStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it('loads and queries a synthetic org', async () => {
    // groups nested 4 deep, users in leaf groups, grants at account level, buckets in accounts
    // ACCESSGRAPH_NEO4J_BENCH_SCALE=4 gives 20k users and 20k buckets (numbers in the README).
    const scale = Number(process.env.ACCESSGRAPH_NEO4J_BENCH_SCALE ?? 1);
    const N_USERS = 5_000 * scale;
    const N_GROUPS = 500;
    const N_ACCOUNTS = 50;
    const N_BUCKETS = 5_000 * scale;
    const nodes: GraphNode[] = [];
    const edges: GraphEdge[] = [];
    const g = (i: number) => `grp-${i}`;
    for (let i = 0; i < N_GROUPS; i++) {
      nodes.push({ ...user(g(i)), kind: 'Group' });
      if (i > 0) edges.push(simple('MEMBER_OF', g(i), g(Math.floor((i - 1) / 4))));
    }
    for (let i = 0; i < N_USERS; i++) {
      nodes.push(user(`usr-${i}`));
      edges.push(simple('MEMBER_OF', `usr-${i}`, g(N_GROUPS - 1 - (i % 300))));
    }
    for (let a = 0; a < N_ACCOUNTS; a++) {
      nodes.push({ ...user(`acct-${a}`), kind: 'Account' });
      edges.push({
        id: edgeId('HAS_ACCESS', g(a % 20), `acct-${a}`, 'p#0'),
        kind: 'HAS_ACCESS',
        from: g(a % 20),
        to: `acct-${a}`,
        source: ACME.id,
        via: null,
        props: { actions: ['s3:getobject'], levels: ['read'], conditional: false, conditions: null },
      });
    }
    for (let b = 0; b < N_BUCKETS; b++) {
      nodes.push({ ...user(`bkt-${b}`), kind: 'Resource', type: 's3:bucket' });
      edges.push(simple('CONTAINS', `acct-${b % N_ACCOUNTS}`, `bkt-${b}`));
    }
    let t = Date.now();
    await store.replaceSource(ACME, async (w) => {
      for (let i = 0; i < nodes.length; i += 5000) await w.addNodes(nodes.slice(i, i + 5000));
      for (let i = 0; i < edges.length; i += 5000) await w.addEdges(edges.slice(i, i + 5000));
    });
    const loadMs = Date.now() - t;
    t = Date.now();
    await store.replaceSource(ACME, async (w) => {
      for (let i = 0; i < nodes.length; i += 5000) await w.addNodes(nodes.slice(i, i + 5000));
      for (let i = 0; i < edges.length; i += 5000) await w.addEdges(edges.slice(i, i + 5000));
    });
    const reloadMs = Date.now() - t;
    t = Date.now();
    const who = await store.reach({
      start: 'bkt-7',
      direction: 'reverse',
      shape: { kind: 'access', hopKinds: ['MEMBER_OF', 'CAN_ASSUME', 'CAN_ESCALATE'] },
      maxDepth: 8,
      maxResults: 100_000,
      timeoutMs: 60_000,
    });
    const whoMs = Date.now() - t;
    t = Date.now();
    const what = await store.reach({
      start: 'usr-0',
      direction: 'forward',
      shape: { kind: 'access', hopKinds: ['MEMBER_OF', 'CAN_ASSUME', 'CAN_ESCALATE'] },
      maxDepth: 8,
      maxResults: 100_000,
      timeoutMs: 60_000,
    });
    const whatMs = Date.now() - t;
    t = Date.now();
    const hits = await store.search('usr-1999');
    const searchMs = Date.now() - t;
    console.log(
      `[neo4j timings] ${nodes.length} nodes + ${edges.length} edges: load ${loadMs} ms, reload ${reloadMs} ms; ` +
        `who-can ${whoMs} ms (${who.reached.length} reached); can-reach ${whatMs} ms (${what.reached.length}); ` +
        `search ${searchMs} ms (${hits.length})`,
    );
    expect(who.reached.length).toBeGreaterThan(0);
    expect(what.reached.length).toBeGreaterThan(0);
    expect(hits[0]?.node.id).toBe('usr-1999');
  }, 600_000);
});
