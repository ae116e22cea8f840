import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestError } from '../../ingest/errors.js';
import { readInputs } from '../../ingest/read-inputs.js';
import { ingestDocuments } from '../../ingest/registry.js';
import { compileSchema } from '../../ingest/schema-validate.js';
import { packagePath } from '../../lib/package-root.js';
import { type CollectAwsOptions, collectAws } from './collect-aws.js';
import { SERVICE_NAMES } from './services/index.js';
import {
  BASE_CREDENTIALS,
  CODEBUILD_ENV_VALUE,
  type FakeAws,
  fakeAws,
  HOME,
  LAMBDA_ENV_VALUE,
  LOCKED,
  MEMBER,
  MGMT,
  OTHER,
  OUTSIDER,
  SECRET_VALUE,
} from './test-support/fake-aws.js';
import { COMPUTE_SECRET } from './test-support/fake-role-carriers.js';
import { RAW_DIR, rawExportName, SNAPSHOT_FILE, writeAwsSnapshotDir } from './write-snapshot.js';

const NOW = new Date('2026-11-29T12:00:00Z');
const validate = compileSchema(
  JSON.parse(readFileSync(packagePath('docs', 'schema', 'aws-snapshot.schema.json'), 'utf8')),
);

const sleeps: number[] = [];
const deps = {
  credentials: BASE_CREDENTIALS,
  now: () => NOW,
  retry: { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5, retries: 3 },
};
const allAccounts: CollectAwsOptions = {
  regions: [HOME, OTHER],
  services: SERVICE_NAMES,
  accounts: [MGMT, MEMBER, LOCKED],
  roleName: 'OrganizationAccountAccessRole',
  collector: 'accessgraph test',
};

let fake: FakeAws;
let dir: string;
beforeEach(() => {
  sleeps.length = 0;
  dir = mkdtempSync(join(tmpdir(), 'accessgraph-collect-aws-'));
});
afterEach(() => {
  fake?.restore();
  rmSync(dir, { recursive: true, force: true });
});

const account = (snap: Awaited<ReturnType<typeof collectAws>>['snapshot'], id: string) =>
  snap.accounts.find((a) => a.accountId === id);

