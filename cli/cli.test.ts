import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { defineCliSuite } from './cli-suite.js';

const dataDir = mkdtempSync(join(tmpdir(), 'accessgraph-cli-data-'));
defineCliSuite('embedded store', async () => ({ globalArgs: ['--data-dir', dataDir], env: {} }));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
