// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (${aws:username}) are plain strings
/**
 * An SCP or permissions-boundary Allow that names only part of a grant's scope keeps the
 * grant exact: the part it leaves out is an exception on the HAS_ACCESS edge (judged per
 * target by graph/access-exceptions.ts), not a `conditional` flag over the whole grant.
 * AWS, "Policy evaluation logic": an action is allowed only when every applicable SCP level
 * and the permissions boundary allow it on the requested resource.
 */
import { describe, expect, it } from 'vitest';
import { type AccessException, guardOutcome } from '../../graph/access-exceptions.js';
import type { GraphEdge } from '../../graph/model.js';
import { ingestAuthorizationDetails } from './authorization-details.js';
import { managedPolicyEntry } from './eval/test-support/auth-details.js';
import { ingestAwsSnapshot } from './snapshot.js';

const A = '111111111111';
const NOW = new Date('2026-06-01T00:00:00Z');
const ALICE = `arn:aws:iam::${A}:user/alice`;
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });

function details(boundary: unknown | null) {
  return {
    UserDetailList: [
      {
        Path: '/',
        UserName: 'alice',
        UserId: 'AIDAALICE',
        Arn: ALICE,
        CreateDate: '2025-01-01T00:00:00Z',
        GroupList: [],
        AttachedManagedPolicies: [],
        ...(boundary
          ? {
              PermissionsBoundary: {
                PermissionsBoundaryType: 'Policy',
                PermissionsBoundaryArn: `arn:aws:iam::${A}:policy/Boundary`,
              },
            }
          : {}),
        UserPolicyList: [
          {
            PolicyName: 'inline',
            PolicyDocument: doc({
              Effect: 'Allow',
              Action: ['s3:GetObject', 's3:ListBucket'],
              Resource: '*',
            }),
          },
        ],
      },
    ],
    GroupDetailList: [],
    RoleDetailList: [],
    Policies: boundary ? [managedPolicyEntry(A, 'Boundary', boundary)] : [],
  };
}

/** Alice's grant edges when her boundary holds these statements. */
async function underBoundary(...statements: unknown[]) {
  const src = await ingestAuthorizationDetails(details(doc(...statements)), 'auth.json', { now: NOW });
  return grantsOf(src.edges);
}

const grantsOf = (edges: readonly GraphEdge[]) =>
  edges.filter((e) => e.kind === 'HAS_ACCESS' && e.from === ALICE);
const getObject = { actionsAny: new Set(['s3:getobject']) };
const listBucket = { actionsAny: new Set(['s3:listbucket']) };

describe('partial SCP / boundary allows become exceptions', () => {
  it('a boundary allowing s3:GetObject only on prod-* keeps the grant exact on the rest', async () => {
    const [grant, ...rest] = await underBoundary(
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::prod-*' },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' },
    );
    expect(rest).toEqual([]);
    expect(grant?.props.conditional).toBe(false);
    const exceptions = grant?.props.exceptions as AccessException[];
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]).toMatchObject({
      limit: 'boundary',
      notResources: ['arn:aws:s3:::prod-*'],
      actionsByLevel: { read: ['s3:getobject'] },
      conditional: false,
    });
    const edge = grant as GraphEdge;
    expect(guardOutcome(edge, ['arn:aws:s3:::prod-a/k', A], getObject).effect).toBe('clear');
    expect(guardOutcome(edge, ['arn:aws:s3:::dev-a/k', A], getObject).effect).toBe('denied');
    // ListBucket is allowed everywhere by the boundary: untouched
    expect(guardOutcome(edge, ['arn:aws:s3:::dev-a', A], listBucket).effect).toBe('clear');
  });

  it('a NotResource boundary allow excludes what it names, minus what another allow names', async () => {
    const [grant] = await underBoundary(
      { Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret-*' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secret-ok/*' },
    );
    expect(grant?.props.conditional).toBe(false);
    const edge = grant as GraphEdge;
    expect(guardOutcome(edge, ['arn:aws:s3:::data/k', A], getObject).effect).toBe('clear');
    expect(guardOutcome(edge, ['arn:aws:s3:::secret-x/k', A], getObject).effect).toBe('denied');
    expect(guardOutcome(edge, ['arn:aws:s3:::secret-ok/k', A], getObject).effect).toBe('clear');
    expect(guardOutcome(edge, ['arn:aws:s3:::secret-ok', A], listBucket).effect).toBe('denied');
  });

  it("a NotResource allow naming the principal's own variable value excludes what it resolves to", async () => {
    const [grant] = await underBoundary({
      Effect: 'Allow',
      Action: 's3:*',
      NotResource: 'arn:aws:s3:::${aws:username}-data/*',
    });
    const edge = grant as GraphEdge;
    // the variable is alice's own name: known at load time, so no condition is left
    expect(grant?.props.conditional).toBe(false);
    expect(guardOutcome(edge, ['arn:aws:s3:::alice-data/k', A], getObject).effect).toBe('denied');
    expect(guardOutcome(edge, ['arn:aws:s3:::bob-data/k', A], getObject).effect).toBe('clear');
  });

  it('a conditional partial allow still makes the action conditional', async () => {
    const grants = await underBoundary(
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::prod-*',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
    );
    const byConditional = (c: boolean) => grants.find((e) => e.props.conditional === c)?.props.actions;
    expect(byConditional(false)).toEqual(['s3:listbucket']);
    expect(byConditional(true)).toEqual(['s3:getobject']);
  });

  it('an SCP level allowing only part of the scope is an exception of the member account grant', async () => {
    const [, acct] = await ingestAwsSnapshot(
      {
        format: 'accessgraph-aws-snapshot',
        version: 1,
        collectedAt: NOW.toISOString(),
        organization: {
          id: 'o-test000001',
          managementAccountId: '999999999999',
          roots: [{ id: 'r-ab12' }],
          organizationalUnits: [{ id: 'ou-ab12-prod0001', parentId: 'r-ab12' }],
          accounts: [{ id: A, parentId: 'ou-ab12-prod0001' }],
          policies: [
            {
              id: 'p-full0001',
              name: 'FullAWSAccess',
              type: 'SERVICE_CONTROL_POLICY',
              document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
              targets: ['r-ab12', A],
            },
            {
              id: 'p-prod0001',
              name: 'ProdOnly',
              type: 'SERVICE_CONTROL_POLICY',
              document: doc({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::prod-*' }),
              targets: ['ou-ab12-prod0001'],
            },
          ],
        },
        accounts: [{ accountId: A, authorizationDetails: details(null) }],
      },
      'snapshot.json',
      { now: NOW },
    );
    const [grant, ...rest] = grantsOf(acct?.edges ?? []);
    expect(rest).toEqual([]);
    expect(grant?.props.conditional).toBe(false);
    expect(grant?.props.exceptions).toEqual([
      expect.objectContaining({
        limit: 'scp',
        level: 'ou-ab12-prod0001',
        notResources: ['arn:aws:s3:::prod-*'],
      }),
    ]);
    const edge = grant as GraphEdge;
    expect(guardOutcome(edge, ['arn:aws:s3:::prod-a', A], listBucket).effect).toBe('clear');
    expect(guardOutcome(edge, ['arn:aws:s3:::dev-a', A], listBucket).effect).toBe('denied');
  });
});
