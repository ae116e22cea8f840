/**
 * EC2 launch templates, Glue jobs and CloudFormation StackSets: collected page by page,
 * best effort per type, and written so that the ingest links each to the role it runs as and
 * the escalation detector finds the techniques that go through them.
 */
import { ListStackSetsCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { GetJobsCommand } from '@aws-sdk/client-glue';
import { describe, expect, it } from 'vitest';
import { collectHarness, escalations, ofType, runsAs } from './test-support/collect-harness.js';
import { HOME, MEMBER, MGMT, OTHER } from './test-support/fake-aws.js';

const run = collectHarness({
  regions: [HOME, OTHER],
  services: ['ec2', 'glue', 'cloudformation'],
  accounts: [MGMT, MEMBER],
  roleName: 'OrganizationAccountAccessRole',
});
const { sleeps } = run;

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

describe('collect aws: launch templates, Glue jobs, StackSets', () => {
  it('reads every page and each resource with the role it runs as', async () => {
    const { mgmt, member } = await run.collectMgmt();
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
    const versionCalls = run.fake().stubs.ec2?.commandCalls(DescribeLaunchTemplateVersionsCommand) ?? [];
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
      run
        .fake()
        .stubs.cloudformation?.commandCalls(ListStackSetsCommand)
        .map((c) => c.args[0].input),
    ).toContainEqual({ Status: 'ACTIVE', NextToken: 'ss-2' });
    // the sibling collectors of each service still ran
    for (const t of ['ec2:instance', 'glue:devendpoint', 'cloudformation:stack'])
      expect(ofType(mgmt, t)).toHaveLength(1);
    expect(mgmt.errors).toEqual([]);
    expect(member?.errors).toEqual([]);
  });

  it('retries a throttled page on its own', async () => {
    const { mgmt } = await run.collectMgmt({ throttleGlueJobsPage2: 2 });
    expect(ofType(mgmt, 'glue:job').map((r) => r.name)).toEqual(['export', 'nightly']);
    expect(sleeps).toEqual([500, 1000]);
    const tokens = run
      .fake()
      .stubs.glue?.commandCalls(GetJobsCommand)
      .map((c) => c.args[0].input.NextToken);
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
      const { mgmt } = await run.collectMgmt({ deny: [denial] });
      expect(mgmt.errors).toEqual(
        [OTHER, HOME].map((region) => expect.objectContaining({ service, operation, region, code })),
      );
      expect(ofType(mgmt, type)).toEqual([]);
      for (const t of ['ec2:instance', 'glue:devendpoint', 'cloudformation:stack'])
        expect(ofType(mgmt, t)).toHaveLength(1);
    },
  );

  it('keeps launch templates whose versions are denied, without profiles, and says so', async () => {
    const { mgmt } = await run.collectMgmt({ deny: ['ec2-launch-template-versions'] });
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
    const { mgmt } = await run.collectMgmt({ deny: ['cloudformation-describe-stackset'] });
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
  it('validates, links each resource to its role, and the detector escalates through them', async () => {
    const srcs = await run.ingestCollected();
    const mgmt = srcs.find((s) => s.descriptor.id === `aws:${MGMT}`);
    expect(runsAs(srcs, MGMT, LT('lt-0web'), APP_ROLE)).toBe(true);
    expect(runsAs(srcs, MGMT, LT('lt-0batch'), APP_ROLE)).toBe(true);
    expect(runsAs(srcs, MGMT, JOB('nightly'), ETL_ROLE)).toBe(true);
    expect(runsAs(srcs, MGMT, STACKSET('landing-zone'), EXEC_ROLE)).toBe(true);
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
    const srcs = await run.ingestCollected({ deny: ['glue-jobs', 'cloudformation-stacksets'] });
    expect(escalations(srcs, 'glue-005')[0]?.props.assumes).toEqual(['a glue:job exists']);
    expect(escalations(srcs, 'cloudformation-004')[0]?.props.assumes).toEqual([
      'a cloudformation:stackset exists',
    ]);
    // and the denials reach the ingest as warnings
    expect(srcs.flatMap((s) => s.warnings).join('\n')).toMatch(/glue GetJobs/);
  });
});
