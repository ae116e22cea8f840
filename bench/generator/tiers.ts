/**
 * Scale tiers. Totals are over the whole organization; accounts share them unevenly (the
 * generator skews sizes so a few accounts are big, as in real organizations).
 */
export interface TierSpec {
  name: string;
  accounts: number;
  principals: number;
  resources: number;
  /** share of principals that are users (the rest are roles) */
  userShare: number;
  /** mean groups per user (AWS groups do not nest: breadth replaces depth) */
  groupsPerUser: number;
  /** users per group on average (sets the number of groups) */
  usersPerGroup: number;
}

export const TIERS: Record<string, TierSpec> = {
  /** for tests: seconds to generate and ingest */
  tiny: {
    name: 'tiny',
    accounts: 3,
    principals: 60,
    resources: 300,
    userShare: 0.6,
    groupsPerUser: 3,
    usersPerGroup: 8,
  },
  S: {
    name: 'S',
    accounts: 5,
    principals: 1_000,
    resources: 10_000,
    userShare: 0.6,
    groupsPerUser: 4,
    usersPerGroup: 15,
  },
  M: {
    name: 'M',
    accounts: 50,
    principals: 20_000,
    resources: 200_000,
    userShare: 0.6,
    groupsPerUser: 5,
    usersPerGroup: 20,
  },
  L: {
    name: 'L',
    accounts: 200,
    principals: 100_000,
    resources: 1_000_000,
    userShare: 0.6,
    groupsPerUser: 4,
    usersPerGroup: 25,
  },
};

/** Split `total` over `parts` with a seeded skew; every part gets at least `min`, the sum is exact. */
export function splitSkewed(total: number, parts: number, weights: readonly number[], min = 1): number[] {
  const floor = Math.min(min, Math.floor(total / parts));
  const rest = total - floor * parts;
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => floor + Math.floor((rest * w) / sum));
  let left = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % parts, left--) out[i] = (out[i] as number) + 1;
  return out;
}
