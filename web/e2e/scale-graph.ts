/**
 * A deterministic large company in the graph interchange format
 * (docs/schema/graph-interchange.schema.json) for the explorer's scale check: `users` users
 * spread over nested groups that read one bucket through an account-wide grant, a few
 * dozen roles with direct (some conditional) grants, and a cross-account trust.
 */
const ACCT = '222222222222';
const OTHER = '999999999999';
export const SCALE_BUCKET = 'arn:aws:s3:::scale-data';

interface Edge {
  kind: string;
  from: string;
  to: string;
  via?: { ref: string; label: string; statement: number; excerpt: unknown };
  actions?: string[];
  levels?: string[];
  conditional?: boolean;
  conditions?: unknown;
  technique?: string;
}

export function scaleGraph(users = 5000, topGroups = 10, subGroupsPer = 5, roles = 30) {
  const iam = (t: string, n: string) => `arn:aws:iam::${ACCT}:${t}/${n}`;
  const account = `arn:aws:organizations::000000000000:account/o-scale/${ACCT}`;
  const nodes: { id: string; kind: string; name: string; type?: string; props: Record<string, unknown> }[] = [
    { id: account, kind: 'Account', name: 'scale-prod', type: 'aws:account', props: {} },
    {
      id: SCALE_BUCKET,
      kind: 'Resource',
      name: 'scale-data',
      type: 's3:bucket',
      props: { sensitivity: 'high' },
    },
    { id: `arn:aws:iam::${OTHER}:root`, kind: 'External', name: `account ${OTHER}`, props: {} },
  ];
  const edges: Edge[] = [{ kind: 'CONTAINS', from: account, to: SCALE_BUCKET }];
  const read = (ref: string, label: string) => ({
    ref,
    label,
    statement: 0,
    excerpt: { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' },
  });
  const subs: string[] = [];
  for (let t = 0; t < topGroups; t++) {
    const top = iam('group', `dept-${t}`);
    nodes.push({ id: top, kind: 'Group', name: `dept-${t}`, props: {} });
    const pol = iam('policy', `dept-${t}-read`);
    edges.push({
      kind: 'HAS_ACCESS',
      from: top,
      to: account,
      via: read(pol, `dept-${t}-read`),
      actions: ['s3:getobject', 's3:listbucket'],
      levels: ['read', 'list'],
    });
    for (let s = 0; s < subGroupsPer; s++) {
      const sub = iam('group', `team-${t}-${s}`);
      nodes.push({ id: sub, kind: 'Group', name: `team-${t}-${s}`, props: {} });
      edges.push({ kind: 'MEMBER_OF', from: sub, to: top });
      subs.push(sub);
    }
  }
  for (let u = 0; u < users; u++) {
    const id = iam('user', `user-${String(u).padStart(5, '0')}`);
    nodes.push({ id, kind: 'User', name: `user-${String(u).padStart(5, '0')}`, props: {} });
    edges.push({ kind: 'MEMBER_OF', from: id, to: subs[(u * 7919) % subs.length]! });
  }
  for (let r = 0; r < roles; r++) {
    const role = iam('role', `svc-${r}`);
    nodes.push({ id: role, kind: 'Role', name: `svc-${r}`, props: {} });
    const cond = r % 3 === 0;
    edges.push({
      kind: 'HAS_ACCESS',
      from: role,
      to: SCALE_BUCKET,
      via: {
        ref: iam('policy', `svc-${r}-write`),
        label: `svc-${r}-write`,
        statement: 0,
        excerpt: {
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: `${SCALE_BUCKET}/*`,
          ...(cond ? { Condition: { Bool: { 'aws:SecureTransport': 'true' } } } : {}),
        },
      },
      actions: ['s3:putobject'],
      levels: ['write'],
      ...(cond ? { conditional: true, conditions: { Bool: { 'aws:SecureTransport': 'true' } } } : {}),
    });
    // a handful of users can assume each role
    for (let k = 0; k < 5; k++) {
      const u = iam('user', `user-${String((r * 97 + k * 13) % users).padStart(5, '0')}`);
      edges.push({
        kind: 'CAN_ASSUME',
        from: u,
        to: role,
        via: {
          ref: `${role}#trust`,
          label: `svc-${r}#trust`,
          statement: 0,
          excerpt: { Effect: 'Allow', Principal: { AWS: u }, Action: 'sts:AssumeRole' },
        },
      });
    }
  }
  // the other account can assume svc-0: a cross-account hop
  edges.push({
    kind: 'CAN_ASSUME',
    from: `arn:aws:iam::${OTHER}:root`,
    to: iam('role', 'svc-0'),
    via: {
      ref: `${iam('role', 'svc-0')}#trust`,
      label: 'svc-0#trust',
      statement: 1,
      excerpt: {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
        Action: 'sts:AssumeRole',
      },
    },
  });
  return {
    format: 'accessgraph-graph',
    version: 1,
    source: { id: `aws:${ACCT}`, cloud: 'aws', meta: { description: 'explorer scale check' } },
    nodes,
    edges,
  };
}
