/** What `npm run bench` and `bench/store-latency.ts` share, so both ask and report alike. */

/** The i-th who-can target: a stride through the inventory, spread over every account. */
export function spreadPick<T>(targets: readonly T[], i: number): T {
  return targets[(i * 7919) % targets.length]!;
}

/** The p-th percentile (0..1) of latencies, NaN for none. */
export function percentile(xs: readonly number[], p: number): number {
  return xs.length === 0
    ? Number.NaN
    : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
}
