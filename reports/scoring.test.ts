import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCESS_ORDER,
  BANDS,
  bandFor,
  EXPOSURE_ORDER,
  type PathFacts,
  SENSITIVITY_ORDER,
  scorePath,
} from './scoring.js';

const facts = fc.record<PathFacts>({
  sensitivity: fc.constantFrom(...SENSITIVITY_ORDER),
  access: fc.constantFrom('admin', 'write', 'assume', 'read', 'list'),
  exposure: fc.constantFrom(...EXPOSURE_ORDER),
  escalation: fc.boolean(),
  conditional: fc.boolean(),
  hops: fc.integer({ min: 1, max: 32 }),
  dormant: fc.boolean(),
});

const higher = <T>(order: readonly T[], v: T) => order.slice(order.indexOf(v) + 1);

describe('scorePath', () => {
  it('scores hand-made paths as documented in docs/risk-scoring.md', () => {
    // public read of a critical bucket, one hop: 40 + 15 + 20 = 75
    expect(
      scorePath({
        sensitivity: 'critical',
        access: 'read',
        exposure: 'public',
        escalation: false,
        conditional: false,
        hops: 1,
        dormant: false,
      }),
    ).toBe(75);
    // internal user escalating to admin of a high-sensitivity account over 3 hops:
    // (30 + 30 + 0 + 10) × 0.94² = 61.85 → 62
    expect(
      scorePath({
        sensitivity: 'high',
        access: 'admin',
        exposure: 'internal',
        escalation: true,
        conditional: false,
        hops: 3,
        dormant: false,
      }),
    ).toBe(62);
    // everything at once is clamped to 100
    expect(
      scorePath({
        sensitivity: 'critical',
        access: 'admin',
        exposure: 'public',
        escalation: true,
        conditional: false,
        hops: 1,
        dormant: true,
      }),
    ).toBe(100);
    // conditional discount: (10 + 5) × 0.7 = 10.5 → 11 (round half up)
    expect(
      scorePath({
        sensitivity: 'low',
        access: 'list',
        exposure: 'internal',
        escalation: false,
        conditional: true,
        hops: 1,
        dormant: false,
      }),
    ).toBe(11);
  });

  it('stays an integer within 0–100', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const s = scorePath(f);
        return Number.isInteger(s) && s >= 0 && s <= 100;
      }),
    );
  });

  it('never drops when the target is more sensitive', () => {
    fc.assert(
      fc.property(facts, (f) =>
        higher(SENSITIVITY_ORDER, f.sensitivity).every(
          (s) => scorePath({ ...f, sensitivity: s }) >= scorePath(f),
        ),
      ),
    );
  });

  it('never drops when more access is gained', () => {
    fc.assert(
      fc.property(facts, (f) => {
        if (f.access === 'assume') return true;
        return higher(ACCESS_ORDER, f.access).every((a) => scorePath({ ...f, access: a }) >= scorePath(f));
      }),
    );
  });

  it('never drops when the path is more exposed', () => {
    fc.assert(
      fc.property(facts, (f) =>
        higher(EXPOSURE_ORDER, f.exposure).every((e) => scorePath({ ...f, exposure: e }) >= scorePath(f)),
      ),
    );
  });

  it('never rises when the path gets longer', () => {
    fc.assert(
      fc.property(
        facts,
        fc.integer({ min: 1, max: 10 }),
        (f, more) => scorePath({ ...f, hops: f.hops + more }) <= scorePath(f),
      ),
    );
  });

  it('is lowered by an undecided condition and raised by escalation and dormancy, never the reverse', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const s = scorePath(f);
        return (
          scorePath({ ...f, conditional: true }) <= s &&
          scorePath({ ...f, escalation: true }) >= s &&
          scorePath({ ...f, dormant: true }) >= s
        );
      }),
    );
  });

  it('strictly prefers a direct path to a long one when nothing else differs and nothing clamps', () => {
    const f: PathFacts = {
      sensitivity: 'medium',
      access: 'read',
      exposure: 'internal',
      escalation: false,
      conditional: false,
      hops: 1,
      dormant: false,
    };
    expect(scorePath({ ...f, hops: 6 })).toBeLessThan(scorePath(f));
  });
});

describe('bandFor', () => {
  it('maps the band boundaries exactly', () => {
    expect([0, 19, 20, 39, 40, 59, 60, 79, 80, 100].map(bandFor)).toEqual([
      'info',
      'info',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });

  it('is monotonic in the score', () => {
    const rank = (s: string) => BANDS.findIndex((b) => b.severity === s);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return rank(bandFor(hi)) <= rank(bandFor(lo));
      }),
    );
  });
});
