import { describe, expect, it } from 'vitest';
import type { Finding, FindingSummary } from './api';
import { filterFindings, findingEdges, findingGraph, hopFromRoute, hopToRoute, parseKinds } from './findings';

const P = 'arn:aws:iam::111111111111:user/pat';
const R = 'arn:aws:iam::111111111111:role/admin';
const summary = (
  id: string,
  severity: FindingSummary['severity'],
  kind: string,
  title = id,
): FindingSummary => ({
  id,
  kind,
  severity,
  title,
  technique: null,
  conditional: false,
  principal: { id: P, kind: 'User', name: 'pat' },
  target: { id: R, kind: 'Role', name: 'admin' },
});

describe('findings filters', () => {
  const all = [
    summary('a', 'critical', 'PRIVILEGE_ESCALATION', 'pat can escalate to admin'),
    summary('b', 'high', 'PUBLIC_ACCESS', 'bucket is public'),
    summary('c', 'low', 'CROSS_ACCOUNT_ACCESS', 'trusts another account'),
  ];

  it('keeps the severities at or above the minimum', () => {
    const ids = filterFindings(all, { kinds: new Set(), minSeverity: 'high', text: '' }).map((f) => f.id);
    expect(ids).toEqual(['a', 'b']);
  });

  it('keeps only the pressed kinds, and every kind when none is pressed', () => {
    const k = parseKinds('PUBLIC_ACCESS,NOT_A_KIND');
    expect([...k]).toEqual(['PUBLIC_ACCESS']);
    expect(filterFindings(all, { kinds: k, minSeverity: null, text: '' }).map((f) => f.id)).toEqual(['b']);
    expect(filterFindings(all, { kinds: new Set(), minSeverity: null, text: '' })).toHaveLength(3);
  });

  it('matches text in the title, the ends and the kind, ignoring case', () => {
    const f = (text: string) =>
      filterFindings(all, { kinds: new Set(), minSeverity: null, text }).map((x) => x.id);
    expect(f('PUBLIC')).toEqual(['b']);
    expect(f('role/admin')).toEqual(['a', 'b', 'c']);
    expect(f('cross account')).toEqual(['c']);
    expect(f('nothing like this')).toEqual([]);
  });
});

describe('a finding drawn as a graph', () => {
  const finding: Finding = {
    ...summary('esc', 'critical', 'PRIVILEGE_ESCALATION'),
    remediation: 'remove it',
    details: null,
    path: [
      {
        from: P,
        to: 'arn:aws:iam::111111111111:group/ops',
        edge: 'MEMBER_OF',
        via: null,
        conditional: false,
        actions: null,
        technique: null,
      },
      {
        from: 'arn:aws:iam::111111111111:group/ops',
        to: R,
        edge: 'CAN_ESCALATE',
        via: { ref: 'arn:aws:iam::111111111111:policy/ops', label: 'ops', statement: '0', excerpt: null },
        conditional: true,
        actions: ['iam:PassRole'],
        technique: 'iam-001',
      },
    ],
    pathNodes: [],
  };

  it('numbers the hops from 1 in the URL', () => {
    const edges = findingEdges(finding);
    expect(edges.map((e) => e.id)).toEqual(['hop:1', 'hop:2']);
    expect(hopToRoute(edges[1]!.id)).toBe('2');
    expect(hopFromRoute('2')).toBe('hop:2');
    expect(hopFromRoute('x')).toBeNull();
    expect(edges[1]).toMatchObject({ kind: 'CAN_ESCALATE', conditional: true, technique: 'iam-001' });
  });

  it('draws the principal as the start, the target as the end, and every hop', () => {
    const g = findingGraph(finding);
    expect(g.edges).toHaveLength(2);
    expect(g.edges[1]).toMatchObject({ escalation: true, conditional: true });
    const roles = Object.fromEntries(g.nodes.map((n) => [n.id, n.role]));
    expect(roles[P]).toBe('answer');
    expect(roles[R]).toBe('anchor');
    expect(g.nodes).toHaveLength(3);
  });

  it('still shows the principal of a finding without a path', () => {
    const g = findingGraph({
      ...finding,
      path: [],
      pathNodes: [{ id: P, cloud: 'aws', kind: 'User', name: 'pat', type: null, source: 'aws:1' }],
    });
    expect(g.nodes.map((n) => n.id)).toEqual([P]);
  });
});
