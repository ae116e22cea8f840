/**
 * App Runner services, Bedrock AgentCore code interpreters and ECS clusters, services and task
 * definitions: collected page by page, best effort per step, and written so that the ingest
 * links each to the role it runs as and the escalation detector goes through them.
 */
import { DescribeServiceCommand } from '@aws-sdk/client-apprunner';
import { ListCodeInterpretersCommand } from '@aws-sdk/client-bedrock-agentcore-control';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { collectHarness, escalations, ofType, runsAs } from './test-support/collect-harness.js';
import { HOME, MEMBER, MGMT, OTHER } from './test-support/fake-aws.js';
import { COMPUTE_SECRET } from './test-support/fake-role-carriers.js';

const run = collectHarness({
  regions: [HOME, OTHER],
  services: ['apprunner', 'bedrock-agentcore', 'ecs'],
  accounts: [MGMT, MEMBER],
  roleName: 'OrganizationAccountAccessRole',
});

const role = (name: string) => `arn:aws:iam::${MGMT}:role/${name}`;
const at = (service: string, rest: string) => `arn:aws:${service}:${HOME}:${MGMT}:${rest}`;
const SERVICE = (name: string) => at('apprunner', `service/${name}/${name}0123456789abcdef`);
const SANDBOX = at('bedrock-agentcore', 'code-interpreter-custom/sandbox-Ab12Cd34Ef');
const CLUSTER = (name: string) => at('ecs', `cluster/${name}`);
const ECS_SERVICE = (name: string) => at('ecs', `service/web/${name}`);
const TASKDEF = (nameRev: string) => at('ecs', `task-definition/${nameRev}`);
const TASK_ROLES = { roleArn: role('ecs-task'), executionRoleArn: role('ecsTaskExecutionRole') };

describe('collect aws: App Runner, Bedrock AgentCore, ECS', () => {
  it('reads every page and each resource with the roles it runs as', async () => {
    const { mgmt, member } = await run.collectMgmt();
    expect(ofType(mgmt, 'apprunner:service')).toEqual([
      // no instance role: the service runs without AWS credentials of the account
      { arn: SERVICE('api'), type: 'apprunner:service', name: 'api', region: HOME },
      {
        arn: SERVICE('web'),
        type: 'apprunner:service',
        name: 'web',
        region: HOME,
        roleArn: role('web-runtime'),
        accessRoleArn: role('apprunner-ecr-access'),
      },
    ]);
    // the DELETED one on page 2 is not described
    expect(run.fake().stubs.apprunner?.commandCalls(DescribeServiceCommand)).toHaveLength(2);
    expect(ofType(mgmt, 'bedrock-agentcore:code-interpreter')).toEqual([
      {
        arn: SANDBOX,
        type: 'bedrock-agentcore:code-interpreter',
        name: 'sandbox',
        region: HOME,
        roleArn: role('agent-sandbox'),
      },
    ]);
    expect(ofType(mgmt, 'ecs:cluster')).toEqual([
      {
        arn: CLUSTER('batch'),
        type: 'ecs:cluster',
        name: 'batch',
        region: HOME,
        registeredContainerInstances: 2,
      },
      {
        arn: CLUSTER('web'),
        type: 'ecs:cluster',
        name: 'web',
        region: HOME,
        tags: { team: 'web' },
        registeredContainerInstances: 0,
      },
    ]);
    expect(ofType(mgmt, 'ecs:service')).toEqual([
      {
        arn: ECS_SERVICE('frontend'),
        type: 'ecs:service',
        name: 'frontend',
        region: HOME,
        taskDefinitionArn: TASKDEF('frontend:7'),
        ...TASK_ROLES,
      },
      // its task definition names the roles by bare name; the IAM export has the ARNs
      {
        arn: ECS_SERVICE('worker'),
        type: 'ecs:service',
        name: 'worker',
        region: HOME,
        taskDefinitionArn: TASKDEF('worker:3'),
        ...TASK_ROLES,
      },
    ]);
    expect(ofType(mgmt, 'ecs:task-definition')).toEqual([
      {
        arn: TASKDEF('frontend:7'),
        type: 'ecs:task-definition',
        name: 'frontend:7',
        region: HOME,
        tags: { team: 'web' },
        ...TASK_ROLES,
      },
      {
        arn: TASKDEF('worker:4'),
        type: 'ecs:task-definition',
        name: 'worker:4',
        region: HOME,
        ...TASK_ROLES,
      },
    ]);
    // each revision the services run once, then each family's latest
    const described = run
      .fake()
      .stubs.ecs?.commandCalls(DescribeTaskDefinitionCommand)
      .map((c) => c.args[0].input.taskDefinition);
    expect(described?.sort()).toEqual(
      [TASKDEF('frontend:7'), TASKDEF('worker:3'), 'frontend', 'worker'].sort(),
    );
    // environment variables of services and containers are never copied
    expect(JSON.stringify(mgmt)).not.toContain(COMPUTE_SECRET);
    expect(mgmt.errors).toEqual([]);
    expect(member?.errors).toEqual([]);
    expect(member?.resources).toEqual([]);
  });

  it('retries a throttled page on its own', async () => {
    const { mgmt } = await run.collectMgmt({ throttleCodeInterpretersPage2: 2 });
    expect(ofType(mgmt, 'bedrock-agentcore:code-interpreter').map((r) => r.name)).toEqual(['sandbox']);
    expect(run.sleeps).toEqual([500, 1000]);
    const tokens = run
      .fake()
      .stubs.bedrockagentcore?.commandCalls(ListCodeInterpretersCommand)
      .map((c) => c.args[0].input.nextToken);
    // MGMT home: page 1 once, page 2 three times; the other account/region pairs once each
    expect(tokens?.filter((t) => t === undefined)).toHaveLength(4);
    expect(tokens?.filter((t) => t === 'ci-2')).toHaveLength(3);
    expect(mgmt.errors).toEqual([]);
  });

  it.each([
    ['apprunner', 'apprunner', 'ListServices', ['apprunner:service']],
    [
      'bedrock-agentcore',
      'bedrock-agentcore',
      'ListCodeInterpreters',
      ['bedrock-agentcore:code-interpreter'],
    ],
    ['ecs-clusters', 'ecs', 'ListClusters', ['ecs:cluster', 'ecs:service']],
    ['ecs-task-definitions', 'ecs', 'ListTaskDefinitionFamilies', ['ecs:task-definition']],
  ] as const)(
    'records a denied %s listing in both regions and collects the rest',
    async (denial, service, operation, lost) => {
      const { mgmt } = await run.collectMgmt({ deny: [denial] });
      expect(mgmt.errors).toEqual(
        [OTHER, HOME].map((region) =>
          expect.objectContaining({ service, operation, region, code: 'AccessDeniedException' }),
        ),
      );
      const all = [
        'apprunner:service',
        'bedrock-agentcore:code-interpreter',
        'ecs:cluster',
        'ecs:service',
        'ecs:task-definition',
      ];
      for (const t of all) expect(ofType(mgmt, t).length > 0).toBe(!(lost as readonly string[]).includes(t));
    },
  );

  it('keeps App Runner services that cannot be described, without roles, one error each', async () => {
    const { mgmt } = await run.collectMgmt({ deny: ['apprunner-describe'] });
    expect(ofType(mgmt, 'apprunner:service')).toEqual([
      { arn: SERVICE('api'), type: 'apprunner:service', name: 'api', region: HOME },
      { arn: SERVICE('web'), type: 'apprunner:service', name: 'web', region: HOME },
    ]);
    expect(mgmt.errors?.map((e) => [e.service, e.operation, e.code])).toEqual([
      ['apprunner', 'DescribeService', 'AccessDeniedException'],
      ['apprunner', 'DescribeService', 'AccessDeniedException'],
    ]);
    expect(mgmt.errors?.map((e) => e.message)).toEqual([
      expect.stringContaining(SERVICE('api')),
      expect.stringContaining(SERVICE('web')),
    ]);
  });
});

