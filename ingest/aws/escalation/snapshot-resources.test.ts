/**
 * Resources that carry roles, read from the snapshot format (the resource types the schema
 * gained for escalation included), end to end through `ingestAwsSnapshot`.
 */
import { describe, expect, it } from 'vitest';
import type { GraphEdgeOf } from '../../../graph/model.js';
import { IngestError } from '../../errors.js';
import type { IngestedSource } from '../../types.js';
import { ingestAwsSnapshot } from '../snapshot.js';
import { A, type AccountSpec, ADMIN_POLICY, arn, authorizationDetails, NOW } from './test-support/build.js';

const FN_ROLE = arn('role/app-runtime');
const JOB = `arn:aws:glue:us-east-1:${A}:job/nightly`;

function snapshot(spec: AccountSpec, resources: unknown[]) {
  return {
    format: 'accessgraph-aws-snapshot',
    version: 1,
    collectedAt: '2026-11-29T00:00:00Z',
    accounts: [{ accountId: A, authorizationDetails: authorizationDetails(spec), resources }],
  };
}
const escalations = (srcs: IngestedSource[], technique: string) =>
  srcs.flatMap((s) =>
    s.edges.filter(
      (e): e is GraphEdgeOf<'CAN_ESCALATE'> => e.kind === 'CAN_ESCALATE' && e.props.technique === technique,
    ),
  );
