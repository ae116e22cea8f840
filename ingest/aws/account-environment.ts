/**
 * What the AWS snapshot format knows about an account beyond its IAM export: its place in
 * the organization (SCPs and RCPs from the root down), and its resources with their
 * resource-based policies. The raw IAM export alone has none of this.
 */
import type { Policy } from './eval/policy.js';
import type { PolicyAttachment } from './grants.js';

export interface OrgPolicyLevel {
  /** root, OU or account id */
  level: string;
  policies: PolicyAttachment[];
}

export interface ResourceInput {
  arn: string;
  /** `s3:bucket`, `kms:key`, … */
  type: string;
  name?: string;
  region?: string;
  tags?: Record<string, string>;
  policy: Policy | null;
  publicAccessBlock?: {
    BlockPublicAcls?: boolean;
    IgnorePublicAcls?: boolean;
    BlockPublicPolicy?: boolean;
    RestrictPublicBuckets?: boolean;
  };
  /** the role the resource runs as (Lambda execution role, instance profile role, …) */
  roleArn?: string;
  instanceProfileArn?: string;
  /** App Runner: the role App Runner uses to pull the image (not what the code runs as) */
  accessRoleArn?: string;
  /** ECS: the task execution role (the agent's, not what the containers run as) */
  executionRoleArn?: string;
  /** ECS service: the task definition revision it runs */
  taskDefinitionArn?: string;
  /** ECS cluster: registered EC2 container instances */
  registeredContainerInstances?: number;
}

export interface AccountEnvironment {
  /** the organization id; null when the account is in none */
  organizationId: string | null;
  managementAccountId: string | null;
  /** SCPs from the root to the account */
  scpLevels: OrgPolicyLevel[];
  /** RCPs from the root to the account (RCPFullAWSAccess implied) */
  rcpLevels: OrgPolicyLevel[];
  resources: ResourceInput[];
}
