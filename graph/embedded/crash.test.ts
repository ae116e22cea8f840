/**
 * A process killed in the middle of a load must leave the previous version intact and
 * loadable. This kills a real child process with SIGKILL while it is writing, once its
 * uncommitted pages have really reached the WAL file on disk.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ACME, acmeEdges, acmeNodes, ids } from '../store-fixtures.js';
import { EMBEDDED_DB_FILE, EmbeddedStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'accessgraph-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WAL_BYTES_BEFORE_KILL = 16 * 1024 * 1024;

function loadInChildAndKillMidway(
  dataDir: string,
): Promise<{ signal: NodeJS.Signals | null; walBytes: number }> {
  const script = fileURLToPath(new URL('./test-support/slow-load.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let walBytes = 0;
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const wal = join(dataDir, `${EMBEDDED_DB_FILE}-wal`);
  const poll = setInterval(() => {
    walBytes = existsSync(wal) ? statSync(wal).size : 0;
    if (walBytes > WAL_BYTES_BEFORE_KILL) {
      clearInterval(poll);
      child.kill('SIGKILL');
    }
  }, 10);
  const guard = setTimeout(() => child.kill('SIGTERM'), 45_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      clearTimeout(guard);
      if (signal !== 'SIGKILL')
        reject(new Error(`child ended (${code ?? signal}) without being killed midway: ${stderr}`));
      else resolve({ signal, walBytes });
    });
  });
}

describe('embedded store durability', () => {
  it('keeps the previous version when a load is killed midway', async () => {
    const before = await EmbeddedStore.open({ dataDir: dir });
    await before.replaceSource(ACME, async (w) => {
      await w.addNodes(acmeNodes());
      await w.addEdges(acmeEdges());
    });
    const expectedStats = await before.stats();
    await before.close();

    const result = await loadInChildAndKillMidway(dir);
    expect(result.walBytes).toBeGreaterThan(WAL_BYTES_BEFORE_KILL);

    const after = await EmbeddedStore.open({ dataDir: dir });
    expect(await after.stats()).toEqual(expectedStats);
    expect(await after.getNode('v2-node-0-0')).toBeNull();
    expect(await after.getNode(ids.alice)).toEqual(acmeNodes().find((n) => n.id === ids.alice));
    const who = await after.reach({
      start: ids.bucket,
      direction: 'reverse',
      shape: { kind: 'access', hopKinds: ['MEMBER_OF', 'CAN_ASSUME', 'CAN_ESCALATE'] },
      maxDepth: 8,
      maxResults: 100,
      timeoutMs: 5000,
      resultKinds: ['User'],
    });
    expect(who.reached.map((r) => r.node.name)).toEqual(['carol', 'bob', 'dave', 'alice']);

    // and the store takes the next load normally
    await after.replaceSource(ACME, async (w) => {
      await w.addNodes(acmeNodes().slice(0, 3));
    });
    expect((await after.stats()).nodes).toBe(3);
    await after.close();
  });
});
