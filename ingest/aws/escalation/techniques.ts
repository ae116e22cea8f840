/**
 * The privilege-escalation techniques we detect, one per entry of the public pathfinding.cloud
 * catalogue (technique id = the catalogue's `id`), described as data: the permissions each
 * needs, what each permission acts on, and what the attacker gains.
 *
 * Targets:
 * - `admin`: the account's synthetic administrator node (see admin-node.ts). Techniques that
 *   let an attacker write their own permissions, or a principal's they can then become, give
 *   whatever they write, i.e. everything.
 * - `user` / `role` / `group`: that principal, with the permissions it has today.
 * - `passed-role`: a role the attacker passes to a service they then control (new resource).
 * - `resource-role`: the role an existing resource runs as (Lambda function, EC2 instance, …).
 */

export type Category = 'self-escalation' | 'principal-access' | 'new-passrole' | 'existing-passrole';

/**
 * What one permission of a technique is exercised on:
 * - `self`: the acting user or role itself; `own-group`: a group the acting user is in;
 *   `own-policy`: a customer managed policy attached to the actor (directly or through a group)
 * - `target`: the user, role or group gained; `target-policy`: a customer managed policy
 *   attached to the target role
 * - `new`: a resource the attacker creates and names (`arn` is its ARN pattern; `${Partition}`
 *   and `${Account}` are filled in); `any`: an action without resource-level permissions (`*`)
 * - `resource`: the existing resource that carries the gained role
 * - `existing`: some existing resource of `type` (when the snapshot lists none, the edge
 *   records the assumption in `props.assumes`)
 * - `pass`: iam:PassRole on the gained role, with iam:PassedToService set to `service`
 */
export type Operand =
  | { on: 'self' | 'own-group' | 'own-policy' | 'target' | 'target-policy' | 'any' | 'resource' }
  | { on: 'new'; arn: string }
  | { on: 'existing'; type: string; arn: string }
  | { on: 'pass'; service: string };

export interface Step {
  action: string;
  operand: Operand;
}

export type TechniqueTarget =
  | { kind: 'admin'; actor: 'user' | 'role' | 'any' }
  | { kind: 'admin-through'; through: 'user' | 'role' }
  | { kind: 'user' | 'role' | 'group' }
  | { kind: 'passed-role'; trusts: readonly string[]; instanceProfile?: boolean }
  | { kind: 'resource-role'; types: readonly string[] };

export interface Technique {
  id: string;
  category: Category;
  /** the catalogue's name: the permissions, as AWS spells them */
  name: string;
  /** the key permission first: the edge's `via` is the statement that grants it */
  steps: readonly Step[];
  target: TechniqueTarget;
  /**
   * A second route to the target makes a technique apply too: `assume` the target role with
   * its current trust policy, or `trust-update` it (iam:UpdateAssumeRolePolicy, then assume).
   */
  become?: 'assume' | 'trust-update';
  /** prerequisites the IAM data cannot show (key counts, running state, network reachability) */
  assumes?: readonly string[];
  /** only policies with a version not in force that grants everything (iam:SetDefaultPolicyVersion) */
  needsAdminVersion?: true;
  /** false for our own techniques, which the public catalogue does not list */
  catalogued?: false;
}

const s = (action: string, operand: Operand): Step => ({ action, operand });
const SELF: Operand = { on: 'self' };
const TARGET: Operand = { on: 'target' };
const RES: Operand = { on: 'resource' };
const ANY: Operand = { on: 'any' };
const pass = (service: string): Step => s('iam:PassRole', { on: 'pass', service });
const fresh = (arn: string): Operand => ({ on: 'new', arn });
const existing = (type: string, arn: string): Operand => ({ on: 'existing', type, arn });
const arnOf = (service: string, rest: string) => `arn:\${Partition}:${service}:*:\${Account}:${rest}`;
const passed = (...trusts: string[]): TechniqueTarget => ({ kind: 'passed-role', trusts });
const runsAs = (...types: string[]): TechniqueTarget => ({ kind: 'resource-role', types });

