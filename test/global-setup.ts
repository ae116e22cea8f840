// Vitest global setup: one Neo4j for the whole run, handed to tests through `inject('neo4j')`
// (use test/neo4j.ts: neo4jTestConfig() / describeNeo4j()).
//
//   NEO4J_URI set                 -> use that server (NEO4J_USER || 'neo4j', NEO4J_PASSWORD || '')
//   ACCESSGRAPH_TEST_NEO4J=off    -> no Neo4j; Neo4j suites skip (or fail under REQUIRE_NEO4J=1)
//   Java + Maven present          -> start a real Neo4j 5.26 via tools/neo4j-local (auth on, random
//                                    password, free port, temp data dir), stop it in teardown
//   otherwise                     -> no Neo4j
import type { TestProject } from 'vitest/node';
import { javaAndMavenAvailable, type Neo4jLocal, startNeo4j } from '../tools/neo4j-local/launcher.js';

export interface Neo4jConnection {
  uri: string;
  user: string;
  password: string;
}

const banner = (lines: string[]) => {
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\n${lines.map((l) => `!! ${l}`).join('\n')}\n${bar}\n\n`);
};

export default async function setup(project: TestProject) {
  const env = process.env;
  const required = env.REQUIRE_NEO4J === '1';

  if (env.NEO4J_URI) {
    project.provide('neo4j', {
      uri: env.NEO4J_URI,
      user: env.NEO4J_USER || 'neo4j',
      password: env.NEO4J_PASSWORD || '',
    });
    project.provide('neo4jUnavailableReason', '');
    return;
  }

  const unavailable = (reason: string) => {
    project.provide('neo4j', null);
    project.provide('neo4jUnavailableReason', reason);
  };

  if (env.ACCESSGRAPH_TEST_NEO4J === 'off') {
    unavailable('ACCESSGRAPH_TEST_NEO4J=off');
    return;
  }
  if (!javaAndMavenAvailable()) {
    unavailable('Java and/or Maven not found, and NEO4J_URI is not set');
    return;
  }

  let server: Neo4jLocal;
  try {
    server = await startNeo4j({ log: (m) => process.stderr.write(`[neo4j-local] ${m}\n`) });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (required) {
      throw new Error(`REQUIRE_NEO4J=1 but tools/neo4j-local could not start Neo4j:\n${message}`);
    }
    banner(['tools/neo4j-local could not start Neo4j; Neo4j tests will be SKIPPED.', ...message.split('\n')]);
    unavailable(`tools/neo4j-local failed to start Neo4j: ${message.split('\n')[0]}`);
    return;
  }

  project.provide('neo4j', { uri: server.uri, user: server.user, password: server.password });
  project.provide('neo4jUnavailableReason', '');
  return async () => {
    await server.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: Neo4jConnection | null;
    /** Why `neo4j` is null ('' when it is set). */
    neo4jUnavailableReason: string;
  }
}
