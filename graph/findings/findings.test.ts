import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { EmbeddedStore } from '../embedded/sqlite-store.js';
import { defineFindingsSuite } from './findings-suite.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

defineFindingsSuite('embedded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'accessgraph-findings-'));
  dirs.push(dir);
  return EmbeddedStore.open({ dataDir: dir });
});
