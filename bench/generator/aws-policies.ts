/**
 * Policy documents the generator attaches: AWS managed policies (their documents as AWS
 * publishes them, for the small ones the generator uses) and templates for customer managed
 * policies of the kinds teams write (team-scoped wildcards, specific ARNs, conditions, denies).
 */
import type { Rng } from './rng.js';

export type Statement = Record<string, unknown>;
export interface PolicyDoc {
  Version: '2012-10-17';
  Statement: Statement[];
}

export const doc = (...Statement: Statement[]): PolicyDoc => ({ Version: '2012-10-17', Statement });

export interface AwsManagedPolicy {
  name: string;
  path: string;
  document: PolicyDoc;
}

export const AWS_MANAGED: Record<string, AwsManagedPolicy> = {
  AdministratorAccess: {
    name: 'AdministratorAccess',
    path: '/',
    document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
  },
  PowerUserAccess: {
    name: 'PowerUserAccess',
    path: '/',
    document: doc(
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'account:GetAccountInformation',
          'account:GetPrimaryEmail',
          'account:ListRegions',
          'iam:CreateServiceLinkedRole',
          'iam:DeleteServiceLinkedRole',
          'iam:ListRoles',
          'organizations:DescribeOrganization',
        ],
        Resource: '*',
      },
    ),
  },
  AmazonS3ReadOnlyAccess: {
    name: 'AmazonS3ReadOnlyAccess',
    path: '/',
    document: doc({
      Effect: 'Allow',
      Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'],
      Resource: '*',
    }),
  },
  AWSLambdaBasicExecutionRole: {
    name: 'AWSLambdaBasicExecutionRole',
    path: '/service-role/',
    document: doc({
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: '*',
    }),
  },
};

export const awsManagedArn = (p: AwsManagedPolicy) => `arn:aws:iam::aws:policy${p.path}${p.name}`;

/** What a team's resources look like, so policies can name them by pattern or by ARN. */
export interface TeamScope {
  accountId: string;
  region: string;
  team: string;
}

const bucketPattern = (t: TeamScope) => `arn:aws:s3:::${t.accountId}-${t.team}-*`;

/** Read access to everything the team owns, by naming convention. */
export function teamRead(t: TeamScope): PolicyDoc {
  return doc(
    {
      Sid: 'ReadTeamBuckets',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
      Resource: [bucketPattern(t), `${bucketPattern(t)}/*`],
    },
    {
      Sid: 'ReadTeamQueuesAndTopics',
      Effect: 'Allow',
      Action: [
        'sqs:ReceiveMessage',
        'sqs:GetQueueAttributes',
        'sns:GetTopicAttributes',
        'sns:ListSubscriptionsByTopic',
      ],
      Resource: [`arn:aws:sqs:*:${t.accountId}:${t.team}-*`, `arn:aws:sns:*:${t.accountId}:${t.team}-*`],
    },
    {
      Sid: 'DescribeEverything',
      Effect: 'Allow',
      Action: ['ec2:Describe*', 'lambda:List*', 'cloudwatch:GetMetricData', 'logs:FilterLogEvents'],
      Resource: '*',
    },
  );
}

/** Write access, sometimes guarded by MFA or a corporate network condition. */
export function teamWrite(t: TeamScope, rng: Rng): PolicyDoc {
  const guard = rng.pick([
    null,
    null,
    { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    { IpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '203.0.113.0/24'] } },
    { StringEquals: { 'aws:PrincipalTag/team': t.team } },
  ]);
  const st: Statement = {
    Sid: 'WriteTeamData',
    Effect: 'Allow',
    Action: ['s3:PutObject', 's3:DeleteObject', 'sqs:SendMessage', 'sqs:DeleteMessage', 'sns:Publish'],
    Resource: [
      `${bucketPattern(t)}/*`,
      `arn:aws:sqs:*:${t.accountId}:${t.team}-*`,
      `arn:aws:sns:*:${t.accountId}:${t.team}-*`,
    ],
  };
  if (guard) st.Condition = guard;
  return doc(st, {
    Sid: 'TeamSecrets',
    Effect: 'Allow',
    Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    Resource: `arn:aws:secretsmanager:${t.region}:${t.accountId}:secret:${t.team}/*`,
  });
}

/** Deploy: update the team's functions and pass the team's roles to Lambda only. */
export function teamDeploy(t: TeamScope): PolicyDoc {
  return doc(
    {
      Sid: 'UpdateFunctions',
      Effect: 'Allow',
      Action: ['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:PublishVersion'],
      Resource: `arn:aws:lambda:${t.region}:${t.accountId}:function:${t.team}-*`,
    },
    {
      Sid: 'PassTeamRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: `arn:aws:iam::${t.accountId}:role/${t.team}-*`,
      Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    },
    {
      Sid: 'AssumeTeamRoles',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: `arn:aws:iam::${t.accountId}:role/${t.team}-*`,
    },
  );
}

/** A policy listing specific resources, as tickets and reviews produce them. */
export function specificAccess(arns: readonly string[], rng: Rng): PolicyDoc {
  const byService = new Map<string, string[]>();
  for (const a of arns) {
    const svc = a.split(':')[2] ?? '';
    byService.set(svc, [...(byService.get(svc) ?? []), a]);
  }
  const actions: Record<string, string[]> = {
    s3: ['s3:GetObject', 's3:ListBucket'],
    sqs: ['sqs:SendMessage', 'sqs:ReceiveMessage'],
    sns: ['sns:Publish'],
    lambda: ['lambda:InvokeFunction'],
    secretsmanager: ['secretsmanager:GetSecretValue'],
    kms: ['kms:Decrypt', 'kms:Encrypt'],
    ec2: ['ec2:StartInstances', 'ec2:StopInstances'],
  };
  const statements = [...byService.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([svc, list], i) => ({
      Sid: `Ticket${rng.int(1000, 99999)}n${i}`,
      Effect: 'Allow',
      Action: actions[svc] ?? [`${svc}:Get*`],
      Resource: svc === 's3' ? list.flatMap((b) => [b, `${b}/*`]) : list,
    }));
  return doc(...statements);
}

/** Guardrail denies teams add beside their allows. */
export function dataGuardrail(accountId: string): PolicyDoc {
  return doc(
    {
      Sid: 'NoBucketPolicyChanges',
      Effect: 'Deny',
      Action: ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketPublicAccessBlock'],
      Resource: '*',
    },
    {
      Sid: 'NoSecretDeletes',
      Effect: 'Deny',
      Action: 'secretsmanager:DeleteSecret',
      Resource: `arn:aws:secretsmanager:*:${accountId}:secret:*`,
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  );
}

/** The permissions boundary delegated administrators must put on the principals they create. */
export function developerBoundary(): PolicyDoc {
  return doc(
    {
      Sid: 'ServicesTeamsUse',
      Effect: 'Allow',
      Action: [
        's3:*',
        'sqs:*',
        'sns:*',
        'lambda:*',
        'logs:*',
        'cloudwatch:*',
        'secretsmanager:GetSecretValue',
      ],
      Resource: '*',
    },
    { Sid: 'NoIamWrites', Effect: 'Deny', Action: ['iam:Create*', 'iam:Put*', 'iam:Attach*'], Resource: '*' },
  );
}
