/**
 * The scale generator: seeded determinism (byte-identical output), the PRNG and size-split
 * helpers, and that what it writes is accepted by the real ingest path without warnings.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../ingest/read-inputs.js';
import { ingestDocuments } from '../../ingest/registry.js';
import { planAccounts } from './organization.js';
import { Rng } from './rng.js';
import { splitSkewed, TIERS, type TierSpec } from './tiers.js';
import { generateDataset } from './write.js';

const TINY = TIERS.tiny as TierSpec;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'accessgraph-gen-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const filesOf = (dir: string): Record<string, Buffer> => {
  const out: Record<string, Buffer> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else out[r] = readFileSync(join(dir, r));
    }
  };
  walk('');
  return out;
};

describe('Rng', () => {
  it('repeats its sequence for a seed and stream, and differs across streams', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(1000), (seed, stream) => {
        const a = new Rng(seed, stream);
        const b = new Rng(seed, stream);
        const c = new Rng(seed, stream + 1);
        const xs = Array.from({ length: 8 }, () => a.next());
        expect(Array.from({ length: 8 }, () => b.next())).toEqual(xs);
        expect(Array.from({ length: 8 }, () => c.next())).not.toEqual(xs);
      }),
    );
  });

  it('int stays in bounds, sample gives distinct members, zipf stays in range', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: -50, max: 50 }),
        fc.nat(100),
        fc.nat(30),
        (seed, lo, span, k) => {
          const r = new Rng(seed);
          const v = r.int(lo, lo + span);
          expect(v).toBeGreaterThanOrEqual(lo);
          expect(v).toBeLessThanOrEqual(lo + span);
          const xs = Array.from({ length: span + 1 }, (_, i) => i);
          const s = r.sample(xs, k);
          expect(s.length).toBe(Math.min(k, xs.length));
          expect(new Set(s).size).toBe(s.length);
          expect(s.every((x) => xs.includes(x))).toBe(true);
          const z = r.zipf(span + 1);
          expect(z).toBeGreaterThanOrEqual(0);
          expect(z).toBeLessThanOrEqual(span);
        },
      ),
    );
  });
});

describe('splitSkewed', () => {
  it('sums to the total and gives every part at least the minimum it can afford', () => {
    fc.assert(
      fc.property(
        fc.nat(100_000),
        fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.nat(5),
        (total, weights, min) => {
          const parts = splitSkewed(total, weights.length, weights, min);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const floor = Math.min(min, Math.floor(total / weights.length));
          expect(parts.every((p) => p >= floor)).toBe(true);
        },
      ),
    );
  });
});

describe('planAccounts', () => {
  it('splits every tier exactly, with no resources in the management account', () => {
    for (const tier of Object.values(TIERS)) {
      const plans = planAccounts(tier, 7);
      expect(plans).toHaveLength(tier.accounts);
      expect(plans.reduce((s, p) => s + p.principals, 0)).toBe(tier.principals);
      expect(plans.reduce((s, p) => s + p.resources, 0)).toBe(tier.resources);
      expect(plans[0]?.resources).toBe(0);
      expect(new Set(plans.map((p) => p.id)).size).toBe(tier.accounts);
      expect(plans.every((p) => /^[0-9]{12}$/.test(p.id) && !p.peers.includes(p.id))).toBe(true);
    }
  });
});

describe('generateDataset', () => {
  it('writes byte-identical files for the same seed, and different ones for another seed', () => {
    const [a, b, c] = [tmp(), tmp(), tmp()];
    generateDataset({ tier: TINY, seed: 42, out: a });
    generateDataset({ tier: TINY, seed: 42, out: b });
    generateDataset({ tier: TINY, seed: 43, out: c });
    const fa = filesOf(a);
    expect(Object.keys(fa).sort()).toEqual([
      'accounts/300000000000.auth-details.json',
      'organization.snapshot.json',
    ]);
    expect(filesOf(b)).toEqual(fa);
    expect(filesOf(c)['organization.snapshot.json']?.equals(fa['organization.snapshot.json'] as Buffer)).toBe(
      false,
    );
  });

  it('mixed layout: ingests without warnings, with the planned principals and resources', async () => {
    const out = tmp();
    const summary = generateDataset({ tier: TINY, seed: 5, out });
    expect(summary.users + summary.roles).toBe(TINY.principals);
    expect(summary.resources).toBe(TINY.resources);
    const sources = await ingestDocuments(readInputs([out]));
    expect(sources.flatMap((s) => s.warnings)).toEqual([]);
    expect(sources.map((s) => s.descriptor.id).sort()).toEqual([
      'aws:300000000000',
      'aws:300000000001',
      'aws:300000000002',
      'aws:org/o-scalegen001',
    ]);
    const nodes = sources.flatMap((s) => s.nodes);
    // IAM entities only: the ingester may add synthetic principals of its own (e.g. escalation targets)
    const count = (kind: string) =>
      nodes.filter((n) => n.kind === kind && n.id.startsWith('arn:aws:iam::')).length;
    expect(count('User')).toBe(summary.users);
    expect(count('Role')).toBe(summary.roles);
    expect(nodes.filter((n) => n.kind === 'Resource' && n.props?.inventoried === true)).toHaveLength(
      TINY.resources,
    );
    // grants stay at groups: far fewer HAS_ACCESS edges than user × covered-resource pairs
    const grants = sources.flatMap((s) => s.edges).filter((e) => e.kind === 'HAS_ACCESS').length;
    expect(grants).toBeLessThan(summary.groupGrantPairs);
  });

  it('raw layout: one raw export per account and an organization-only snapshot', async () => {
    const out = tmp();
    generateDataset({ tier: TINY, seed: 5, out, layout: 'raw' });
    const snap = JSON.parse(readFileSync(join(out, 'organization.snapshot.json'), 'utf8')) as {
      accounts: unknown[];
      organization: { accounts: unknown[] };
    };
    expect(snap.accounts).toEqual([]);
    expect(snap.organization.accounts).toHaveLength(TINY.accounts);
    expect(readdirSync(join(out, 'accounts'))).toHaveLength(TINY.accounts);
    const sources = await ingestDocuments(readInputs([out]));
    expect(sources.flatMap((s) => s.warnings)).toEqual([]);
    expect(sources).toHaveLength(TINY.accounts + 1);
  });
});

describe('cli', () => {
  it('rejects an unknown tier with exit code 2 and the usage line', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), '--tier', 'XL'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--tier must be one of tiny, S, M, L');
  });
});
