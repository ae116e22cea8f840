import { describeNeo4j, neo4jTestConfig } from '../../test/neo4j.js';
import { openNeo4jStore } from '../neo4j/neo4j-store.js';
import { defineFindingsSuite } from './findings-suite.js';

describeNeo4j('findings on neo4j', () => {
  defineFindingsSuite('neo4j', async () => {
    const config = neo4jTestConfig();
    if (!config) throw new Error('no Neo4j for this test run');
    const store = await openNeo4jStore(config);
    await store.clearAll();
    return store;
  });
});
