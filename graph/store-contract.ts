/**
 * The store contract: one suite, run against every GraphStore implementation on the same
 * fixtures, demanding the answers documented in graph/store.ts. Each store's test file
 * calls `defineStoreContract` with a way to open a fresh, empty store.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EdgeKind, edgeId, type GraphEdge, type GraphNode } from './model.js';
import type { GraphStore, ReachQuery, ReachResult, SourceWriter } from './store.js';
import { placeholderNode } from './store.js';
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
} from './store-fixtures.js';

export interface ContractOptions {
  /** a fresh, empty store */
  open: () => Promise<GraphStore>;
  /** number of random graphs in the property test (Neo4j round trips cost more) */
  propertyRuns?: number;
  /**
   * Another store, fresh and empty, that must give the very same reach answers on random
   * graphs full of ties: nodes, depths and each path (ties broken alike). Closed by the suite.
   */
  reference?: () => Promise<GraphStore>;
}

const PRINCIPAL_HOPS: EdgeKind[] = ['MEMBER_OF', 'CAN_ASSUME', 'CAN_ESCALATE'];

async function loadAcme(store: GraphStore, withVendor = true): Promise<void> {
  await store.replaceSource(ACME, async (w) => {
    await w.addNodes(acmeNodes());
    await w.addEdges(acmeEdges());
  });
  if (withVendor) {
    await store.replaceSource(VENDOR, async (w) => {
      await w.addNodes(vendorNodes());
      await w.addEdges(vendorEdges());
    });
  }
}

const reachDefaults = { maxDepth: 8, maxResults: 1000, timeoutMs: 10_000 };
const summary = (r: ReachResult) => r.reached.map((x) => [x.node.id, x.depth] as const);

/** Check that a returned path is made of loaded edges, chained, of the claimed length, anchored right. */
/** Every page of a scan, following `after` until a short page. */
async function pagesOf<T extends { id: string }>(page: (after?: string) => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  let after: string | undefined;
  for (;;) {
    const got = await page(after);
    all.push(...got);
    if (got.length === 0) return all;
    after = got[got.length - 1]?.id;
  }
}

function expectValidPath(
  path: GraphEdge[],
  depth: number,
  first: string,
  last: string,
  known: Map<string, GraphEdge>,
): void {
  expect(path).toHaveLength(depth);
  expect(path[0]!.from).toBe(first);
  expect(path[path.length - 1]!.to).toBe(last);
  for (let i = 0; i < path.length; i++) {
    expect(path[i]).toEqual(known.get(path[i]!.id));
    if (i > 0) expect(path[i]!.from).toBe(path[i - 1]!.to);
  }
}

