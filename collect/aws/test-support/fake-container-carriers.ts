/**
 * The fake organization's App Runner services, Bedrock AgentCore code interpreters and ECS
 * clusters, services and task definitions, answered the way the APIs answer (two pages per
 * listing, roles by name where ECS allows names, secrets in fields the collector must drop,
 * resources being deleted still listed). Installed by fakeAws; everything lives in the
 * management account's home region.
 */
import { AppRunnerClient, DescribeServiceCommand, ListServicesCommand } from '@aws-sdk/client-apprunner';
import {
  BedrockAgentCoreControlClient,
  GetCodeInterpreterCommand,
  ListCodeInterpretersCommand,
} from '@aws-sdk/client-bedrock-agentcore-control';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand as ListEcsServicesCommand,
  ListTaskDefinitionFamiliesCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { COMPUTE_SECRET, type RoleCarrierEnv, trusting } from './fake-role-carriers.js';

export type ContainerCarrierDenial =
  | 'apprunner'
  | 'apprunner-describe'
  | 'bedrock-agentcore'
  | 'ecs-clusters'
  | 'ecs-task-definitions';

// biome-ignore lint/suspicious/noExplicitAny: the mock's getClient type differs per client class
type Getter = () => any;

export interface ContainerCarrierEnv extends RoleCarrierEnv {
  /** how many times the second ListCodeInterpreters page is throttled before it answers */
  throttleInterpretersPage2?: number;
}

/** The roles these resources run as, as RoleDetailList rows of the account's IAM export. */
export function containerCarrierRoles(account: string, created: Date): Array<Record<string, unknown>> {
  const role = (name: string, id: string, service: string) => ({
    Path: '/',
    RoleName: name,
    RoleId: id,
    Arn: `arn:aws:iam::${account}:role/${name}`,
    CreateDate: created,
    AssumeRolePolicyDocument: trusting({ Service: service }),
    InstanceProfileList: [],
    RolePolicyList: [],
    AttachedManagedPolicies: [],
  });
  return [
    role('web-runtime', 'AROAWEBRUNTIME0000001', 'tasks.apprunner.amazonaws.com'),
    role('apprunner-ecr-access', 'AROAAPPRUNNERECR00001', 'build.apprunner.amazonaws.com'),
    role('agent-sandbox', 'AROAAGENTSANDBOX00001', 'bedrock-agentcore.amazonaws.com'),
    role('ecs-task', 'AROAECSTASK0000000001', 'ecs-tasks.amazonaws.com'),
    role('ecsTaskExecutionRole', 'AROAECSTASKEXEC000001', 'ecs-tasks.amazonaws.com'),
  ];
}

export const CONTAINER_CARRIER_ACTIONS = [
  'apprunner:UpdateService',
  'bedrock-agentcore:StartCodeInterpreterSession',
  'bedrock-agentcore:InvokeCodeInterpreter',
  'ecs:RegisterTaskDefinition',
  'ecs:RunTask',
  'ecs:StartTask',
];

