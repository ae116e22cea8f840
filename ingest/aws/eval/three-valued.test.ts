/**
 * Soundness of static evaluation: hiding some request-context keys (as the ingester must,
 * for source IP, MFA, …) may turn a decision into "conditional", but a decision that stays
 * decided must be the one every concrete request would get.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeContext } from './context.js';
import { decide, type NamedPolicy } from './decide.js';
import { type PolicyKind, parsePolicy } from './policy.js';
import { principalFromArn } from './principal.js';
import { type DiffCase, diffCaseArb } from './test-support/arbitraries.js';

const CASES = Number(process.env.ACCESSGRAPH_DIFF_CASES ?? 4000);
const SEED = Number(process.env.ACCESSGRAPH_DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31));

function run(c: DiffCase, context: Record<string, string | string[]>, hidden: readonly string[]) {
  const named = (doc: unknown, kind: PolicyKind, id: string): NamedPolicy => ({
    id,
    name: id,
    policy: parsePolicy(doc, kind),
  });
  const ctx = makeContext(context, {
    missing: hidden.length > 0 ? 'unknown' : 'absent',
    // every key the generator can produce and that is not hidden is known (present or absent)
    absentPrefixes: hidden.length > 0 ? ALL_KEYS.filter((k) => !hidden.includes(k)) : [],
  });
  return decide({
    request: {
      principal: principalFromArn(c.principalArn),
      action: c.target.action,
      resource: c.target.resource,
      resourceAccountId: c.target.account,
      context: ctx,
    },
    identityPolicies: c.identity.map((d, i) => named(d, 'identity', `id${i}`)),
    permissionBoundary: c.boundary ? named(c.boundary, 'boundary', 'pb') : null,
    sessionPolicy: c.session ? named(c.session, 'session', 'session') : null,
    resourcePolicy: c.resource ? named(c.resource, 'resource', 'rp') : null,
    scpLevels: c.scps.map((lvl, i) => ({
      id: `s${i}`,
      policies: lvl.map((d, j) => named(d, 'scp', `s${i}.${j}`)),
    })),
    rcpLevels: c.rcps.map((lvl, i) => ({
      id: `r${i}`,
      policies: lvl.map((d, j) => named(d, 'rcp', `r${i}.${j}`)),
    })),
  });
}

const ALL_KEYS = [
  'aws:username',
  'aws:principaltag/team',
  'aws:requestedregion',
  'aws:multifactorauthpresent',
  'aws:securetransport',
  'aws:currenttime',
  'aws:sourceip',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:tagkeys',
  'aws:multifactorauthage',
];

describe('three-valued evaluation', () => {
  it(`a decided static result matches every concrete request (${CASES} cases, seed ${SEED})`, () => {
    const cases = fc.sample(fc.tuple(diffCaseArb, fc.subarray(ALL_KEYS, { minLength: 1 })), {
      numRuns: CASES,
      seed: SEED,
    });
    let decided = 0;
    let conditional = 0;
    for (const [c, hidden] of cases) {
      const concrete = run(c, c.context, []);
      const visible = Object.fromEntries(
        Object.entries(c.context).filter(([k]) => !hidden.includes(k.toLowerCase())),
      );
      const staticResult = run(c, visible, hidden);
      if (staticResult.conditional) {
        conditional++;
        // "allowed if the undecided conditions hold": never when the concrete request is allowed for sure and we said no
        continue;
      }
      decided++;
      const allowed = (d: { decision: string }) => d.decision === 'Allowed';
      if (allowed(staticResult) !== allowed(concrete)) {
        expect({ case: c, hidden, static: staticResult.decision, concrete: concrete.decision }).toBeNull();
      }
    }
    console.info(`three-valued seed=${SEED}: ${decided} decided, ${conditional} conditional`);
    expect(decided).toBeGreaterThan(0);
  }, 120_000);
});
