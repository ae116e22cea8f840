/**
 * One place that turns configuration (flags, environment) into an open GraphStore, for
 * the CLI, the API server and the benchmark alike.
 */
import { resolve } from 'node:path';
import { EmbeddedStore } from './embedded/sqlite-store.js';
import type { GraphStore } from './store.js';
import { StoreError } from './store.js';

export type StoreKind = 'embedded' | 'neo4j';

export interface StoreConfig {
  kind: StoreKind;
  dataDir: string;
  neo4j?: { uri: string; user: string; password: string; database?: string };
}

export const DEFAULT_DATA_DIR = './.accessgraph';

/**
 * `--store` wins; otherwise Neo4j when NEO4J_URI is set, else embedded. The data directory
 * comes from `--data-dir`, then ACCESSGRAPH_DATA_DIR, then ./.accessgraph.
 */
export function resolveStoreConfig(
  flags: { store?: string; dataDir?: string },
  env: NodeJS.ProcessEnv = process.env,
): StoreConfig {
  const kind = flags.store ?? (env.NEO4J_URI ? 'neo4j' : 'embedded');
  if (kind !== 'embedded' && kind !== 'neo4j') {
    throw new StoreError(`--store must be embedded or neo4j, got ${JSON.stringify(kind)}`, 'BAD_INPUT');
  }
  const dataDir = resolve(flags.dataDir ?? env.ACCESSGRAPH_DATA_DIR ?? DEFAULT_DATA_DIR);
  if (kind === 'embedded') return { kind, dataDir };
  if (!env.NEO4J_URI) {
    throw new StoreError(
      '--store neo4j needs NEO4J_URI (e.g. bolt://127.0.0.1:7687) and NEO4J_USER / NEO4J_PASSWORD; start a local one with `npm run neo4j:start`',
      'BAD_INPUT',
    );
  }
  const neo4j = { uri: env.NEO4J_URI, user: env.NEO4J_USER ?? 'neo4j', password: env.NEO4J_PASSWORD ?? '' };
  return { kind, dataDir, neo4j: env.NEO4J_DATABASE ? { ...neo4j, database: env.NEO4J_DATABASE } : neo4j };
}

export async function openStore(config: StoreConfig): Promise<GraphStore> {
  if (config.kind === 'embedded') return EmbeddedStore.open({ dataDir: config.dataDir });
  // Loaded on demand so the embedded path never pays for the driver.
  const { openNeo4jStore } = await import('./neo4j/neo4j-store.js');
  return openNeo4jStore(config.neo4j!);
}
