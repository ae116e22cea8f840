import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../embedded/sqlite-store.js';
import { edgeId, type GraphEdge, type GraphNode } from '../model.js';
import { ACME } from '../store-fixtures.js';
import { kShortestPaths } from './paths.js';

const dir = mkdtempSync(join(tmpdir(), 'accessgraph-paths-'));
let store: EmbeddedStore;
beforeAll(async () => {
  store = await EmbeddedStore.open({ dataDir: dir });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const node = (id: string): GraphNode => ({
  id,
  cloud: 'generic',
  kind: 'User',
  name: id,
  source: ACME.id,
  props: {},
});
const member = (from: string, to: string, i = 0): GraphEdge => ({
  id: edgeId('MEMBER_OF', from, to, String(i)),
  kind: 'MEMBER_OF',
  from,
  to,
  source: ACME.id,
  via: null,
  props: {},
});

async function load(n: number, edges: GraphEdge[]) {
  await store.replaceSource(ACME, async (w) => {
    await w.addNodes(Array.from({ length: n }, (_, i) => node(`n${i}`)));
    await w.addEdges(edges);
  });
}

/** Every simple path's length, by exhaustive search. */
function allSimplePathLengths(edges: GraphEdge[], from: string, to: string, maxDepth: number): number[] {
  const out: number[] = [];
  const dfs = (at: string, seen: Set<string>, len: number) => {
    if (at === to) {
      out.push(len);
      return;
    }
    if (len === maxDepth) return;
    for (const e of edges) {
      if (e.from !== at || seen.has(e.to)) continue;
      seen.add(e.to);
      dfs(e.to, seen, len + 1);
      seen.delete(e.to);
    }
  };
  dfs(from, new Set([from]), 0);
  return out.sort((a, b) => a - b);
}

describe('kShortestPaths', () => {
  it('returns the k shortest loopless paths, shortest first', async () => {
    // n0 → n1 → n3, n0 → n2 → n3, n0 → n3 directly, n1 → n2
    const edges = [
      member('n0', 'n1'),
      member('n1', 'n3'),
      member('n0', 'n2'),
      member('n2', 'n3'),
      member('n0', 'n3'),
      member('n1', 'n2'),
    ];
    await load(4, edges);
    const r = await kShortestPaths(store, { from: 'n0', to: 'n3', maxDepth: 8, k: 10, timeoutMs: 5000 });
    expect(r.paths.map((p) => p.length)).toEqual([1, 2, 2, 3]);
    expect(new Set(r.paths.map((p) => p.map((e) => e.id).join())).size).toBe(4);
    const two = await kShortestPaths(store, { from: 'n0', to: 'n3', maxDepth: 8, k: 2, timeoutMs: 5000 });
    expect(two.paths.map((p) => p.length)).toEqual([1, 2]);
    expect(await kShortestPaths(store, { from: 'n3', to: 'n0', maxDepth: 8, k: 3, timeoutMs: 5000 })).toEqual(
      { paths: [], truncated: false },
    );
  });

  it('matches exhaustive search on random graphs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 9 }),
        fc.array(fc.tuple(fc.nat(8), fc.nat(8)), { maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        async (n, raw, k, maxDepth) => {
          const edges = raw
            .map(([a, b], i) => member(`n${a % n}`, `n${b % n}`, i % 3))
            .filter((e, i, all) => all.findIndex((x) => x.id === e.id) === i);
          await load(n, edges);
          const r = await kShortestPaths(store, {
            from: 'n0',
            to: `n${n - 1}`,
            maxDepth,
            k,
            timeoutMs: 5000,
          });
          const want = allSimplePathLengths(edges, 'n0', `n${n - 1}`, maxDepth).slice(0, k);
          expect(r.paths.map((p) => p.length)).toEqual(want);
          // spur searches bounded by the candidates in hand change nothing, not even ties
          const plain = await kShortestPaths(
            store,
            { from: 'n0', to: `n${n - 1}`, maxDepth, k, timeoutMs: 5000 },
            { bounded: false },
          );
          expect(r.paths.map((p) => p.map((e) => e.id))).toEqual(plain.paths.map((p) => p.map((e) => e.id)));
          for (const p of r.paths) {
            const nodes = ['n0', ...p.map((e) => e.to)];
            expect(new Set(nodes).size).toBe(nodes.length);
            expect(p[p.length - 1]!.to).toBe(`n${n - 1}`);
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
