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
