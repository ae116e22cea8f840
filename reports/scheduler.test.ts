import { createHmac } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReportDefinition, toDefinitions } from './config.js';
import { RunHistory, type RunTrigger } from './history.js';
import { MAX_TIMER_MS, ReportScheduler } from './scheduler.js';
import { startReportScheduler } from './start.js';
import { type FixtureStore, ManualClock, openFixtureStore, publicFinding } from './test-support.js';

let fx: FixtureStore;
let history: RunHistory;
beforeEach(async () => {
  fx = await openFixtureStore();
  history = RunHistory.open(fx.dir);
});
afterEach(async () => {
  history.close();
  await fx.cleanup();
});

function defs(schedule: { cron: string; timezone?: string }): ReportDefinition[] {
  return toDefinitions({ reports: [{ name: 'r', schedule }] }, 'test.yaml');
}

/** A run function that records its calls in the history the way executeReport does. */
function recorder(clock: ManualClock, behaviour: () => Promise<void> = async () => undefined) {
  const calls: Array<{ at: string; trigger: RunTrigger }> = [];
  const run = async (def: ReportDefinition, trigger: RunTrigger) => {
    calls.push({ at: clock.now().toISOString(), trigger });
    const id = history.beginRun(def.name, trigger, clock.now());
    try {
      await behaviour();
      history.finishOk(id, clock.now(), {}, []);
    } catch (err) {
      history.finishFailed(id, clock.now(), (err as Error).message);
      throw err;
    }
  };
  return { calls, run };
}

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('ReportScheduler', () => {
  it('fires at the cron times in the schedule time zone', async () => {
    // 04:00 UTC is 05:00 in Berlin (CET); "0 6 * * *" there is 05:00 UTC
    const clock = new ManualClock(new Date('2026-11-29T04:00:00Z'));
    const { calls, run } = recorder(clock);
    const s = new ReportScheduler({
      definitions: defs({ cron: '0 6 * * *', timezone: 'Europe/Berlin' }),
      history,
      run,
      clock,
    });
    s.start();
    expect(s.nextFire('r')?.toISOString()).toBe('2026-11-29T05:00:00.000Z');
    clock.advance(59 * MIN);
    expect(calls).toEqual([]);
    clock.advance(MIN);
    await s.inProgress('r');
    expect(calls).toEqual([{ at: '2026-11-29T05:00:00.000Z', trigger: 'schedule' }]);
    clock.advance(24 * HOUR);
    await s.inProgress('r');
    expect(calls.map((c) => c.at)).toEqual(['2026-11-29T05:00:00.000Z', '2026-11-30T05:00:00.000Z']);
    await s.stop();
    expect(clock.pending).toBe(0);
  });

  it('runs one run of a report at a time, skipping fires while one is in progress', async () => {
    const clock = new ManualClock(new Date('2026-11-29T10:00:30Z'));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { calls, run } = recorder(clock, () => gate);
    const logs: string[] = [];
    const s = new ReportScheduler({
      definitions: defs({ cron: '* * * * *' }),
      history,
      run,
      clock,
      log: (m) => logs.push(m),
    });
    s.start();
    clock.advance(3 * MIN);
    expect(calls).toHaveLength(1);
    expect(logs.filter((l) => l.includes('still in progress'))).toHaveLength(2);
    release();
    await s.inProgress('r');
    clock.advance(MIN);
    await s.inProgress('r');
    expect(calls).toHaveLength(2);
    await s.stop();
  });

  it('catches up a run missed while the server was down, once', async () => {
    history.finishOk(
      history.beginRun('r', 'schedule', new Date('2026-11-27T06:00:00Z')),
      new Date('2026-11-27T06:01:00Z'),
      {},
      [],
    );
    const clock = new ManualClock(new Date('2026-11-29T12:00:00Z'));
    const { calls, run } = recorder(clock);
    const s = new ReportScheduler({ definitions: defs({ cron: '0 6 * * *' }), history, run, clock });
    s.start();
    await s.inProgress('r');
    // two fires (28th and 29th) were missed: one catch-up run, not two
    expect(calls).toEqual([{ at: '2026-11-29T12:00:00.000Z', trigger: 'catch-up' }]);
    await s.stop();

    // restarting right after: the catch-up is newer than the last fire, nothing to do
    const again = recorder(clock);
    const s2 = new ReportScheduler({
      definitions: defs({ cron: '0 6 * * *' }),
      history,
      run: again.run,
      clock,
    });
    s2.start();
    expect(again.calls).toEqual([]);
    await s2.stop();
  });

  it('does not invent a missed run for a report that never ran', async () => {
    const clock = new ManualClock(new Date('2026-11-29T12:00:00Z'));
    const { calls, run } = recorder(clock);
    const s = new ReportScheduler({ definitions: defs({ cron: '0 6 * * *' }), history, run, clock });
    s.start();
    expect(calls).toEqual([]);
    await s.stop();
  });

  it('keeps scheduling after a failed run, which stays recorded with its error', async () => {
    const clock = new ManualClock(new Date('2026-11-29T10:00:30Z'));
    let fail = true;
    const { calls, run } = recorder(clock, async () => {
      if (fail) throw new Error('boom');
    });
    const logs: string[] = [];
    const s = new ReportScheduler({
      definitions: defs({ cron: '* * * * *' }),
      history,
      run,
      clock,
      log: (m) => logs.push(m),
    });
    s.start();
    clock.advance(MIN);
    await s.inProgress('r');
    fail = false;
    clock.advance(MIN);
    await s.inProgress('r');
    expect(calls).toHaveLength(2);
    expect(history.listRuns('r').map((r) => [r.status, r.error])).toEqual([
      ['ok', null],
      ['failed', 'boom'],
    ]);
    expect(logs.some((l) => l.includes('run failed: boom'))).toBe(true);
    await s.stop();
  });

  it('splits waits longer than a Node timer can hold and fires on time', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const { calls, run } = recorder(clock);
    const s = new ReportScheduler({ definitions: defs({ cron: '0 0 1 6 *' }), history, run, clock });
    s.start();
    clock.advance(MAX_TIMER_MS);
    expect(calls).toEqual([]);
    expect(clock.pending).toBe(1);
    clock.advance(Date.parse('2026-06-01T00:00:00Z') - clock.now().getTime());
    await s.inProgress('r');
    expect(calls.map((c) => c.at)).toEqual(['2026-06-01T00:00:00.000Z']);
    await s.stop();
  });

  it('stop() waits for the run in progress and arms nothing more', async () => {
    const clock = new ManualClock(new Date('2026-11-29T10:00:30Z'));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { calls, run } = recorder(clock, () => gate);
    const s = new ReportScheduler({ definitions: defs({ cron: '* * * * *' }), history, run, clock });
    s.start();
    clock.advance(MIN);
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(clock.pending).toBe(0);
    clock.advance(10 * MIN);
    expect(calls).toHaveLength(1);
  });
});

