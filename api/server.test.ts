import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedStore } from '../graph/embedded/sqlite-store.js';
import { defineApiSuite } from './api-suite.js';

defineApiSuite('embedded store', () =>
  EmbeddedStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'accessgraph-api-store-')) }),
);
