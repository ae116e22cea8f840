/**
 * `npm run bench:api [-- --tier XS|S|M --store embedded|neo4j --connections 10 --seconds 10]`:
 * the API under concurrent clients. Loads the synthetic organization, starts the real
 * HTTP server on loopback, and drives whoCan queries at it with autocannon.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { TokenStore } from '../api/auth/tokens.js';
import { startServer } from '../api/server.js';
import { openStore, resolveStoreConfig } from '../graph/open-store.js';
import { loadSources } from '../ingest/load.js';
import { SYNTHETIC_SOURCE, synthetic, TIERS } from './synthetic.js';

const { values } = parseArgs({
  options: {
    tier: { type: 'string', default: 'S' },
    store: { type: 'string', default: 'embedded' },
    connections: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
  },
});
const size = TIERS[values.tier!];
if (!size) throw new Error(`--tier must be one of ${Object.keys(TIERS).join(', ')}`);

const dataDir = mkdtempSync(join(tmpdir(), 'accessgraph-bench-api-'));
const config = resolveStoreConfig({ store: values.store!, dataDir });
const store = await openStore(config);
const g = synthetic(size);
await loadSources(store, [{ descriptor: SYNTHETIC_SOURCE, nodes: g.nodes, edges: g.edges, warnings: [] }]);
const tokens = TokenStore.open(dataDir);
const { token } = tokens.create('viewer', 'bench');
const server = await startServer({ store, tokens, host: '127.0.0.1', port: 0, log: () => {} });

const query =
  'query($r: ID!) { whoCan(resource: $r, kinds: [User], first: 50) { totalCount edges { node { depth node { id } } } } }';
let i = 0;
const result = await autocannon({
  url: `${server.url}/graphql`,
  connections: Number(values.connections),
  duration: Number(values.seconds),
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({ query, variables: { r: g.resources[(i++ * 7919) % g.resources.length] } }),
      }),
    },
  ],
});
await server.close();
tokens.close();
await store.close();
rmSync(dataDir, { recursive: true, force: true });

console.log(
  `machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
console.log(
  '| tier | store | connections | seconds | requests/s (avg) | latency p50 ms | latency p97.5 ms | latency p99 ms | non-2xx | errors |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
console.log(
  `| ${values.tier} | ${config.kind} | ${values.connections} | ${values.seconds} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p97_5} | ${result.latency.p99} | ${result.non2xx} | ${result.errors} |`,
);
