/**
 * The AWS snapshot as `collect aws` writes it: the TypeScript view of
 * docs/schema/aws-snapshot.schema.json (the schema is the contract; tests validate output
 * against it).
 */
import type { CollectionError } from '../common/collection-errors.js';

export const AWS_SNAPSHOT_FORMAT = 'accessgraph-aws-snapshot';

export type ResourceType =
  | 's3:bucket'
  | 'kms:key'
  | 'lambda:function'
  | 'sqs:queue'
  | 'sns:topic'
  | 'secretsmanager:secret'
  | 'ecr:repository'
  | 'ec2:instance'
  | 'cloudformation:stack'
  | 'glue:devendpoint'
  | 'sagemaker:notebook-instance'
  | 'codebuild:project'
  | 'apprunner:service'
  | 'bedrock-agentcore:code-interpreter'
  | 'ec2:launch-template'
  | 'glue:job'
  | 'cloudformation:stackset'
  | 'ecs:cluster'
  | 'ecs:service'
  | 'ecs:task-definition';

export interface PublicAccessBlock {
  BlockPublicAcls?: boolean;
  IgnorePublicAcls?: boolean;
  BlockPublicPolicy?: boolean;
  RestrictPublicBuckets?: boolean;
}

export interface SnapshotResource {
  arn: string;
  type: ResourceType;
  name?: string;
  region?: string;
  tags?: Record<string, string>;
  /** the resource policy as the API returned it; null when it has none; absent when unreadable */
  policy?: string | Record<string, unknown> | null;
  publicAccessBlock?: PublicAccessBlock;
  roleArn?: string;
  instanceProfileArn?: string;
  /** App Runner: the role App Runner itself uses to pull the service's image */
  accessRoleArn?: string;
  /** ECS task definition or service: the role the ECS agent uses to pull images and read secrets */
  executionRoleArn?: string;
  /** ECS service: the task definition revision it runs */
  taskDefinitionArn?: string;
  /** ECS cluster: EC2 container instances registered in it */
  registeredContainerInstances?: number;
}

export interface LastUsedRow {
  arn: string;
  passwordLastUsed: string | null;
  accessKeysLastUsed: string[];
}

export interface SnapshotAccount {
  accountId: string;
  alias?: string;
  authorizationDetails: Record<string, unknown>;
  resources?: SnapshotResource[];
  lastUsed?: LastUsedRow[];
  errors?: CollectionError[];
}

export interface SnapshotOrgPolicy {
  id: string;
  name: string;
  arn?: string;
  type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  awsManaged?: boolean;
  document: string | Record<string, unknown>;
  targets: string[];
}

export interface SnapshotOrganization {
  id: string;
  arn?: string;
  managementAccountId: string;
  roots: Array<{ id: string; name?: string; arn?: string }>;
  organizationalUnits?: Array<{ id: string; name?: string; arn?: string; parentId: string }>;
  accounts: Array<{ id: string; name?: string; arn?: string; status?: string; parentId: string }>;
  policies?: SnapshotOrgPolicy[];
}

export interface AwsSnapshot {
  format: typeof AWS_SNAPSHOT_FORMAT;
  version: 1;
  collectedAt: string;
  collector?: string;
  organization?: SnapshotOrganization;
  accounts: SnapshotAccount[];
  errors?: CollectionError[];
}