describe('collect aws', () => {
  it('merges every page of the paginated APIs', async () => {
    fake = fakeAws();
    const { snapshot } = await collectAws(allAccounts, deps);
    const mgmt = account(snapshot, MGMT);
    const auth = mgmt?.authorizationDetails as Record<string, Array<{ Arn: string }>>;
    // page 1 had the user and group, page 2 the roles and policy
    expect(auth.UserDetailList?.map((u) => u.Arn)).toEqual([`arn:aws:iam::${MGMT}:user/alice`]);
    expect(auth.RoleDetailList?.map((r) => r.Arn)).toHaveLength(10);
    expect(auth.Policies).toHaveLength(1);
    const markers = fake.stubs.iam
      ?.commandCalls(GetAccountAuthorizationDetailsCommand)
      .map((c) => c.args[0].input.Marker);
    expect(markers).toContain('auth-page-2');
    // S3: a bucket from each ListBuckets page; EC2: the second page's instance was terminated
    const arns = mgmt?.resources?.map((r) => r.arn) ?? [];
    expect(arns).toEqual(expect.arrayContaining(['arn:aws:s3:::acme-data', 'arn:aws:s3:::acme-logs']));
    expect(arns.filter((a) => a.includes(':instance/'))).toEqual([
      `arn:aws:ec2:${HOME}:${MGMT}:instance/i-0app`,
    ]);
    // organization accounts came from two ListAccountsForParent pages
    expect(snapshot.organization?.accounts.map((a) => a.id)).toEqual([MGMT, MEMBER, LOCKED]);
  });

  it('writes the IAM export the way the AWS CLI prints it: ISO dates, no page keys, documents as returned', async () => {
    fake = fakeAws();
    const { authorizationDetails } = await collectAws(allAccounts, deps);
    const raw = authorizationDetails.get(MGMT) as Record<string, Array<Record<string, unknown>>>;
    expect(Object.keys(raw)).toEqual(['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies']);
    const role = raw.RoleDetailList?.[0] as Record<string, unknown>;
    expect(role.CreateDate).toBe('2024-03-01T10:20:30+00:00');
    expect(role.RoleLastUsed).toEqual({ LastUsedDate: '2026-11-20T08:00:00.250000+00:00', Region: HOME });
    expect(typeof role.AssumeRolePolicyDocument).toBe('string');
    expect(String(role.AssumeRolePolicyDocument)).toMatch(/^%7B/);
    expect(JSON.stringify(raw)).not.toContain('$metadata');
  });

  it('retries a throttled call and then succeeds, with growing jittered waits', async () => {
    fake = fakeAws({ throttleAuthDetails: { [MEMBER]: 2 } });
    const { snapshot } = await collectAws(allAccounts, deps);
    expect(account(snapshot, MEMBER)).toBeDefined();
    // full jitter with random() = 0.5: half of base * 2^attempt
    expect(sleeps).toEqual([500, 1000]);
    expect(JSON.stringify(snapshot.errors)).not.toContain('Throttling');
  });

  it('records throttling that outlasts every retry, and collects the other accounts', async () => {
    fake = fakeAws({ throttleAuthDetails: { [MEMBER]: 10 } });
    const { snapshot } = await collectAws(allAccounts, deps);
    expect(account(snapshot, MEMBER)).toBeUndefined();
    expect(account(snapshot, MGMT)).toBeDefined();
    expect(sleeps).toHaveLength(3);
    expect(snapshot.errors).toContainEqual(
      expect.objectContaining({
        service: 'iam',
        operation: 'GetAccountAuthorizationDetails',
        code: 'ThrottlingException',
        message: expect.stringContaining(MEMBER),
      }),
    );
  });

  it('records AccessDenied on one service and still collects the others', async () => {
    fake = fakeAws({ deny: ['sqs'] });
    const { snapshot } = await collectAws(allAccounts, deps);
    const mgmt = account(snapshot, MGMT);
    expect(mgmt?.errors).toEqual([
      expect.objectContaining({
        service: 'sqs',
        operation: 'ListQueues',
        region: OTHER,
        code: 'AccessDeniedException',
      }),
      expect.objectContaining({
        service: 'sqs',
        operation: 'ListQueues',
        region: HOME,
        code: 'AccessDeniedException',
      }),
    ]);
    const types = new Set(mgmt?.resources?.map((r) => r.type));
    expect(types.has('sqs:queue')).toBe(false);
    for (const t of [
      's3:bucket',
      'kms:key',
      'lambda:function',
      'sns:topic',
      'secretsmanager:secret',
      'ecr:repository',
    ])
      expect(types.has(t as never)).toBe(true);
    // the member account is not denied
    expect(account(snapshot, MEMBER)?.errors).toEqual([]);
  });

  it('records an account whose role cannot be assumed and collects the rest', async () => {
    fake = fakeAws();
    const { snapshot } = await collectAws(allAccounts, deps);
    expect(snapshot.accounts.map((a) => a.accountId)).toEqual([MGMT, MEMBER]);
    expect(snapshot.errors).toEqual([
      expect.objectContaining({
        service: 'sts',
        operation: 'AssumeRole',
        code: 'AccessDeniedException',
        message: expect.stringContaining(
          `account ${LOCKED}: arn:aws:iam::${LOCKED}:role/OrganizationAccountAccessRole`,
        ),
      }),
    ]);
  });

  it('without --accounts, a role collects every active organization account', async () => {
    fake = fakeAws();
    const { snapshot } = await collectAws({ ...allAccounts, accounts: undefined }, deps);
    expect(snapshot.accounts.map((a) => a.accountId)).toEqual([MGMT, MEMBER]);
  });

  it('without a role, collects the caller account with the base credentials', async () => {
    fake = fakeAws({ deny: ['sqs', 'organizations'] });
    const { snapshot } = await collectAws({ regions: [HOME], services: ['s3', 'sqs'] }, deps);
    expect(snapshot.accounts.map((a) => a.accountId)).toEqual([MGMT]);
    // account errors stay with the account, run errors with the run
    expect(snapshot.accounts[0]?.errors?.map((e) => e.operation)).toEqual(['ListQueues']);
    expect(snapshot.errors?.map((e) => e.operation)).toEqual(['ListRoots']);
    expect(fake.stubs.sts?.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(snapshot.accounts[0]?.resources?.map((r) => r.type)).toEqual(['s3:bucket', 's3:bucket']);
  });

  it('with all regions, collects every enabled region of each account; a denied region list falls back to home', async () => {
    fake = fakeAws();
    const { snapshot } = await collectAws(
      { ...allAccounts, regions: [HOME], allRegions: true, services: ['sns'] },
      deps,
    );
    const regionsAsked = new Set<string>();
    for (const c of fake.stubs.sns?.calls() ?? [])
      regionsAsked.add(await (c.thisValue as { config: { region: () => Promise<string> } }).config.region());
    expect([...regionsAsked].sort()).toEqual([OTHER, HOME]);
    expect(account(snapshot, MEMBER)?.errors).toEqual([
      expect.objectContaining({
        service: 'ec2',
        operation: 'DescribeRegions',
        message: expect.stringContaining('home region only'),
      }),
    ]);
  });

  it('reads the organization through the management account role when the caller is denied', async () => {
    fake = fakeAws({ orgOnlyThroughRole: true });
    const { snapshot } = await collectAws({ ...allAccounts, services: [] }, deps);
    expect(snapshot.organization?.id).toBe('o-exampleorg1');
    expect(snapshot.errors?.map((e) => e.operation)).toEqual(['AssumeRole']); // only the locked account
    // one role session for the management account, shared by the organization read and the account
    const mgmtAssumes = fake.stubs.sts
      ?.commandCalls(AssumeRoleCommand)
      .filter((c) => c.args[0].input.RoleArn?.includes(MGMT));
    expect(mgmtAssumes).toHaveLength(1);
  });

  it('records a denied organization listing and keeps the accounts', async () => {
    fake = fakeAws({ deny: ['organizations'] });
    const { snapshot } = await collectAws({ regions: [HOME], services: [] }, deps);
    expect(snapshot.organization).toBeUndefined();
    expect(snapshot.errors).toContainEqual(
      expect.objectContaining({
        service: 'organizations',
        operation: 'ListRoots',
        code: 'AccessDeniedException',
      }),
    );
    expect(snapshot.accounts).toHaveLength(1);
  });

  it('never reads or writes secret values', async () => {
    fake = fakeAws();
    const result = await collectAws(allAccounts, deps);
    writeAwsSnapshotDir(dir, result);
    expect(fake.stubs.secretsmanager?.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    const written = [
      readFileSync(join(dir, SNAPSHOT_FILE), 'utf8'),
      ...readdirSync(join(dir, RAW_DIR)).map((f) => readFileSync(join(dir, RAW_DIR, f), 'utf8')),
    ].join('\n');
    for (const secret of [
      SECRET_VALUE,
      LAMBDA_ENV_VALUE,
      CODEBUILD_ENV_VALUE,
      'AKIAFAKEKEY',
      BASE_CREDENTIALS.secretAccessKey,
      'SESSION',
      COMPUTE_SECRET,
    ])
      expect(written).not.toContain(secret);
    // the secret's metadata and policy are there
    const secret = account(result.snapshot, MGMT)?.resources?.find((r) => r.type === 'secretsmanager:secret');
    expect(secret).toMatchObject({
      name: 'db',
      tags: { team: 'payments' },
      policy: expect.stringContaining('GetSecretValue'),
    });
  });

  it('writes a snapshot that validates against the schema, with resources, roles and last use', async () => {
    fake = fakeAws();
    const { snapshot } = await collectAws(allAccounts, deps);
    expect(() => validate(snapshot, 'collected')).not.toThrow();
    const mgmt = account(snapshot, MGMT);
    const byType = (t: string) => mgmt?.resources?.filter((r) => r.type === t) ?? [];
    expect(byType('s3:bucket')).toEqual([
      {
        arn: 'arn:aws:s3:::acme-data',
        type: 's3:bucket',
        name: 'acme-data',
        region: OTHER,
        policy: expect.stringContaining(OUTSIDER),
        publicAccessBlock: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      },
      {
        arn: 'arn:aws:s3:::acme-logs',
        type: 's3:bucket',
        name: 'acme-logs',
        region: HOME,
        policy: null,
        publicAccessBlock: {},
      },
    ]);
    expect(byType('lambda:function')[0]).toMatchObject({
      roleArn: `arn:aws:iam::${MGMT}:role/resize-fn`,
      policy: null,
    });
    expect(byType('ec2:instance')[0]).toMatchObject({
      name: 'app-1',
      instanceProfileArn: `arn:aws:iam::${MGMT}:instance-profile/app-server`,
      roleArn: `arn:aws:iam::${MGMT}:role/app-server`,
    });
    for (const t of [
      'cloudformation:stack',
      'glue:devendpoint',
      'sagemaker:notebook-instance',
      'codebuild:project',
    ])
      expect(byType(t)[0]?.roleArn).toBe(`arn:aws:iam::${MGMT}:role/app-server`);
    expect(byType('kms:key')[0]).toMatchObject({
      name: 'alias/data',
      policy: expect.stringContaining('kms:*'),
    });
    expect(byType('sqs:queue')[0]).toMatchObject({ arn: `arn:aws:sqs:${HOME}:${MGMT}:jobs`, policy: null });
    expect(byType('ecr:repository')[0]).toMatchObject({ name: 'web', policy: null });
    expect(mgmt?.alias).toBe('acme-mgmt');
    expect(mgmt?.lastUsed).toEqual([
      {
        arn: `arn:aws:iam::${MGMT}:user/alice`,
        passwordLastUsed: '2026-11-01T12:00:00+00:00',
        accessKeysLastUsed: ['2026-11-25T09:30:00+00:00'],
      },
    ]);
    expect(snapshot.organization?.policies?.map((p) => [p.id, p.targets])).toEqual([
      ['p-FullAWSAccess', [MGMT, MEMBER, LOCKED, 'ou-ab12-prodacct1', 'r-ab12']],
      ['p-denyleave1', ['ou-ab12-prodacct1']],
    ]);
  });

  it('the schema check used above rejects a broken snapshot', async () => {
    fake = fakeAws();
    const { snapshot } = await collectAws({ regions: [HOME], services: [] }, deps);
    const broken = JSON.parse(JSON.stringify(snapshot));
    broken.accounts[0].accountId = 'not-an-account';
    expect(() => validate(broken, 'broken')).toThrow(IngestError);
  });

  it('re-running into the same directory gives the same bytes and drops exports of accounts no longer collected', async () => {
    fake = fakeAws();
    const first = writeAwsSnapshotDir(dir, await collectAws(allAccounts, deps));
    const before = readFileSync(first.snapshot, 'utf8');
    writeFileSync(join(dir, RAW_DIR, rawExportName('555555555555')), '{}');
    const second = writeAwsSnapshotDir(dir, await collectAws(allAccounts, deps));
    expect(readFileSync(second.snapshot, 'utf8')).toBe(before);
    expect(readdirSync(join(dir, RAW_DIR)).sort()).toEqual([rawExportName(MGMT), rawExportName(MEMBER)]);
    // no temporary files left behind
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('collect aws → ingest', () => {
  it('the directory ingests cleanly into the organization and account sources with the expected graph', async () => {
    fake = fakeAws();
    writeAwsSnapshotDir(dir, await collectAws(allAccounts, deps));
    const docs = readInputs([dir]);
    expect(docs.map((d) => d.file)).toEqual([join(dir, SNAPSHOT_FILE)]);
    const sources = await ingestDocuments(docs);
    expect(sources.map((s) => s.descriptor.id).sort()).toEqual(
      [`aws:${MEMBER}`, `aws:${MGMT}`, 'aws:org/o-exampleorg1'].sort(),
    );
    const mgmt = sources.find((s) => s.descriptor.id === `aws:${MGMT}`);
    // the only warnings are the recorded collection errors (the locked account's AssumeRole)
    expect(sources.flatMap((s) => s.warnings).join('\n')).not.toMatch(/not in the account's IAM export/);
    const org = sources.find((s) => s.descriptor.id === 'aws:org/o-exampleorg1');
    const edge = (kind: string, from: string, to: string) =>
      mgmt?.edges.find((e) => e.kind === kind && e.from === from && e.to === to);
    expect(mgmt?.nodes.find((n) => n.id === 'arn:aws:s3:::acme-data')).toMatchObject({ kind: 'Resource' });
    expect(
      edge(
        'RUNS_AS',
        `arn:aws:lambda:${HOME}:${MGMT}:function:resize`,
        `arn:aws:iam::${MGMT}:role/resize-fn`,
      ),
    ).toBeDefined();
    expect(
      edge('RUNS_AS', `arn:aws:ec2:${HOME}:${MGMT}:instance/i-0app`, `arn:aws:iam::${MGMT}:role/app-server`),
    ).toBeDefined();
    // the bucket policy's cross-account grant becomes an access edge from the outside account
    const partner = mgmt?.edges.find(
      (e) =>
        e.kind === 'HAS_ACCESS' && e.from.includes(OUTSIDER) && e.to.startsWith('arn:aws:s3:::acme-data'),
    );
    expect(partner?.via).toBeTruthy();
    expect(mgmt?.nodes.find((n) => n.id === `arn:aws:iam::${MGMT}:user/alice`)?.props).toMatchObject({
      lastUsed: '2026-11-25T09:30:00+00:00',
    });
    expect(
      org?.edges.some(
        (e) =>
          e.kind === 'ATTACHED_TO' && e.from.endsWith('/p-denyleave1') && e.to.endsWith('/ou-ab12-prodacct1'),
      ),
    ).toBe(true);
  });

  it('each raw export ingests on its own as a get-account-authorization-details export', async () => {
    fake = fakeAws();
    writeAwsSnapshotDir(dir, await collectAws(allAccounts, deps));
    const sources = await ingestDocuments(readInputs([join(dir, RAW_DIR, rawExportName(MGMT))]));
    expect(sources.map((s) => s.descriptor.id)).toEqual([`aws:${MGMT}`]);
    expect(sources[0]?.nodes.some((n) => n.id === `arn:aws:iam::${MGMT}:role/resize-fn`)).toBe(true);
  });
});
