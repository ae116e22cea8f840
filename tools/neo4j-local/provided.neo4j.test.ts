// The Neo4j that test/global-setup.ts provides to the `neo4j` vitest project is reachable as described.
import neo4j from 'neo4j-driver';
import { expect, it } from 'vitest';
import { describeNeo4j, neo4jTestConfig } from '../../test/neo4j.js';

describeNeo4j('provided Neo4j (test/global-setup.ts)', () => {
  it('accepts the provided credentials and runs Cypher', async () => {
    const cfg = neo4jTestConfig()!;
    const driver = neo4j.driver(cfg.uri, neo4j.auth.basic(cfg.user, cfg.password));
    try {
      const { records } = await driver.executeQuery('RETURN 1 + 1 AS two');
      expect(records[0]?.get('two').toNumber()).toBe(2);
    } finally {
      await driver.close();
    }
  });

  it('has auth on unless it came from NEO4J_URI', async () => {
    if (process.env.NEO4J_URI) return;
    const cfg = neo4jTestConfig()!;
    expect(cfg.password.length).toBeGreaterThanOrEqual(8);
    const driver = neo4j.driver(cfg.uri, neo4j.auth.basic(cfg.user, `${cfg.password}x`));
    try {
      await expect(driver.executeQuery('RETURN 1')).rejects.toMatchObject({
        code: 'Neo.ClientError.Security.Unauthorized',
      });
    } finally {
      await driver.close();
    }
  });
});
