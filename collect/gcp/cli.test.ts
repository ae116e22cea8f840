import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/context.js';
import { registerCollectGcp } from './cli.js';
import { recordedApi } from './test-support/recorded-api.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'accessgraph-collect-gcp-'));
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
  program.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  const collect = program.command('collect');
  registerCollectGcp(collect, io, { api: () => recordedApi([]), sleep: async () => {} });
  let error: unknown;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { stdout, stderr, error };
}

describe('accessgraph collect gcp', () => {
  it('writes the snapshot and lists recorded errors as warnings', async () => {
    const out = join(dir, 'snap');
    const r = await run('--json', 'collect', 'gcp', '--organization', '42', '--out', out);
    expect(r.error).toBeUndefined();
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ snapshot: join(out, 'gcp-snapshot.json'), iamPolicies: 1 });
    expect(r.stderr).toMatch(/warning: iam policies\.listPolicies \[403\]/);
    const snap = JSON.parse(readFileSync(join(out, 'gcp-snapshot.json'), 'utf8'));
    expect(snap).toMatchObject({ format: 'accessgraph-gcp-snapshot', collector: 'accessgraph 0.0.0-test' });
  });

  it('rejects bad options before any call', async () => {
    for (const args of [
      ['collect', 'gcp'],
      ['collect', 'gcp', '--organization', 'acme'],
      ['collect', 'gcp', '--projects', 'Bad_Project'],
      ['collect', 'gcp', '--organization', '42', '--projects', 'shop-prod'],
    ]) {
      const r = await run(...args, '--out', join(dir, 'x'));
      expect(r.error, args.join(' ')).toBeInstanceOf(UsageError);
      expect(existsSync(join(dir, 'x'))).toBe(false);
    }
  });
});
