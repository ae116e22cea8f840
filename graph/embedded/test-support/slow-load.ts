/**
 * Child process for the crash test: starts replacing the ACME source with a big new
 * version and keeps writing until the parent kills it.
 */
import { ACME } from '../../store-fixtures.js';
import { EmbeddedStore } from '../sqlite-store.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: slow-load DATA_DIR');
const store = await EmbeddedStore.open({ dataDir });
await store.replaceSource(ACME, async (w) => {
  for (let batch = 0; batch < 10_000; batch++) {
    await w.addNodes(
      Array.from({ length: 500 }, (_, i) => ({
        id: `v2-node-${batch}-${i}`,
        cloud: 'aws' as const,
        kind: 'User' as const,
        name: `v2-${batch}-${i}`,
        source: ACME.id,
        // padding makes the uncommitted transaction outgrow SQLite's page cache, so
        // part of it really reaches the WAL file before the kill
        props: { padding: 'x'.repeat(1000) },
      })),
    );
    await new Promise((r) => setTimeout(r, 2));
  }
});
process.stdout.write('FINISHED\n');
