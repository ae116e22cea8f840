/**
 * `accessgraph report …` driven in-process on the fixture store with the real findings
 * (computeFindings). The program here mirrors cli/main.ts's global options, since the
 * command is registered there by the integrator.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerReport, startServeReports } from '../cli/commands/report.js';
import { type CliIo, UsageError } from '../cli/context.js';
import { type FixtureStore, openFixtureStore } from './test-support.js';

let fx: FixtureStore;
let dataDir: string;
let out: string[];
let err: string[];
beforeEach(async () => {
  fx = await openFixtureStore();
  dataDir = join(fx.dir, 'graph');
  out = [];
  err = [];
});
afterEach(() => fx.cleanup());

function cli(...argv: string[]): Promise<unknown> {
  const io: CliIo = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env: {},
    version: 'test',
  };
  const program = new Command('accessgraph')
    .option('--store <kind>')
    .option('--data-dir <dir>')
    .option('--json')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerReport(program, io);
  return program.parseAsync(['--data-dir', dataDir, ...argv], { from: 'user' });
}

function config(text: string): string {
  const file = join(fx.dir, 'reports.yaml');
  writeFileSync(file, text);
  return file;
}

const WEEKLY = `reports:
  - name: weekly
    schedule: { cron: "0 6 * * 1", timezone: UTC }
    crownJewels:
      - { name: data, sensitivity: critical, select: [{ id: "arn:aws:s3:::acme-data" }] }
    outputs: { formats: [html, csv] }
`;

describe('accessgraph report', () => {
  it('runs a report, lists it and diffs two runs', async () => {
    const file = config(WEEKLY);
    const outDir = join(fx.dir, 'out');
    await cli('--json', 'report', 'run', 'weekly', '--config', file, '--out', outDir);
    const [first] = JSON.parse(out.join(''));
    expect(first).toMatchObject({ report: 'weekly', runId: 1, status: 'ok' });
    expect(first.summary.crownJewelPaths).toBeGreaterThan(0);
    expect(first.files).toHaveLength(2);
    for (const f of first.files) {
      expect(f.startsWith(outDir)).toBe(true);
      expect(existsSync(f)).toBe(true);
    }

    out = [];
    await cli('report', '--config', file, '--out', outDir);
    expect(out.join('')).toMatch(/report weekly: run #2 ok · \d+ risks/);
    expect(out.join('')).toMatch(/since run #1: 0 new, 0 resolved, 0 changed/);

    out = [];
    await cli('--json', 'report', 'diff', 'weekly');
    expect(JSON.parse(out.join(''))).toMatchObject({
      report: 'weekly',
      runId: 2,
      previousRunId: 1,
      added: [],
      resolved: [],
      changed: [],
    });

    out = [];
    await cli('--json', 'report', 'list', '--config', file);
    const [row] = JSON.parse(out.join(''));
    expect(row).toMatchObject({ name: 'weekly', lastRun: { id: 2, status: 'ok', trigger: 'manual' } });
    expect(new Date(row.nextRun).getUTCDay()).toBe(1);
  });

  it('reads <data-dir>/reports.yaml when --config is not given', async () => {
    writeFileSync(join(dataDir, 'reports.yaml'), WEEKLY);
    await cli('report', 'list');
    expect(out.join('')).toMatch(/^weekly {2}· {2}0 6 \* \* 1 \(UTC\), next .* · {2}never run\n$/);
  });

  it('says what to do next on bad usage', async () => {
    await expect(cli('report', 'run')).rejects.toThrow(
      /no report config: pass --config FILE, or put one at .*reports\.yaml/,
    );
    const bad = config('reports:\n  - name: weekly\n    findings: { minSeverity: urgent }\n');
    const e = await cli('report', 'run', '--config', bad).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(
      /^bad report config: .*reports\.yaml: \$\.reports\[0\]\.findings\.minSeverity: must be one of/,
    );
    const file = config(WEEKLY);
    await expect(cli('report', 'run', 'monthly', '--config', file)).rejects.toThrow(
      /no report named "monthly" in the config; it defines: weekly/,
    );
    await expect(cli('report', 'diff', 'weekly')).rejects.toThrow(
      /has no successful run yet; run it with `accessgraph report run weekly`/,
    );
  });
});

describe('startServeReports', () => {
  it('starts only when a config exists, and rejects a bad one as usage', async () => {
    const log = () => undefined;
    expect(await startServeReports({ store: fx.store, dataDir, log })).toBeNull();
    writeFileSync(join(dataDir, 'reports.yaml'), WEEKLY);
    const running = await startServeReports({ store: fx.store, dataDir, log });
    expect(running?.scheduler.scheduled).toEqual(['weekly']);
    await running?.stop();
    await expect(
      startServeReports({ store: fx.store, dataDir, configPath: join(fx.dir, 'nope.yaml'), log }),
    ).rejects.toThrow(/bad report config: .*nope\.yaml: \$: cannot read/);
  });
});
