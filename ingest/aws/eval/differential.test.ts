/**
 * Differential test: thousands of random valid (policies, request) cases, our decision checked
 * against @cloud-copilot/iam-simulate (AGPL: a devDependency used only here, as an oracle).
 *
 * ACCESSGRAPH_DIFF_CASES sets the case count (default 6000), ACCESSGRAPH_DIFF_SEED the seed
 * (default: random, printed so a failure can be replayed).
 * Every disagreement is either a bug to fix or a documented difference
 * (docs/aws-evaluation-differences.md), recognised by `knownDifference` below.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeContext } from './context.js';
import { type Decision, decide, type NamedPolicy } from './decide.js';
import { parsePolicy } from './policy.js';
import { principalFromArn } from './principal.js';
import { type DiffCase, diffCaseArb } from './test-support/arbitraries.js';
import { knownDifference } from './test-support/known-differences.js';

const CASES = Number(process.env.ACCESSGRAPH_DIFF_CASES ?? 6000);
const SEED = Number(process.env.ACCESSGRAPH_DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31));

type Oracle = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

function ours(c: DiffCase): Decision {
  const named = (doc: unknown, kind: Parameters<typeof parsePolicy>[1], id: string): NamedPolicy => ({
    id,
    name: id,
    policy: parsePolicy(doc, kind),
  });
  return decide({
    request: {
      principal: principalFromArn(c.principalArn),
      action: c.target.action,
      resource: c.target.resource,
      resourceAccountId: c.target.account,
      context: makeContext(c.context, { missing: 'absent' }),
    },
    identityPolicies: c.identity.map((d, i) => named(d, 'identity', `id${i}`)),
    permissionBoundary: c.boundary ? named(c.boundary, 'boundary', 'pb') : null,
    sessionPolicy: c.session ? named(c.session, 'session', 'session') : null,
    resourcePolicy: c.resource ? named(c.resource, 'resource', 'rp') : null,
    scpLevels: c.scps.map((lvl, i) => ({
      id: `scp-level-${i}`,
      policies: lvl.map((d, j) => named(d, 'scp', `scp${i}.${j}`)),
    })),
    rcpLevels: c.rcps.map((lvl, i) => ({
      id: `rcp-level-${i}`,
      policies: lvl.map((d, j) => named(d, 'rcp', `rcp${i}.${j}`)),
    })),
  });
}

async function oracle(c: DiffCase): Promise<Oracle | { error: string }> {
  const sim: Simulation = {
    request: {
      principal: c.principalArn,
      action: c.target.action,
      resource: { resource: c.target.resource, accountId: c.target.account },
      contextVariables: c.context,
    },
    identityPolicies: c.identity.map((policy, i) => ({ name: `id${i}`, policy })),
    serviceControlPolicies: c.scps.map((lvl, i) => ({
      orgIdentifier: `scp-level-${i}`,
      policies: lvl.map((policy, j) => ({ name: `scp${i}.${j}`, policy })),
    })),
    resourceControlPolicies: c.rcps.map((lvl, i) => ({
      orgIdentifier: `rcp-level-${i}`,
      policies: lvl.map((policy, j) => ({ name: `rcp${i}.${j}`, policy })),
    })),
  };
  if (c.resource) sim.resourcePolicy = c.resource;
  if (c.boundary) sim.permissionBoundaryPolicies = [{ name: 'pb', policy: c.boundary }];
  if (c.session) sim.sessionPolicy = c.session;
  const r = await runSimulation(sim, { simulationMode: 'Strict' });
  if (r.resultType === 'error') return { error: r.errors.message };
  return r.overallResult;
}

const MAP: Record<Decision['decision'], Oracle> = {
  Allowed: 'Allowed',
  ExplicitDeny: 'ExplicitlyDenied',
  ImplicitDeny: 'ImplicitlyDenied',
};

describe('differential: our evaluator vs iam-simulate', () => {
  it(`agrees on ${CASES} random cases (seed ${SEED})`, async () => {
    const cases = fc.sample(diffCaseArb, { numRuns: CASES, seed: SEED });
    const mismatches: unknown[] = [];
    const known = new Map<string, number>();
    let oracleErrors = 0;
    let allowed = 0;
    let explicit = 0;
    for (const c of cases) {
      const their = await oracle(c);
      if (typeof their !== 'string') {
        oracleErrors++;
        if (oracleErrors < 3) console.warn('oracle rejected a case:', their.error);
        continue;
      }
      const d = ours(c);
      expect(d.conditional).toBe(false); // every key is known in a concrete request
      const our = MAP[d.decision];
      if (our === 'Allowed') allowed++;
      if (our === 'ExplicitlyDenied') explicit++;
      if (our === their) continue;
      const label = knownDifference(c, our, their);
      if (label) {
        known.set(label, (known.get(label) ?? 0) + 1);
        continue;
      }
      mismatches.push({ ours: our, theirs: their, case: c });
    }
    console.info(
      `differential seed=${SEED}: ${cases.length} cases, ${allowed} allowed, ${explicit} explicit deny, ` +
        `${oracleErrors} rejected by oracle, known differences ${JSON.stringify(Object.fromEntries(known))}, ` +
        `${mismatches.length} unexplained`,
    );
    if (mismatches.length > 0) console.error(JSON.stringify(mismatches.slice(0, 3), null, 1));
    expect(oracleErrors).toBeLessThan(cases.length / 20);
    expect(mismatches.length).toBe(0);
  }, 240_000); // ~15 s on an idle 2-core machine; generous for a loaded CI runner
});
