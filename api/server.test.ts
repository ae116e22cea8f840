import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { EmbeddedStore } from '../graph/embedded/sqlite-store.js';
import { defineApiSuite } from './api-suite.js';

const dirs: string[] = [];
defineApiSuite('embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accessgraph-api-store-'));
  dirs.push(dir);
  return EmbeddedStore.open({ dataDir: dir });
});
// runs after the suite's own afterAll has closed the store
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
