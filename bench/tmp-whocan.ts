import { EmbeddedStore } from '../graph/embedded/sqlite-store.js';
import { whoCan } from '../graph/queries/access.js';
const store = await EmbeddedStore.open({ dataDir: process.argv[2]! });
const n = Number(process.argv[3] ?? 200);
const all: Array<{ id: string }> = [];
for (let after: string | undefined; ; ) {
  const page = await store.scanNodes({ kinds: ['Resource'], limit: 10_000, after });
  if (page.length === 0) break;
  for (const x of page) if (x.props?.inventoried === true) all.push(x);
  after = page[page.length - 1]!.id;
}
console.error('inventoried', all.length);
const lat: number[] = [];
let reached = 0;
for (let i = 0; i < n; i++) {
  const t = all[(i * 7919) % all.length]!;
  const t0 = performance.now();
  const r = await whoCan(store, t.id, { limit: 100_000 });
  lat.push(performance.now() - t0);
  reached += r.answers.length;
}
lat.sort((a, b) => a - b);
console.log({ n, p50: lat[n >> 1], p95: lat[Math.floor(n * 0.95)], max: lat[n - 1], avg: reached / n });
await store.close();
