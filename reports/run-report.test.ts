import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../graph/findings/types.js';
import { ids } from '../graph/store-fixtures.js';
import { type ReportDefinition, toDefinitions } from './config.js';
import { executeReport } from './execute.js';
import { RunHistory } from './history.js';
import type { FindingsProvider, FindingsScope } from './run-report.js';
import {
  escalationFinding,
  extra,
  type FixtureStore,
  finding,
  hop,
  openFixtureStore,
  publicFinding,
} from './test-support.js';

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

function def(extraConfig: Record<string, unknown> = {}): ReportDefinition {
  const [d] = toDefinitions(
    {
      reports: [
        {
          name: 'weekly',
          crownJewels: [
            { name: 'customer data', sensitivity: 'critical', select: [{ id: ids.bucket }] },
            {
              name: 'vault',
              sensitivity: 'high',
              select: [{ type: 's3:bucket', tags: { classification: 'pii' } }],
            },
          ],
          ...extraConfig,
        },
      ],
    },
    'test.yaml',
  );
  return d!;
}

const NOW = new Date('2026-11-29T12:00:00Z');
const provider =
  (findings: Finding[], seen: FindingsScope[] = []): FindingsProvider =>
  async (scope) => {
    seen.push(scope);
    return findings;
  };

async function run(d: ReportDefinition, findings: Finding[] | FindingsProvider, at = NOW) {
  return executeReport(
    { store: fx.store, history, findings: typeof findings === 'function' ? findings : provider(findings) },
    d,
    { trigger: 'manual', outDir: join(fx.dir, 'out'), now: () => at },
  );
}

