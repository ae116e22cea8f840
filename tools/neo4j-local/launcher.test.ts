// Starts real Neo4j 5.26 JVMs through the launcher (twice on one data dir) and talks Bolt to them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { javaAndMavenAvailable, type Neo4jLocal, randomPassword, startNeo4j } from './launcher.js';

const launchable = process.env.ACCESSGRAPH_TEST_NEO4J !== 'off' && javaAndMavenAvailable();
const required = process.env.REQUIRE_NEO4J === '1' && process.env.ACCESSGRAPH_TEST_NEO4J !== 'off';

const START_MS = 10 * 60_000; // includes a first-time Maven build when the global setup did not run it

const quiet = () => {};

async function withDriver<T>(
  server: Neo4jLocal,
  password: string,
  fn: (d: Driver) => Promise<T>,
): Promise<T> {
  const driver = neo4j.driver(server.uri, neo4j.auth.basic(server.user, password));
  try {
    return await fn(driver);
  } finally {
    await driver.close();
  }
}

if (!launchable && required) {
  describe('tools/neo4j-local launcher', () => {
    it('needs Java 17+ and Maven (REQUIRE_NEO4J=1)', () => {
      throw new Error('REQUIRE_NEO4J=1 but java/mvn are not available: install openjdk-17 and maven');
    });
  });
}

describe.skipIf(!launchable)('tools/neo4j-local launcher', () => {
  let dataDir: string;
  let first: Neo4jLocal | undefined;
  let second: Neo4jLocal | undefined;
  const password = randomPassword();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'accessgraph-launcher-test-'));
    first = await startNeo4j({ dataDir, password, log: quiet });
  }, START_MS);

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('serves Bolt on 127.0.0.1 and accepts the right password', async () => {
    const server = first!;
    expect(server.uri).toMatch(/^bolt:\/\/127\.0\.0\.1:\d+$/);
    expect(server.user).toBe('neo4j');
    const rows = await withDriver(server, password, async (d) => {
      const r = await d.executeQuery(
        'CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition',
      );
      return r.records.map((rec) => rec.toObject());
    });
    expect(rows).toEqual([
      { name: 'Neo4j Kernel', version: expect.stringMatching(/^5\.26\./), edition: 'community' },
    ]);
  });

  it('rejects a wrong password', async () => {
    await expect(
      withDriver(first!, `${password}-wrong`, (d) => d.executeQuery('RETURN 1')),
    ).rejects.toMatchObject({ code: 'Neo.ClientError.Security.Unauthorized' });
  });

  it(
    'exits 0 on SIGTERM, keeps the data, and a restart on the same dir can change the password',
    async () => {
      const server = first!;
      await withDriver(server, password, (d) =>
        d.executeQuery('CREATE (:LauncherProbe {id: $id, n: 42})', { id: 'persist-me' }),
      );

      process.kill(server.pid, 'SIGTERM');
      expect(await server.exited).toBe(0);
      await server.stop(); // no-op now; must not throw

      const newPassword = randomPassword();
      second = await startNeo4j({ dataDir, password: newPassword, log: quiet });
      const n = await withDriver(second, newPassword, async (d) => {
        const r = await d.executeQuery('MATCH (p:LauncherProbe {id: $id}) RETURN p.n AS n', {
          id: 'persist-me',
        });
        return r.records.map((rec) => rec.get('n').toNumber());
      });
      expect(n).toEqual([42]);
      await expect(withDriver(second, password, (d) => d.executeQuery('RETURN 1'))).rejects.toMatchObject({
        code: 'Neo.ClientError.Security.Unauthorized',
      });

      await second.stop();
      expect(await second.exited).toBe(0);
    },
    START_MS,
  );

  it('surfaces the JVM stderr when Neo4j cannot start', async () => {
    const notADir = join(dataDir, 'not-a-directory');
    await writeFile(notADir, 'x');
    const err = await startNeo4j({ dataDir: notADir, log: quiet }).then(
      () => new Error('started unexpectedly'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/exited before it was ready/);
    expect((err as Error).message).toMatch(/last JVM stderr lines[\s\S]*neo4j-local: failed/);
  }, 60_000);

  it('rejects bad options before starting a JVM', async () => {
    await expect(startNeo4j({ password: 'short', log: quiet })).rejects.toThrow(/at least 8/);
    await expect(startNeo4j({ password: 'long-enough', noAuth: true, log: quiet })).rejects.toThrow(
      /not both/,
    );
  });
});
