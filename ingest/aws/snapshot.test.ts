import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphEdgeOf } from '../../graph/model.js';
import { IngestError } from '../errors.js';
import type { IngestedSource } from '../types.js';
import { awsSnapshotIngester, ingestAwsSnapshot } from './snapshot.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/aws-snapshot.json', import.meta.url));
const raw = () => JSON.parse(readFileSync(FIXTURE, 'utf8'));
const A = '123456789012';
const arn = (rest: string) => `arn:aws:iam::${A}:${rest}`;
const NOW = new Date('2026-11-29T00:00:00Z');

let org: IngestedSource;
let acct: IngestedSource;
beforeAll(async () => {
  const sources = await ingestAwsSnapshot(raw(), FIXTURE, { now: NOW });
  org = sources.find((s) => s.descriptor.id === 'aws:org/o-exampleorg1') as IngestedSource;
  acct = sources.find((s) => s.descriptor.id === `aws:${A}`) as IngestedSource;
});
const access = (from: string, to: string) =>
  acct.edges.filter(
    (e) => e.kind === 'HAS_ACCESS' && e.from === from && e.to === to,
  ) as GraphEdgeOf<'HAS_ACCESS'>[];

describe('aws snapshot ingester', () => {
  it('detects the format and yields the organization and one source per account', () => {
    expect(awsSnapshotIngester.detect(raw(), FIXTURE)).toBe(true);
    expect(awsSnapshotIngester.detect({ format: 'other' }, FIXTURE)).toBe(false);
    expect(org).toBeDefined();
    expect(acct).toBeDefined();
  });

  it('models the organization: root → OUs → accounts, SCPs and RCPs attached to their targets', () => {
    const contains = org.edges
      .filter((e) => e.kind === 'CONTAINS')
      .map((e) => [e.from.split('/').pop(), e.to]);
    expect(contains).toContainEqual(['ou-ab12-prodacct1', arn('root')]);
    // accounts without IAM data in the snapshot are defined by the organization source
    expect(org.nodes.find((n) => n.id === 'arn:aws:iam::444455556666:root')).toMatchObject({
      kind: 'Account',
    });
    expect(org.nodes.find((n) => n.id === arn('root'))).toBeUndefined();
    const attached = org.edges.filter(
      (e) => e.kind === 'ATTACHED_TO' && e.from.endsWith('p-rcpdataperimeter'),
    );
    expect(attached.map((e) => e.props)).toEqual([{ as: 'rcp' }]);
  });

  it('SCP denies bind every principal: unconditional ones remove actions, conditional ones are kept on the edge', () => {
    const admin = access(arn('group/admins'), arn('root'));
    const all = admin.flatMap((e) => e.props.actions);
    expect(all).not.toContain('organizations:leaveorganization');
    expect(all).toContain('s3:getobject');
    const deleteBucket = admin.find((e) => e.props.actions.includes('s3:deletebucket'));
    expect(JSON.stringify(deleteBucket?.props.conditions)).toContain('NoBucketDeletes');
    // EuOnly denies everything but global services outside two regions; the region is not known
    const s3 = admin.find((e) => e.props.actions.includes('s3:getobject'));
    const iam = admin.find((e) => e.props.actions.includes('iam:createuser'));
    expect(s3?.props.conditional).toBe(true);
    expect(iam?.props.conditional).toBe(false);
  });

  it('service-linked roles are exempt from SCPs', () => {
    const slr = arn('role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport');
    const edges = acct.edges.filter(
      (e) => e.kind === 'HAS_ACCESS' && e.from === slr,
    ) as GraphEdgeOf<'HAS_ACCESS'>[];
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.every((e) => !e.props.conditional)).toBe(true);
  });

  it('resource policies: cross-account, public, service and in-account grants', () => {
    const bucket = 'arn:aws:s3:::app-payments-invoices';
    const auditor = access('arn:aws:iam::999988887777:root#external', bucket)[0];
    expect(auditor?.props).toMatchObject({ resourcePolicy: true, crossAccount: true, conditional: true });
    // the RCP data perimeter and the TLS-only deny are undecided for an outsider
    expect(JSON.stringify(auditor?.props.conditions)).toContain('p-rcpdataperimeter');
    // object grants of an inventoried bucket sit on the bucket, the objects named on the edge
    const pub = access('aws:*', bucket).find((e) => e.props.objectPattern === 'public/*');
    expect(pub?.props).toMatchObject({ actions: ['s3:getobject'], resource: `${bucket}/public/*` });
    expect(pub?.via?.ref).toBe(`${bucket}#policy`);
    expect(acct.nodes.find((n) => n.id.includes(`${bucket}/`))).toBeUndefined();
    expect(acct.nodes.find((n) => n.id === bucket)?.props).toMatchObject({
      public: true,
      inventoried: true,
      resourcePolicyDenies: [{ statement: 'TlsOnly', unconditional: false }],
    });
    // Block Public Access (RestrictPublicBuckets) neutralises a public bucket policy
    expect(access('aws:*', 'arn:aws:s3:::prod-ledger')).toEqual([]);
    expect(acct.nodes.find((n) => n.id === 'arn:aws:s3:::prod-ledger')?.props).toMatchObject({
      public: false,
      publicBlockedBy: 'RestrictPublicBuckets',
    });
    const fn = `arn:aws:lambda:eu-west-1:${A}:function:orders-api`;
    expect(access('apigateway.amazonaws.com', fn)[0]?.props).toMatchObject({
      actions: ['lambda:invokefunction'],
      conditional: true,
    });
    const secret = `arn:aws:secretsmanager:eu-west-1:${A}:secret:app/orders-db-AbCdEf`;
    expect(access(arn('user/bob'), secret)[0]?.props.actions).toEqual(['secretsmanager:getsecretvalue']);
  });

  it('resources run as roles and sit in the account', () => {
    const fn = `arn:aws:lambda:eu-west-1:${A}:function:orders-api`;
    expect(acct.edges.find((e) => e.kind === 'RUNS_AS' && e.from === fn)?.to).toBe(
      arn('role/app-orders-lambda'),
    );
    expect(
      acct.edges.find((e) => e.kind === 'CONTAINS' && e.from === arn('root') && e.to === fn),
    ).toBeDefined();
    // identity grants on patterns reach inventoried resources through CONTAINS
    expect(
      acct.edges.find(
        (e) =>
          e.kind === 'CONTAINS' && e.from === `arn:aws:secretsmanager:eu-west-1:${A}:secret:app/orders-*`,
      )?.to,
    ).toBe(`arn:aws:secretsmanager:eu-west-1:${A}:secret:app/orders-db-AbCdEf`);
  });

  it('a KMS key whose policy does not delegate to the account is out of reach of identity policies', async () => {
    const key = `arn:aws:kms:eu-west-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect(acct.edges.find((e) => e.kind === 'CONTAINS' && e.to === key)).toBeDefined();
    const closed = raw();
    closed.accounts[0].resources[2].policy.Statement.shift(); // drop "EnableIamPolicies"
    const [, a2] = await ingestAwsSnapshot(closed, FIXTURE, { now: NOW });
    expect(a2?.edges.find((e) => e.kind === 'CONTAINS' && e.to === key)).toBeUndefined();
    expect(a2?.nodes.find((n) => n.id === key)?.props?.identityPoliciesIgnored).toBe(true);
    // the key policy's own grant still stands
    expect(a2?.edges.find((e) => e.kind === 'HAS_ACCESS' && e.to === key)?.from).toBe(
      arn('role/app-orders-lambda'),
    );
  });

  it('a KMS key policy delegating some actions lets identity policies grant those only', async () => {
    const key = `arn:aws:kms:eu-west-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const partial = raw();
    partial.accounts[0].resources[2].policy.Statement[0].Action = ['kms:Decrypt']; // "EnableIamPolicies"
    const [, a2] = await ingestAwsSnapshot(partial, FIXTURE, { now: NOW });
    expect(a2?.edges.find((e) => e.kind === 'CONTAINS' && e.to === key)).toBeUndefined();
    const identity = (a2?.edges ?? []).filter(
      (e) => e.kind === 'HAS_ACCESS' && e.to === key && !e.props.resourcePolicy,
    ) as GraphEdgeOf<'HAS_ACCESS'>[];
    expect(identity.length).toBeGreaterThan(0);
    expect(identity.every((e) => e.props.actions.join() === 'kms:decrypt')).toBe(true);
  });

  it('cross-account grants need the other side: identity grants on another account, resource grants to outsiders', async () => {
    const other = 'arn:aws:sqs:eu-west-1:999988887777:partner-jobs';
    const queue = `arn:aws:sqs:eu-west-1:${A}:orders-events`;
    const outsider = 'arn:aws:iam::999988887777:user/partner';
    const x = raw();
    x.accounts[0].authorizationDetails.UserDetailList[0].UserPolicyList = [
      {
        PolicyName: 'partner',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: other }],
        },
      },
    ];
    x.accounts[0].resources[4].policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: outsider }, Action: 'sqs:SendMessage', Resource: queue },
      ],
    };
    const [, a2] = await ingestAwsSnapshot(x, FIXTURE, { now: NOW });
    const edge = (from: string, to: string) =>
      a2?.edges.find((e) => e.kind === 'HAS_ACCESS' && e.from === from && e.to === to) as
        | GraphEdgeOf<'HAS_ACCESS'>
        | undefined;
    // the other account's queue policy must allow too; it is not in this source
    expect(edge(arn('user/alice'), other)?.props).toMatchObject({ crossAccount: true, conditional: true });
    // the outsider's own account must allow too
    expect(edge(outsider, queue)?.props).toMatchObject({ crossAccount: true, conditional: true });
  });

  it('records last use and collection errors', () => {
    expect(acct.nodes.find((n) => n.id === arn('user/dave'))?.props?.lastUsed).toBe('2025-01-10T00:00:00Z');
    expect(acct.warnings.join('\n')).toContain('GetRepositoryPolicy');
  });

  it('rejects bad input with file, JSON path and reason', async () => {
    const wrongType = raw();
    wrongType.accounts[0].resources[0].type = 's3:bukket';
    await expect(ingestAwsSnapshot(wrongType, 'snap.json')).rejects.toMatchObject({
      file: 'snap.json',
      jsonPath: '$.accounts[0].resources[0].type',
    });
    const badPolicy = raw();
    badPolicy.accounts[0].resources[0].policy.Statement[0].Effect = 'Permit';
    await expect(ingestAwsSnapshot(badPolicy, 'snap.json')).rejects.toMatchObject({
      jsonPath: '$.accounts[0].resources[0].policy.Statement[0].Effect',
    });
    const badIam = raw();
    badIam.accounts[0].authorizationDetails.UserDetailList[1].Arn = 'nope';
    const err = await ingestAwsSnapshot(badIam, 'snap.json').catch((e) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect(err.jsonPath).toBe('$.accounts[0].authorizationDetails.UserDetailList[1].Arn');
    const orphan = raw();
    orphan.organization.accounts[1].parentId = 'ou-ab12-missing1';
    await expect(ingestAwsSnapshot(orphan, 'snap.json')).rejects.toMatchObject({
      jsonPath: '$.organization',
    });
  });

  it('RCP denies bind only the services RCPs govern', async () => {
    const snap = raw();
    snap.organization.policies.push({
      id: 'p-rcpdenyall',
      name: 'DenyEverything',
      type: 'RESOURCE_CONTROL_POLICY',
      document: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'All', Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }],
      },
      targets: ['r-ab12'],
    });
    const sources = await ingestAwsSnapshot(snap, FIXTURE, { now: NOW });
    const account = sources.find((s) => s.descriptor.id === `aws:${A}`) as IngestedSource;
    const actions = account.edges
      .filter((e) => e.kind === 'HAS_ACCESS' && e.from === arn('group/admins') && e.to === arn('root'))
      .flatMap((e) => (e as GraphEdgeOf<'HAS_ACCESS'>).props.actions);
    // S3, KMS, SQS, STS and Secrets Manager are denied; IAM, EC2 and Lambda are not RCP services
    for (const gone of ['s3:getobject', 'kms:decrypt', 'sqs:sendmessage', 'secretsmanager:getsecretvalue'])
      expect(actions).not.toContain(gone);
    for (const kept of ['iam:createuser', 'ec2:runinstances', 'lambda:invokefunction'])
      expect(actions).toContain(kept);
  });
});