const LAMBDA_FN = fresh(arnOf('lambda', 'function:*'));
const GLUE_JOB = fresh(arnOf('glue', 'job/*'));
const GLUE_JOB_EXISTING = existing('glue:job', arnOf('glue', 'job/*'));
const GLUE_TRIGGER = fresh(arnOf('glue', 'trigger/*'));
const CODEBUILD_PROJECT = fresh(arnOf('codebuild', 'project/*'));
const ECS_TASKDEF = fresh(arnOf('ecs', 'task-definition/*'));
const ECS_CLUSTER = fresh(arnOf('ecs', 'cluster/*'));
const ECS_SERVICE = fresh(arnOf('ecs', 'service/*'));
const CLUSTER_EXISTS = 'an ECS cluster exists';
const CLUSTER_WITH_INSTANCE = 'an ECS cluster with a registered EC2 container instance exists';
const KEY_SLOT = 'the target user has fewer than two access keys';

export const TECHNIQUES: readonly Technique[] = [
  // self-escalation: the actor rewrites its own permissions
  {
    id: 'iam-001',
    category: 'self-escalation',
    name: 'iam:CreatePolicyVersion',
    steps: [s('iam:CreatePolicyVersion', { on: 'own-policy' })],
    target: { kind: 'admin', actor: 'any' },
  },
  {
    // Not in the catalogue: putting an older (or prepared) version back in force. Only a
    // version that grants everything counts, since the gain must be the administrator node.
    id: 'accessgraph-iam-001',
    category: 'self-escalation',
    name: 'iam:SetDefaultPolicyVersion',
    steps: [s('iam:SetDefaultPolicyVersion', { on: 'own-policy' })],
    target: { kind: 'admin', actor: 'any' },
    needsAdminVersion: true,
    catalogued: false,
  },
  {
    id: 'iam-005',
    category: 'self-escalation',
    name: 'iam:PutRolePolicy',
    steps: [s('iam:PutRolePolicy', SELF)],
    target: { kind: 'admin', actor: 'role' },
  },
  {
    id: 'iam-007',
    category: 'self-escalation',
    name: 'iam:PutUserPolicy',
    steps: [s('iam:PutUserPolicy', SELF)],
    target: { kind: 'admin', actor: 'user' },
  },
  {
    id: 'iam-008',
    category: 'self-escalation',
    name: 'iam:AttachUserPolicy',
    steps: [s('iam:AttachUserPolicy', SELF)],
    target: { kind: 'admin', actor: 'user' },
  },
  {
    id: 'iam-009',
    category: 'self-escalation',
    name: 'iam:AttachRolePolicy',
    steps: [s('iam:AttachRolePolicy', SELF)],
    target: { kind: 'admin', actor: 'role' },
  },
  {
    id: 'iam-010',
    category: 'self-escalation',
    name: 'iam:AttachGroupPolicy',
    steps: [s('iam:AttachGroupPolicy', { on: 'own-group' })],
    target: { kind: 'admin', actor: 'user' },
  },
  {
    id: 'iam-011',
    category: 'self-escalation',
    name: 'iam:PutGroupPolicy',
    steps: [s('iam:PutGroupPolicy', { on: 'own-group' })],
    target: { kind: 'admin', actor: 'user' },
  },
  {
    id: 'iam-013',
    category: 'self-escalation',
    name: 'iam:AddUserToGroup',
    steps: [s('iam:AddUserToGroup', TARGET)],
    target: { kind: 'group' },
  },
  // principal-access: the actor takes over another principal
  {
    id: 'iam-002',
    category: 'principal-access',
    name: 'iam:CreateAccessKey',
    steps: [s('iam:CreateAccessKey', TARGET)],
    target: { kind: 'user' },
    assumes: [KEY_SLOT],
  },
  {
    id: 'iam-003',
    category: 'principal-access',
    name: 'iam:CreateAccessKey + iam:DeleteAccessKey',
    steps: [s('iam:CreateAccessKey', TARGET), s('iam:DeleteAccessKey', TARGET)],
    target: { kind: 'user' },
  },
  {
    id: 'iam-004',
    category: 'principal-access',
    name: 'iam:CreateLoginProfile',
    steps: [s('iam:CreateLoginProfile', TARGET)],
    target: { kind: 'user' },
    assumes: ['the target user has no console password yet'],
  },
  {
    id: 'iam-006',
    category: 'principal-access',
    name: 'iam:UpdateLoginProfile',
    steps: [s('iam:UpdateLoginProfile', TARGET)],
    target: { kind: 'user' },
    assumes: ['the target user has a console password'],
  },
  {
    id: 'iam-012',
    category: 'principal-access',
    name: 'iam:UpdateAssumeRolePolicy',
    steps: [s('iam:UpdateAssumeRolePolicy', TARGET)],
    target: { kind: 'role' },
    become: 'trust-update',
  },
  {
    id: 'iam-014',
    category: 'principal-access',
    name: 'iam:AttachRolePolicy + sts:AssumeRole',
    steps: [s('iam:AttachRolePolicy', TARGET)],
    target: { kind: 'admin-through', through: 'role' },
    become: 'assume',
  },
  {
    id: 'iam-015',
    category: 'principal-access',
    name: 'iam:AttachUserPolicy + iam:CreateAccessKey',
    steps: [s('iam:AttachUserPolicy', TARGET), s('iam:CreateAccessKey', TARGET)],
    target: { kind: 'admin-through', through: 'user' },
    assumes: [KEY_SLOT],
  },
  {
    id: 'iam-016',
    category: 'principal-access',
    name: 'iam:CreatePolicyVersion + sts:AssumeRole',
    steps: [s('iam:CreatePolicyVersion', { on: 'target-policy' })],
    target: { kind: 'admin-through', through: 'role' },
    become: 'assume',
  },
  {
    id: 'iam-017',
    category: 'principal-access',
    name: 'iam:PutRolePolicy + sts:AssumeRole',
    steps: [s('iam:PutRolePolicy', TARGET)],
    target: { kind: 'admin-through', through: 'role' },
    become: 'assume',
  },
  {
    id: 'iam-018',
    category: 'principal-access',
    name: 'iam:PutUserPolicy + iam:CreateAccessKey',
    steps: [s('iam:PutUserPolicy', TARGET), s('iam:CreateAccessKey', TARGET)],
    target: { kind: 'admin-through', through: 'user' },
    assumes: [KEY_SLOT],
  },
  {
    id: 'iam-019',
    category: 'principal-access',
    name: 'iam:AttachRolePolicy + iam:UpdateAssumeRolePolicy',
    steps: [s('iam:AttachRolePolicy', TARGET)],
    target: { kind: 'admin-through', through: 'role' },
    become: 'trust-update',
  },
  {
    id: 'iam-020',
    category: 'principal-access',
    name: 'iam:CreatePolicyVersion + iam:UpdateAssumeRolePolicy',
    steps: [s('iam:CreatePolicyVersion', { on: 'target-policy' })],
    target: { kind: 'admin-through', through: 'role' },
    become: 'trust-update',
  },
  {
    id: 'iam-021',
    category: 'principal-access',
    name: 'iam:PutRolePolicy + iam:UpdateAssumeRolePolicy',
    steps: [s('iam:PutRolePolicy', TARGET)],
    target: { kind: 'admin-through', through: 'role' },
    become: 'trust-update',
  },
  // new-passrole: the actor hands a role to compute it creates and controls
  {
    id: 'apprunner-001',
    category: 'new-passrole',
    name: 'iam:PassRole + apprunner:CreateService',
    steps: [
      pass('apprunner.amazonaws.com'),
      s('apprunner:CreateService', fresh(arnOf('apprunner', 'service/*'))),
    ],
    target: passed('tasks.apprunner.amazonaws.com'),
  },
  {
    id: 'bedrock-001',
    category: 'new-passrole',
    name: 'iam:PassRole + bedrock-agentcore:CreateCodeInterpreter + bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter',
    steps: [
      pass('bedrock-agentcore.amazonaws.com'),
      s('bedrock-agentcore:CreateCodeInterpreter', ANY),
      s(
        'bedrock-agentcore:StartCodeInterpreterSession',
        fresh(arnOf('bedrock-agentcore', 'code-interpreter-custom/*')),
      ),
      s(
        'bedrock-agentcore:InvokeCodeInterpreter',
        fresh(arnOf('bedrock-agentcore', 'code-interpreter-custom/*')),
      ),
    ],
    target: passed('bedrock-agentcore.amazonaws.com'),
  },
  {
    id: 'cloudformation-001',
    category: 'new-passrole',
    name: 'iam:PassRole + cloudformation:CreateStack',
    steps: [
      pass('cloudformation.amazonaws.com'),
      s('cloudformation:CreateStack', fresh(arnOf('cloudformation', 'stack/*'))),
    ],
    target: passed('cloudformation.amazonaws.com'),
  },
  {
    id: 'cloudformation-003',
    category: 'new-passrole',
    name: 'iam:PassRole + cloudformation:CreateStackSet + cloudformation:CreateStackInstances',
    steps: [
      pass('cloudformation.amazonaws.com'),
      s('cloudformation:CreateStackSet', ANY),
      s('cloudformation:CreateStackInstances', fresh(arnOf('cloudformation', 'stackset/*'))),
    ],
    target: passed('cloudformation.amazonaws.com'),
  },
  {
    id: 'cloudformation-004',
    category: 'new-passrole',
    name: 'iam:PassRole + cloudformation:UpdateStackSet',
    steps: [
      pass('cloudformation.amazonaws.com'),
      s(
        'cloudformation:UpdateStackSet',
        existing('cloudformation:stackset', arnOf('cloudformation', 'stackset/*')),
      ),
    ],
    target: passed('cloudformation.amazonaws.com'),
  },
  {
    id: 'codebuild-001',
    category: 'new-passrole',
    name: 'iam:PassRole + codebuild:CreateProject + codebuild:StartBuild',
    steps: [
      pass('codebuild.amazonaws.com'),
      s('codebuild:CreateProject', CODEBUILD_PROJECT),
      s('codebuild:StartBuild', CODEBUILD_PROJECT),
    ],
    target: passed('codebuild.amazonaws.com'),
  },
  {
    id: 'codebuild-004',
    category: 'new-passrole',
    name: 'iam:PassRole + codebuild:CreateProject + codebuild:StartBuildBatch',
    steps: [
      pass('codebuild.amazonaws.com'),
      s('codebuild:CreateProject', CODEBUILD_PROJECT),
      s('codebuild:StartBuildBatch', CODEBUILD_PROJECT),
    ],
    target: passed('codebuild.amazonaws.com'),
  },
  {
    id: 'datapipeline-001',
    category: 'new-passrole',
    name: 'iam:PassRole + datapipeline:CreatePipeline + datapipeline:PutPipelineDefinition + datapipeline:ActivatePipeline',
    steps: [
      pass('datapipeline.amazonaws.com'),
      s('datapipeline:CreatePipeline', ANY),
      s('datapipeline:PutPipelineDefinition', fresh(arnOf('datapipeline', 'pipeline/*'))),
      s('datapipeline:ActivatePipeline', fresh(arnOf('datapipeline', 'pipeline/*'))),
    ],
    target: passed('datapipeline.amazonaws.com', 'elasticmapreduce.amazonaws.com'),
  },
  {
    id: 'ec2-001',
    category: 'new-passrole',
    name: 'iam:PassRole + ec2:RunInstances',
    steps: [pass('ec2.amazonaws.com'), s('ec2:RunInstances', fresh(arnOf('ec2', 'instance/*')))],
    target: { kind: 'passed-role', trusts: ['ec2.amazonaws.com'], instanceProfile: true },
  },
  {
    id: 'ec2-003',
    category: 'new-passrole',
    name: 'iam:PassRole + ec2:RequestSpotInstances',
    steps: [
      pass('ec2.amazonaws.com'),
      s('ec2:RequestSpotInstances', fresh(arnOf('ec2', 'spot-instances-request/*'))),
    ],
    target: { kind: 'passed-role', trusts: ['ec2.amazonaws.com'], instanceProfile: true },
  },
  {
    id: 'ecs-001',
    category: 'new-passrole',
    name: 'iam:PassRole + ecs:CreateCluster + ecs:RegisterTaskDefinition + ecs:CreateService',
    steps: [
      pass('ecs-tasks.amazonaws.com'),
      s('ecs:CreateCluster', ECS_CLUSTER),
      s('ecs:RegisterTaskDefinition', ECS_TASKDEF),
      s('ecs:CreateService', ECS_SERVICE),
    ],
    target: passed('ecs-tasks.amazonaws.com'),
  },
  {
    id: 'ecs-002',
    category: 'new-passrole',
    name: 'iam:PassRole + ecs:CreateCluster + ecs:RegisterTaskDefinition + ecs:RunTask',
    steps: [
      pass('ecs-tasks.amazonaws.com'),
      s('ecs:CreateCluster', ECS_CLUSTER),
      s('ecs:RegisterTaskDefinition', ECS_TASKDEF),
      s('ecs:RunTask', ECS_TASKDEF),
    ],
    target: passed('ecs-tasks.amazonaws.com'),
  },
  {
    id: 'ecs-003',
    category: 'new-passrole',
    name: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:CreateService',
    steps: [
      pass('ecs-tasks.amazonaws.com'),
      s('ecs:RegisterTaskDefinition', ECS_TASKDEF),
      s('ecs:CreateService', ECS_SERVICE),
    ],
    target: passed('ecs-tasks.amazonaws.com'),
    assumes: [CLUSTER_EXISTS],
  },
  {
    id: 'ecs-004',
    category: 'new-passrole',
    name: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:RunTask',
    steps: [
      pass('ecs-tasks.amazonaws.com'),
      s('ecs:RegisterTaskDefinition', ECS_TASKDEF),
      s('ecs:RunTask', ECS_TASKDEF),
    ],
    target: passed('ecs-tasks.amazonaws.com'),
    assumes: [CLUSTER_EXISTS],
  },
  {
    id: 'ecs-005',
    category: 'new-passrole',
    name: 'iam:PassRole + ecs:RegisterTaskDefinition + ecs:StartTask',
    steps: [
      pass('ecs-tasks.amazonaws.com'),
      s('ecs:RegisterTaskDefinition', ECS_TASKDEF),
      s('ecs:StartTask', ECS_TASKDEF),
    ],
    target: passed('ecs-tasks.amazonaws.com'),
    assumes: [CLUSTER_WITH_INSTANCE],
  },
  {
    id: 'glue-001',
    category: 'new-passrole',
    name: 'iam:PassRole + glue:CreateDevEndpoint',
    steps: [pass('glue.amazonaws.com'), s('glue:CreateDevEndpoint', ANY)],
    target: passed('glue.amazonaws.com'),
  },
  {
    id: 'glue-003',
    category: 'new-passrole',
    name: 'iam:PassRole + glue:CreateJob + glue:StartJobRun',
    steps: [pass('glue.amazonaws.com'), s('glue:CreateJob', GLUE_JOB), s('glue:StartJobRun', GLUE_JOB)],
    target: passed('glue.amazonaws.com'),
  },
  {
    id: 'glue-004',
    category: 'new-passrole',
    name: 'iam:PassRole + glue:CreateJob + glue:CreateTrigger',
    steps: [pass('glue.amazonaws.com'), s('glue:CreateJob', GLUE_JOB), s('glue:CreateTrigger', GLUE_TRIGGER)],
    target: passed('glue.amazonaws.com'),
  },
  {
    id: 'glue-005',
    category: 'new-passrole',
    name: 'iam:PassRole + glue:UpdateJob + glue:StartJobRun',
    steps: [
      pass('glue.amazonaws.com'),
      s('glue:UpdateJob', GLUE_JOB_EXISTING),
      s('glue:StartJobRun', GLUE_JOB_EXISTING),
    ],
    target: passed('glue.amazonaws.com'),
  },
  {
    id: 'glue-006',
    category: 'new-passrole',
    name: 'iam:PassRole + glue:UpdateJob + glue:CreateTrigger',
    steps: [
      pass('glue.amazonaws.com'),
      s('glue:UpdateJob', GLUE_JOB_EXISTING),
      s('glue:CreateTrigger', GLUE_TRIGGER),
    ],
    target: passed('glue.amazonaws.com'),
  },
  {
    id: 'lambda-001',
    category: 'new-passrole',
    name: 'iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction',
    steps: [
      pass('lambda.amazonaws.com'),
      s('lambda:CreateFunction', LAMBDA_FN),
      s('lambda:InvokeFunction', LAMBDA_FN),
    ],
    target: passed('lambda.amazonaws.com'),
  },
  {
    id: 'lambda-002',
    category: 'new-passrole',
    name: 'iam:PassRole + lambda:CreateFunction + lambda:CreateEventSourceMapping',
    steps: [
      pass('lambda.amazonaws.com'),
      s('lambda:CreateFunction', LAMBDA_FN),
      s('lambda:CreateEventSourceMapping', ANY),
    ],
    target: passed('lambda.amazonaws.com'),
    assumes: ['an event source (DynamoDB stream, Kinesis stream or SQS queue) exists'],
  },
  {
    id: 'lambda-006',
    category: 'new-passrole',
    name: 'iam:PassRole + lambda:CreateFunction + lambda:AddPermission',
    steps: [
      pass('lambda.amazonaws.com'),
      s('lambda:CreateFunction', LAMBDA_FN),
      s('lambda:AddPermission', LAMBDA_FN),
    ],
    target: passed('lambda.amazonaws.com'),
  },
  {
    id: 'sagemaker-001',
    category: 'new-passrole',
    name: 'iam:PassRole + sagemaker:CreateNotebookInstance',
    steps: [
      pass('sagemaker.amazonaws.com'),
      s('sagemaker:CreateNotebookInstance', fresh(arnOf('sagemaker', 'notebook-instance/*'))),
    ],
    target: passed('sagemaker.amazonaws.com'),
  },
  {
    id: 'sagemaker-002',
    category: 'new-passrole',
    name: 'iam:PassRole + sagemaker:CreateTrainingJob',
    steps: [
      pass('sagemaker.amazonaws.com'),
      s('sagemaker:CreateTrainingJob', fresh(arnOf('sagemaker', 'training-job/*'))),
    ],
    target: passed('sagemaker.amazonaws.com'),
  },
  {
    id: 'sagemaker-003',
    category: 'new-passrole',
    name: 'iam:PassRole + sagemaker:CreateProcessingJob',
    steps: [
      pass('sagemaker.amazonaws.com'),
      s('sagemaker:CreateProcessingJob', fresh(arnOf('sagemaker', 'processing-job/*'))),
    ],
    target: passed('sagemaker.amazonaws.com'),
  },
  // existing-passrole: the actor takes over compute that already runs as a role
  {
    id: 'apprunner-002',
    category: 'existing-passrole',
    name: 'apprunner:UpdateService',
    steps: [s('apprunner:UpdateService', RES)],
    target: runsAs('apprunner:service'),
  },
  {
    id: 'bedrock-002',
    category: 'existing-passrole',
    name: 'bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter',
    steps: [
      s('bedrock-agentcore:StartCodeInterpreterSession', RES),
      s('bedrock-agentcore:InvokeCodeInterpreter', RES),
    ],
    target: runsAs('bedrock-agentcore:code-interpreter'),
    assumes: ['the code interpreter is ready'],
  },
  {
    id: 'cloudformation-002',
    category: 'existing-passrole',
    name: 'cloudformation:UpdateStack',
    steps: [s('cloudformation:UpdateStack', RES)],
    target: runsAs('cloudformation:stack'),
  },
  {
    id: 'cloudformation-005',
    category: 'new-passrole',
    name: 'cloudformation:CreateChangeSet + cloudformation:ExecuteChangeSet',
    steps: [s('cloudformation:CreateChangeSet', RES), s('cloudformation:ExecuteChangeSet', RES)],
    target: runsAs('cloudformation:stack'),
  },
  {
    id: 'codebuild-002',
    category: 'existing-passrole',
    name: 'codebuild:StartBuild',
    steps: [s('codebuild:StartBuild', RES)],
    target: runsAs('codebuild:project'),
    assumes: ['the project allows buildspec overrides'],
  },
  {
    id: 'codebuild-003',
    category: 'existing-passrole',
    name: 'codebuild:StartBuildBatch',
    steps: [s('codebuild:StartBuildBatch', RES)],
    target: runsAs('codebuild:project'),
    assumes: ['the project is configured for batch builds and allows buildspec overrides'],
  },
  {
    id: 'ec2instanceconnect-003',
    category: 'existing-passrole',
    name: 'ec2-instance-connect:SendSSHPublicKey',
    steps: [s('ec2-instance-connect:SendSSHPublicKey', RES), s('ec2:DescribeInstances', ANY)],
    target: runsAs('ec2:instance'),
    assumes: ['the instance runs EC2 Instance Connect and is reachable on SSH'],
  },
  {
    id: 'ec2-002',
    category: 'existing-passrole',
    name: 'ec2:ModifyInstanceAttribute + ec2:StopInstances + ec2:StartInstances',
    steps: [s('ec2:ModifyInstanceAttribute', RES), s('ec2:StopInstances', RES), s('ec2:StartInstances', RES)],
    target: runsAs('ec2:instance'),
  },
  {
    id: 'ec2-004',
    category: 'existing-passrole',
    name: 'ec2:CreateLaunchTemplateVersion + ec2:ModifyLaunchTemplate',
    steps: [s('ec2:CreateLaunchTemplateVersion', RES), s('ec2:ModifyLaunchTemplate', RES)],
    target: runsAs('ec2:launch-template'),
    assumes: ['instances are launched from the template (Auto Scaling group or manual launches)'],
  },
  {
    id: 'glue-002',
    category: 'existing-passrole',
    name: 'glue:UpdateDevEndpoint',
    steps: [s('glue:UpdateDevEndpoint', RES)],
    target: runsAs('glue:devendpoint'),
  },
  {
    id: 'lambda-003',
    category: 'existing-passrole',
    name: 'lambda:UpdateFunctionCode',
    steps: [s('lambda:UpdateFunctionCode', RES)],
    target: runsAs('lambda:function'),
    assumes: ['the function is invoked by someone or some trigger'],
  },
  {
    id: 'lambda-004',
    category: 'existing-passrole',
    name: 'lambda:UpdateFunctionCode + lambda:InvokeFunction',
    steps: [s('lambda:UpdateFunctionCode', RES), s('lambda:InvokeFunction', RES)],
    target: runsAs('lambda:function'),
  },
  {
    id: 'lambda-005',
    category: 'existing-passrole',
    name: 'lambda:UpdateFunctionCode + lambda:AddPermission',
    steps: [s('lambda:UpdateFunctionCode', RES), s('lambda:AddPermission', RES)],
    target: runsAs('lambda:function'),
  },
  {
    id: 'sagemaker-004',
    category: 'existing-passrole',
    name: 'sagemaker:CreatePresignedNotebookInstanceUrl',
    steps: [s('sagemaker:CreatePresignedNotebookInstanceUrl', RES)],
    target: runsAs('sagemaker:notebook-instance'),
    assumes: ['the notebook instance is in service'],
  },
  {
    id: 'sagemaker-005',
    category: 'existing-passrole',
    name: 'sagemaker:CreateNotebookInstanceLifecycleConfig + sagemaker:StopNotebookInstance + sagemaker:UpdateNotebookInstance + sagemaker:StartNotebookInstance',
    steps: [
      s('sagemaker:UpdateNotebookInstance', RES),
      s(
        'sagemaker:CreateNotebookInstanceLifecycleConfig',
        fresh(arnOf('sagemaker', 'notebook-instance-lifecycle-config/*')),
      ),
      s('sagemaker:StopNotebookInstance', RES),
      s('sagemaker:StartNotebookInstance', RES),
    ],
    target: runsAs('sagemaker:notebook-instance'),
  },
  {
    id: 'ssm-001',
    category: 'existing-passrole',
    name: 'ssm:StartSession',
    steps: [s('ssm:StartSession', RES)],
    target: runsAs('ec2:instance'),
    assumes: ['the instance runs the SSM agent'],
  },
  {
    id: 'ssm-002',
    category: 'existing-passrole',
    name: 'ssm:SendCommand',
    steps: [s('ssm:SendCommand', RES)],
    target: runsAs('ec2:instance'),
    assumes: ['the instance runs the SSM agent'],
  },
];