export function defineStoreContract(name: string, options: ContractOptions): void {
  describe(`store contract: ${name}`, () => {
    let store: GraphStore;
    beforeEach(async () => {
      store = await options.open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('sources and round trip', () => {
      it('returns nodes and edges deep-equal to what was written', async () => {
        await loadAcme(store);
        for (const n of acmeNodes()) expect(await store.getNode(n.id)).toEqual(n);
        const edges = await store.getEdges(ids.deployer);
        const expected = [...acmeEdges(), ...vendorEdges()]
          .filter((e) => e.from === ids.deployer || e.to === ids.deployer)
          .sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(edges).toEqual(expected);
      });

      it('normalizes absent props to {} and keeps type absent', async () => {
        await store.replaceSource(ACME, async (w) => {
          await w.addNodes([{ id: 'x', cloud: 'generic', kind: 'User', name: 'x', source: ACME.id }]);
        });
        expect(await store.getNode('x')).toEqual({
          id: 'x',
          cloud: 'generic',
          kind: 'User',
          name: 'x',
          source: ACME.id,
          props: {},
        });
      });

      it('lists sources with counts and meta', async () => {
        await loadAcme(store);
        const sources = await store.listSources();
        expect(sources.map((s) => [s.id, s.nodeCount, s.edgeCount])).toEqual([
          [ACME.id, acmeNodes().length, acmeEdges().length],
          [VENDOR.id, 1, 1],
        ]);
        expect(sources[0]!.meta).toEqual(ACME.meta);
        expect(Number.isNaN(Date.parse(sources[0]!.loadedAt))).toBe(false);
        expect(await store.stats()).toEqual({
          nodes: acmeNodes().length + 1,
          edges: acmeEdges().length + 1,
          sources: 2,
        });
      });

      it('replaces a source wholesale: what the new version lacks is gone', async () => {
        await loadAcme(store);
        await store.replaceSource(ACME, async (w) => {
          await w.addNodes(acmeNodes().filter((n) => n.id !== ids.erin));
          await w.addEdges(acmeEdges().filter((e) => e.kind !== 'CAN_ESCALATE'));
        });
        expect(await store.getNode(ids.erin)).toBeNull();
        expect(await store.getEdges(ids.dave)).toEqual([]);
        // the other source is untouched
        expect(await store.getNode(ids.vendor)).toEqual(vendorNodes()[0]);
      });

      it('keeps the old version when the fill fails', async () => {
        await loadAcme(store);
        await expect(
          store.replaceSource(ACME, async (w) => {
            await w.addNodes([{ id: 'half', cloud: 'aws', kind: 'User', name: 'half', source: ACME.id }]);
            throw new Error('parse failed halfway');
          }),
        ).rejects.toThrow('parse failed halfway');
        expect(await store.getNode('half')).toBeNull();
        expect(await store.getNode(ids.alice)).toEqual(acmeNodes().find((n) => n.id === ids.alice));
        expect((await store.stats()).nodes).toBe(acmeNodes().length + 1);
      });

      it('reports progress per batch', async () => {
        const seen: Array<{ nodes: number; edges: number }> = [];
        await store.replaceSource(
          ACME,
          async (w) => {
            await w.addNodes(acmeNodes().slice(0, 5));
            await w.addNodes(acmeNodes().slice(5));
            await w.addEdges(acmeEdges());
          },
          { onProgress: (p) => seen.push(p) },
        );
        expect(seen).toEqual([
          { nodes: 5, edges: 0 },
          { nodes: acmeNodes().length, edges: 0 },
          { nodes: acmeNodes().length, edges: acmeEdges().length },
        ]);
      });

      it('turns nodes of a deleted source into placeholders that other sources still reach', async () => {
        await loadAcme(store);
        expect(await store.deleteSource(ACME.id)).toBe(true);
        expect(await store.deleteSource(ACME.id)).toBe(false);
        expect(await store.getNode(ids.deployer)).toEqual(placeholderNode(ids.deployer));
        expect(await store.getNode(ids.alice)).toBeNull();
        expect(await store.getEdges(ids.deployer)).toEqual(vendorEdges());
        const r = await store.reach({
          start: ids.deployer,
          direction: 'reverse',
          shape: { kind: 'edges', edgeKinds: ['CAN_ASSUME'] },
          ...reachDefaults,
        });
        expect(summary(r)).toEqual([[ids.vendor, 1]]);
        expect((await store.listSources()).map((s) => s.id)).toEqual([VENDOR.id]);
      });

      it('upserts into a loaded source and refuses an unknown one', async () => {
        await loadAcme(store, false);
        const frank: GraphNode = {
          id: 'frank',
          cloud: 'aws',
          kind: 'User',
          name: 'frank',
          source: ACME.id,
          props: {},
        };
        await store.upsertNodes(ACME.id, [frank]);
        await store.upsertEdges(ACME.id, [simple('MEMBER_OF', 'frank', ids.engineers)]);
        expect(await store.getNode('frank')).toEqual(frank);
        expect((await store.listSources())[0]!.nodeCount).toBe(acmeNodes().length + 1);
        await expect(store.upsertNodes('aws:nope', [frank])).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(store.upsertEdges('aws:nope', [])).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });

      it('lets the last writer own a node two sources define', async () => {
        await loadAcme(store);
        const claimed: GraphNode = {
          ...vendorNodes()[0]!,
          id: ids.erin,
          name: 'erin-by-vendor',
          source: VENDOR.id,
        };
        await store.replaceSource(VENDOR, async (w) => {
          await w.addNodes([...vendorNodes(), claimed]);
          await w.addEdges(vendorEdges());
        });
        expect(await store.getNode(ids.erin)).toEqual(claimed);
        await store.replaceSource(ACME, async (w) => {
          await w.addNodes(acmeNodes().filter((n) => n.id !== ids.erin));
          await w.addEdges(acmeEdges());
        });
        expect(await store.getNode(ids.erin)).toEqual(claimed);
      });
    });

    describe('lookups', () => {
      beforeEach(async () => {
        await loadAcme(store);
      });

      it('gets nodes in input order, placeholders included, unknown ids skipped', async () => {
        await store.upsertEdges(VENDOR.id, [
          {
            id: 'e-ghost',
            kind: 'MEMBER_OF',
            from: 'ghost',
            to: ids.devs,
            source: VENDOR.id,
            via: null,
            props: {},
          },
        ]);
        const got = await store.getNodes([ids.bob, 'nope', 'ghost', ids.alice]);
        expect(got.map((n) => n.id)).toEqual([ids.bob, 'ghost', ids.alice]);
        expect(got[1]).toEqual(placeholderNode('ghost'));
        expect(await store.getNode('nope')).toBeNull();
      });

      it('gets edges by direction, kind and limit, ordered by id', async () => {
        const out = await store.getEdges(ids.engineers, { direction: 'out' });
        expect(out.map((e) => e.kind).sort()).toEqual(['HAS_ACCESS']);
        const incoming = await store.getEdges(ids.engineers, { direction: 'in' });
        expect(incoming.map((e) => e.from).sort()).toEqual([ids.bob, ids.devs, ids.readPolicy].sort());
        const members = await store.getEdges(ids.engineers, { kinds: ['MEMBER_OF'] });
        expect(members).toHaveLength(2);
        const all = await store.getEdges(ids.engineers);
        expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort());
        expect(await store.getEdges(ids.engineers, { limit: 1 })).toEqual([all[0]]);
      });

      it('scans edges of one kind and flag, and nodes of some kinds, a page at a time in id order', async () => {
        const admin = access(ids.bob, ids.account, ['*'], ['admin'], 'p-flagged');
        admin.props.adminEquivalent = true;
        const notAdmin = access(ids.devs, ids.account, ['s3:getobject'], ['read'], 'p-unflagged');
        notAdmin.props.adminEquivalent = false;
        await store.upsertEdges(ACME.id, [admin, notAdmin]);

        const every = await pagesOf((after) => store.scanEdges({ kind: 'HAS_ACCESS', after, limit: 2 }));
        const expected = [...acmeEdges(), admin, notAdmin].filter((e) => e.kind === 'HAS_ACCESS');
        expect(every.map((e) => e.id)).toEqual(expected.map((e) => e.id).sort());
        expect(every.find((e) => e.id === admin.id)).toEqual(admin);
        const flagged = await store.scanEdges({ kind: 'HAS_ACCESS', flag: 'adminEquivalent', limit: 10 });
        expect(flagged).toEqual([admin]);
        expect(await store.scanEdges({ kind: 'RUNS_AS', limit: 10 })).toEqual([]);

        await store.upsertEdges(ACME.id, [simple('MEMBER_OF', 'ghost-member', ids.devs)]);
        const users = await pagesOf((after) =>
          store.scanNodes({ kinds: ['User', 'Group'], after, limit: 1 }),
        );
        const want = acmeNodes().filter((n) => n.kind === 'User' || n.kind === 'Group');
        expect(users).toEqual(want.sort((a, b) => (a.id < b.id ? -1 : 1)));
        await expect(store.scanNodes({ kinds: [], limit: 1 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
        await expect(store.scanEdges({ kind: 'HAS_ACCESS', limit: 0 })).rejects.toMatchObject({
          code: 'BAD_INPUT',
        });
        await expect(
          store.scanEdges({ kind: 'HAS_ACCESS', flag: "x') OR 1=1 --" as 'adminEquivalent', limit: 5 }),
        ).rejects.toMatchObject({ code: 'BAD_INPUT' });
      });

      it('searches ranked: exact id, exact name, prefix, substring, case-insensitive', async () => {
        expect((await store.search('DEVS')).map((h) => [h.node.id, h.rank])).toEqual([[ids.devs, 1]]);
        expect((await store.search('ploy')).map((h) => [h.node.id, h.rank])).toEqual([[ids.deployer, 4]]);
        expect((await store.search('dep')).map((h) => [h.node.id, h.rank])).toEqual([[ids.deployer, 2]]);
        expect((await store.search(ids.bucket))[0]).toEqual({
          node: acmeNodes().find((n) => n.id === ids.bucket),
          rank: 0,
        });
        const acme = await store.search('acme');
        expect(acme.slice(0, 3).map((h) => [h.node.name, h.rank])).toEqual([
          ['acme-prod', 2],
          ['acme-data', 2],
          ['acme-logs', 2],
        ]);
        expect((await store.search('acme', { kinds: ['Resource'], limit: 1 })).map((h) => h.node.id)).toEqual(
          [ids.bucket],
        );
        expect(await store.search('   ')).toEqual([]);
        expect(await store.search('111111111111:user/')).toHaveLength(5);
        expect((await store.search('111111111111:user/')).every((h) => h.rank === 5)).toBe(true);
      });

      it('returns a neighborhood with induced edges and truncation', async () => {
        const n1 = await store.neighborhood(ids.engineers);
        expect(n1.nodes.map((n) => n.id)).toEqual([
          ids.engineers,
          ...[ids.account, ids.bob, ids.devs, ids.readPolicy].sort(),
        ]);
        expect(n1.edges.map((e) => e.id)).toEqual(
          acmeEdges()
            .filter((e) => [e.from, e.to].every((x) => n1.nodes.some((n) => n.id === x)))
            .map((e) => e.id)
            .sort(),
        );
        expect(n1.truncated).toBe(false);
        const n2 = await store.neighborhood(ids.engineers, {
          depth: 2,
          direction: 'in',
          edgeKinds: ['MEMBER_OF'],
        });
        expect(n2.nodes.map((n) => n.id)).toEqual([ids.engineers, ...[ids.bob, ids.devs].sort(), ids.alice]);
        const cut = await store.neighborhood(ids.engineers, { depth: 2, limit: 2 });
        expect(cut.nodes).toHaveLength(2);
        expect(cut.truncated).toBe(true);
        expect(await store.neighborhood('nope')).toEqual({ nodes: [], edges: [], truncated: false });
      });
    });

    describe('reach', () => {
      beforeEach(async () => {
        await loadAcme(store);
      });
      const whoCan = (
        start: string,
        extra: Partial<ReachQuery> = {},
        shape: Partial<ReachQuery['shape']> = {},
      ) =>
        store.reach({
          start,
          direction: 'reverse',
          shape: { kind: 'access', hopKinds: PRINCIPAL_HOPS, ...shape } as ReachQuery['shape'],
          ...reachDefaults,
          ...extra,
        });
      const forward = (start: string, shape: Partial<ReachQuery['shape']>) =>
        store.reach({
          start,
          direction: 'forward',
          shape: { kind: 'access', hopKinds: PRINCIPAL_HOPS, ...shape } as ReachQuery['shape'],
          ...reachDefaults,
        });

      it('finds who can reach a resource, shortest path each, through groups, roles, escalation and scopes', async () => {
        const r = await whoCan(ids.bucket);
        expect(summary(r)).toEqual([
          [ids.deployer, 1],
          [ids.engineers, 2],
          [ids.admin, 2],
          [ids.carol, 2],
          [ids.vendor, 2],
          [ids.devs, 3],
          [ids.bob, 3],
          [ids.dave, 3],
          [ids.alice, 4],
        ]);
        expect(r.truncated).toBe(false);
        const known = new Map([...acmeEdges(), ...vendorEdges()].map((e) => [e.id, e]));
        for (const x of r.reached) expectValidPath(x.path, x.depth, x.node.id, ids.bucket, known);
        expect(r.reached.find((x) => x.node.id === ids.alice)!.path.map((e) => e.kind)).toEqual([
          'MEMBER_OF',
          'MEMBER_OF',
          'HAS_ACCESS',
          'CONTAINS',
        ]);
      });

      it('filters grants by action and level, and reports only wanted kinds', async () => {
        const put = await whoCan(ids.bucket, {}, { actionsAny: ['S3:PutObject'] });
        expect(summary(put).map(([id]) => id)).toEqual([
          ids.deployer,
          ids.admin,
          ids.carol,
          ids.vendor,
          ids.dave,
        ]);
        const read = await whoCan(ids.bucket, { resultKinds: ['User'] }, { levelsAny: ['read'] });
        expect(summary(read)).toEqual([
          [ids.bob, 3],
          [ids.dave, 3],
          [ids.alice, 4],
        ]);
        const admin = await whoCan(ids.bucket, {}, { levelsAny: ['admin'] });
        expect(summary(admin)).toEqual([
          [ids.admin, 2],
          [ids.dave, 3],
        ]);
        const none = await whoCan(ids.bucket, {}, { actionsAny: ['kms:decrypt'] });
        expect(none.reached).toEqual([]);
      });

      it('takes the least id of parallel hop edges, and paths still see the others', async () => {
        // two more ways dave escalates to admin-role, one sorting before the fixture's edge
        const fixture = acmeEdges().find((e) => e.kind === 'CAN_ESCALATE')!;
        const parallel = (technique: string): GraphEdge => ({
          ...fixture,
          id: edgeId('CAN_ESCALATE', ids.dave, ids.admin, technique),
          props: { technique, conditional: false, conditions: null },
        });
        const [early, late] = [parallel('a-first'), parallel('z-last')];
        await store.replaceSource(ACME, async (w) => {
          await w.addNodes(acmeNodes());
          await w.addEdges([...acmeEdges(), late, early]);
        });
        const viaDave = (r: ReachResult) => r.reached.find((x) => x.node.id === ids.dave)?.path;
        expect(viaDave(await whoCan(ids.bucket))!.map((e) => e.id)[0]).toBe(early.id);
        const fromDave = await forward(ids.dave, {});
        expect(fromDave.reached.find((x) => x.node.id === ids.bucket)!.path[0]!.id).toBe(early.id);
        const sp = (excludeEdges: string[]) =>
          store.shortestPath({
            from: ids.dave,
            to: ids.admin,
            edgeKinds: ['CAN_ESCALATE'],
            maxDepth: 2,
            timeoutMs: 10_000,
            excludeEdges,
          });
        // k shortest paths exclude single edges: the parallel ones must still be there
        const all = [early.id, late.id, fixture.id];
        const excluded: string[] = [];
        for (let i = 0; i < all.length; i++) {
          const p = (await sp(excluded))!.map((e) => e.id);
          expect(p).toHaveLength(1);
          expect(all.filter((id) => !excluded.includes(id))).toContain(p[0]);
          excluded.push(p[0]!);
        }
        expect(await sp(excluded)).toBeNull();
      });

      it('does not chain two grants or walk hops after a grant', async () => {
        // a grant from the bucket onward must not extend a path
        await store.upsertEdges(ACME.id, [
          access(ids.bucket, ids.bucketLogs, ['s3:getobject'], ['read'], 'p/x'),
        ]);
        const r = await whoCan(ids.bucketLogs, { resultKinds: ['User'] });
        expect(summary(r)).toEqual([
          [ids.bob, 3],
          [ids.dave, 3],
          [ids.alice, 4],
        ]);
      });

      it('shows but never travels a membership whose grants were materialized on the member', async () => {
        const materialized: GraphEdge = {
          id: edgeId('MEMBER_OF', ids.erin, ids.engineers),
          kind: 'MEMBER_OF',
          from: ids.erin,
          to: ids.engineers,
          source: ACME.id,
          via: null,
          props: { grantsMaterialized: true },
        };
        await store.upsertEdges(ACME.id, [materialized]);
        const r = await whoCan(ids.bucket, { resultKinds: ['User'] });
        expect(r.reached.map((x) => x.node.id)).not.toContain(ids.erin);
        const forward = await store.reach({
          start: ids.erin,
          direction: 'forward',
          shape: { kind: 'edges', edgeKinds: ['MEMBER_OF'] },
          ...reachDefaults,
        });
        expect(forward.reached).toEqual([]);
        const sp = await store.shortestPath({
          from: ids.erin,
          to: ids.engineers,
          edgeKinds: ['MEMBER_OF'],
          maxDepth: 4,
          timeoutMs: 5000,
        });
        expect(sp).toBeNull();
        const around = await store.neighborhood(ids.engineers, { direction: 'in', edgeKinds: ['MEMBER_OF'] });
        expect(around.nodes.map((n) => n.id)).toContain(ids.erin);
        expect(around.edges).toContainEqual(materialized);
        expect(await store.getEdges(ids.erin)).toEqual([materialized]);
      });

      it('applies partial denies on a grant to the node each path ends at, both ways', async () => {
        const guarded = (e: GraphEdge, props: Record<string, unknown>): GraphEdge =>
          ({ ...e, props: { ...e.props, ...props } }) as GraphEdge;
        const engineersGrant = acmeEdges().find((e) => e.from === ids.engineers && e.kind === 'HAS_ACCESS')!;
        const adminGrant = acmeEdges().find((e) => e.from === ids.admin && e.kind === 'HAS_ACCESS')!;
        const bobGrant = access(ids.bob, ids.account, ['s3:deletebucket'], ['write'], 'p/bob');
        await store.upsertEdges(ACME.id, [
          guarded(engineersGrant, {
            levelCounts: { read: 1, list: 1 },
            exceptions: [
              // certain on the data bucket; undecided on the logs bucket
              { resources: [ids.bucket], actionsByLevel: { read: ['s3:getobject'] }, conditional: false },
              {
                resources: ['arn:aws:s3:::acme-l?gs'],
                actionsByLevel: { read: ['s3:getobject'] },
                conditional: true,
              },
            ],
          }),
          guarded(adminGrant, {
            levelCounts: { read: 1, write: 2 },
            exceptions: [
              { scopes: [ids.bucket], actionsByLevel: { write: ['s3:putobject'] }, conditional: false },
              { scopes: [ids.account], childScopes: false, actionsByLevel: {}, conditional: false },
            ],
          }),
          guarded(bobGrant, { notResources: ['arn:aws:s3:::acme-logs'] }),
        ]);
        const users = { resultKinds: ['User', 'Role', 'Group'] as const };
        const get = await whoCan(ids.bucket, {}, { actionsAny: ['s3:getobject'] });
        expect(summary(get).map(([id]) => id)).toEqual([ids.admin, ids.dave]);
        const read = await whoCan(ids.bucket, {}, { levelsAny: ['read'] });
        expect(summary(read).map(([id]) => id)).toEqual([ids.admin, ids.dave]);
        // listing is left to the engineers
        const list = await whoCan(
          ids.bucket,
          { resultKinds: [...users.resultKinds] },
          { levelsAny: ['list'] },
        );
        expect(summary(list).map(([id]) => id)).toEqual([ids.engineers, ids.devs, ids.bob, ids.alice]);
        const logs = await whoCan(ids.bucketLogs, {}, { actionsAny: ['s3:getobject'] });
        const alice = logs.reached.find((x) => x.node.id === ids.alice)!;
        expect(alice.undecidedDenies).toEqual([
          expect.objectContaining({ resources: ['arn:aws:s3:::acme-l?gs'] }),
        ]);
        expect(logs.reached.find((x) => x.node.id === ids.admin)?.undecidedDenies).toBeUndefined();
        // a deny on the bucket and below takes s3:putobject from the admin role there only
        const put = await whoCan(ids.bucket, {}, { actionsAny: ['s3:putobject'] });
        expect(summary(put).map(([id]) => id)).toEqual([ids.deployer, ids.carol, ids.vendor]);
        const putLogs = await whoCan(ids.bucketLogs, {}, { actionsAny: ['s3:putobject'] });
        expect(summary(putLogs).map(([id]) => id)).toEqual([ids.admin, ids.dave]);
        // a deny on the account alone (childScopes false) takes admin away there, not below
        const adminOfAccount = await whoCan(ids.account, {}, { levelsAny: ['admin'] });
        expect(adminOfAccount.reached).toEqual([]);
        const adminOfBucket = await whoCan(ids.bucketLogs, {}, { levelsAny: ['admin'] });
        expect(summary(adminOfBucket).map(([id]) => id)).toEqual([ids.admin, ids.dave]);
        // NotResource: bob's grant covers the account except the logs bucket
        const del = await whoCan(ids.bucketLogs, {}, { actionsAny: ['s3:deletebucket'] });
        expect(del.reached).toEqual([]);
        const delData = await whoCan(ids.bucket, {}, { actionsAny: ['s3:deletebucket'] });
        expect(summary(delData)).toEqual([[ids.bob, 2]]);
        expect(delData.reached[0]!.withheld).toBeUndefined();

        const aliceGets = await forward(ids.alice, { actionsAny: ['s3:getobject'] });
        expect(summary(aliceGets)).toEqual([
          [ids.account, 3],
          [ids.bucketLogs, 4],
        ]);
        expect(aliceGets.reached[1]!.undecidedDenies).toHaveLength(1);
        const aliceAny = await forward(ids.alice, {});
        expect(summary(aliceAny).map(([id]) => id)).toEqual([ids.account, ids.bucket, ids.bucketLogs]);
        expect(aliceAny.reached[1]!.withheld).toEqual(['s3:getobject']);
        // bob: the engineers' grant reaches the logs bucket though his own NotResource grant does not
        const bobDeletes = await forward(ids.bob, { actionsAny: ['s3:deletebucket'] });
        expect(summary(bobDeletes)).toEqual([
          [ids.account, 1],
          [ids.bucket, 2],
        ]);
        const bobAny = await forward(ids.bob, {});
        expect(summary(bobAny).map(([id]) => id)).toEqual([ids.account, ids.bucket, ids.bucketLogs]);
      });

      it("applies a node's own denies to every grant that reaches it, both ways", async () => {
        const bucket = acmeNodes().find((n) => n.id === ids.bucket)!;
        await store.upsertNodes(ACME.id, [
          {
            ...bucket,
            props: {
              ...bucket.props,
              denies: [
                {
                  resources: [ids.bucket, `${ids.bucket}/*`],
                  actionsByLevel: { read: ['s3:getobject'] },
                  conditional: false,
                  statement: 'NoReads',
                },
                {
                  resources: [`${ids.bucket}/*`],
                  actionsByLevel: { write: ['s3:putobject', 's3:deleteobject'] },
                  conditional: true,
                  statement: 'TlsOnly',
                },
              ],
            },
          },
        ]);
        // nobody reads the data bucket, whichever grant reaches it; the logs bucket is untouched
        expect((await whoCan(ids.bucket, {}, { actionsAny: ['s3:getobject'] })).reached).toEqual([]);
        const logs = await whoCan(ids.bucketLogs, {}, { actionsAny: ['s3:getobject'] });
        expect(summary(logs).map(([id]) => id)).toContain(ids.alice);
        // the TLS deny names objects: writing the bucket itself stays certain, an object is a maybe
        const put = await whoCan(ids.bucket, {}, { actionsAny: ['s3:putobject'] });
        expect(summary(put).map(([id]) => id)).toEqual([
          ids.deployer,
          ids.admin,
          ids.carol,
          ids.vendor,
          ids.dave,
        ]);
        expect(put.reached.every((x) => x.undecidedDenies === undefined)).toBe(true);
        const putObject = await whoCan(
          ids.bucket,
          { target: `${ids.bucket}/k` },
          { actionsAny: ['s3:putobject'] },
        );
        expect(summary(putObject).map(([id]) => id)).toEqual([
          ids.deployer,
          ids.admin,
          ids.carol,
          ids.vendor,
          ids.dave,
        ]);
        for (const x of putObject.reached)
          expect(x.undecidedDenies).toEqual([expect.objectContaining({ statement: 'TlsOnly' })]);

        const aliceGets = await forward(ids.alice, { actionsAny: ['s3:getobject'] });
        expect(summary(aliceGets)).toEqual([
          [ids.account, 3],
          [ids.bucketLogs, 4],
        ]);
        // listing is left: the bucket is reached, reading it withheld
        const aliceAny = await forward(ids.alice, {});
        expect(summary(aliceAny).map(([id]) => id)).toEqual([ids.account, ids.bucket, ids.bucketLogs]);
        expect(aliceAny.reached[1]!.withheld).toEqual(['s3:getobject']);
        // dave reaches the bucket through the admin role's grant on the account: reads withheld
        const daveAny = await forward(ids.dave, {});
        const daveBucket = daveAny.reached.find((x) => x.node.id === ids.bucket)!;
        expect(daveBucket.withheld).toEqual(['s3:getobject']);
        expect(daveBucket.path.map((e) => e.kind)).toEqual(['CAN_ESCALATE', 'HAS_ACCESS', 'CONTAINS']);
      });

      it('finds what a principal can reach, forward', async () => {
        const r = await store.reach({
          start: ids.alice,
          direction: 'forward',
          shape: { kind: 'access', hopKinds: PRINCIPAL_HOPS },
          ...reachDefaults,
        });
        expect(summary(r)).toEqual([
          [ids.account, 3],
          [ids.bucket, 4],
          [ids.bucketLogs, 4],
        ]);
        const known = new Map(acmeEdges().map((e) => [e.id, e]));
        for (const x of r.reached) expectValidPath(x.path, x.depth, ids.alice, x.node.id, known);
      });

      it('bounds depth and results and says why it truncated', async () => {
        const shallow = await whoCan(ids.bucket, { maxDepth: 2 });
        expect(summary(shallow).map(([, d]) => d)).toEqual([1, 2, 2, 2, 2]);
        expect(shallow.truncatedBy).toEqual(['maxDepth']);
        const exact = await whoCan(ids.bucket, { maxDepth: 4 });
        expect(exact.truncated).toBe(false);
        const few = await whoCan(ids.bucket, { maxResults: 3 });
        expect(summary(few)).toEqual([
          [ids.deployer, 1],
          [ids.engineers, 2],
          [ids.admin, 2],
        ]);
        expect(few.truncatedBy).toEqual(['maxResults']);
        const both = await whoCan(ids.bucket, { maxResults: 2, maxDepth: 3 });
        expect(both.truncatedBy).toEqual(['maxDepth', 'maxResults']);
      });

      it('walks plain edge kinds both ways and survives cycles', async () => {
        await store.upsertEdges(ACME.id, [simple('MEMBER_OF', ids.engineers, ids.alice)]);
        const up = await store.reach({
          start: ids.alice,
          direction: 'forward',
          shape: { kind: 'edges', edgeKinds: ['MEMBER_OF'] },
          ...reachDefaults,
        });
        expect(summary(up)).toEqual([
          [ids.devs, 1],
          [ids.engineers, 2],
        ]);
        const down = await store.reach({
          start: ids.engineers,
          direction: 'reverse',
          shape: { kind: 'edges', edgeKinds: ['MEMBER_OF'] },
          ...reachDefaults,
        });
        expect(summary(down)).toEqual([
          [ids.devs, 1],
          [ids.bob, 1],
          [ids.alice, 2],
        ]);
      });

      it('answers nothing for an unknown start', async () => {
        expect(await whoCan('arn:aws:s3:::nope')).toEqual({ reached: [], truncated: false, truncatedBy: [] });
      });

      it('rejects bounds that are not integers in range', async () => {
        for (const bad of [0, 1.5, -1, Number.NaN, 33]) {
          await expect(whoCan(ids.bucket, { maxDepth: bad })).rejects.toMatchObject({ code: 'BAD_INPUT' });
        }
        await expect(whoCan(ids.bucket, { maxResults: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
        await expect(whoCan(ids.bucket, { timeoutMs: 2.5 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
      });

      it('treats hostile strings as data', async () => {
        const evil = [
          "x' OR 1=1 --",
          'a`b',
          '}) RETURN n //',
          '"; DROP TABLE nodes; --',
          'ünï\u0000cødé 🚀',
          'x'.repeat(5000),
        ];
        const nodes: GraphNode[] = evil.map((s, i) => ({
          id: s,
          cloud: 'aws',
          kind: 'User',
          name: `${s}-${i}`,
          source: ACME.id,
          props: { note: s },
        }));
        await store.upsertNodes(ACME.id, nodes);
        await store.upsertEdges(
          ACME.id,
          evil.map((s) => simple('MEMBER_OF', s, ids.engineers)),
        );
        for (const n of nodes) expect(await store.getNode(n.id)).toEqual(n);
        for (const s of evil) {
          await store.search(s);
          const r = await whoCan(s);
          expect(r.reached).toEqual([]);
        }
        const r = await whoCan(ids.bucket, { resultKinds: ['User'] });
        expect(r.reached.map((x) => x.node.id)).toEqual(expect.arrayContaining(evil));
        expect((await store.stats()).nodes).toBe(acmeNodes().length + 1 + evil.length);
      });
    });

    describe('shortestPath', () => {
      beforeEach(async () => {
        await loadAcme(store);
      });
      const kinds: EdgeKind[] = ['MEMBER_OF', 'CAN_ASSUME', 'CAN_ESCALATE', 'HAS_ACCESS', 'CONTAINS'];
      const sp = (
        from: string,
        to: string,
        extra: { excludeNodes?: string[]; excludeEdges?: string[]; maxDepth?: number } = {},
      ) =>
        store.shortestPath({
          from,
          to,
          edgeKinds: kinds,
          maxDepth: extra.maxDepth ?? 8,
          timeoutMs: 10_000,
          ...extra,
        });

      it('finds one shortest path, honouring exclusions and depth', async () => {
        const known = new Map([...acmeEdges(), ...vendorEdges()].map((e) => [e.id, e]));
        const p = await sp(ids.alice, ids.bucket);
        expect(p).not.toBeNull();
        expectValidPath(p!, 4, ids.alice, ids.bucket, known);
        expect(await sp(ids.alice, ids.bucket, { maxDepth: 3 })).toBeNull();
        expect(await sp(ids.alice, ids.bucket, { excludeNodes: [ids.devs] })).toBeNull();
        expect(await sp(ids.alice, ids.bucket, { excludeEdges: [acmeEdges()[0]!.id] })).toBeNull();
        expect(await sp(ids.alice, ids.alice)).toEqual([]);
        expect(await sp(ids.erin, ids.bucket)).toBeNull();
        expect(await sp('nope', ids.bucket)).toBeNull();
        const carol = await sp(ids.carol, ids.bucket);
        expect(carol!.map((e) => e.kind)).toEqual(['CAN_ASSUME', 'HAS_ACCESS']);
      });

      it('rejects bad bounds', async () => {
        await expect(sp(ids.alice, ids.bucket, { maxDepth: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
        await expect(sp(ids.alice, ids.bucket, { maxDepth: 2.5 })).rejects.toMatchObject({
          code: 'BAD_INPUT',
        });
      });

      it('agrees with brute force on random graphs', async () => {
        await fc.assert(
          fc.asyncProperty(randomCase(), fc.nat(8), fc.nat(8), fc.nat(8), async (c, a, b, x) => {
            await store.replaceSource(ACME, async (w) => {
              await w.addNodes(c.nodes);
              await w.addEdges(c.edges);
            });
            const from = `n${a % c.nodes.length}`;
            const to = `n${b % c.nodes.length}`;
            const excl = `n${x % c.nodes.length}`;
            const excludeNodes = excl === from || excl === to ? [] : [excl];
            const excludeEdges = c.edges.filter((_, i) => i % 5 === 0).map((e) => e.id);
            const got = await store.shortestPath({
              from,
              to,
              edgeKinds: ['MEMBER_OF', 'HAS_ACCESS', 'CONTAINS'],
              maxDepth: c.query.maxDepth,
              timeoutMs: 10_000,
              excludeNodes,
              excludeEdges,
            });
            const usable = c.edges.filter(
              (e) => ['MEMBER_OF', 'HAS_ACCESS', 'CONTAINS'].includes(e.kind) && !excludeEdges.includes(e.id),
            );
            const want = shortestSimplePathLength(usable, from, to, c.query.maxDepth, new Set(excludeNodes));
            if (want === null) expect(got).toBeNull();
            else if (want === 0) expect(got).toEqual([]);
            else {
              expect(got).not.toBeNull();
              expectValidPath(got!, want, from, to, new Map(usable.map((e) => [e.id, e])));
              const visited = [from, ...got!.map((e) => e.to)];
              expect(new Set(visited).size).toBe(visited.length);
            }
          }),
          { numRuns: options.propertyRuns ?? 60, seed: 20261130 },
        );
      });
    });

    describe('reach agrees with brute force on random graphs', () => {
      it('for both shapes and directions', async () => {
        await fc.assert(
          fc.asyncProperty(randomCase(), async (c) => {
            await store.replaceSource(ACME, async (w) => {
              await w.addNodes(c.nodes);
              await w.addEdges(c.edges);
            });
            const got = await store.reach(c.query);
            const want = bruteForce(c.edges, c.query);
            expect(summary(got)).toEqual(want.reached);
            expect(got.truncatedBy).toEqual(want.truncatedBy);
            const known = new Map(c.edges.map((e) => [e.id, e]));
            for (const x of got.reached) {
              const [first, last] =
                c.query.direction === 'reverse' ? [x.node.id, c.query.start] : [c.query.start, x.node.id];
              expectValidPath(x.path, x.depth, first, last, known);
              expect(matchesShape(x.path, c.query)).toBe(true);
            }
          }),
          { numRuns: options.propertyRuns ?? 60, seed: 20261129 },
        );
      });

      const reference = options.reference;
      it.skipIf(!reference)('and breaks ties exactly as the reference store does', async () => {
        const other = await reference!();
        const answers = (r: ReachResult) =>
          r.reached.map((x) => [x.node.id, x.depth, x.path.map((e) => e.id)]);
        let compared = 0;
        try {
          await fc.assert(
            fc.asyncProperty(tiedCase(), async (c) => {
              const fill = async (w: SourceWriter) => {
                await w.addNodes(c.nodes);
                await w.addEdges(c.edges);
              };
              await store.replaceSource(ACME, fill);
              await other.replaceSource(ACME, fill);
              const got = answers(await store.reach(c.query));
              expect(got).toEqual(answers(await other.reach(c.query)));
              compared += got.length;
            }),
            { numRuns: options.propertyRuns ?? 60, seed: 20261130 },
          );
        } finally {
          await other.close();
        }
        // the graphs are dense enough that most walks reach several principals
        expect(compared).toBeGreaterThan((options.propertyRuns ?? 60) * 2);
      });
    });
  });
}

// ---------------------------------------------------------------------------------------
// Brute force: enumerate every walk from the anchor up to maxDepth + 1 edges and check
// its kind sequence against the shape directly. Deliberately naive and independent of
// the stores' automaton code.

interface RandomCase {
  nodes: GraphNode[];
  edges: GraphEdge[];
  query: ReachQuery;
}

const KINDS: EdgeKind[] = ['MEMBER_OF', 'CAN_ASSUME', 'HAS_ACCESS', 'CONTAINS', 'CAN_ESCALATE'];

function randomCase(): fc.Arbitrary<RandomCase> {
  return fc
    .record({
      n: fc.integer({ min: 2, max: 9 }),
      raw: fc.array(
        fc.record({
          a: fc.nat(8),
          b: fc.nat(8),
          k: fc.constantFrom(...KINDS),
          act: fc.subarray(['s3:getobject', 's3:putobject', 'kms:decrypt'], { minLength: 1 }),
        }),
        { maxLength: 22 },
      ),
      start: fc.nat(8),
      reverse: fc.boolean(),
      access: fc.boolean(),
      action: fc.option(fc.constantFrom('s3:getobject', 'kms:decrypt'), { nil: undefined }),
      maxDepth: fc.integer({ min: 1, max: 4 }),
      maxResults: fc.integer({ min: 1, max: 10 }),
      userOnly: fc.boolean(),
    })
    .map((r) => {
      const name = (i: number) => `n${i % r.n}`;
      const nodes: GraphNode[] = Array.from({ length: r.n }, (_, i) => ({
        id: name(i),
        cloud: 'generic',
        kind: i % 3 === 0 ? 'User' : i % 3 === 1 ? 'Group' : 'Resource',
        name: name(i),
        source: ACME.id,
        props: {},
      }));
      const edges = new Map<string, GraphEdge>();
      r.raw.forEach((e, i) => {
        const from = name(e.a);
        const to = name(e.b);
        const id = edgeId(e.k, from, to, String(i % 2));
        const props =
          e.k === 'HAS_ACCESS'
            ? {
                actions: e.act,
                levels: e.act.map((a) => (a === 's3:putobject' ? 'write' : 'read')),
                conditional: false,
                conditions: null,
              }
            : e.k === 'CAN_ASSUME' || e.k === 'CAN_ESCALATE'
              ? {
                  conditional: false,
                  conditions: null,
                  ...(e.k === 'CAN_ESCALATE' ? { technique: 't' } : {}),
                }
              : {};
        edges.set(id, { id, kind: e.k, from, to, source: ACME.id, via: null, props } as GraphEdge);
      });
      const query: ReachQuery = {
        start: name(r.start),
        direction: r.reverse ? 'reverse' : 'forward',
        shape: r.access
          ? {
              kind: 'access',
              hopKinds: ['MEMBER_OF', 'CAN_ASSUME'],
              ...(r.action ? { actionsAny: [r.action] } : {}),
            }
          : { kind: 'edges', edgeKinds: ['MEMBER_OF', 'CONTAINS'] },
        maxDepth: r.maxDepth,
        maxResults: r.maxResults,
        timeoutMs: 10_000,
        ...(r.userOnly ? { resultKinds: ['User' as const] } : {}),
      };
      return { nodes, edges: [...edges.values()], query };
    });
}

/**
 * Dense principal graphs with parallel hop edges and several grants on one bucket and its
 * account, so that many principals are reached by several shortest paths: which one a store
 * reports depends on how it breaks ties.
 */
function tiedCase(): fc.Arbitrary<RandomCase> {
  const hops = PRINCIPAL_HOPS;
  const p = (i: number) => `p${i}`;
  return fc
    .record({
      hops: fc.array(
        fc.record({
          a: fc.nat(9),
          b: fc.nat(9),
          k: fc.constantFrom(...hops),
          d: fc.constantFrom('x', 'y', 'z'),
        }),
        { minLength: 10, maxLength: 40 },
      ),
      grants: fc.array(fc.record({ a: fc.nat(9), onAccount: fc.boolean(), d: fc.constantFrom('x', 'y') }), {
        minLength: 1,
        maxLength: 5,
      }),
      reverse: fc.boolean(),
      from: fc.nat(9),
    })
    .map((r) => {
      const nodes: GraphNode[] = [
        ...Array.from(
          { length: 10 },
          (_, i): GraphNode => ({
            id: p(i),
            cloud: 'generic',
            kind: i % 2 ? 'Role' : 'User',
            name: p(i),
            source: ACME.id,
            props: {},
          }),
        ),
        ...['bucket', 'account'].map(
          (id): GraphNode => ({
            id,
            cloud: 'generic',
            kind: 'Resource',
            name: id,
            source: ACME.id,
            props: {},
          }),
        ),
      ];
      const edges = new Map<string, GraphEdge>();
      const add = (kind: EdgeKind, from: string, to: string, d: string, props: GraphEdge['props']) => {
        const id = edgeId(kind, from, to, d);
        edges.set(id, { id, kind, from, to, source: ACME.id, via: null, props } as GraphEdge);
      };
      add('CONTAINS', 'account', 'bucket', '', {});
      for (const h of r.hops) {
        if (h.a === h.b) continue;
        add(h.k, p(h.a), p(h.b), h.d, h.k === 'MEMBER_OF' ? {} : { conditional: false, conditions: null });
      }
      for (const g of r.grants) {
        add('HAS_ACCESS', p(g.a), g.onAccount ? 'account' : 'bucket', g.d, {
          actions: ['s3:getobject'],
          levels: ['read'],
          conditional: false,
          conditions: null,
        });
      }
      const query: ReachQuery = {
        start: r.reverse ? 'bucket' : p(r.from),
        direction: r.reverse ? 'reverse' : 'forward',
        shape: { kind: 'access', hopKinds: hops },
        maxDepth: 6,
        maxResults: 100,
        timeoutMs: 10_000,
      };
      return { nodes, edges: [...edges.values()], query };
    });
}

function matchesShape(path: GraphEdge[], q: ReachQuery): boolean {
  if (q.shape.kind === 'edges') {
    const allowed = q.shape.edgeKinds;
    return path.every((e) => allowed.includes(e.kind));
  }
  const shape = q.shape;
  const grant = path.findIndex((e) => e.kind === 'HAS_ACCESS');
  if (grant < 0) return false;
  const g = path[grant]!;
  if (g.kind !== 'HAS_ACCESS') return false;
  if (
    shape.actionsAny &&
    !g.props.actions.some((a) => shape.actionsAny!.map((x) => x.toLowerCase()).includes(a))
  )
    return false;
  if (shape.levelsAny && !g.props.levels.some((l) => shape.levelsAny!.includes(l))) return false;
  return (
    path.slice(0, grant).every((e) => shape.hopKinds.includes(e.kind)) &&
    path.slice(grant + 1).every((e) => e.kind === 'CONTAINS')
  );
}

function bruteForce(
  edges: GraphEdge[],
  q: ReachQuery,
): { reached: Array<readonly [string, number]>; truncatedBy: string[] } {
  const kindOf = new Map<string, string>();
  const best = new Map<string, number>();
  const reverse = q.direction === 'reverse';
  const walk = (at: string, path: GraphEdge[]) => {
    if (path.length > 0) {
      const ordered = reverse ? [...path].reverse() : path;
      if (matchesShape(ordered, q) && at !== q.start) {
        const prev = best.get(at);
        if (prev === undefined || path.length < prev) best.set(at, path.length);
      }
    }
    if (path.length === q.maxDepth + 1) return;
    for (const e of edges) {
      if ((reverse ? e.to : e.from) !== at) continue;
      walk(reverse ? e.from : e.to, [...path, e]);
    }
  };
  walk(q.start, []);
  for (let i = 0; i < 9; i++) kindOf.set(`n${i}`, i % 3 === 0 ? 'User' : i % 3 === 1 ? 'Group' : 'Resource');
  const wanted = [...best.entries()].filter(
    ([id]) => !q.resultKinds || q.resultKinds.includes(kindOf.get(id) as never),
  );
  const inDepth = wanted
    .filter(([, d]) => d <= q.maxDepth)
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  const truncatedBy: string[] = [];
  if (wanted.some(([, d]) => d === q.maxDepth + 1)) truncatedBy.push('maxDepth');
  if (inDepth.length > q.maxResults) truncatedBy.push('maxResults');
  return { reached: inDepth.slice(0, q.maxResults), truncatedBy };
}

/** Length of the shortest simple path by exhaustive depth-first search (0 when from === to). */
function shortestSimplePathLength(
  edges: GraphEdge[],
  from: string,
  to: string,
  maxDepth: number,
  excluded: Set<string>,
): number | null {
  if (from === to) return 0;
  let best: number | null = null;
  const dfs = (at: string, seen: Set<string>, len: number) => {
    if (at === to) {
      if (best === null || len < best) best = len;
      return;
    }
    if (len === maxDepth) return;
    for (const e of edges) {
      if (e.from !== at || seen.has(e.to) || excluded.has(e.to)) continue;
      seen.add(e.to);
      dfs(e.to, seen, len + 1);
      seen.delete(e.to);
    }
  };
  dfs(from, new Set([from]), 0);
  return best;
}
