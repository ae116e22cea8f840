/**
 * A small fake AWS organization behind aws-sdk-client-mock, answering the way the real APIs
 * answer (Date objects, URL-encoded IAM policy documents, page tokens, service error names).
 * Three accounts: MGMT (the caller, management account), MEMBER, and LOCKED whose role cannot
 * be assumed. Every handler looks at the calling client's credentials and region, so one mock
 * per client class serves every account and region.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { BatchGetProjectsCommand, CodeBuildClient, ListProjectsCommand } from '@aws-sdk/client-codebuild';
import { DescribeInstancesCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand, ECRClient, GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { GetDevEndpointsCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { GetKeyPolicyCommand, KMSClient, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetPolicyCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribeNotebookInstanceCommand,
  ListNotebookInstancesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetTopicAttributesCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CONTAINER_CARRIER_ACTIONS,
  type ContainerCarrierDenial,
  containerCarrierRoles,
  installContainerCarriers,
} from './fake-container-carriers.js';
import {
  installRoleCarriers,
  ROLE_CARRIER_ACTIONS,
  type RoleCarrierDenial,
  roleCarrierRoles,
} from './fake-role-carriers.js';

type Stub = ReturnType<typeof mockClient>;

export const MGMT = '111122223333';
export const MEMBER = '123456789012';
export const LOCKED = '444455556666';
export const OUTSIDER = '999988887777';
export const HOME = 'us-east-1';
export const OTHER = 'eu-west-1';

/** Values the collector must never write anywhere. */
export const SECRET_VALUE = 'fake-secret-value-do-not-write';
export const LAMBDA_ENV_VALUE = 'fake-lambda-env-value-do-not-write';
export const CODEBUILD_ENV_VALUE = 'fake-codebuild-env-value-do-not-write';

/** Base credentials of the caller; assumed-role sessions get `SESSION<account>`. */
export const BASE_CREDENTIALS = { accessKeyId: 'BASEKEY', secretAccessKey: 'base' };

const iamArn = (acct: string, rest: string) => `arn:aws:iam::${acct}:${rest}`;
const urlEncoded = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
const json = (doc: unknown) => JSON.stringify(doc);

/** An AWS SDK service error as the SDK throws it (name = error code). */
export function awsError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    ...extra,
  });
}
export const throttled = () =>
  awsError('ThrottlingException', 'Rate exceeded', { $retryable: { throttling: true } });

const CREATED = new Date('2024-03-01T10:20:30Z');
const LAST_USED = new Date('2026-11-20T08:00:00.250Z');

const LAMBDA_ROLE = iamArn(MGMT, 'role/resize-fn');
const APP_ROLE = iamArn(MGMT, 'role/app-server');
const APP_PROFILE = iamArn(MGMT, 'instance-profile/app-server');

