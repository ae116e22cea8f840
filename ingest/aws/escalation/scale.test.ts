/**
 * Escalation detection at scale stays grouped by actor and bounded by what policies name:
 * thousands of users with self-service policies, a large group with a PassRole technique and
 * many roles must not turn into users × users or users × roles evaluations or edges.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_POLICY, arn, build } from './test-support/build.js';

const USERS = 4000;
const ROLES = 400;

describe('escalation scale', () => {
  it(`${USERS} users, ${ROLES} service roles`, async () => {
    const selfService = {
      Effect: 'Allow',
      Action: ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:UpdateLoginProfile'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
      Resource: arn('user/${aws:username}'),
    };
    const spec = {
      groups: [
        { name: 'everyone', inline: [selfService] },
        {
          name: 'builders',
          inline: [
            { Effect: 'Allow', Action: 'iam:PassRole', Resource: arn('role/app-*') },
            { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
          ],
        },
      ],
      users: Array.from({ length: USERS }, (_, i) => ({
        name: `u${i}`,
        groups: i % 10 === 0 ? ['everyone', 'builders'] : ['everyone'],
        // every 50th user also has its own self-service copy, so it is evaluated on its own
        ...(i % 50 === 0 ? { inline: [selfService] } : {}),
      })),
      roles: Array.from({ length: ROLES }, (_, i) => ({
        name: `app-${i}`,
        trust: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
        ...(i % 100 === 0 ? { attached: [ADMIN_POLICY] } : {}),
      })),
    };
    const t0 = Date.now();
    const src = await build(spec);
    const ms = Date.now() - t0;
    const esc = src.edges.filter((e) => e.kind === 'CAN_ESCALATE');
    console.info(`escalation scale: ${src.nodes.length} nodes, ${esc.length} CAN_ESCALATE edges in ${ms} ms`);
    // the builders group holds lambda-001 to each app role; nobody else holds anything
    expect(esc.every((e) => e.from === arn('group/builders') && e.props.technique === 'lambda-001')).toBe(
      true,
    );
    expect(esc.length).toBe(ROLES);
    expect(ms).toBeLessThan(60_000);
  });
});