export function installContainerCarriers(env: ContainerCarrierEnv): Record<string, { restore(): void }> {
  const { account, region, deny } = env;
  const arn = (service: string, rest: string) => `arn:aws:${service}:${region}:${account}:${rest}`;
  const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;
  const refuse = (what: string, action: string) => {
    if (deny.has(what)) throw env.error('AccessDeniedException', `not authorized to perform: ${action}`);
  };
  let interpreterThrottles = env.throttleInterpretersPage2 ?? 0;

  const apprunner = mockClient(AppRunnerClient);
  const service = (name: string, status = 'RUNNING') => ({
    ServiceName: name,
    ServiceId: `${name}0123456789abcdef`,
    ServiceArn: arn('apprunner', `service/${name}/${name}0123456789abcdef`),
    Status: status,
  });
  apprunner.on(ListServicesCommand).callsFake(async (input: { NextToken?: string }, g: Getter) => {
    refuse('apprunner', 'apprunner:ListServices');
    if (!(await env.inHome(g))) return { ServiceSummaryList: [] };
    return input.NextToken === 'ar-2'
      ? { ServiceSummaryList: [service('api'), service('retired', 'DELETED')] }
      : { ServiceSummaryList: [service('web')], NextToken: 'ar-2' };
  });
  apprunner.on(DescribeServiceCommand).callsFake((input: { ServiceArn: string }) => {
    refuse('apprunner-describe', 'apprunner:DescribeService');
    const web = input.ServiceArn.includes('service/web/');
    return {
      Service: {
        ServiceArn: input.ServiceArn,
        InstanceConfiguration: web ? { Cpu: '1024', InstanceRoleArn: role('web-runtime') } : { Cpu: '1024' },
        SourceConfiguration: {
          ImageRepository: {
            ImageIdentifier: `${account}.dkr.ecr.${region}.amazonaws.com/web:latest`,
            ImageRepositoryType: 'ECR',
            ImageConfiguration: { RuntimeEnvironmentVariables: { DB_PASSWORD: COMPUTE_SECRET } },
          },
          ...(web ? { AuthenticationConfiguration: { AccessRoleArn: role('apprunner-ecr-access') } } : {}),
        },
      },
    };
  });

  const agentcore = mockClient(BedrockAgentCoreControlClient);
  const interpreter = (name: string, status: string) => ({
    codeInterpreterId: `${name}-Ab12Cd34Ef`,
    codeInterpreterArn: arn('bedrock-agentcore', `code-interpreter-custom/${name}-Ab12Cd34Ef`),
    name,
    status,
    createdAt: new Date('2026-10-01T00:00:00Z'),
  });
  agentcore
    .on(ListCodeInterpretersCommand)
    .callsFake(async (input: { nextToken?: string; type?: string }, g: Getter) => {
      refuse('bedrock-agentcore', 'bedrock-agentcore:ListCodeInterpreters');
      if (input.type !== 'CUSTOM' || !(await env.inHome(g))) return { codeInterpreterSummaries: [] };
      if (input.nextToken === 'ci-2' && interpreterThrottles > 0) {
        interpreterThrottles--;
        throw env.throttled();
      }
      return input.nextToken === 'ci-2'
        ? { codeInterpreterSummaries: [interpreter('scratch', 'DELETING')] }
        : { codeInterpreterSummaries: [interpreter('sandbox', 'READY')], nextToken: 'ci-2' };
    });
  agentcore.on(GetCodeInterpreterCommand).callsFake((input: { codeInterpreterId: string }) => ({
    ...interpreter(input.codeInterpreterId.split('-')[0] ?? '', 'READY'),
    executionRoleArn: role('agent-sandbox'),
    networkConfiguration: { networkMode: 'SANDBOX' },
  }));

  const ecs = mockClient(ECSClient);
  const cluster = (name: string) => arn('ecs', `cluster/${name}`);
  ecs.on(ListClustersCommand).callsFake(async (input: { nextToken?: string }, g: Getter) => {
    refuse('ecs-clusters', 'ecs:ListClusters');
    if (!(await env.inHome(g))) return { clusterArns: [] };
    return input.nextToken === 'cl-2'
      ? { clusterArns: [cluster('batch'), cluster('gone')] }
      : { clusterArns: [cluster('web')], nextToken: 'cl-2' };
  });
  ecs.on(DescribeClustersCommand).callsFake((input: { clusters: string[] }) => ({
    clusters: input.clusters.map((c) => {
      const name = c.split('/').pop() ?? '';
      return {
        clusterArn: c,
        clusterName: name,
        status: name === 'gone' ? 'INACTIVE' : 'ACTIVE',
        registeredContainerInstancesCount: name === 'batch' ? 2 : 0,
        ...(name === 'web' ? { tags: [{ key: 'team', value: 'web' }] } : {}),
      };
    }),
    failures: [],
  }));
  ecs.on(ListEcsServicesCommand).callsFake((input: { cluster: string; nextToken?: string }) => {
    if (input.cluster !== cluster('web')) return { serviceArns: [] };
    return input.nextToken === 'svc-2'
      ? { serviceArns: [arn('ecs', 'service/web/worker')] }
      : { serviceArns: [arn('ecs', 'service/web/frontend')], nextToken: 'svc-2' };
  });
  ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => ({
    services: input.services.map((s) => {
      const name = s.split('/').pop() ?? '';
      return {
        serviceArn: s,
        serviceName: name,
        clusterArn: cluster('web'),
        status: 'ACTIVE',
        taskDefinition: arn('ecs', `task-definition/${name}:${name === 'worker' ? 3 : 7}`),
      };
    }),
    failures: [],
  }));
  ecs
    .on(ListTaskDefinitionFamiliesCommand)
    .callsFake(async (input: { nextToken?: string; status?: string }, g: Getter) => {
      refuse('ecs-task-definitions', 'ecs:ListTaskDefinitionFamilies');
      if (input.status !== 'ACTIVE' || !(await env.inHome(g))) return { families: [] };
      return input.nextToken === 'fam-2'
        ? { families: ['worker'] }
        : { families: ['frontend'], nextToken: 'fam-2' };
    });
  // the latest revisions: frontend:7 and worker:4; worker:3 still runs in the service
  ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
    const [family = '', asked] = (input.taskDefinition.split('/').pop() ?? '').split(':');
    const revision = Number(asked ?? (family === 'worker' ? 4 : 7));
    return {
      taskDefinition: {
        taskDefinitionArn: arn('ecs', `task-definition/${family}:${revision}`),
        family,
        revision,
        status: 'ACTIVE',
        // ECS keeps the role as it was registered: an ARN, or a bare name
        taskRoleArn: family === 'worker' ? 'ecs-task' : role('ecs-task'),
        executionRoleArn: 'ecsTaskExecutionRole',
        containerDefinitions: [
          { name: family, image: 'nginx', environment: [{ name: 'API_TOKEN', value: COMPUTE_SECRET }] },
        ],
      },
      tags: family === 'frontend' ? [{ key: 'team', value: 'web' }] : [],
    };
  });

  return { apprunner, bedrockagentcore: agentcore, ecs };
}