/** Authorization details pages per account, as the API returns them. */
function authPages(acct: string): Array<Record<string, unknown>> {
  if (acct === MGMT) {
    return [
      {
        UserDetailList: [
          {
            Path: '/',
            UserName: 'alice',
            UserId: 'AIDAALICE0000000000001',
            Arn: iamArn(MGMT, 'user/alice'),
            CreateDate: CREATED,
            GroupList: ['devs'],
            AttachedManagedPolicies: [],
            UserPolicyList: [
              {
                PolicyName: 'read-data',
                PolicyDocument: urlEncoded({
                  Version: '2012-10-17',
                  Statement: [
                    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-data/*' },
                  ],
                }),
              },
            ],
          },
        ],
        GroupDetailList: [
          {
            Path: '/',
            GroupName: 'devs',
            GroupId: 'AGPADEVS00000000000001',
            Arn: iamArn(MGMT, 'group/devs'),
            CreateDate: CREATED,
            GroupPolicyList: [],
            AttachedManagedPolicies: [
              { PolicyName: 'lambda-deploy', PolicyArn: iamArn(MGMT, 'policy/lambda-deploy') },
            ],
          },
        ],
        RoleDetailList: [],
        Policies: [],
        IsTruncated: true,
        Marker: 'auth-page-2',
        $metadata: { httpStatusCode: 200 },
      },
      {
        UserDetailList: [],
        GroupDetailList: [],
        RoleDetailList: [
          {
            Path: '/',
            RoleName: 'resize-fn',
            RoleId: 'AROARESIZE000000000001',
            Arn: LAMBDA_ROLE,
            CreateDate: CREATED,
            AssumeRolePolicyDocument: urlEncoded({
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
              ],
            }),
            InstanceProfileList: [],
            RolePolicyList: [],
            AttachedManagedPolicies: [],
            Tags: [],
            RoleLastUsed: { LastUsedDate: LAST_USED, Region: HOME },
          },
          {
            Path: '/',
            RoleName: 'app-server',
            RoleId: 'AROAAPPSERVER00000001',
            Arn: APP_ROLE,
            CreateDate: CREATED,
            AssumeRolePolicyDocument: urlEncoded({
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
              ],
            }),
            InstanceProfileList: [
              {
                Path: '/',
                InstanceProfileName: 'app-server',
                InstanceProfileId: 'AIPAAPPSERVER00000001',
                Arn: APP_PROFILE,
                CreateDate: CREATED,
                Roles: [],
              },
            ],
            RolePolicyList: [],
            AttachedManagedPolicies: [],
            RoleLastUsed: {},
          },
          ...roleCarrierRoles(MGMT, CREATED),
          ...containerCarrierRoles(MGMT, CREATED),
        ],
        Policies: [
          {
            PolicyName: 'lambda-deploy',
            PolicyId: 'ANPALAMBDADEPLOY00001',
            Arn: iamArn(MGMT, 'policy/lambda-deploy'),
            Path: '/',
            DefaultVersionId: 'v1',
            AttachmentCount: 1,
            PermissionsBoundaryUsageCount: 0,
            IsAttachable: true,
            CreateDate: CREATED,
            UpdateDate: CREATED,
            PolicyVersionList: [
              {
                Document: urlEncoded({
                  Version: '2012-10-17',
                  Statement: [
                    { Effect: 'Allow', Action: ['lambda:UpdateFunctionCode', 'iam:PassRole'], Resource: '*' },
                    { Sid: 'OperateCompute', Effect: 'Allow', Action: ROLE_CARRIER_ACTIONS, Resource: '*' },
                    {
                      Sid: 'OperateContainers',
                      Effect: 'Allow',
                      Action: CONTAINER_CARRIER_ACTIONS,
                      Resource: '*',
                    },
                  ],
                }),
                VersionId: 'v1',
                IsDefaultVersion: true,
                CreateDate: CREATED,
              },
            ],
          },
        ],
        IsTruncated: false,
        $metadata: { httpStatusCode: 200 },
      },
    ];
  }
  return [
    {
      UserDetailList: [],
      GroupDetailList: [],
      RoleDetailList: [
        {
          Path: '/',
          RoleName: 'OrganizationAccountAccessRole',
          RoleId: `AROAORGACCESS${acct.slice(0, 8)}`,
          Arn: iamArn(acct, 'role/OrganizationAccountAccessRole'),
          CreateDate: CREATED,
          AssumeRolePolicyDocument: urlEncoded({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MGMT}:root` }, Action: 'sts:AssumeRole' },
            ],
          }),
          InstanceProfileList: [],
          RolePolicyList: [],
          AttachedManagedPolicies: [
            { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
          ],
        },
      ],
      Policies: [],
      IsTruncated: false,
    },
  ];
}

export interface FakeAwsOptions {
  /** how many times each account's first GetAccountAuthorizationDetails call is throttled */
  throttleAuthDetails?: Partial<Record<string, number>>;
  /** services whose listing is denied in MGMT */
  deny?: ReadonlyArray<'sqs' | 'kms' | 'organizations' | RoleCarrierDenial | ContainerCarrierDenial>;
  /** how many times the second page of Glue GetJobs is throttled */
  throttleGlueJobsPage2?: number;
  /** how many times the second page of Bedrock AgentCore ListCodeInterpreters is throttled */
  throttleCodeInterpretersPage2?: number;
  /** Organizations listing denied to the caller's own credentials, allowed through the role */
  orgOnlyThroughRole?: boolean;
}

export interface FakeAws {
  stubs: Record<string, Stub>;
  restore(): void;
}

async function who(
  getClient: () => {
    config: { credentials: () => Promise<{ accessKeyId: string }>; region: () => Promise<string> };
  },
) {
  const client = getClient();
  const { accessKeyId } = await client.config.credentials();
  const region = await client.config.region();
  return {
    acct: accessKeyId === BASE_CREDENTIALS.accessKeyId ? MGMT : accessKeyId.replace('SESSION', ''),
    region,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the mock's getClient type differs per client class
type Getter = () => any;

export function fakeAws(opts: FakeAwsOptions = {}): FakeAws {
  const deny = new Set<string>(opts.deny ?? []);
  const throttleLeft = new Map(Object.entries(opts.throttleAuthDetails ?? {}).map(([k, v]) => [k, v ?? 0]));
  const stubs: Record<string, Stub> = {};
  const denied = (what: string, acct: string) =>
    awsError(
      'AccessDeniedException',
      `User: arn:aws:sts::${acct}:assumed-role/OrganizationAccountAccessRole/accessgraph-collect is not authorized to perform: ${what}`,
    );

  const sts = mockClient(STSClient);
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: MGMT, Arn: iamArn(MGMT, 'user/collector'), UserId: 'AIDA' });
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const acct = input.RoleArn.split(':')[4] ?? '';
    if (acct === LOCKED) throw denied('sts:AssumeRole', MGMT);
    return {
      Credentials: {
        AccessKeyId: `SESSION${acct}`,
        SecretAccessKey: 'session',
        SessionToken: 'token',
        Expiration: new Date(Date.now() + 3600_000),
      },
    };
  });
  stubs.sts = sts as never;

  const iam = mockClient(IAMClient);
  iam.on(GetAccountAuthorizationDetailsCommand).callsFake(async (input: { Marker?: string }, g: Getter) => {
    const { acct } = await who(g);
    const left = throttleLeft.get(acct) ?? 0;
    if (left > 0) {
      throttleLeft.set(acct, left - 1);
      throw throttled();
    }
    const pages = authPages(acct);
    return input.Marker === 'auth-page-2' ? pages[1] : pages[0];
  });
  iam.on(ListAccountAliasesCommand).callsFake(async (_i: unknown, g: Getter) => {
    const { acct } = await who(g);
    return { AccountAliases: acct === MGMT ? ['acme-mgmt'] : [], IsTruncated: false };
  });
  iam.on(ListUsersCommand).callsFake(async (_i: unknown, g: Getter) => {
    const { acct } = await who(g);
    if (acct !== MGMT) return { Users: [], IsTruncated: false };
    return {
      Users: [
        {
          UserName: 'alice',
          Arn: iamArn(MGMT, 'user/alice'),
          UserId: 'AIDAALICE0000000000001',
          Path: '/',
          CreateDate: CREATED,
          PasswordLastUsed: new Date('2026-11-01T12:00:00Z'),
        },
      ],
      IsTruncated: false,
    };
  });
  iam.on(ListAccessKeysCommand).resolves({
    AccessKeyMetadata: [
      { UserName: 'alice', AccessKeyId: 'AKIAFAKEKEY000000001', Status: 'Active' },
      { UserName: 'alice', AccessKeyId: 'AKIAFAKEKEY000000002', Status: 'Inactive' },
    ],
    IsTruncated: false,
  });
  iam.on(GetAccessKeyLastUsedCommand).callsFake((input: { AccessKeyId: string }) => ({
    UserName: 'alice',
    AccessKeyLastUsed:
      input.AccessKeyId === 'AKIAFAKEKEY000000001'
        ? { LastUsedDate: new Date('2026-11-25T09:30:00Z'), ServiceName: 's3', Region: HOME }
        : { ServiceName: 'N/A', Region: 'N/A' },
  }));
  stubs.iam = iam as never;

  const org = mockClient(OrganizationsClient);
  org.on(DescribeOrganizationCommand).resolves({
    Organization: {
      Id: 'o-exampleorg1',
      Arn: `arn:aws:organizations::${MGMT}:organization/o-exampleorg1`,
      MasterAccountId: MGMT,
    },
  });
  org.on(ListRootsCommand).callsFake(async (_i: unknown, g: Getter) => {
    const { accessKeyId } = await g().config.credentials();
    if (
      deny.has('organizations') ||
      (opts.orgOnlyThroughRole && accessKeyId === BASE_CREDENTIALS.accessKeyId)
    )
      throw awsError('AccessDeniedException', 'You don\u2019t have permissions to access this resource.');
    return {
      Roots: [
        { Id: 'r-ab12', Name: 'Root', Arn: `arn:aws:organizations::${MGMT}:root/o-exampleorg1/r-ab12` },
      ],
    };
  });
  org
    .on(ListOrganizationalUnitsForParentCommand)
    .callsFake((input: { ParentId: string }) =>
      input.ParentId === 'r-ab12'
        ? { OrganizationalUnits: [{ Id: 'ou-ab12-prodacct1', Name: 'Prod' }] }
        : { OrganizationalUnits: [] },
    );
  org.on(ListAccountsForParentCommand).callsFake((input: { ParentId: string; NextToken?: string }) => {
    if (input.ParentId === 'r-ab12')
      return { Accounts: [{ Id: MGMT, Name: 'management', Status: 'ACTIVE' }] };
    // two pages under the OU
    if (!input.NextToken)
      return { Accounts: [{ Id: MEMBER, Name: 'payments', Status: 'ACTIVE' }], NextToken: 'acct-2' };
    return { Accounts: [{ Id: LOCKED, Name: 'locked', Status: 'ACTIVE' }] };
  });
  const denyLeave = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'NoLeave', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }],
  };
  org.on(ListPoliciesCommand).callsFake((input: { Filter: string }) =>
    input.Filter === 'SERVICE_CONTROL_POLICY'
      ? {
          Policies: [
            {
              Id: 'p-FullAWSAccess',
              Name: 'FullAWSAccess',
              AwsManaged: true,
              Type: 'SERVICE_CONTROL_POLICY',
            },
            { Id: 'p-denyleave1', Name: 'DenyLeave', AwsManaged: false, Type: 'SERVICE_CONTROL_POLICY' },
          ],
        }
      : { Policies: [] },
  );
  org.on(DescribePolicyCommand).callsFake((input: { PolicyId: string }) => ({
    Policy: {
      PolicySummary: { Id: input.PolicyId },
      Content:
        input.PolicyId === 'p-FullAWSAccess'
          ? json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })
          : json(denyLeave),
    },
  }));
  org.on(ListTargetsForPolicyCommand).callsFake((input: { PolicyId: string }) => ({
    Targets:
      input.PolicyId === 'p-FullAWSAccess'
        ? [
            { TargetId: 'r-ab12' },
            { TargetId: 'ou-ab12-prodacct1' },
            { TargetId: MGMT },
            { TargetId: MEMBER },
            { TargetId: LOCKED },
          ]
        : [{ TargetId: 'ou-ab12-prodacct1' }],
  }));
  stubs.organizations = org as never;

  const s3 = mockClient(S3Client);
  s3.on(ListBucketsCommand).callsFake(async (input: { ContinuationToken?: string }, g: Getter) => {
    const { acct } = await who(g);
    if (acct !== MGMT) return { Buckets: [] };
    return input.ContinuationToken
      ? { Buckets: [{ Name: 'acme-logs', CreationDate: CREATED }] }
      : {
          Buckets: [{ Name: 'acme-data', CreationDate: CREATED, BucketRegion: OTHER }],
          ContinuationToken: 'b-2',
        };
  });
  s3.on(GetBucketLocationCommand).resolves({}); // us-east-1 buckets have no location constraint
  s3.on(GetBucketPolicyCommand).callsFake(async (input: { Bucket: string }, g: Getter) => {
    const { region } = await who(g);
    if (input.Bucket === 'acme-data') {
      if (region !== OTHER) throw awsError('PermanentRedirect', 'wrong region');
      return {
        Policy: json({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'PartnerRead',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${OUTSIDER}:root` },
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::acme-data/*',
            },
          ],
        }),
      };
    }
    throw awsError('NoSuchBucketPolicy', 'The bucket policy does not exist');
  });
  s3.on(GetPublicAccessBlockCommand).callsFake((input: { Bucket: string }) => {
    if (input.Bucket === 'acme-data')
      return {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      };
    throw awsError(
      'NoSuchPublicAccessBlockConfiguration',
      'The public access block configuration was not found',
    );
  });
  stubs.s3 = s3 as never;

  // Regional services: content only in MGMT's home region, empty elsewhere.
  const inHome = async (g: Getter) => {
    const { acct, region } = await who(g);
    return acct === MGMT && region === HOME;
  };

  const kms = mockClient(KMSClient);
  const keyArn = `arn:aws:kms:${HOME}:${MGMT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  kms.on(ListKeysCommand).callsFake(async (_i: unknown, g: Getter) => {
    if (deny.has('kms')) throw denied('kms:ListKeys', MGMT);
    return (await inHome(g))
      ? { Keys: [{ KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', KeyArn: keyArn }], Truncated: false }
      : { Keys: [], Truncated: false };
  });
  kms.on(ListAliasesCommand).resolves({
    Aliases: [{ AliasName: 'alias/data', TargetKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }],
    Truncated: false,
  });
  kms.on(GetKeyPolicyCommand).resolves({
    PolicyName: 'default',
    Policy: json({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Root',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${MGMT}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    }),
  });
  stubs.kms = kms as never;

  const lambda = mockClient(LambdaClient);
  lambda.on(ListFunctionsCommand).callsFake(async (_i: unknown, g: Getter) =>
    (await inHome(g))
      ? {
          Functions: [
            {
              FunctionName: 'resize',
              FunctionArn: `arn:aws:lambda:${HOME}:${MGMT}:function:resize`,
              Role: LAMBDA_ROLE,
              Runtime: 'nodejs20.x',
              Environment: { Variables: { DB_PASSWORD: LAMBDA_ENV_VALUE } },
            },
          ],
        }
      : { Functions: [] },
  );
  lambda
    .on(GetPolicyCommand)
    .rejects(awsError('ResourceNotFoundException', 'The resource you requested does not exist.'));
  stubs.lambda = lambda as never;

  const sqs = mockClient(SQSClient);
  sqs.on(ListQueuesCommand).callsFake(async (_i: unknown, g: Getter) => {
    const { acct } = await who(g);
    if (deny.has('sqs') && acct === MGMT) throw denied('sqs:listqueues', acct);
    return (await inHome(g)) ? { QueueUrls: [`https://sqs.${HOME}.amazonaws.com/${MGMT}/jobs`] } : {};
  });
  sqs.on(GetQueueAttributesCommand).resolves({
    Attributes: { QueueArn: `arn:aws:sqs:${HOME}:${MGMT}:jobs` },
  });
  stubs.sqs = sqs as never;

  const sns = mockClient(SNSClient);
  sns
    .on(ListTopicsCommand)
    .callsFake(async (_i: unknown, g: Getter) =>
      (await inHome(g)) ? { Topics: [{ TopicArn: `arn:aws:sns:${HOME}:${MGMT}:alerts` }] } : { Topics: [] },
    );
  sns.on(GetTopicAttributesCommand).resolves({
    Attributes: {
      Policy: json({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${MGMT}:root` },
            Action: 'SNS:Publish',
            Resource: `arn:aws:sns:${HOME}:${MGMT}:alerts`,
          },
        ],
      }),
    },
  });
  stubs.sns = sns as never;

  const sm = mockClient(SecretsManagerClient);
  const secretArn = `arn:aws:secretsmanager:${HOME}:${MGMT}:secret:db-AbCdEf`;
  sm.on(ListSecretsCommand).callsFake(async (_i: unknown, g: Getter) =>
    (await inHome(g))
      ? { SecretList: [{ ARN: secretArn, Name: 'db', Tags: [{ Key: 'team', Value: 'payments' }] }] }
      : { SecretList: [] },
  );
  sm.on(GetResourcePolicyCommand).resolves({
    ARN: secretArn,
    ResourcePolicy: json({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: APP_ROLE },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
        },
      ],
    }),
  });
  sm.on(GetSecretValueCommand).resolves({ ARN: secretArn, SecretString: SECRET_VALUE });
  stubs.secretsmanager = sm as never;

  const ecr = mockClient(ECRClient);
  ecr.on(DescribeRepositoriesCommand).callsFake(async (_i: unknown, g: Getter) =>
    (await inHome(g))
      ? {
          repositories: [
            { repositoryArn: `arn:aws:ecr:${HOME}:${MGMT}:repository/web`, repositoryName: 'web' },
          ],
        }
      : { repositories: [] },
  );
  ecr.on(GetRepositoryPolicyCommand).rejects(awsError('RepositoryPolicyNotFoundException', 'no policy'));
  stubs.ecr = ecr as never;

  const ec2 = mockClient(EC2Client);
  ec2.on(DescribeInstancesCommand).callsFake(async (input: { NextToken?: string }, g: Getter) => {
    if (!(await inHome(g))) return { Reservations: [] };
    return input.NextToken
      ? { Reservations: [{ Instances: [{ InstanceId: 'i-0dead', State: { Name: 'terminated' } }] }] }
      : {
          Reservations: [
            {
              Instances: [
                {
                  InstanceId: 'i-0app',
                  State: { Name: 'running' },
                  IamInstanceProfile: { Arn: APP_PROFILE, Id: 'AIPAAPPSERVER00000001' },
                  Tags: [{ Key: 'Name', Value: 'app-1' }],
                },
              ],
            },
          ],
          NextToken: 'ec2-2',
        };
  });
  ec2.on(DescribeRegionsCommand).callsFake(async (_i: unknown, g: Getter) => {
    const { acct } = await who(g);
    if (acct === MEMBER) throw denied('ec2:DescribeRegions', acct);
    return {
      Regions: [
        { RegionName: OTHER, OptInStatus: 'opt-in-not-required' },
        { RegionName: HOME, OptInStatus: 'opt-in-not-required' },
        { RegionName: 'ap-east-1', OptInStatus: 'not-opted-in' },
      ],
    };
  });
  stubs.ec2 = ec2 as never;

  const cfn = mockClient(CloudFormationClient);
  cfn.on(DescribeStacksCommand).callsFake(async (_i: unknown, g: Getter) =>
    (await inHome(g))
      ? {
          Stacks: [
            {
              StackId: `arn:aws:cloudformation:${HOME}:${MGMT}:stack/network/0a1b2c3d-0000-0000-0000-000000000000`,
              StackName: 'network',
              StackStatus: 'CREATE_COMPLETE',
              CreationTime: CREATED,
              RoleARN: APP_ROLE,
            },
          ],
        }
      : { Stacks: [] },
  );
  stubs.cloudformation = cfn as never;

  const glue = mockClient(GlueClient);
  glue
    .on(GetDevEndpointsCommand)
    .callsFake(async (_i: unknown, g: Getter) =>
      (await inHome(g))
        ? { DevEndpoints: [{ EndpointName: 'etl-dev', RoleArn: APP_ROLE }] }
        : { DevEndpoints: [] },
    );
  stubs.glue = glue as never;

  const sagemaker = mockClient(SageMakerClient);
  sagemaker.on(ListNotebookInstancesCommand).callsFake(async (_i: unknown, g: Getter) =>
    (await inHome(g))
      ? {
          NotebookInstances: [
            {
              NotebookInstanceName: 'research',
              NotebookInstanceArn: `arn:aws:sagemaker:${HOME}:${MGMT}:notebook-instance/research`,
            },
          ],
        }
      : { NotebookInstances: [] },
  );
  sagemaker
    .on(DescribeNotebookInstanceCommand)
    .resolves({ NotebookInstanceName: 'research', RoleArn: APP_ROLE });
  stubs.sagemaker = sagemaker as never;

  const codebuild = mockClient(CodeBuildClient);
  codebuild
    .on(ListProjectsCommand)
    .callsFake(async (_i: unknown, g: Getter) =>
      (await inHome(g)) ? { projects: ['build'] } : { projects: [] },
    );
  codebuild.on(BatchGetProjectsCommand).resolves({
    projects: [
      {
        name: 'build',
        arn: `arn:aws:codebuild:${HOME}:${MGMT}:project/build`,
        serviceRole: APP_ROLE,
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/standard:7.0',
          computeType: 'BUILD_GENERAL1_SMALL',
          environmentVariables: [{ name: 'NPM_TOKEN', value: CODEBUILD_ENV_VALUE, type: 'PLAINTEXT' }],
        },
        tags: [{ key: 'team', value: 'platform' }],
      },
    ],
  });
  stubs.codebuild = codebuild as never;

  const carrierEnv = {
    account: MGMT,
    region: HOME,
    deny,
    inHome,
    error: awsError,
    throttled,
  };
  installRoleCarriers(
    { ec2, glue, cloudformation: cfn },
    { ...carrierEnv, throttleJobsPage2: opts.throttleGlueJobsPage2 },
    APP_PROFILE,
    APP_ROLE,
  );

  Object.assign(
    stubs,
    installContainerCarriers({
      ...carrierEnv,
      throttleInterpretersPage2: opts.throttleCodeInterpretersPage2,
    }),
  );

  return {
    stubs,
    restore: () => {
      for (const s of Object.values(stubs)) s.restore();
    },
  };
}
