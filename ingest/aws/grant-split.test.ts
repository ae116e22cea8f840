/**
 * A boundary statement that keeps many of a grant's actions under one condition splits the
 * grant into two edges (kept for sure, kept under the condition), never one edge per action
 * (DESIGN.md: do not let edges explode).
 */
import { describe, expect, it } from 'vitest';
import { ingestAuthorizationDetails } from './authorization-details.js';
import { managedPolicyEntry } from './eval/test-support/auth-details.js';

const A = '111111111111';
const doc = {
  UserDetailList: [
    {
      Path: '/',
      UserName: 'alice',
      UserId: 'AIDAALICE',
      Arn: `arn:aws:iam::${A}:user/alice`,
      CreateDate: '2025-01-01T00:00:00Z',
      GroupList: [],
      AttachedManagedPolicies: [],
      PermissionsBoundary: {
        PermissionsBoundaryType: 'Policy',
        PermissionsBoundaryArn: `arn:aws:iam::${A}:policy/Boundary`,
      },
      UserPolicyList: [
        {
          PolicyName: 'inline',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', NotAction: 's3:ListBucket', Resource: '*' }],
          },
        },
      ],
    },
  ],
  GroupDetailList: [],
  RoleDetailList: [],
  Policies: [
    managedPolicyEntry(A, 'Boundary', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        {
          Effect: 'Allow',
          NotAction: 's3:Put*',
          Resource: '*',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ],
    }),
  ],
};

describe('grant parts', () => {
  it('one conditional boundary statement over thousands of actions adds one edge, not one per action', async () => {
    const src = await ingestAuthorizationDetails(doc, 'auth.json', { now: new Date('2026-06-01T00:00:00Z') });
    const grants = src.edges.filter(
      (e) => e.kind === 'HAS_ACCESS' && e.from === `arn:aws:iam::${A}:user/alice`,
    );
    expect(grants).toHaveLength(2);
    const actions = (conditional: boolean) =>
      (grants.find((e) => e.props.conditional === conditional)?.props.actions ?? []) as string[];
    expect(actions(false).every((a) => a.startsWith('s3:'))).toBe(true);
    expect(actions(true).length).toBeGreaterThan(1000);
    expect(actions(true)).not.toContain('s3:getobject');
  });
});
