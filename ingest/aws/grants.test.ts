/**
 * How conditions that concern only some of a grant's actions split it: a conditional deny of
 * a few actions and a boundary that allows one action only under a condition each take their
 * actions into a part of their own; an action both concern carries both, in that order.
 */
import { describe, expect, it } from 'vitest';
import { ActionCatalog } from './action-catalog.js';
import { parsePolicy } from './eval/policy.js';
import { computeGrants, type PolicyAttachment } from './grants.js';

const A = '123456789012';
const att = (name: string, kind: 'identity' | 'boundary', Statement: unknown[]): PolicyAttachment => ({
  policyId: `arn:aws:iam::${A}:policy/${name}`,
  label: name,
  policy: parsePolicy({ Version: '2012-10-17', Statement }, kind),
});

describe('computeGrants splits a grant by the extra conditions of its actions', () => {
  it('keeps unconcerned actions unconditional and gives each combination of conditions its part', async () => {
    const catalog = new ActionCatalog();
    await catalog.load(['s3']);
    const allow = att('app', 'identity', [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: '*' },
    ]);
    const deny = att('mfa', 'identity', [
      {
        Effect: 'Deny',
        Action: ['s3:PutObject', 's3:DeleteObject'],
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    ]);
    const boundary = att('boundary', 'boundary', [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: 's3:DeleteObject',
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      },
    ]);
    const grants = computeGrants(
      { kind: 'user', arn: `arn:aws:iam::${A}:user/u`, accountId: A, name: 'u' },
      [allow],
      { denies: deny.policy.statements.map((st) => ({ att: deny, st })), boundary },
      catalog,
      new Date('2026-11-29T00:00:00Z'),
    );
    const byActions = Object.fromEntries(
      grants.map((g) => [
        g.actions.map((a) => a.id).join(','),
        g.conditions.map((c) => JSON.stringify(c).match(/MultiFactor|SourceIp/)?.[0]),
      ]),
    );
    expect(byActions).toEqual({
      's3:getobject': [],
      's3:putobject': ['MultiFactor'],
      's3:deleteobject': ['MultiFactor', 'SourceIp'],
    });
    expect(grants.map((g) => g.part)).toEqual([0, 1, 2]);
  });
});

describe('computeGrants: denies with policy variables', () => {
  it("substitutes the principal's variables before judging a deny against a concrete scope", async () => {
    const catalog = new ActionCatalog();
    await catalog.load(['s3']);
    // a resource-policy grant on one bucket, and an identity deny naming it through a tag
    const allow = att('bucket-policy', 'identity', [
      { Effect: 'Allow', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::red-data' },
    ]);
    const deny = att('own', 'identity', [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
      { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::${aws:PrincipalTag/team}-data' },
    ]);
    const grantsOf = (tags: Array<{ key: string; value: string }> | undefined) =>
      computeGrants(
        { kind: 'user', arn: `arn:aws:iam::${A}:user/u`, accountId: A, name: 'u', ...(tags ? { tags } : {}) },
        [allow],
        { denies: deny.policy.statements.map((st) => ({ att: deny, st })), boundary: null },
        catalog,
        new Date('2026-11-29T00:00:00Z'),
      );
    expect(grantsOf([{ key: 'team', value: 'red' }])).toEqual([]);
    // another team's deny names another bucket
    expect(grantsOf([{ key: 'team', value: 'blue' }]).map((g) => g.conditional)).toEqual([false]);
  });
});
