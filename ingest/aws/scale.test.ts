/**
 * "Do not let edges explode" (DESIGN.md): a big group with broad grants stays a handful of
 * HAS_ACCESS edges plus one MEMBER_OF per member, and trust evaluation stays fast.
 */
import { describe, expect, it } from 'vitest';
import { ingestAuthorizationDetails } from './authorization-details.js';

const A = '210987654321';
const USERS = 3000;
const ROLES = 300;

function bigExport() {
  const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
  return {
    UserDetailList: Array.from({ length: USERS }, (_, i) => ({
      UserName: `u${i}`,
      UserId: `AIDA${String(i).padStart(16, '0')}`,
      Arn: `arn:aws:iam::${A}:user/u${i}`,
      Path: '/',
      GroupList: ['everyone'],
      AttachedManagedPolicies: [],
      // every hundredth user has a boundary, so its group grants are materialized
      ...(i % 100 === 0
        ? {
            PermissionsBoundary: {
              PermissionsBoundaryType: 'Policy',
              PermissionsBoundaryArn: `arn:aws:iam::${A}:policy/Boundary`,
            },
          }
        : {}),
    })),
    GroupDetailList: [
      {
        GroupName: 'everyone',
        GroupId: 'AGPA000000000000001',
        Arn: `arn:aws:iam::${A}:group/everyone`,
        Path: '/',
        GroupPolicyList: [
          {
            PolicyName: 'read-and-assume',
            PolicyDocument: doc(
              { Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' },
              { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${A}:role/team-*` },
            ),
          },
        ],
        AttachedManagedPolicies: [],
      },
    ],
    RoleDetailList: Array.from({ length: ROLES }, (_, i) => ({
      RoleName: `team-${i}`,
      RoleId: `AROA${String(i).padStart(16, '0')}`,
      Arn: `arn:aws:iam::${A}:role/team-${i}`,
      Path: '/',
      AssumeRolePolicyDocument: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${A}:root` },
        Action: 'sts:AssumeRole',
      }),
      RolePolicyList: [],
      AttachedManagedPolicies: [],
      InstanceProfileList: [],
    })),
    Policies: [
      {
        PolicyName: 'Boundary',
        Arn: `arn:aws:iam::${A}:policy/Boundary`,
        DefaultVersionId: 'v1',
        PolicyVersionList: [
          {
            VersionId: 'v1',
            IsDefaultVersion: true,
            Document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
          },
        ],
      },
    ],
  };
}

describe('scale', () => {
  it(`${USERS} users in a group, ${ROLES} account-trusted roles`, async () => {
    const t0 = Date.now();
    const src = await ingestAuthorizationDetails(bigExport(), 'big.json');
    const ms = Date.now() - t0;
    const count = (k: string) => src.edges.filter((e) => e.kind === k).length;
    console.info(`scale: ${src.nodes.length} nodes, ${src.edges.length} edges in ${ms} ms`);
    expect(count('MEMBER_OF')).toBe(USERS);
    // the group's grants, plus the 30 boundary users' own copies (2 statements each, 1 pattern scope)
    expect(count('HAS_ACCESS')).toBe(2 + (USERS / 100) * 1);
    // the group can assume every role (its members through MEMBER_OF); boundary users cannot (boundary allows only s3)
    expect(count('CAN_ASSUME')).toBe(ROLES);
  }, 120_000);
});
