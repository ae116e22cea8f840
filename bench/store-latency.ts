/**
 * `tsx bench/store-latency.ts DATA_DIR [--queries N] [--warmup W] [--store embedded|neo4j]`
 *
 * Who-can latency on a store that is already loaded (e.g. by `accessgraph ingest` of
 * `npm run bench:gen` output at tier M or L), without generating and ingesting again:
 * asks who-can (all principal kinds, all actions, answers with paths) for N inventoried
 * resources spread over the inventory, the same pick as `npm run bench`, and prints p50/p95.
 * For iterating on query performance when one ingest takes many minutes. Neo4j:
 * `--store neo4j` with NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD, as for the CLI. `--warmup W` first
 * asks W other targets, unmeasured, as a long-running `serve` would have (its caches warm).
 */
import { parseArgs } from 'node:util';
import { openStore, resolveStoreConfig } from '../graph/open-store.js';
import { whoCan } from '../graph/queries/access.js';
import { percentile, spreadPick } from './latency.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    queries: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '0' },
    store: { type: 'string' },
  },
});
const dataDir = positionals[0];
const n = Number(values.queries);
const warmup = Number(values.warmup);
if (!dataDir || !(n >= 1) || !(warmup >= 0)) {
  process.stderr.write(
    'usage: tsx bench/store-latency.ts DATA_DIR [--queries N] [--warmup W] [--store embedded|neo4j]\n',
  );
  process.exit(2);
}
const store = await openStore(resolveStoreConfig({ store: values.store, dataDir }));
const targets: string[] = [];
for (let after: string | undefined; ; ) {
  const page = await store.scanNodes({ kinds: ['Resource'], limit: 10_000, after });
  if (page.length === 0) break;
  for (const x of page) if (x.props?.inventoried === true) targets.push(x.id);
  after = page[page.length - 1]!.id;
}
if (targets.length === 0) throw new Error('the store holds no inventoried resource');
// warm-up targets continue the stride past the measured ones
for (let i = 0; i < warmup; i++) await whoCan(store, spreadPick(targets, n + i), { limit: 100_000 });
const lat: number[] = [];
let reached = 0;
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  const r = await whoCan(store, spreadPick(targets, i), { limit: 100_000 });
  lat.push(performance.now() - t0);
  reached += r.answers.length;
}
await store.close();
const at = (p: number) => Math.round(percentile(lat, p) * 10) / 10;
process.stdout.write(
  `${JSON.stringify({ targets: targets.length, warmup, queries: n, p50: at(0.5), p95: at(0.95), max: at(1), avgAnswers: Math.round(reached / n) })}\n`,
);
