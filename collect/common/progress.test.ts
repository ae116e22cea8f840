import { describe, expect, it } from 'vitest';
import { mapLimit } from './map-limit.js';
import { CollectProgress } from './progress.js';

describe('CollectProgress', () => {
  it('shows finished/planned steps and where the work is', () => {
    const lines: string[] = [];
    const p = new CollectProgress({ update: (t) => lines.push(t) });
    p.plan(4);
    p.start('account 111122223333', 's3');
    p.finish();
    p.start('account 111122223333', 'kms', 'eu-west-1');
    expect(lines[0]).toMatch(/^\[\.{20}\] 0\/4 account 111122223333 · s3$/);
    expect(lines[1]).toMatch(/^\[#{5}\.{15}\] 1\/4 account 111122223333 · kms · eu-west-1$/);
  });

  it('never counts past the plan', () => {
    const p = new CollectProgress({ update: () => {} });
    p.plan(1);
    p.finish();
    p.finish();
    expect(p.counts()).toEqual({ done: 1, total: 1 });
  });
});

describe('mapLimit', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
    expect(await mapLimit([], 3, async (n) => n)).toEqual([]);
  });
});
