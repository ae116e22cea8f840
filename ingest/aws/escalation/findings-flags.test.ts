/**
 * The flags findings read: `adminEquivalent` on grants of everything, `technique: 'sts-001'`
 * on CAN_ASSUME, `externalIdRequired` / `trustedAccount` on trust from outside the account.
 */
import { describe, expect, it } from 'vitest';
import type { GraphEdgeOf } from '../../../graph/model.js';
import type { IngestedSource } from '../../types.js';
import { ingestAuthorizationDetails } from '../authorization-details.js';
import { ADMIN_POLICY, arn, authorizationDetails, build, NOW } from './test-support/build.js';

const grants = (src: IngestedSource, from: string) =>
  src.edges.filter((e): e is GraphEdgeOf<'HAS_ACCESS'> => e.kind === 'HAS_ACCESS' && e.from === from);
const assumes = (src: IngestedSource, to: string) =>
  src.edges.filter((e): e is GraphEdgeOf<'CAN_ASSUME'> => e.kind === 'CAN_ASSUME' && e.to === to);
const star = { Effect: 'Allow', Action: '*', Resource: '*' };

describe('adminEquivalent', () => {
  it('marks a grant of every action on the whole account, wherever it comes from', async () => {
    const src = await build({
      users: [
        { name: 'managed', attached: [ADMIN_POLICY] },
        { name: 'inline', inline: [star] },
      ],
      groups: [{ name: 'ops', inline: [{ Effect: 'Allow', NotAction: 'nothing:Nothing', Resource: '*' }] }],
    });
    expect(grants(src, arn('user/managed')).map((e) => e.props.adminEquivalent)).toEqual([true]);
    expect(grants(src, arn('user/inline')).map((e) => e.props.adminEquivalent)).toEqual([true]);
    expect(grants(src, arn('group/ops')).map((e) => e.props.adminEquivalent)).toEqual([true]);
  });

  it('leaves out grants narrowed by a deny, a boundary, an SCP, a condition, a service or a resource', async () => {
    const src = await build(
      {
        users: [
          { name: 'denied', inline: [star, { Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }] },
          { name: 'bounded', attached: [ADMIN_POLICY], boundary: arn('policy/boundary') },
          {
            name: 'guarded',
            inline: [{ ...star, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }],
          },
          { name: 's3-only', inline: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
          { name: 'one-bucket', inline: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' }] },
          { name: 'not-iam', inline: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] },
        ],
        policies: { boundary: [{ Effect: 'Allow', NotAction: 'organizations:*', Resource: '*' }] },
      },
      {},
    );
    for (const u of ['denied', 'bounded', 'guarded', 's3-only', 'one-bucket', 'not-iam'])
      expect(
        grants(src, arn(`user/${u}`)).some((e) => e.props.adminEquivalent),
        u,
      ).toBe(false);
    const scp = await build(
      { users: [{ name: 'admin', attached: [ADMIN_POLICY] }] },
      {
        scp: [{ Effect: 'Deny', Action: 'iam:DeleteRole', Resource: '*' }],
      },
    );
    expect(grants(scp, arn('user/admin')).some((e) => e.props.adminEquivalent)).toBe(false);
  });

  it('is set by the raw-export ingester too', async () => {
    const src = await ingestAuthorizationDetails(
      authorizationDetails({ users: [{ name: 'managed', attached: [ADMIN_POLICY] }] }),
      'raw.json',
      { now: NOW },
    );
    expect(grants(src, arn('user/managed'))[0]?.props.adminEquivalent).toBe(true);
  });
});

describe('trust edges', () => {
  it('CAN_ASSUME inside the account carries technique sts-001; a trust that lets nobody in gives none', async () => {
    const src = await build({
      users: [{ name: 'dev', inline: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }],
      roles: [
        {
          name: 'open',
          trust: [{ Effect: 'Allow', Principal: { AWS: arn('root') }, Action: 'sts:AssumeRole' }],
        },
        {
          name: 'closed',
          trust: [{ Effect: 'Allow', Principal: { AWS: arn('user/other') }, Action: 'sts:AssumeRole' }],
        },
      ],
    });
    expect(assumes(src, arn('role/open')).map((e) => [e.from, e.props.technique])).toEqual([
      [arn('user/dev'), 'sts-001'],
    ]);
    expect(assumes(src, arn('role/closed')).filter((e) => e.from === arn('user/dev'))).toEqual([]);
  });

  it('sts-001 is blocked by an explicit deny, a boundary or an SCP', async () => {
    const allow = { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' };
    const deny = { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' };
    const role = {
      name: 'open',
      trust: [{ Effect: 'Allow', Principal: { AWS: arn('root') }, Action: 'sts:AssumeRole' }],
    };
    const fromDev = (src: IngestedSource) =>
      assumes(src, arn('role/open')).filter((e) => e.from === arn('user/dev'));
    const denied = await build({ users: [{ name: 'dev', inline: [allow, deny] }], roles: [role] });
    expect(fromDev(denied)).toEqual([]);
    const bounded = await build({
      users: [{ name: 'dev', inline: [allow], boundary: arn('policy/b') }],
      roles: [role],
      policies: { b: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
    });
    expect(fromDev(bounded)).toEqual([]);
    const scp = await build({ users: [{ name: 'dev', inline: [allow] }], roles: [role] }, { scp: [deny] });
    expect(fromDev(scp)).toEqual([]);
    const free = await build({ users: [{ name: 'dev', inline: [allow] }], roles: [role] }, { scp: [] });
    expect(fromDev(free)).toHaveLength(1);
  });

  it('External callers: externalIdRequired and the trusted account', async () => {
    const partner = (extra: Record<string, unknown>) => ({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: 'sts:AssumeRole',
      ...extra,
    });
    const src = await build({
      roles: [
        { name: 'with-id', trust: [partner({ Condition: { StringEquals: { 'sts:ExternalId': 'abc' } } })] },
        { name: 'null-check', trust: [partner({ Condition: { Null: { 'sts:ExternalId': 'false' } } })] },
        {
          name: 'if-exists',
          trust: [partner({ Condition: { StringEqualsIfExists: { 'sts:ExternalId': 'abc' } } })],
        },
        { name: 'without', trust: [partner({})] },
        {
          name: 'user-trust',
          trust: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::777788889999:user/bob' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        {
          name: 'service',
          trust: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
      ],
    });
    const props = (role: string) => assumes(src, arn(`role/${role}`))[0]?.props;
    expect(props('with-id')).toMatchObject({ externalIdRequired: true, trustedAccount: '444455556666' });
    expect(props('null-check')).toMatchObject({ externalIdRequired: true });
    expect(props('if-exists')).toMatchObject({ externalIdRequired: false });
    expect(props('without')).toMatchObject({ externalIdRequired: false, trustedAccount: '444455556666' });
    expect(props('user-trust')).toMatchObject({ externalIdRequired: false, trustedAccount: '777788889999' });
    expect(props('service')).toMatchObject({ externalIdRequired: false });
    expect(props('service')?.trustedAccount).toBeUndefined();
  });
});
