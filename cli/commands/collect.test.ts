import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BASE_CREDENTIALS,
  type FakeAws,
  fakeAws,
  LOCKED,
  MEMBER,
  MGMT,
} from '../../collect/aws/test-support/fake-aws.js';
import { UsageError } from '../context.js';
import { registerCollect } from './collect.js';

let fake: FakeAws;
let dir: string;
beforeEach(() => {
  fake = fakeAws();
  dir = mkdtempSync(join(tmpdir(), 'accessgraph-collect-cli-'));
});
afterEach(() => {
  fake.restore();
  rmSync(dir, { recursive: true, force: true });
});

/** The command as main.ts mounts it: under a program with the global --json flag. */
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
  registerCollect(program, io, {
    aws: {
      credentials: BASE_CREDENTIALS,
      retry: { sleep: async () => {} },
      now: () => new Date('2026-11-29T12:00:00Z'),
    },
  });
  let error: unknown;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { stdout, stderr, error };
}

describe('accessgraph collect aws', () => {
  it('writes the snapshot directory, prints its file, and lists recorded errors on stderr', async () => {
    const out = join(dir, 'snap');
    const r = await run(
      'collect',
      'aws',
      '--region',
      'us-east-1',
      '--accounts',
      `${MGMT},${MEMBER},${LOCKED}`,
      '--role-name',
      'OrganizationAccountAccessRole',
      '--services',
      's3,iam,lambda',
      '--out',
      out,
    );
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe(`${join(out, 'aws-snapshot.json')}\n`);
    expect(r.stderr).toMatch(/warning: sts AssumeRole \[AccessDeniedException\]: account 444455556666/);
    expect(r.stderr).toMatch(/collected 2 accounts/);
    const snap = JSON.parse(readFileSync(join(out, 'aws-snapshot.json'), 'utf8'));
    expect(snap.collector).toBe('accessgraph 0.0.0-test');
    expect(new Set(snap.accounts[0].resources.map((x: { type: string }) => x.type))).toEqual(
      new Set(['s3:bucket', 'lambda:function']),
    );
  });

  it('--json prints a machine summary', async () => {
    const out = join(dir, 'snap');
    const r = await run(
      'collect',
      'aws',
      '--region',
      'us-east-1',
      '--services',
      'kms',
      '--out',
      out,
      '--json',
    );
    expect(r.error).toBeUndefined();
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({
      snapshot: join(out, 'aws-snapshot.json'),
      rawExports: [join(out, '.raw', `aws-iam-${MGMT}.json`)],
      organization: 'o-exampleorg1',
      accounts: [{ accountId: MGMT, resources: 1, errors: [] }],
      errors: [],
    });
  });

  it('rejects bad options before calling AWS', async () => {
    for (const args of [
      ['--accounts', '123'],
      ['--accounts', MGMT],
      ['--role-name', 'A', '--assume-role-arn-template', 'arn:aws:iam::{account}:role/A'],
      ['--services', 's3,dynamo'],
      ['--region', 'Mars'],
      ['--region', 'all,us-east-1'],
      ['--external-id', 'x'],
    ]) {
      const r = await run('collect', 'aws', '--out', join(dir, 'x'), ...args);
      expect(r.error, args.join(' ')).toBeInstanceOf(UsageError);
    }
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('fails and writes nothing when no account can be collected', async () => {
    const out = join(dir, 'none');
    const r = await run(
      'collect',
      'aws',
      '--region',
      'us-east-1',
      '--accounts',
      LOCKED,
      '--role-name',
      'R',
      '--out',
      out,
    );
    expect((r.error as Error).message).toMatch(/no account could be collected/);
    expect(existsSync(out)).toBe(false);
  });
});
