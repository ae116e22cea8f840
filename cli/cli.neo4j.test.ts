import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNeo4jStore } from '../graph/neo4j/neo4j-store.js';
import { describeNeo4j, neo4jTestConfig } from '../test/neo4j.js';
import { defineCliSuite } from './cli-suite.js';

describeNeo4j('CLI on Neo4j', () => {
  defineCliSuite('neo4j store', async () => {
    const cfg = neo4jTestConfig()!;
    // the run shares one Neo4j: start from an empty database
    const store = await openNeo4jStore(cfg);
    await store.clearAll();
    await store.close();
    const dataDir = mkdtempSync(join(tmpdir(), 'accessgraph-cli-neo4j-'));
    return {
      globalArgs: ['--store', 'neo4j', '--data-dir', dataDir],
      env: { NEO4J_URI: cfg.uri, NEO4J_USER: cfg.user, NEO4J_PASSWORD: cfg.password },
    };
  });
});
