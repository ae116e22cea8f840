import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/dist/**', 'web/e2e/**', '.scratch/**'];

/**
 * Two projects: `unit` runs in parallel; `neo4j` (files named *.neo4j.test.ts) shares one
 * real Neo4j started by test/global-setup.ts, so its files run one at a time — they clear
 * the database between tests. The global setup belongs to the neo4j project only, so a
 * run without Neo4j tests starts no JVM.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['**/*.test.ts'], exclude: [...exclude, '**/*.neo4j.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'neo4j',
          include: ['**/*.neo4j.test.ts'],
          exclude,
          globalSetup: ['./test/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
        },
      },
    ],
  },
});