/**
 * sts-001 (sts:AssumeRole on a role whose trust policy lets the actor in) is what CAN_ASSUME
 * edges already say: those edges carry `props.technique: 'sts-001'` instead of a duplicate
 * CAN_ESCALATE edge.
 */
export const ASSUME_TECHNIQUE = 'sts-001';

/** Every technique id we handle: the CAN_ESCALATE techniques plus sts-001. */
export const HANDLED_TECHNIQUE_IDS: readonly string[] = [...TECHNIQUES.map((t) => t.id), ASSUME_TECHNIQUE];

/** The ids that come from the public catalogue (ours excluded). */
export const CATALOGUE_TECHNIQUE_IDS: readonly string[] = [
  ...TECHNIQUES.filter((t) => t.catalogued !== false).map((t) => t.id),
  ASSUME_TECHNIQUE,
];

/** What the settling of an assumption looks at in a listed resource (snapshot format). */
export interface ListedResource {
  type: string;
  registeredContainerInstances?: number;
}

/**
 * Assumptions a listed resource settles: once the snapshot lists one, edges of techniques
 * that assume it no longer carry the assumption. Listing none settles nothing (the listing
 * may have been denied or not collected), so the edge keeps it.
 */
const SETTLED_BY: ReadonlyArray<{ assumption: string; by: (r: ListedResource) => boolean }> = [
  { assumption: CLUSTER_EXISTS, by: (r) => r.type === 'ecs:cluster' },
  {
    assumption: CLUSTER_WITH_INSTANCE,
    by: (r) => r.type === 'ecs:cluster' && (r.registeredContainerInstances ?? 0) > 0,
  },
];

export function settledAssumptions(resources: readonly ListedResource[]): Set<string> {
  return new Set(SETTLED_BY.filter((s) => resources.some(s.by)).map((s) => s.assumption));
}
