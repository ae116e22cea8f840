import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/context.js';
import type { AzureApi, Json } from './api.js';
import { registerCollectAzure } from './command.js';

const T = '7e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
const S1 = '5b0e0001-0000-4000-8000-000000000001';
async function* items(list: Json[]): AsyncIterable<Json> {
  for (const i of list) yield i;
}
const api: AzureApi = {
  subscriptions: () => items([{ subscriptionId: S1, displayName: 'Prod', tenantId: T }]),
  managementGroups: () => items([]),
  managementGroup: async () => ({}),
  roleDefinitions: () => items([]),
  roleAssignments: () => items([]),
  roleEligibilities: () => items([]),
  denyAssignments: () => items([]),
  resources: () => items([]),
  keyVaults: () => items([]),
  graph: (path) =>
    path.startsWith('/users?$select=id,signInActivity')
      ? (async function* () {
          yield* [];
          throw Object.assign(new Error('needs AuditLog.Read.All'), { statusCode: 403 });
        })()
      : items([]),
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'accessgraph-collect-azure-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    version: '0.0.0-test',
  };
  const program = new Command('accessgraph').option('--json').exitOverride();
  const collect = program.command('collect');
  registerCollectAzure(collect, io, { api: async () => api });
  let error: unknown;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { stdout, stderr, error };
}

describe('accessgraph collect azure', () => {
  it('writes the snapshot, prints its path and warns about recorded errors', async () => {
    const out = join(dir, 'snap');
    const r = await run('collect', 'azure', '--out', out);
    expect(r.error).toBeUndefined();
    expect(r.stdout.trim()).toBe(join(out, 'azure-snapshot.json'));
    expect(r.stderr).toContain('warning: graph GET /users: needs AuditLog.Read.All');
    const snap = JSON.parse(readFileSync(join(out, 'azure-snapshot.json'), 'utf8'));
    expect(snap).toMatchObject({ tenantId: T, collector: 'accessgraph 0.0.0-test' });
  });

  it('--json prints a summary', async () => {
    const r = await run('--json', 'collect', 'azure', '--out', join(dir, 'j'));
    expect(JSON.parse(r.stdout)).toMatchObject({ tenantId: T, subscriptions: 1 });
  });

  it('writes nothing when nothing could be read', async () => {
    const out = join(dir, 'none');
    const r = await run(
      'collect',
      'azure',
      '--tenant',
      T,
      '--subscriptions',
      '5b0e0009-0000-4000-8000-000000000009',
      '--out',
      out,
    );
    expect(String(r.error)).toMatch(/nothing could be collected/);
    expect(() => readFileSync(join(out, 'azure-snapshot.json'))).toThrow();
  });

  it('rejects bad ids before calling Azure', async () => {
    expect((await run('collect', 'azure', '--tenant', 'contoso')).error).toBeInstanceOf(UsageError);
    expect((await run('collect', 'azure', '--subscriptions', `${S1},prod`)).error).toBeInstanceOf(UsageError);
  });
});