describe('startReportScheduler', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('runs a scheduled report end to end: files, history, signed webhook', async () => {
    const bodies: Array<{ body: string; signature: string }> = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        bodies.push({ body, signature: String(req.headers['x-accessgraph-signature']) });
        res.end();
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const configPath = join(fx.dir, 'reports.yaml');
    writeFileSync(
      configPath,
      `reports:\n  - name: hourly\n    schedule: { cron: "0 * * * *" }\n    outputs: { formats: [json, md] }\n    webhooks:\n      - { url: "http://127.0.0.1:${port}/in", secretEnv: AG_TEST_SECRET }\n`,
    );
    const clock = new ManualClock(new Date('2026-11-29T10:59:00Z'));
    const logs: string[] = [];
    const running = await startReportScheduler({
      store: fx.store,
      dataDir: fx.dir,
      configPath,
      findings: async () => [publicFinding()],
      log: (m) => logs.push(m),
      env: { AG_TEST_SECRET: 'k' },
      clock,
    });
    clock.advance(MIN);
    await running.scheduler.inProgress('hourly');
    await running.stop();

    const h = RunHistory.open(fx.dir);
    const [runRec] = h.listRuns('hourly');
    h.close();
    expect(runRec).toMatchObject({
      status: 'ok',
      trigger: 'schedule',
      startedAt: '2026-11-29T11:00:00.000Z',
    });
    expect(runRec?.deliveries).toEqual([
      { url: `http://127.0.0.1:${port}/in`, ok: true, attempts: 1, status: 200 },
    ]);
    expect(
      existsSync(join(fx.dir, 'reports', 'hourly', `20261129T110000Z-run${runRec!.id}`, 'report.json')),
    ).toBe(true);
    expect(bodies).toHaveLength(1);
    const { body, signature } = bodies[0]!;
    expect(signature).toBe(`sha256=${createHmac('sha256', 'k').update(body).digest('hex')}`);
    const payload = JSON.parse(body);
    expect(payload).toMatchObject({ report: 'hourly', runId: runRec!.id, summary: { findings: 1 } });
    expect(payload.top[0]).toMatchObject({ key: 'public-access|anyone|vault' });
    expect(logs.some((l) => l.includes('wrote 2 file(s)'))).toBe(true);
  });

  it('closes runs a stopped process left running', async () => {
    const configPath = join(fx.dir, 'r.yaml');
    writeFileSync(configPath, 'reports:\n  - name: r\n');
    const stuck = history.beginRun('r', 'schedule', new Date('2026-11-29T01:00:00Z'));
    const recent = history.beginRun('r', 'manual', new Date('2026-11-29T11:30:00Z'));
    const running = await startReportScheduler({
      store: fx.store,
      dataDir: fx.dir,
      configPath,
      findings: async () => [],
      clock: new ManualClock(new Date('2026-11-29T12:00:00Z')),
    });
    await running.stop();
    expect(history.getRun(stuck)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^interrupted/),
    });
    // a run started half an hour ago may belong to a CLI run still going
    expect(history.getRun(recent)?.status).toBe('running');
  });

  it('rejects a bad config before starting anything', async () => {
    const configPath = join(fx.dir, 'bad.yaml');
    writeFileSync(configPath, 'reports:\n  - name: x\n    schedule: { cron: "nope" }\n');
    await expect(
      startReportScheduler({ store: fx.store, dataDir: fx.dir, configPath, findings: async () => [] }),
    ).rejects.toThrow(/bad\.yaml: \$\.reports\[0\]\.schedule\.cron: not a valid cron/);
  });
});
