import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, withRetry } from './retry.js';

const retryable = (e: unknown) => (e as Error).message === 'slow down';

describe('withRetry', () => {
  it('retries retryable failures, then returns the result', async () => {
    const waits: number[] = [];
    let calls = 0;
    const out = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new Error('slow down');
        return 'ok';
      },
      {
        retries: 5,
        baseDelayMs: 100,
        maxDelayMs: 10_000,
        isRetryable: retryable,
        sleep: async (ms) => void waits.push(ms),
        random: () => 0.999,
      },
    );
    expect(out).toBe('ok');
    expect(calls).toBe(3);
    expect(waits).toEqual([99, 199]);
  });

  it('gives up after the retry budget with the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('slow down');
        },
        { retries: 2, baseDelayMs: 1, maxDelayMs: 1, isRetryable: retryable, sleep: async () => {} },
      ),
    ).rejects.toThrow('slow down');
    expect(calls).toBe(3);
  });

  it('does not retry errors that are not retryable', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('access denied');
        },
        { retries: 5, baseDelayMs: 1, maxDelayMs: 1, isRetryable: retryable, sleep: async () => {} },
      ),
    ).rejects.toThrow('access denied');
    expect(calls).toBe(1);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('stays within [0, min(cap, base * 2^attempt))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, cap, r) => {
          const d = backoffDelay(attempt, base, cap, () => r);
          const ceiling = Math.min(cap, base * 2 ** attempt);
          return Number.isInteger(d) && d >= 0 && d < Math.max(ceiling, 1);
        },
      ),
    );
  });

  it('grows exponentially until the cap', () => {
    const half = () => 0.5;
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, 1000, 10_000, half))).toEqual([
      500, 1000, 2000, 4000, 5000, 5000,
    ]);
  });
});
