import { describe, expect, it } from 'vitest';
import type { AccessAnswer, GEdge, GNode } from './api';
import { accountOf, buildAccessGraph, guessKind, shortName } from './model';

const node = (id: string, kind: string): GNode => ({
  id,
  kind,
  name: shortName(id),
  cloud: 'aws',
  type: null,
  source: 's',
});
const edge = (kind: GEdge['kind'], from: string, to: string, via?: string): GEdge => ({
  id: `${kind}|${from}|${to}`,
  kind,
  from,
  to,
  source: 's',
  via: via ? { ref: via, label: via, statement: '0', excerpt: null } : null,
  actions: kind === 'HAS_ACCESS' ? ['s3:getobject'] : null,
  levels: kind === 'HAS_ACCESS' ? ['read'] : null,
  conditional: false,
  conditions: null,
  technique: null,
});

const B = 'arn:aws:s3:::b';
const iam = (t: string, n: string) => `arn:aws:iam::111111111111:${t}/${n}`;

/** `teams` teams of `per` users each, every team a member of one department that reads B. */
function org(teams: number, per: number): AccessAnswer[] {
  const dept = iam('group', 'dept');
  const grant = edge('HAS_ACCESS', dept, B, 'read');
  const out: AccessAnswer[] = [
    { node: node(dept, 'Group'), depth: 1, actions: ['s3:getobject'], conditional: false, path: [grant] },
  ];
  for (let t = 0; t < teams; t++) {
    const team = iam('group', `team-${t}`);
    const up = edge('MEMBER_OF', team, dept);
    out.push({ node: node(team, 'Group'), depth: 2, actions: [], conditional: false, path: [up, grant] });
    for (let u = 0; u < per; u++) {
      const user = iam('user', `u-${t}-${u}`);
      out.push({
        node: node(user, 'User'),
        depth: 3,
        actions: [],
        conditional: false,
        path: [edge('MEMBER_OF', user, team), up, grant],
      });
    }
  }
  return out;
}

const opts = {
  anchor: B,
  side: 'start' as const,
  clusterAbove: 20,
  expanded: new Set<string>(),
  pinned: new Set<string>(),
};

describe('buildAccessGraph', () => {
  it('draws small answers whole', () => {
    const g = buildAccessGraph(org(2, 3), opts);
    expect(g.clustered).toBe(0);
    expect(g.nodes.length).toBe(1 + 1 + 2 + 6);
  });

  it('clusters members of each group into one node', () => {
    const g = buildAccessGraph(org(4, 50), opts);
    const clusters = g.nodes.filter((n) => n.role === 'cluster');
    expect(clusters.length).toBe(4);
    expect(clusters[0]!.label).toMatch(/^\+50 users via team-/);
    expect(g.clustered).toBe(200);
  });

  it('clusters coarser when the first-hop clusters would still be too many', () => {
    const g = buildAccessGraph(org(100, 20), { ...opts, budget: 50 });
    expect(g.nodes.length).toBeLessThanOrEqual(50);
    const c = g.nodes.find((n) => n.role === 'cluster')!;
    expect(c.count).toBe(100 * 20 + 100);
    expect(c.label).toMatch(/principals via dept/);
  });

  it('opening a coarse cluster keeps the other clusters as they were', () => {
    const answers = org(100, 20);
    const g = buildAccessGraph(answers, { ...opts, budget: 50 });
    const key = g.nodes.find((n) => n.role === 'cluster')!.id;
    const opened = buildAccessGraph(answers, { ...opts, budget: 50, expanded: new Set([key]) });
    expect(opened.nodes.filter((n) => n.fromCluster === key).length).toBe(150);
  });

  it('keeps a pinned answer individual and opens a cluster on request', () => {
    const answers = org(4, 50);
    const pinned = new Set([iam('user', 'u-0-7')]);
    const g = buildAccessGraph(answers, { ...opts, pinned });
    expect(g.nodes.some((n) => n.id === iam('user', 'u-0-7'))).toBe(true);
    const key = g.nodes.find((n) => n.role === 'cluster')!.id;
    const opened = buildAccessGraph(answers, { ...opts, expanded: new Set([key]) });
    expect(opened.nodes.filter((n) => n.fromCluster === key).length).toBeGreaterThanOrEqual(49);
  });
});

describe('ids', () => {
  it('reads names, kinds and accounts from ids', () => {
    expect(shortName('arn:aws:iam::1:role/a/b/deployer')).toBe('deployer');
    expect(guessKind('arn:aws:iam::1:group/x')).toBe('Group');
    expect(guessKind('arn:aws:organizations::0:account/o-1/222')).toBe('Account');
    expect(accountOf('arn:aws:organizations::0:account/o-1/222')).toBe('222');
    expect(accountOf('arn:aws:iam::333:user/x')).toBe('333');
    expect(accountOf('arn:aws:s3:::bucket')).toBeNull();
    expect(accountOf('/subscriptions/ABC/resourceGroups/rg')).toBe('abc');
  });
});
