// Access to the Neo4j that test/global-setup.ts provides for the run.
//
//   describeNeo4j('neo4j store', () => { ... neo4jTestConfig()! ... });
//
// When no Neo4j is available the suite is skipped with a loud warning, except under REQUIRE_NEO4J=1
// (CI), where it fails and says how to fix it.
import { describe, inject, it } from 'vitest';
import type { Neo4jConnection } from './global-setup.js';

export type { Neo4jConnection };

/** The run's Neo4j ({ uri, user, password }), or null when there is none. */
export function neo4jTestConfig(): Neo4jConnection | null {
  return inject('neo4j') ?? null;
}

const HOW_TO_FIX = [
  'To run the Neo4j tests, either:',
  '  - install Java 17+ and Maven (apt-get install openjdk-17-jdk-headless maven): the tests then start',
  '    a real Neo4j 5.26 through tools/neo4j-local (first run downloads it from Maven Central), or',
  '  - point them at a running Neo4j 5.x: NEO4J_URI=bolt://HOST:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=...',
  '    (npm run neo4j:start prints these for a local one).',
];

function reason(): string {
  return inject('neo4jUnavailableReason') || 'no Neo4j configured';
}

let warned = false;
function warnOnce(): void {
  if (warned) return;
  warned = true;
  const bar = '!'.repeat(78);
  const lines = [
    `Neo4j tests are SKIPPED: ${reason()}.`,
    ...HOW_TO_FIX,
    'CI sets REQUIRE_NEO4J=1, where this fails.',
  ];
  console.warn(`\n${bar}\n${lines.map((l) => `!! ${l}`).join('\n')}\n${bar}\n`);
}

/**
 * describe() that runs only when a Neo4j is available. Without one it skips (warning once), or with
 * REQUIRE_NEO4J=1 it registers a failing test that explains how to provide Neo4j.
 */
export function describeNeo4j(name: string, fn: () => void): void {
  if (neo4jTestConfig()) {
    describe(name, fn);
    return;
  }
  if (process.env.REQUIRE_NEO4J === '1') {
    describe(name, () => {
      it('needs Neo4j (REQUIRE_NEO4J=1)', () => {
        throw new Error(
          [`REQUIRE_NEO4J=1 but no Neo4j is available: ${reason()}.`, ...HOW_TO_FIX].join('\n'),
        );
      });
    });
    return;
  }
  warnOnce();
  describe.skip(name, fn);
}