describe('a report run', () => {
  it('scores findings and crown-jewel paths, writes every format, and records the run', async () => {
    const seen: FindingsScope[] = [];
    const out = await run(def(), provider([escalationFinding(), publicFinding()], seen));
    expect(out.status).toBe('ok');
    expect(seen[0]).toMatchObject({ dormantDays: 90, now: NOW, clouds: [], accounts: [] });
    const doc = out.document!;
    const keys = doc.items.map((i) => i.key);
    expect(keys).toContain('privilege-escalation|dave|admin');
    expect(keys).toContain('public-access|anyone|vault');
    // who can reach the crown jewels, shortest path each
    for (const p of [ids.alice, ids.bob, ids.carol, ids.dave, ids.vendor]) {
      expect(keys).toContain(`crown-jewel|${ids.bucket}|${p}`);
    }
    expect(keys).toContain(`crown-jewel|${extra.vault}|${extra.anyone}`);
    expect(keys).toContain(`crown-jewel|${extra.vault}|${extra.hostile}`);
    expect(keys).not.toContain(`crown-jewel|${ids.bucket}|${ids.erin}`);

    const item = (k: string) => doc.items.find((i) => i.key === k)!;
    const bob = item(`crown-jewel|${ids.bucket}|${ids.bob}`);
    expect(bob.facts).toMatchObject({
      sensitivity: 'critical',
      access: 'read',
      exposure: 'internal',
      hops: 3,
    });
    const dave = item(`crown-jewel|${ids.bucket}|${ids.dave}`);
    expect(dave.facts).toMatchObject({ access: 'admin', escalation: true });
    expect(dave.score).toBeGreaterThan(bob.score);
    const carol = item(`crown-jewel|${ids.bucket}|${ids.carol}`);
    expect(carol.facts).toMatchObject({ access: 'write', conditional: true });
    expect(item(`crown-jewel|${ids.bucket}|${ids.vendor}`).facts.exposure).toBe('cross-account');
    expect(item(`crown-jewel|${extra.vault}|${extra.anyone}`).facts).toMatchObject({
      exposure: 'public',
      sensitivity: 'high',
    });
    expect(item(`crown-jewel|${extra.vault}|${extra.hostile}`).facts).toMatchObject({
      dormant: true,
      access: 'write',
    });
    // the finding's grant levels are read back from the stored edge
    expect(item('public-access|anyone|vault').facts).toMatchObject({ access: 'read', exposure: 'public' });
    expect(item('privilege-escalation|dave|admin').facts).toMatchObject({
      access: 'assume',
      escalation: true,
      sensitivity: 'medium',
    });
    // sorted by score, highest first
    expect(doc.items.map((i) => i.score)).toEqual([...doc.items.map((i) => i.score)].sort((a, b) => b - a));
    expect(doc.crownJewels[1]?.resources.map((r) => r.id)).toEqual([extra.vault]);
    expect(doc.diff).toBeNull();
    expect(doc.trend).toHaveLength(1);

    expect(out.files.map((f) => f.split('/').pop())).toEqual([
      'report.html',
      'report.md',
      'report.json',
      'report.csv',
    ]);
    const json = JSON.parse(readFileSync(out.files[2]!, 'utf8'));
    expect(json.items).toHaveLength(doc.items.length);
    const recorded = history.getRun(out.runId)!;
    expect(recorded).toMatchObject({ status: 'ok', trigger: 'manual', error: null });
    expect(history.items(out.runId)).toHaveLength(doc.items.length);
  });

  it('applies kinds, minimum severity and scope', async () => {
    const low = finding({
      id: 'low',
      kind: 'public-access',
      severity: 'low',
      principal: extra.anyone,
      target: extra.vault,
      path: [],
    });
    const onlyPublic = def({
      findings: { kinds: ['public-access'], minSeverity: 'medium' },
      crownJewels: [],
    });
    const a = await run(onlyPublic, [escalationFinding(), publicFinding(), low]);
    expect(a.document!.items.map((i) => i.key)).toEqual(['public-access|anyone|vault']);

    const elsewhere = def({ scope: { accounts: ['222222222222'] } });
    const b = await run(elsewhere, [escalationFinding(), publicFinding()]);
    expect(b.document!.items).toEqual([]);
    expect(b.document!.crownJewels.every((j) => j.resources.length === 0)).toBe(true);

    const byAccount = def({ scope: { clouds: ['aws'], accounts: ['111111111111'] }, crownJewels: [] });
    const c = await run(byAccount, [publicFinding()]);
    expect(c.document!.items.map((i) => i.key)).toEqual(['public-access|anyone|vault']);

    // by a container's name: the vault and the bucket sit in the acme-prod account, the
    // escalation finding's target (a role) does not
    const byContainer = def({ scope: { accounts: ['acme-prod'] } });
    const d = (await run(byContainer, [escalationFinding(), publicFinding()])).document!;
    expect(d.items.filter((i) => i.source === 'finding').map((i) => i.key)).toEqual([
      'public-access|anyone|vault',
    ]);
    expect(d.crownJewels.map((j) => j.resources.length)).toEqual([1, 1]);

    const gcpOnly = def({ scope: { clouds: ['gcp'] }, crownJewels: [] });
    expect((await run(gcpOnly, [publicFinding()])).document!.items).toEqual([]);
  });

  it('diffs against the previous successful run and keeps a trend', async () => {
    const first = await run(def(), [escalationFinding(), publicFinding()], NOW);
    const vaultPaths = first
      .document!.items.map((i) => i.key)
      .filter((k) => k.startsWith(`crown-jewel|${extra.vault}|`));
    expect(vaultPaths.length).toBeGreaterThan(2);
    const failed = await run(
      def(),
      async () => {
        throw new Error('store unavailable');
      },
      new Date('2026-11-30T12:00:00Z'),
    );
    expect(failed).toMatchObject({ status: 'failed', error: 'store unavailable', files: [] });
    expect(history.getRun(failed.runId)).toMatchObject({ status: 'failed', error: 'store unavailable' });

    const added = finding({
      id: 'external-trust|vendor|deployer',
      kind: 'external-trust',
      principal: ids.vendor,
      target: ids.deployer,
      path: [hop(ids.vendor, ids.deployer, 'CAN_ASSUME', { conditional: true })],
    });
    // the bucket becomes less sensitive: every path to it changes score
    const second = def({
      crownJewels: [{ name: 'customer data', sensitivity: 'medium', select: [{ id: ids.bucket }] }],
    });
    const out = await run(second, [escalationFinding(), added], new Date('2026-12-01T12:00:00Z'));
    const d = out.document!.diff!;
    expect(d.previousRunId).toBe(1);
    expect(d.added.map((i) => i.key)).toEqual(['external-trust|vendor|deployer']);
    // the second config drops the vault jewel and the provider drops the public finding
    expect(d.resolved.map((i) => i.key).sort()).toEqual(['public-access|anyone|vault', ...vaultPaths].sort());
    const bob = d.changed.find((c) => c.key === `crown-jewel|${ids.bucket}|${ids.bob}`)!;
    expect(bob.to).toBeLessThan(bob.from);
    expect(d.changed.some((c) => c.key === 'privilege-escalation|dave|admin')).toBe(false);
    expect(d.unchanged).toBeGreaterThan(0);
    // the failed run is not a trend point
    expect(out.document!.trend.map((p) => p.runId)).toEqual([1, out.runId]);
  });

  it('prunes history and output directories beyond retention, keeping the newest', async () => {
    const d = def({ retention: { keepRuns: 2 } });
    const outs = [];
    for (let day = 1; day <= 4; day++)
      outs.push(await run(d, [publicFinding()], new Date(`2026-11-0${day}T08:00:00Z`)));
    expect(history.listRuns('weekly').map((r) => r.id)).toEqual([outs[3]!.runId, outs[2]!.runId]);
    const dirs = readdirSync(join(fx.dir, 'out', 'weekly')).sort();
    expect(dirs).toEqual([`20261103T080000Z-run${outs[2]!.runId}`, `20261104T080000Z-run${outs[3]!.runId}`]);
    expect(existsSync(outs[0]!.files[0]!)).toBe(false);

    const byAge = def({ retention: { keepDays: 2 } });
    await run(byAge, [publicFinding()], new Date('2026-11-20T08:00:00Z'));
    // everything older than 2 days went; the newest stays even when nothing else does
    expect(history.listRuns('weekly')).toHaveLength(1);
    expect(readdirSync(join(fx.dir, 'out', 'weekly'))).toHaveLength(1);
  });
});
