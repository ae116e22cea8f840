/**
 * The fake organization's role-carrying compute beyond instances and stacks: EC2 launch
 * templates, Glue jobs and CloudFormation StackSets, answered the way the APIs answer (two
 * pages each, roles by name where the API gives names, secrets in fields the collector must
 * drop). Installed by fakeAws on its EC2, Glue and CloudFormation mocks; everything lives in
 * the management account's home region.
 */
import {
  type CloudFormationClient,
  DescribeStackSetCommand,
  ListStackSetsCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { GetJobsCommand, type GlueClient } from '@aws-sdk/client-glue';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/** Written into fields the collector must not copy (user data, job arguments, templates). */
export const COMPUTE_SECRET = 'fake-compute-secret-do-not-write';

export type RoleCarrierDenial =
  | 'ec2-launch-templates'
  | 'ec2-launch-template-versions'
  | 'glue-jobs'
  | 'cloudformation-stacksets'
  | 'cloudformation-describe-stackset';

// biome-ignore lint/suspicious/noExplicitAny: the mock's getClient type differs per client class
type Getter = () => any;

export interface RoleCarrierEnv {
  account: string;
  region: string;
  deny: ReadonlySet<string>;
  inHome: (g: Getter) => Promise<boolean>;
  error: (name: string, message: string) => Error;
  /** how many times the second GetJobs page is throttled before it answers */
  throttleJobsPage2?: number;
  throttled: () => Error;
}

const urlEncoded = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
/** A trust policy as the IAM export has it (URL-encoded). */
export const trusting = (principal: Record<string, string>) =>
  urlEncoded({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  });

/** The roles these resources run as, as RoleDetailList rows of the account's IAM export. */
export function roleCarrierRoles(account: string, created: Date): Array<Record<string, unknown>> {
  const role = (name: string, path: string, id: string, trust: string, admin = false) => ({
    Path: path,
    RoleName: name,
    RoleId: id,
    Arn: `arn:aws:iam::${account}:role${path}${name}`,
    CreateDate: created,
    AssumeRolePolicyDocument: trust,
    InstanceProfileList: [],
    RolePolicyList: [],
    AttachedManagedPolicies: admin
      ? [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]
      : [],
  });
  return [
    // a path, so only the export can turn the job's bare role name into the ARN
    role('etl', '/service-role/', 'AROAETL00000000000001', trusting({ Service: 'glue.amazonaws.com' })),
    role(
      'AWSCloudFormationStackSetAdministrationRole',
      '/',
      'AROASTACKSETADMIN0001',
      trusting({ Service: 'cloudformation.amazonaws.com' }),
    ),
    role(
      'AWSCloudFormationStackSetExecutionRole',
      '/',
      'AROASTACKSETEXEC00001',
      trusting({ AWS: `arn:aws:iam::${account}:root` }),
      true,
    ),
  ];
}

export const ROLE_CARRIER_ACTIONS = [
  'ec2:CreateLaunchTemplateVersion',
  'ec2:ModifyLaunchTemplate',
  'glue:UpdateJob',
  'glue:StartJobRun',
  'cloudformation:UpdateStackSet',
];

export function installRoleCarriers(
  stubs: {
    ec2: AwsClientStub<EC2Client>;
    glue: AwsClientStub<GlueClient>;
    cloudformation: AwsClientStub<CloudFormationClient>;
  },
  env: RoleCarrierEnv,
  appProfileArn: string,
  appRoleArn: string,
): void {
  const { account, region, deny } = env;
  let jobsThrottles = env.throttleJobsPage2 ?? 0;
  const userData = Buffer.from(`#!/bin/sh\nexport DB_PASSWORD=${COMPUTE_SECRET}\n`).toString('base64');

  stubs.ec2.on(DescribeLaunchTemplatesCommand).callsFake(async (input: { NextToken?: string }, g: Getter) => {
    if (deny.has('ec2-launch-templates'))
      throw env.error('UnauthorizedOperation', 'You are not authorized to perform this operation.');
    if (!(await env.inHome(g))) return { LaunchTemplates: [] };
    return input.NextToken === 'lt-2'
      ? {
          LaunchTemplates: [
            { LaunchTemplateId: 'lt-0batch', LaunchTemplateName: 'batch', LatestVersionNumber: 1 },
            { LaunchTemplateId: 'lt-0bare', LaunchTemplateName: 'bare', LatestVersionNumber: 1 },
          ],
        }
      : {
          LaunchTemplates: [
            {
              LaunchTemplateId: 'lt-0web',
              LaunchTemplateName: 'web',
              LatestVersionNumber: 3,
              Tags: [{ Key: 'team', Value: 'web' }],
            },
          ],
          NextToken: 'lt-2',
        };
  });
  stubs.ec2
    .on(DescribeLaunchTemplateVersionsCommand)
    .callsFake(
      async (input: { NextToken?: string; Versions?: string[]; LaunchTemplateId?: string }, g: Getter) => {
        if (deny.has('ec2-launch-template-versions'))
          throw env.error('UnauthorizedOperation', 'You are not authorized to perform this operation.');
        // the account-wide form: no template id, `$Latest` only
        if (input.LaunchTemplateId || input.Versions?.join() !== '$Latest')
          throw env.error('InvalidParameterCombination', 'unexpected request in the fake');
        if (!(await env.inHome(g))) return { LaunchTemplateVersions: [] };
        return input.NextToken === 'ltv-2'
          ? {
              LaunchTemplateVersions: [
                {
                  LaunchTemplateId: 'lt-0batch',
                  VersionNumber: 1,
                  LaunchTemplateData: { IamInstanceProfile: { Name: 'app-server' } },
                },
                { LaunchTemplateId: 'lt-0bare', VersionNumber: 1, LaunchTemplateData: {} },
              ],
            }
          : {
              LaunchTemplateVersions: [
                {
                  LaunchTemplateId: 'lt-0web',
                  VersionNumber: 3,
                  LaunchTemplateData: { IamInstanceProfile: { Arn: appProfileArn }, UserData: userData },
                },
              ],
              NextToken: 'ltv-2',
            };
      },
    );

  stubs.glue.on(GetJobsCommand).callsFake(async (input: { NextToken?: string }, g: Getter) => {
    if (deny.has('glue-jobs'))
      throw env.error('AccessDeniedException', `not authorized to perform: glue:GetJobs`);
    if (!(await env.inHome(g))) return { Jobs: [] };
    if (input.NextToken === 'jobs-2' && jobsThrottles > 0) {
      jobsThrottles--;
      throw env.throttled();
    }
    return input.NextToken === 'jobs-2'
      ? { Jobs: [{ Name: 'export', Role: appRoleArn, Command: { Name: 'glueetl' } }] }
      : {
          Jobs: [
            {
              Name: 'nightly',
              Role: 'etl',
              Command: { Name: 'glueetl', ScriptLocation: 's3://acme-etl/nightly.py' },
              DefaultArguments: { '--db-password': COMPUTE_SECRET },
            },
          ],
          NextToken: 'jobs-2',
        };
  });

  const stackSetId = (name: string) => `${name}:0a1b2c3d-1111-2222-3333-444455556666`;
  stubs.cloudformation
    .on(ListStackSetsCommand)
    .callsFake(async (input: { NextToken?: string; Status?: string }, g: Getter) => {
      if (deny.has('cloudformation-stacksets'))
        throw env.error('AccessDenied', `not authorized to perform: cloudformation:ListStackSets`);
      if (input.Status !== 'ACTIVE' || !(await env.inHome(g))) return { Summaries: [] };
      return input.NextToken === 'ss-2'
        ? {
            Summaries: [
              {
                StackSetName: 'guardrails',
                StackSetId: stackSetId('guardrails'),
                Status: 'ACTIVE',
                PermissionModel: 'SERVICE_MANAGED',
              },
            ],
          }
        : {
            Summaries: [
              {
                StackSetName: 'landing-zone',
                StackSetId: stackSetId('landing-zone'),
                Status: 'ACTIVE',
                PermissionModel: 'SELF_MANAGED',
              },
            ],
            NextToken: 'ss-2',
          };
    });
  stubs.cloudformation.on(DescribeStackSetCommand).callsFake((input: { StackSetName: string }) => {
    if (deny.has('cloudformation-describe-stackset'))
      throw env.error('AccessDenied', `not authorized to perform: cloudformation:DescribeStackSet`);
    const managed = input.StackSetName === 'guardrails';
    return {
      StackSet: {
        StackSetName: input.StackSetName,
        StackSetId: stackSetId(input.StackSetName),
        StackSetARN: `arn:aws:cloudformation:${region}:${account}:stackset/${stackSetId(input.StackSetName)}`,
        Status: 'ACTIVE',
        PermissionModel: managed ? 'SERVICE_MANAGED' : 'SELF_MANAGED',
        TemplateBody: `Parameters: {Token: {Default: ${COMPUTE_SECRET}}}`,
        Parameters: [{ ParameterKey: 'Token', ParameterValue: COMPUTE_SECRET }],
        ...(managed
          ? {}
          : {
              AdministrationRoleARN: `arn:aws:iam::${account}:role/AWSCloudFormationStackSetAdministrationRole`,
              ExecutionRoleName: 'AWSCloudFormationStackSetExecutionRole',
              Tags: [{ Key: 'owner', Value: 'platform' }],
            }),
      },
    };
  });
}
