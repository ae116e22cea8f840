/**
 * End to end over the embedded store: the Azure edges answer who-can / can-reach with the
 * path shape of DESIGN.md (hops → HAS_ACCESS → CONTAINS*).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../graph/embedded/sqlite-store.js';
import { whoCan } from '../../graph/queries/access.js';
import type { GraphStore } from '../../graph/store.js';
import { loadSources } from '../load.js';
import { ingestAzure } from './index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/azure-snapshot.json', import.meta.url));
const PROD = '/subscriptions/5b0e0001-0000-4000-8000-000000000001';
const VM = `azure:${PROD}/resourcegroups/rg-app/providers/microsoft.compute/virtualmachines/vm-app`;
const BLOBS = `azure:${PROD}/resourcegroups/rg-data/providers/microsoft.storage/storageaccounts/stprodlogs`;
const carol = 'azure:user:a1000000-0000-4000-8000-000000000003';
const dave = 'azure:user:a1000000-0000-4000-8000-000000000004';
const nina = 'azure:user:a1000000-0000-4000-8000-000000000014';
const judy = 'azure:user:a1000000-0000-4000-8000-000000000010';

let dir: string;
let store: GraphStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'azure-query-'));
  store = await EmbeddedStore.open({ dataDir: dir });
  await loadSources(
    store,
    await ingestAzure([{ file: FIXTURE, doc: JSON.parse(readFileSync(FIXTURE, 'utf8')) }]),
  );
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('azure paths', () => {
  it('a nested group member runs commands on a VM through the subscription grant', async () => {
    const r = await whoCan(store, VM, { action: 'Microsoft.Compute/virtualMachines/runCommand/action' });
    const byId = new Map(r.answers.map((a) => [a.node.id, a]));
    expect(byId.get(carol)?.path.map((h) => h.edge)).toEqual([
      'MEMBER_OF',
      'MEMBER_OF',
      'HAS_ACCESS',
      'CONTAINS',
      'CONTAINS',
    ]);
    // dave's own (materialized) copy answers for him
    expect(byId.get(dave)?.path[0]?.edge).toBe('HAS_ACCESS');
    // a Reader cannot run commands but can read
    expect(byId.has(nina)).toBe(false);
    const read = await whoCan(store, VM, { action: 'microsoft.compute/virtualmachines/read' });
    expect(read.answers.map((a) => a.node.id)).toContain(nina);
  });

  it('a deny assignment on a resource group takes the denied operations from grants made above it, there only', async () => {
    const del = 'Microsoft.Storage/storageAccounts/delete';
    const denied = await whoCan(store, BLOBS, { action: del });
    // carol's Contributor comes from the subscription; protect-data on rg-data denies everyone
    // but its excluded principals (dave) the delete below it
    expect(denied.answers.map((a) => a.node.id)).not.toContain(carol);
    expect(denied.answers.map((a) => a.node.id)).toContain(dave);
    const read = await whoCan(store, BLOBS, { action: 'Microsoft.Storage/storageAccounts/read' });
    expect(read.answers.map((a) => a.node.id)).toContain(carol);
    // outside rg-data the same grant still deletes
    const vm = await whoCan(store, VM, { action: 'Microsoft.Compute/virtualMachines/delete' });
    expect(vm.answers.map((a) => a.node.id)).toContain(carol);
    // asked by level, write stays (other write operations are not denied), admin does not
    const write = await whoCan(store, BLOBS, { level: 'write' });
    expect(write.answers.map((a) => a.node.id)).toContain(carol);
    const carolAnswer = write.answers.find((a) => a.node.id === carol)!;
    expect(carolAnswer.actions).not.toContain(del.toLowerCase());
  });

  it('conditional grants are reported as conditional', async () => {
    const r = await whoCan(store, BLOBS, {
      action: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
    });
    expect(r.answers.find((a) => a.node.id === judy)?.conditional).toBe(true);
  });
});
