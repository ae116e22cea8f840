import { openNeo4jStore } from '../graph/neo4j/neo4j-store.js';
import { describeNeo4j, neo4jTestConfig } from '../test/neo4j.js';
import { defineApiSuite } from './api-suite.js';

describeNeo4j('API on Neo4j', () => {
  defineApiSuite('neo4j store', async () => {
    const store = await openNeo4jStore(neo4jTestConfig()!);
    await store.clearAll();
    return store;
  });
});
