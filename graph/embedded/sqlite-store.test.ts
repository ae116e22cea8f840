import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { defineStoreContract } from '../store-contract.js';
import { EmbeddedStore } from './sqlite-store.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

defineStoreContract('embedded', {
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accessgraph-embedded-'));
    dirs.push(dir);
    return EmbeddedStore.open({ dataDir: dir });
  },
  propertyRuns: 200,
});
