/**
 * `npm run bench [-- --tier XS|S|M] [--store embedded|neo4j]`: load throughput, reopen
 * time, who-can latency (p50/p95), store size and peak RSS, printed as a Markdown table
 * row with the machine facts, for docs/BENCHMARKS.md.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore, resolveStoreConfig } from '../graph/open-store.js';
import { whoCan } from '../graph/queries/access.js';
import type { GraphStore } from '../graph/store.js';
import { loadSources } from '../ingest/load.js';
import { SYNTHETIC_SOURCE, synthetic, TIERS } from './synthetic.js';

const { values } = parseArgs({
  options: {
    tier: { type: 'string', default: 'S' },
    store: { type: 'string', default: 'embedded' },
    queries: { type: 'string', default: '200' },
  },
});
const size = TIERS[values.tier!];
if (!size) throw new Error(`--tier must be one of ${Object.keys(TIERS).join(', ')}`);

const dataDir = mkdtempSync(join(tmpdir(), 'accessgraph-bench-'));
const config = resolveStoreConfig({ store: values.store!, dataDir });
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (xs: number[], p: number) =>
  xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const dirSize = (d: string): number =>
  readdirSync(d).reduce(
    (s, f) => s + (statSync(join(d, f)).isDirectory() ? dirSize(join(d, f)) : statSync(join(d, f)).size),
    0,
  );

let t = process.hrtime.bigint();
const g = synthetic(size);
const genMs = ms(t);

let store: GraphStore = await openStore(config);
t = process.hrtime.bigint();
await loadSources(store, [{ descriptor: SYNTHETIC_SOURCE, nodes: g.nodes, edges: g.edges, warnings: [] }]);
const loadMs = ms(t);
await store.close();

t = process.hrtime.bigint();
store = await openStore(config);
await store.getNode(g.resources[0]!);
const reopenMs = ms(t);

const lat: number[] = [];
let reached = 0;
const n = Number(values.queries);
for (let i = 0; i < n; i++) {
  const target = g.resources[(i * 7919) % g.resources.length]!;
  const q0 = process.hrtime.bigint();
  const r = await whoCan(store, target, { limit: 100_000, kinds: ['User'] });
  lat.push(ms(q0));
  reached += r.answers.length;
}
await store.close();
// maxRSS is the kernel's high-water mark for this process, in KiB
const peakRss = process.resourceUsage().maxRSS * 1024;

const facts = `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const row = {
  tier: values.tier,
  store: config.kind,
  nodes: g.nodes.length,
  edges: g.edges.length,
  'generate ms': genMs.toFixed(0),
  'load ms': loadMs.toFixed(0),
  'load elements/s': Math.round((g.nodes.length + g.edges.length) / (loadMs / 1000)),
  'reopen ms': reopenMs.toFixed(1),
  'whoCan p50 ms': pct(lat, 0.5).toFixed(2),
  'whoCan p95 ms': pct(lat, 0.95).toFixed(2),
  'avg users/answer': (reached / n).toFixed(0),
  'store MiB': config.kind === 'embedded' ? (dirSize(dataDir) / 2 ** 20).toFixed(1) : 'n/a',
  'peak RSS MiB': (peakRss / 2 ** 20).toFixed(0),
};
rmSync(dataDir, { recursive: true, force: true });
console.log(`machine: ${facts}`);
console.log(`| ${Object.keys(row).join(' | ')} |`);
console.log(
  `|${Object.keys(row)
    .map(() => '---')
    .join('|')}|`,
);
console.log(`| ${Object.values(row).join(' | ')} |`);
