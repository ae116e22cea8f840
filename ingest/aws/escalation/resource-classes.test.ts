// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (${aws:username}) are plain strings
/**
 * Asking once per class of alike resources (resource-classes.ts) must give exactly the edges
 * that asking resource by resource gives: same edges, same permissions, same `through`, same
 * order. Property over random accounts whose policies name Lambda functions, EC2 instances and
 * Glue jobs by overlapping patterns, with denies, NotResource, policy variables, SCP denies and
 * roles shared by several resources; the per-resource answer is the detector with every actor
 * declared unclassable.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IngestedSource } from '../../types.js';
import { ResourceClasses } from './resource-classes.js';
import { A, arn, build, type Stmt } from './test-support/build.js';

const NAMES = ['web-a', 'web-b', 'web-admin', 'api-x', 'api-prod', 'batch-prod', 'alice', 'bob'];
const ROLES = ['run-1', 'run-2', 'run-3'];
const fn = (name: string) => `arn:aws:lambda:us-east-1:${A}:function:${name}`;
const instance = (name: string) => `arn:aws:ec2:us-east-1:${A}:instance/i-${name}`;
const job = (name: string) => `arn:aws:glue:us-east-1:${A}:job/${name}`;

const RESOURCE_PATTERNS = [
  '*',
  fn('web-*'),
  fn('web-admin*'),
  fn('*-prod'),
  fn('${aws:username}'),
  `arn:aws:lambda:*:${A}:function:api-?`,
  instance('*'),
  instance('web-*'),
  job('*'),
  job('batch-*'),
];
const ACTIONS = [
  'lambda:UpdateFunctionCode',
  'lambda:InvokeFunction',
  'lambda:AddPermission',
  'lambda:*',
  'ec2:ModifyInstanceAttribute',
  'ec2:StopInstances',
  'ec2:StartInstances',
  'ssm:StartSession',
  'ssm:SendCommand',
  'glue:UpdateJob',
  'glue:StartJobRun',
  'iam:PassRole',
  'ec2:DescribeInstances',
];

const statement = fc.record({
  Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
  Action: fc.subarray(ACTIONS, { minLength: 1, maxLength: 4 }),
  res: fc.subarray(RESOURCE_PATTERNS, { minLength: 1, maxLength: 3 }),
  not: fc.boolean(),
});
const toStmt = (s: { Effect: string; Action: string[]; res: string[]; not: boolean }): Stmt =>
  s.not && s.Effect === 'Deny'
    ? { Effect: s.Effect, Action: s.Action, NotResource: s.res }
    : { Effect: s.Effect, Action: s.Action, Resource: s.res };

const account = fc.record({
  users: fc.array(fc.record({ stmts: fc.array(statement, { maxLength: 3 }), group: fc.nat(2) }), {
    minLength: 1,
    maxLength: 4,
  }),
  groups: fc.array(fc.array(statement, { maxLength: 2 }), { minLength: 3, maxLength: 3 }),
  resources: fc.uniqueArray(
    fc.record({
      kind: fc.constantFrom('lambda:function', 'ec2:instance', 'glue:job'),
      name: fc.constantFrom(...NAMES),
      role: fc.constantFrom(...ROLES),
    }),
    { minLength: 1, maxLength: 12, selector: (r) => `${r.kind} ${r.name}` },
  ),
  scpDeny: fc.option(fc.subarray(RESOURCE_PATTERNS.slice(1), { minLength: 1, maxLength: 2 })),
});

type Account = typeof account extends fc.Arbitrary<infer T> ? T : never;

async function ingest(a: Account): Promise<IngestedSource> {
  const userNames = ['alice', 'bob', 'carol', 'dave'];
  return build(
    {
      users: a.users.map((u, i) => ({
        name: userNames[i] ?? `u${i}`,
        inline: u.stmts.map(toStmt),
        groups: [`g${u.group}`],
      })),
      groups: a.groups.map((st, i) => ({ name: `g${i}`, inline: st.map(toStmt) })),
      roles: ROLES.map((name) => ({
        name,
        trust: [
          {
            Effect: 'Allow',
            Principal: { Service: ['lambda.amazonaws.com', 'ec2.amazonaws.com', 'glue.amazonaws.com'] },
            Action: 'sts:AssumeRole',
          },
        ],
      })),
    },
    {
      scp: a.scpDeny ? [{ Effect: 'Deny', Action: 'lambda:*', Resource: a.scpDeny }] : [],
      resources: a.resources.map((r) => ({
        arn:
          r.kind === 'lambda:function'
            ? fn(r.name)
            : r.kind === 'ec2:instance'
              ? instance(r.name)
              : job(r.name),
        type: r.kind,
        roleArn: arn(`role/${r.role}`),
      })),
    },
  );
}

const escalations = (s: IngestedSource) => JSON.stringify(s.edges.filter((e) => e.kind === 'CAN_ESCALATE'));

afterEach(() => vi.restoreAllMocks());

describe('escalation on existing resources, once per class of alike resources', () => {
  it('gives exactly the edges of asking resource by resource', async () => {
    let classed = 0;
    await fc.assert(
      fc.asyncProperty(account, async (a) => {
        const exact = vi.spyOn(ResourceClasses.prototype, 'exactFor');
        const byClass = escalations(await ingest(a));
        classed += exact.mock.results.filter((r) => r.value === true).length;
        exact.mockReturnValue(false);
        const byResource = escalations(await ingest(a));
        vi.restoreAllMocks();
        expect(byClass).toBe(byResource);
      }),
      { numRuns: 60 },
    );
    // the property says something only if classes were actually used
    expect(classed).toBeGreaterThan(0);
  });

  it('answers an actor whose patterns hold policy variables resource by resource', async () => {
    const exact = vi.spyOn(ResourceClasses.prototype, 'exactFor');
    await ingest({
      users: [
        {
          stmts: [
            {
              Effect: 'Allow',
              Action: ['lambda:UpdateFunctionCode'],
              res: [fn('${aws:username}')],
              not: false,
            },
          ],
          group: 0,
        },
      ],
      groups: [[], [], []],
      resources: [{ kind: 'lambda:function', name: 'alice', role: 'run-1' }],
      scpDeny: null,
    });
    expect(exact.mock.results.map((r) => r.value)).toContain(false);
  });
});
