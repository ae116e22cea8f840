/**
 * Escalation as the graph shows it: the administrator node and who-can through it, transitive
 * escalation through an assumed role, groups as escalation holders, conditional edges, and
 * what is left out (admins, self-service, unprovable variables).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../graph/embedded/sqlite-store.js';
import type { GraphEdge, GraphEdgeOf } from '../../../graph/model.js';
import { whoCan } from '../../../graph/queries/access.js';
import type { IngestedSource } from '../../types.js';
import { adminNodeId } from './admin-node.js';
import { A, ADMIN_POLICY, arn, build, catalog } from './test-support/build.js';

const ADMIN = adminNodeId(A);
const BUCKET = 'arn:aws:s3:::payroll-exports';
const esc = (src: IngestedSource, from?: string, to?: string) =>
  src.edges.filter(
    (e): e is GraphEdgeOf<'CAN_ESCALATE'> =>
      e.kind === 'CAN_ESCALATE' && (!from || e.from === from) && (!to || e.to === to),
  );
const hasAccess = (src: IngestedSource, from: string) =>
  src.edges.filter((e): e is GraphEdgeOf<'HAS_ACCESS'> => e.kind === 'HAS_ACCESS' && e.from === from);
const lambdaTrust = {
  Effect: 'Allow',
  Principal: { Service: 'lambda.amazonaws.com' },
  Action: 'sts:AssumeRole',
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
async function storeWith(src: IngestedSource) {
  const dir = mkdtempSync(join(tmpdir(), 'accessgraph-escalation-'));
  dirs.push(dir);
  const store = await EmbeddedStore.open({ dataDir: dir });
  await store.replaceSource(src.descriptor, async (w) => {
    await w.addNodes(src.nodes);
    await w.addEdges(src.edges);
  });
  return store;
}

describe('the account administrator node', () => {
  it('is one synthetic Role per account holding every action on the account', async () => {
    const src = await build({
      users: [
        { name: 'a', inline: [{ Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: '*' }] },
        { name: 'b', inline: [{ Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: '*' }] },
      ],
    });
    const admins = src.nodes.filter((n) => n.id === ADMIN);
    expect(admins).toHaveLength(1);
    expect(admins[0]).toMatchObject({ kind: 'Role', props: { synthetic: true } });
    expect(admins[0]?.name).toContain(`Administrator of account ${A}`);
    const [grant, ...others] = hasAccess(src, ADMIN);
    expect(others).toEqual([]);
    expect(grant?.to).toBe(arn('root'));
    expect(grant?.props.adminEquivalent).toBe(true);
    expect(grant?.props.actions.length).toBe((await catalog()).expand(['*'], null).length);
    expect(grant?.props.actions).toContain('s3:getobject');
    expect(esc(src, arn('user/a'), ADMIN).map((e) => e.props.technique)).toEqual(['iam-007']);
    expect(esc(src, arn('user/b'), ADMIN).map((e) => e.props.technique)).toEqual(['iam-008']);
  });

  it('is absent when nobody can escalate', async () => {
    const src = await build({
      users: [{ name: 'a', inline: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }],
    });
    expect(src.nodes.some((n) => n.id === ADMIN)).toBe(false);
    expect(esc(src)).toEqual([]);
  });

  it('makes who-can on a resource of the account return the escalating principal, path and technique', async () => {
    const src = await build(
      {
        users: [
          { name: 'a', inline: [{ Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: arn('user/a') }] },
        ],
      },
      { resources: [{ arn: BUCKET, type: 's3:bucket' }] },
    );
    const store = await storeWith(src);
    try {
      const res = await whoCan(store, BUCKET, { action: 's3:GetObject' });
      const a = res.answers.find((x) => x.node.id === arn('user/a'));
      expect(a?.path.map((h) => h.edge)).toEqual(['CAN_ESCALATE', 'HAS_ACCESS', 'CONTAINS']);
      expect(a?.path[0]).toMatchObject({ to: ADMIN, technique: 'iam-007' });
    } finally {
      await store.close();
    }
  });
});

describe('transitive escalation', () => {
  it('a user who can assume a role that can rewrite its own policy reaches everything', async () => {
    const src = await build(
      {
        users: [
          {
            name: 'dev',
            inline: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn('role/deployer') }],
          },
        ],
        roles: [
          {
            name: 'deployer',
            trust: [{ Effect: 'Allow', Principal: { AWS: arn('root') }, Action: 'sts:AssumeRole' }],
            inline: [{ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: arn('role/deployer') }],
          },
        ],
      },
      { resources: [{ arn: BUCKET, type: 's3:bucket' }] },
    );
    expect(esc(src, arn('user/dev'))).toEqual([]); // no edge of its own: the path does the work
    expect(esc(src, arn('role/deployer'), ADMIN).map((e) => e.props.technique)).toEqual(['iam-005']);
    const store = await storeWith(src);
    try {
      const res = await whoCan(store, BUCKET, { action: 's3:PutObject' });
      const dev = res.answers.find((x) => x.node.id === arn('user/dev'));
      expect(dev?.path.map((h) => h.edge)).toEqual(['CAN_ASSUME', 'CAN_ESCALATE', 'HAS_ACCESS', 'CONTAINS']);
      expect(dev?.path[1]?.technique).toBe('iam-005');
    } finally {
      await store.close();
    }
  });

  it('without the role hop the user reaches nothing', async () => {
    const src = await build(
      {
        users: [{ name: 'dev', inline: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] }],
        roles: [
          {
            name: 'deployer',
            trust: [{ Effect: 'Allow', Principal: { AWS: arn('root') }, Action: 'sts:AssumeRole' }],
            inline: [{ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: arn('role/deployer') }],
          },
        ],
      },
      { resources: [{ arn: BUCKET, type: 's3:bucket' }] },
    );
    const store = await storeWith(src);
    try {
      const res = await whoCan(store, BUCKET, { action: 's3:PutObject' });
      expect(res.answers.map((x) => x.node.id)).not.toContain(arn('user/dev'));
      expect(res.answers.map((x) => x.node.id)).toContain(arn('role/deployer'));
    } finally {
      await store.close();
    }
  });
});

describe('who holds an escalation edge', () => {
  it('a group whose policy allows the technique holds the edge; plain members add none of their own', async () => {
    const src = await build({
      groups: [
        { name: 'helpdesk', inline: [{ Effect: 'Allow', Action: 'iam:CreateLoginProfile', Resource: '*' }] },
      ],
      users: [{ name: 'h1', groups: ['helpdesk'] }, { name: 'h2', groups: ['helpdesk'] }, { name: 'ceo' }],
    });
    const fromGroup = esc(src, arn('group/helpdesk'));
    expect(fromGroup.map((e) => e.to).sort()).toEqual([arn('user/ceo'), arn('user/h1'), arn('user/h2')]);
    expect(fromGroup.every((e) => e.props.technique === 'iam-004')).toBe(true);
    expect(esc(src, arn('user/h1'))).toEqual([]);
  });

  it('permissions split over a group and the user are combined for that user', async () => {
    const src = await build({
      groups: [
        { name: 'builders', inline: [{ Effect: 'Allow', Action: 'lambda:CreateFunction', Resource: '*' }] },
      ],
      users: [
        {
          name: 'ci',
          groups: ['builders'],
          inline: [{ Effect: 'Allow', Action: ['iam:PassRole', 'lambda:InvokeFunction'], Resource: '*' }],
        },
      ],
      roles: [{ name: 'fn-admin', trust: [lambdaTrust], attached: [ADMIN_POLICY] }],
    });
    expect(esc(src, arn('group/builders'))).toEqual([]);
    const [edge] = esc(src, arn('user/ci'), arn('role/fn-admin'));
    expect(edge?.props.technique).toBe('lambda-001');
    const used = ((edge?.props.permissions ?? []) as Array<{ policy: string }>).map((p) => p.policy);
    expect(used).toContain(`${arn('group/builders')}#inline/builders-inline`);
    expect(used).toContain(`${arn('user/ci')}#inline/ci-inline`);
  });

  it('self-service on the aws:username variable grants nothing over others, for users or their group', async () => {
    const selfService = {
      Effect: 'Allow',
      Action: ['iam:CreateAccessKey', 'iam:UpdateLoginProfile'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
      Resource: arn('user/${aws:username}'),
    };
    const src = await build({
      groups: [{ name: 'staff', inline: [selfService] }],
      users: [
        { name: 'u1', groups: ['staff'] },
        { name: 'u2', inline: [selfService] },
        { name: 'admin', attached: [ADMIN_POLICY] },
      ],
    });
    expect(esc(src)).toEqual([]);
  });

  it('principals that already hold admin-equivalent access get no escalation edges', async () => {
    const src = await build({
      users: [{ name: 'root-like', attached: [ADMIN_POLICY] }, { name: 'victim' }],
    });
    expect(esc(src, arn('user/root-like'))).toEqual([]);
  });

  it('a grant guarded by an undecidable condition gives a conditional edge with that condition', async () => {
    const src = await build({
      users: [
        {
          name: 'ops',
          inline: [
            {
              Effect: 'Allow',
              Action: 'iam:CreateAccessKey',
              Resource: '*',
              Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
            },
          ],
        },
        { name: 'victim' },
      ],
    });
    const [edge] = esc(src, arn('user/ops'), arn('user/victim'));
    expect(edge?.props).toMatchObject({ technique: 'iam-002', conditional: true });
    expect(JSON.stringify(edge?.props.conditions)).toContain('aws:MultiFactorAuthPresent');
  });

  it('the edge explains itself: key statement in via, every permission with its statement', async () => {
    const src = await build({
      users: [
        {
          name: 'x',
          inline: [
            { Sid: 'Keys', Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: arn('user/victim') },
            { Sid: 'Policies', Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: arn('user/victim') },
          ],
        },
        { name: 'victim' },
      ],
    });
    const [edge] = esc(src, arn('user/x'), ADMIN);
    expect(edge?.props).toMatchObject({ technique: 'iam-018', through: arn('user/victim') });
    expect(edge?.via).toMatchObject({ ref: `${arn('user/x')}#inline/x-inline`, statement: 'Policies' });
    expect(edge?.props.permissions).toEqual([
      expect.objectContaining({ action: 'iam:PutUserPolicy', statement: 'Policies' }),
      expect.objectContaining({ action: 'iam:CreateAccessKey', statement: 'Keys' }),
    ]);
    expect(JSON.stringify(edge?.via?.excerpt)).toContain('iam:CreateAccessKey on');
  });

  it('service-linked roles are never targets', async () => {
    const src = await build({
      users: [
        { name: 'x', inline: [{ Effect: 'Allow', Action: 'iam:UpdateAssumeRolePolicy', Resource: '*' }] },
      ],
      roles: [
        { name: 'normal', trust: [lambdaTrust] },
        {
          name: 'AWSServiceRoleForSupport',
          path: '/aws-service-role/support.amazonaws.com/',
          trust: [lambdaTrust],
        },
      ],
    });
    expect(esc(src, arn('user/x')).map((e) => e.to)).toEqual([arn('role/normal')]);
  });

  it('edges are deterministic', async () => {
    const spec = {
      users: [{ name: 'x', inline: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] }, { name: 'y' }],
      roles: [{ name: 'r', trust: [lambdaTrust], attached: [ADMIN_POLICY] }],
    };
    const ids = (s: IngestedSource) =>
      s.edges.filter((e: GraphEdge) => e.kind === 'CAN_ESCALATE').map((e) => e.id);
    const first = ids(await build(spec));
    expect(first.length).toBeGreaterThan(5);
    expect(ids(await build(spec))).toEqual(first);
  });
});

describe('what the administrator node may do', () => {
  it('stays inside the SCPs: denied actions are not granted and the node is not admin-equivalent', async () => {
    const src = await build(
      {
        users: [
          { name: 'a', inline: [{ Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: '*' }] },
          { name: 'almost-admin', attached: [ADMIN_POLICY] },
          { name: 'victim' },
        ],
      },
      { scp: [{ Effect: 'Deny', Action: 'iam:DeleteRole', Resource: '*' }] },
    );
    expect(esc(src, arn('user/a'), ADMIN)).toHaveLength(1);
    const grants = hasAccess(src, ADMIN);
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.some((e) => e.props.actions.includes('iam:deleterole'))).toBe(false);
    expect(grants.some((e) => e.props.actions.includes('iam:createrole'))).toBe(true);
    expect(grants.some((e) => e.props.adminEquivalent)).toBe(false);
    // Allow * short of everything only because of the SCP: nothing to gain by escalating
    expect(esc(src, arn('user/almost-admin'))).toEqual([]);
  });

  it('stays inside the permissions boundary of the principal whose policy is rewritten', async () => {
    const src = await build({
      users: [
        {
          name: 'bounded',
          inline: [{ Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: '*' }],
          boundary: arn('policy/dev-boundary'),
        },
      ],
      policies: {
        'dev-boundary': [{ Effect: 'Allow', Action: ['s3:*', 'iam:PutUserPolicy'], Resource: '*' }],
      },
    });
    const bounded = adminNodeId(A, arn('policy/dev-boundary'));
    const [edge] = esc(src, arn('user/bounded'));
    expect(edge?.to).toBe(bounded);
    expect(src.nodes.some((n) => n.id === ADMIN)).toBe(false);
    const actions = hasAccess(src, bounded).flatMap((e) => e.props.actions);
    expect(actions).toContain('s3:getobject');
    expect(actions).toContain('iam:putuserpolicy');
    expect(actions).not.toContain('ec2:runinstances');
  });
});
