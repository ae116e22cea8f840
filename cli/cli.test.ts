import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineCliSuite } from './cli-suite.js';

defineCliSuite('embedded store', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'accessgraph-cli-data-'));
  return { globalArgs: ['--data-dir', dataDir], env: {} };
});
