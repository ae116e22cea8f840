import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openNeo4jStore } from '../graph/neo4j/neo4j-store.js';
import { describeNeo4j, neo4jTestConfig } from '../test/neo4j.js';
import { defineCliSuite } from './cli-suite.js';

describeNeo4j('CLI on Neo4j', () => {
  // the CLI keeps its tokens and report runs in the data directory even with Neo4j
  const dataDir = mkdtempSync(join(tmpdir(), 'accessgraph-cli-neo4j-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  defineCliSuite('neo4j store', async () => {
    const cfg = neo4jTestConfig()!;
    // the run shares one Neo4j: start from an empty database
    const store = await openNeo4jStore(cfg);
    await store.clearAll();
    await store.close();
    return {
      globalArgs: ['--store', 'neo4j', '--data-dir', dataDir],
      env: { NEO4J_URI: cfg.uri, NEO4J_USER: cfg.user, NEO4J_PASSWORD: cfg.password },
    };
  });
});