describe('collect aws → ingest: App Runner, Bedrock AgentCore, ECS', () => {
  it('validates, links each resource to its role, and the detector escalates through them', async () => {
    const srcs = await run.ingestCollected();
    const mgmt = srcs.find((s) => s.descriptor.id === `aws:${MGMT}`);
    expect(runsAs(srcs, MGMT, SERVICE('web'), role('web-runtime'))).toBe(true);
    expect(runsAs(srcs, MGMT, SANDBOX, role('agent-sandbox'))).toBe(true);
    expect(runsAs(srcs, MGMT, ECS_SERVICE('worker'), role('ecs-task'))).toBe(true);
    expect(runsAs(srcs, MGMT, TASKDEF('worker:4'), role('ecs-task'))).toBe(true);
    // the roles the code does not run as are kept on the node, with no RUNS_AS edge
    expect(runsAs(srcs, MGMT, SERVICE('web'), role('apprunner-ecr-access'))).toBe(false);
    expect(mgmt?.nodes.find((n) => n.id === SERVICE('web'))?.props).toMatchObject({
      accessRoleArn: role('apprunner-ecr-access'),
    });
    expect(mgmt?.nodes.find((n) => n.id === ECS_SERVICE('worker'))?.props).toMatchObject({
      taskDefinitionArn: TASKDEF('worker:3'),
      executionRoleArn: role('ecsTaskExecutionRole'),
    });
    expect(mgmt?.nodes.find((n) => n.id === CLUSTER('batch'))?.props).toMatchObject({
      registeredContainerInstances: 2,
    });

    // apprunner-002 / bedrock-002: updating the service or running code in the interpreter
    const ar = escalations(srcs, 'apprunner-002');
    expect(ar.map((e) => [e.to, e.props.through])).toEqual([[role('web-runtime'), SERVICE('web')]]);
    const br = escalations(srcs, 'bedrock-002');
    expect(br.map((e) => [e.to, e.props.through])).toEqual([[role('agent-sandbox'), SANDBOX]]);
    // ecs-004 / ecs-005: listed clusters (one with container instances) settle the assumption
    for (const technique of ['ecs-004', 'ecs-005']) {
      const ecs = escalations(srcs, technique);
      expect(ecs.map((e) => e.to)).toContain(role('ecs-task'));
      expect(ecs.every((e) => e.props.assumes === undefined)).toBe(true);
    }
  });

  it('without the cluster listing the ECS edges assume a cluster exists', async () => {
    const srcs = await run.ingestCollected({ deny: ['ecs-clusters'] });
    expect(escalations(srcs, 'ecs-004')[0]?.props.assumes).toEqual(['an ECS cluster exists']);
    expect(escalations(srcs, 'ecs-005')[0]?.props.assumes).toEqual([
      'an ECS cluster with a registered EC2 container instance exists',
    ]);
    expect(srcs.flatMap((s) => s.warnings).join('\n')).toMatch(/ecs ListClusters/);
  });
});