const runtime = {
  name: 'app-runtime',
  trust: [
    { Effect: 'Allow', Principal: { Service: 'tasks.apprunner.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
  attached: [ADMIN_POLICY],
};
const glueRole = {
  name: 'glue-etl',
  trust: [{ Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  attached: [ADMIN_POLICY],
};

describe('role-carrying resources from a snapshot', () => {
  it('an App Runner service: whoever may update it gains its role', async () => {
    const srcs = await ingestAwsSnapshot(
      snapshot(
        {
          users: [
            { name: 'dev', inline: [{ Effect: 'Allow', Action: 'apprunner:UpdateService', Resource: '*' }] },
          ],
          roles: [runtime],
        },
        [
          {
            arn: `arn:aws:apprunner:us-east-1:${A}:service/web/0123456789abcdef`,
            type: 'apprunner:service',
            roleArn: FN_ROLE,
          },
        ],
      ),
      'snap.json',
      { now: NOW },
    );
    const [edge] = escalations(srcs, 'apprunner-002');
    expect(edge).toMatchObject({ from: arn('user/dev'), to: FN_ROLE });
    expect(edge?.props.through).toBe(`arn:aws:apprunner:us-east-1:${A}:service/web/0123456789abcdef`);
  });

  it('a Bedrock AgentCore code interpreter: whoever may start a session and invoke it gains its role', async () => {
    const interpreter = `arn:aws:bedrock-agentcore:us-east-1:${A}:code-interpreter-custom/sandbox-Ab12Cd34Ef`;
    const sandbox = {
      name: 'agent-sandbox',
      trust: [
        {
          Effect: 'Allow',
          Principal: { Service: 'bedrock-agentcore.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
      attached: [ADMIN_POLICY],
    };
    const actions = [
      'bedrock-agentcore:StartCodeInterpreterSession',
      'bedrock-agentcore:InvokeCodeInterpreter',
    ];
    const srcs = await ingestAwsSnapshot(
      snapshot(
        {
          users: [{ name: 'analyst', inline: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }],
          roles: [sandbox],
        },
        [
          {
            arn: interpreter,
            type: 'bedrock-agentcore:code-interpreter',
            roleArn: arn('role/agent-sandbox'),
          },
        ],
      ),
      'snap.json',
      { now: NOW },
    );
    const [edge] = escalations(srcs, 'bedrock-002');
    expect(edge).toMatchObject({ from: arn('user/analyst'), to: arn('role/agent-sandbox') });
    expect(edge?.props.through).toBe(interpreter);
  });

  it('listed ECS clusters settle the "a cluster exists" assumptions of ecs-003/004/005', async () => {
    const taskRole = {
      name: 'ecs-task',
      trust: [
        { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
      attached: [ADMIN_POLICY],
    };
    const deployer = {
      name: 'deployer',
      inline: [
        {
          Effect: 'Allow',
          Action: [
            'iam:PassRole',
            'ecs:RegisterTaskDefinition',
            'ecs:CreateService',
            'ecs:RunTask',
            'ecs:StartTask',
          ],
          Resource: '*',
        },
      ],
    };
    const cluster = (name: string, instances: number) => ({
      arn: `arn:aws:ecs:us-east-1:${A}:cluster/${name}`,
      type: 'ecs:cluster',
      registeredContainerInstances: instances,
    });
    const assumptions = async (resources: unknown[]) => {
      const srcs = await ingestAwsSnapshot(
        snapshot({ users: [deployer], roles: [taskRole] }, resources),
        'snap.json',
        {
          now: NOW,
        },
      );
      return Object.fromEntries(
        ['ecs-003', 'ecs-004', 'ecs-005'].map((t) => {
          const edges = escalations(srcs, t).filter((e) => e.to === arn('role/ecs-task'));
          expect(edges).toHaveLength(1);
          return [t, edges[0]?.props.assumes];
        }),
      );
    };
    const EXISTS = ['an ECS cluster exists'];
    const WITH_INSTANCE = ['an ECS cluster with a registered EC2 container instance exists'];
    // none listed: the listing may have been denied, so the edges keep the assumption
    expect(await assumptions([])).toEqual({ 'ecs-003': EXISTS, 'ecs-004': EXISTS, 'ecs-005': WITH_INSTANCE });
    // a Fargate-only cluster settles a cluster, not a container instance
    expect(await assumptions([cluster('web', 0)])).toEqual({
      'ecs-003': undefined,
      'ecs-004': undefined,
      'ecs-005': WITH_INSTANCE,
    });
    expect(await assumptions([cluster('web', 0), cluster('batch', 2)])).toEqual({
      'ecs-003': undefined,
      'ecs-004': undefined,
      'ecs-005': undefined,
    });
  });

  it('ECS services and task definitions run as their task role; the execution role stays a property', async () => {
    const td = `arn:aws:ecs:us-east-1:${A}:task-definition/worker:3`;
    const svc = `arn:aws:ecs:us-east-1:${A}:service/web/worker`;
    const roles = { roleArn: FN_ROLE, executionRoleArn: arn('role/ecsTaskExecutionRole') };
    const [src] = await ingestAwsSnapshot(
      snapshot({ roles: [runtime] }, [
        { arn: td, type: 'ecs:task-definition', ...roles },
        { arn: svc, type: 'ecs:service', taskDefinitionArn: td, ...roles },
      ]),
      'snap.json',
      { now: NOW },
    );
    const runsAs = src?.edges.filter((e) => e.kind === 'RUNS_AS').map((e) => [e.from, e.to]);
    expect(runsAs).toEqual(
      expect.arrayContaining([
        [td, FN_ROLE],
        [svc, FN_ROLE],
      ]),
    );
    expect(runsAs).toHaveLength(2);
    expect(src?.nodes.find((n) => n.id === svc)?.props).toMatchObject({
      taskDefinitionArn: td,
      executionRoleArn: arn('role/ecsTaskExecutionRole'),
    });
  });

  it('a listed Glue job decides glue-005: updatable gives the edge with no assumption, not updatable gives none', async () => {
    const user = (resource: string) => ({
      name: 'etl-dev',
      inline: [
        { Effect: 'Allow', Action: ['iam:PassRole', 'glue:StartJobRun'], Resource: '*' },
        { Effect: 'Allow', Action: 'glue:UpdateJob', Resource: resource },
      ],
    });
    const job = { arn: JOB, type: 'glue:job', roleArn: arn('role/glue-etl') };
    const yes = await ingestAwsSnapshot(
      snapshot({ users: [user(JOB)], roles: [glueRole] }, [job]),
      'snap.json',
      {
        now: NOW,
      },
    );
    const [edge] = escalations(yes, 'glue-005');
    expect(edge?.to).toBe(arn('role/glue-etl'));
    expect(edge?.props.assumes).toBeUndefined();
    const no = await ingestAwsSnapshot(
      snapshot({ users: [user(`arn:aws:glue:us-east-1:${A}:job/other-*`)], roles: [glueRole] }, [job]),
      'snap.json',
      { now: NOW },
    );
    expect(escalations(no, 'glue-005')).toEqual([]);
    // with no jobs listed at all, the edge records that one must exist
    const unknown = await ingestAwsSnapshot(
      snapshot({ users: [user('*')], roles: [glueRole] }, []),
      'snap.json',
      {
        now: NOW,
      },
    );
    expect(escalations(unknown, 'glue-005')[0]?.props.assumes).toEqual(['a glue:job exists']);
  });

  it('the schema accepts the new resource types and still rejects unknown ones', async () => {
    const types = [
      'apprunner:service',
      'bedrock-agentcore:code-interpreter',
      'ec2:launch-template',
      'glue:job',
      'cloudformation:stackset',
      'ecs:cluster',
      'ecs:service',
      'ecs:task-definition',
    ];
    const resources = types.map((type, i) => ({ arn: `arn:aws:x:us-east-1:${A}:thing/${i}`, type }));
    await expect(
      ingestAwsSnapshot(snapshot({ roles: [runtime] }, resources), 'snap.json'),
    ).resolves.toBeDefined();
    const bad = ingestAwsSnapshot(
      snapshot({ roles: [runtime] }, [{ arn: `arn:aws:x:us-east-1:${A}:thing/1`, type: 'x:unknown' }]),
      'snap.json',
    );
    await expect(bad).rejects.toBeInstanceOf(IngestError);
    await expect(bad).rejects.toMatchObject({ file: 'snap.json' });
  });
});
