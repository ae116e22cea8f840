/**
 * EC2 launch templates, Glue jobs and CloudFormation StackSets: collected page by page,
 * best effort per type, and written so that the ingest links each to the role it runs as and
 * the escalation detector finds the techniques that go through them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListStackSetsCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { GetJobsCommand } from '@aws-sdk/client-glue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphEdgeOf } from '../../graph/model.js';
import { readInputs } from '../../ingest/read-inputs.js';
import { ingestDocuments } from '../../ingest/registry.js';
import { compileSchema } from '../../ingest/schema-validate.js';
import type { IngestedSource } from '../../ingest/types.js';
import { packagePath } from '../../lib/package-root.js';
import { type CollectAwsOptions, collectAws } from './collect-aws.js';
import type { SnapshotAccount } from './snapshot-types.js';
import {
  BASE_CREDENTIALS,
  type FakeAws,
  fakeAws,
  HOME,
  MEMBER,
  MGMT,
  OTHER,
} from './test-support/fake-aws.js';
import { writeAwsSnapshotDir } from './write-snapshot.js';

const validate = compileSchema(
  JSON.parse(readFileSync(packagePath('docs', 'schema', 'aws-snapshot.schema.json'), 'utf8')),
);
const sleeps: number[] = [];
const deps = {
  credentials: BASE_CREDENTIALS,
  now: () => new Date('2026-11-29T12:00:00Z'),
  retry: { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5, retries: 3 },
};
const opts: CollectAwsOptions = {
  regions: [HOME, OTHER],
  services: ['ec2', 'glue', 'cloudformation'],
  accounts: [MGMT, MEMBER],
  roleName: 'OrganizationAccountAccessRole',
};

const role = (path: string) => `arn:aws:iam::${MGMT}:role/${path}`;
const APP_ROLE = role('app-server');
const APP_PROFILE = `arn:aws:iam::${MGMT}:instance-profile/app-server`;
const ETL_ROLE = role('service-role/etl');
const EXEC_ROLE = role('AWSCloudFormationStackSetExecutionRole');
const ADMIN_ROLE = role('AWSCloudFormationStackSetAdministrationRole');
const LT = (id: string) => `arn:aws:ec2:${HOME}:${MGMT}:launch-template/${id}`;
const JOB = (name: string) => `arn:aws:glue:${HOME}:${MGMT}:job/${name}`;
const STACKSET = (name: string) =>
  `arn:aws:cloudformation:${HOME}:${MGMT}:stackset/${name}:0a1b2c3d-1111-2222-3333-444455556666`;

let fake: FakeAws;
let dir: string;
beforeEach(() => {
  sleeps.length = 0;
  dir = mkdtempSync(join(tmpdir(), 'accessgraph-role-carriers-'));
});
afterEach(() => {
  fake?.restore();
  rmSync(dir, { recursive: true, force: true });
});

async function collectMgmt(): Promise<{ mgmt: SnapshotAccount; member: SnapshotAccount | undefined }> {
  const { snapshot } = await collectAws(opts, deps);
  const mgmt = snapshot.accounts.find((a) => a.accountId === MGMT);
  if (!mgmt) throw new Error('management account not collected');
  return { mgmt, member: snapshot.accounts.find((a) => a.accountId === MEMBER) };
}
const ofType = (a: SnapshotAccount, type: string) => a.resources?.filter((r) => r.type === type) ?? [];

describe('collect aws: launch templates, Glue jobs, StackSets', () => {
  it('reads every page and each resource with the role it runs as', async () => {
    fake = fakeAws();
    const { mgmt, member } = await collectMgmt();
    expect(ofType(mgmt, 'ec2:launch-template')).toEqual([
      { arn: LT('lt-0bare'), type: 'ec2:launch-template', name: 'bare', region: HOME },
      // named by its profile's name in the template; the ARN and role come from the IAM export
      {
        arn: LT('lt-0batch'),
        type: 'ec2:launch-template',
        name: 'batch',
        region: HOME,
        instanceProfileArn: APP_PROFILE,
        roleArn: APP_ROLE,
      },
      {
        arn: LT('lt-0web'),
        type: 'ec2:launch-template',
        name: 'web',
        region: HOME,
        tags: { team: 'web' },
        instanceProfileArn: APP_PROFILE,
        roleArn: APP_ROLE,
      },
    ]);
    // one account-wide listing of latest versions, both pages, not a call per template
    const versionCalls = fake.stubs.ec2?.commandCalls(DescribeLaunchTemplateVersionsCommand) ?? [];
    expect(versionCalls.map((c) => c.args[0].input)).toEqual([
      { Versions: ['$Latest'], MaxResults: 200 },
      { Versions: ['$Latest'], MaxResults: 200, NextToken: 'ltv-2' },
    ]);
    expect(ofType(mgmt, 'glue:job')).toEqual([
      { arn: JOB('export'), type: 'glue:job', name: 'export', region: HOME, roleArn: APP_ROLE },
      // the job names its role by bare name; the export knows its path
      { arn: JOB('nightly'), type: 'glue:job', name: 'nightly', region: HOME, roleArn: ETL_ROLE },
    ]);
    expect(ofType(mgmt, 'cloudformation:stackset')).toEqual([
      // service-managed: service-linked roles, none written
      { arn: STACKSET('guardrails'), type: 'cloudformation:stackset', name: 'guardrails', region: HOME },
      {
        arn: STACKSET('landing-zone'),
        type: 'cloudformation:stackset',
        name: 'landing-zone',
        region: HOME,
        tags: { owner: 'platform' },
        roleArn: EXEC_ROLE,
      },
    ]);
    expect(
      fake.stubs.cloudformation?.commandCalls(ListStackSetsCommand).map((c) => c.args[0].input),
    ).toContainEqual({ Status: 'ACTIVE', NextToken: 'ss-2' });
    // the sibling collectors of each service still ran
    for (const t of ['ec2:instance', 'glue:devendpoint', 'cloudformation:stack'])
      expect(ofType(mgmt, t)).toHaveLength(1);
    expect(mgmt.errors).toEqual([]);
    expect(member?.errors).toEqual([]);
  });

  it('retries a throttled page on its own', async () => {
    fake = fakeAws({ throttleGlueJobsPage2: 2 });
    const { mgmt } = await collectMgmt();
    expect(ofType(mgmt, 'glue:job').map((r) => r.name)).toEqual(['export', 'nightly']);
    expect(sleeps).toEqual([500, 1000]);
    const tokens = fake.stubs.glue?.commandCalls(GetJobsCommand).map((c) => c.args[0].input.NextToken);
    // MGMT home: page 1 once, page 2 three times; the other account/region pairs once each
    expect(tokens?.filter((t) => t === undefined)).toHaveLength(4);
    expect(tokens?.filter((t) => t === 'jobs-2')).toHaveLength(3);
  });

  it.each([
    [
      'ec2-launch-templates',
      'ec2',
      'DescribeLaunchTemplates',
      'UnauthorizedOperation',
      'ec2:launch-template',
    ],
    ['glue-jobs', 'glue', 'GetJobs', 'AccessDeniedException', 'glue:job'],
    [
      'cloudformation-stacksets',
      'cloudformation',
      'ListStackSets',
      'AccessDenied',
      'cloudformation:stackset',
    ],
  ] as const)(
    'records a denied %s listing in both regions and keeps the rest of the service',
    async (denial, service, operation, code, type) => {
      fake = fakeAws({ deny: [denial] });
      const { mgmt } = await collectMgmt();
      expect(mgmt.errors).toEqual(
        [OTHER, HOME].map((region) => expect.objectContaining({ service, operation, region, code })),
      );
      expect(ofType(mgmt, type)).toEqual([]);
      for (const t of ['ec2:instance', 'glue:devendpoint', 'cloudformation:stack'])
        expect(ofType(mgmt, t)).toHaveLength(1);
    },
  );

  it('keeps launch templates whose versions are denied, without profiles, and says so', async () => {
    fake = fakeAws({ deny: ['ec2-launch-template-versions'] });
    const { mgmt } = await collectMgmt();
    expect(ofType(mgmt, 'ec2:launch-template').map((r) => [r.name, r.roleArn])).toEqual([
      ['bare', undefined],
      ['batch', undefined],
      ['web', undefined],
    ]);
    expect(mgmt.errors).toEqual([
      expect.objectContaining({
        service: 'ec2',
        operation: 'DescribeLaunchTemplateVersions',
        region: HOME,
        code: 'UnauthorizedOperation',
        message: expect.stringContaining('without their instance profiles'),
      }),
    ]);
  });

  it('keeps StackSets that cannot be described, without roles, one error each', async () => {
    fake = fakeAws({ deny: ['cloudformation-describe-stackset'] });
    const { mgmt } = await collectMgmt();
    expect(ofType(mgmt, 'cloudformation:stackset')).toEqual([
      { arn: STACKSET('guardrails'), type: 'cloudformation:stackset', name: 'guardrails', region: HOME },
      { arn: STACKSET('landing-zone'), type: 'cloudformation:stackset', name: 'landing-zone', region: HOME },
    ]);
    expect(mgmt.errors?.map((e) => [e.operation, e.code, e.message.split(':')[0]])).toEqual([
      ['DescribeStackSet', 'AccessDenied', 'arn'],
      ['DescribeStackSet', 'AccessDenied', 'arn'],
    ]);
    expect(mgmt.errors?.map((e) => e.message)).toEqual([
      expect.stringContaining(STACKSET('guardrails')),
      expect.stringContaining(STACKSET('landing-zone')),
    ]);
  });
});

describe('collect aws → ingest: launch templates, Glue jobs, StackSets', () => {
  const escalations = (srcs: IngestedSource[], technique: string) =>
    srcs.flatMap((s) =>
      s.edges.filter(
        (e): e is GraphEdgeOf<'CAN_ESCALATE'> => e.kind === 'CAN_ESCALATE' && e.props.technique === technique,
      ),
    );
  const ingestCollected = async (fakeOpts: Parameters<typeof fakeAws>[0] = {}) => {
    fake = fakeAws(fakeOpts);
    const result = await collectAws(opts, deps);
    expect(() => validate(result.snapshot, 'collected')).not.toThrow();
    writeAwsSnapshotDir(dir, result);
    const srcs = await ingestDocuments(readInputs([dir]));
    fake.restore();
    return srcs;
  };

  it('validates, links each resource to its role, and the detector escalates through them', async () => {
    const srcs = await ingestCollected();
    const mgmt = srcs.find((s) => s.descriptor.id === `aws:${MGMT}`);
    const runsAs = (from: string, to: string) =>
      mgmt?.edges.some((e) => e.kind === 'RUNS_AS' && e.from === from && e.to === to);
    expect(runsAs(LT('lt-0web'), APP_ROLE)).toBe(true);
    expect(runsAs(LT('lt-0batch'), APP_ROLE)).toBe(true);
    expect(runsAs(JOB('nightly'), ETL_ROLE)).toBe(true);
    expect(runsAs(STACKSET('landing-zone'), EXEC_ROLE)).toBe(true);
    expect(mgmt?.nodes.find((n) => n.id === LT('lt-0web'))).toMatchObject({
      kind: 'Resource',
      type: 'ec2:launch-template',
      props: { instanceProfileArn: APP_PROFILE, tags: { team: 'web' } },
    });

    // ec2-004: a new default template version runs as the template's instance profile role
    const lt = escalations(srcs, 'ec2-004');
    expect(lt.length).toBeGreaterThan(0);
    expect(lt.every((e) => e.to === APP_ROLE)).toBe(true);
    expect(lt.map((e) => e.props.through)).toEqual(
      expect.arrayContaining([expect.stringMatching(/launch-template\/lt-0(web|batch)$/)]),
    );
    // glue-005 and cloudformation-004 need an existing job / StackSet: listed, so no assumption
    const glue = escalations(srcs, 'glue-005');
    expect(glue.map((e) => e.to)).toContain(ETL_ROLE);
    expect(glue.every((e) => e.props.assumes === undefined)).toBe(true);
    const stackset = escalations(srcs, 'cloudformation-004');
    expect(stackset.map((e) => e.to)).toContain(ADMIN_ROLE);
    expect(stackset.every((e) => e.props.assumes === undefined)).toBe(true);
  });

  it('without the listings the same edges only assume that a job / StackSet exists', async () => {
    const srcs = await ingestCollected({ deny: ['glue-jobs', 'cloudformation-stacksets'] });
    expect(escalations(srcs, 'glue-005')[0]?.props.assumes).toEqual(['a glue:job exists']);
    expect(escalations(srcs, 'cloudformation-004')[0]?.props.assumes).toEqual([
      'a cloudformation:stackset exists',
    ]);
    // and the denials reach the ingest as warnings
    expect(srcs.flatMap((s) => s.warnings).join('\n')).toMatch(/glue GetJobs/);
  });
});
