import { describe, expect, it } from 'vitest';
import { findingEdges, findingGraph } from './findings';
import type { ReportItemFull } from './report-types';
import { duration, itemAsFinding, itemKindLabel } from './reports';

const P = 'arn:aws:iam::111111111111:user/eve';
const G = 'arn:aws:iam::111111111111:group/engineers';
const B = 'arn:aws:s3:::acme-data';
const item: ReportItemFull = {
  key: `crown-jewel|${B}|${P}`,
  source: 'CROWN_JEWEL',
  kind: 'crown-jewel-access',
  title: 'eve can reach customer data: acme-data (read)',
  score: 57,
  band: 'medium',
  severity: null,
  conditional: false,
  technique: null,
  principal: { id: P, kind: 'User', name: 'eve', placeholder: true },
  target: { id: B, kind: 'Resource', name: 'acme-data' },
  remediation: null,
  jewel: 'customer data',
  actions: ['s3:getobject'],
  facts: { hops: 2 },
  pathRecorded: true,
  path: [
    { from: P, to: G, edge: 'MEMBER_OF', conditional: false, actions: null, technique: null, via: null },
    {
      from: G,
      to: B,
      edge: 'HAS_ACCESS',
      conditional: false,
      actions: ['s3:getobject'],
      technique: null,
      via: { ref: 'p', label: 'read-data', statement: '0', excerpt: null },
    },
  ],
  pathNodes: [
    { id: P, cloud: 'aws', kind: 'User', name: 'eve', type: null, source: '', placeholder: true },
    {
      id: G,
      cloud: 'aws',
      kind: 'Group',
      name: 'engineers',
      type: null,
      source: 'aws:1',
      placeholder: false,
    },
    {
      id: B,
      cloud: 'aws',
      kind: 'Resource',
      name: 'acme-data',
      type: 's3:bucket',
      source: 'aws:1',
      placeholder: false,
    },
  ],
};

describe('reports in the explorer', () => {
  it("draws a run's item with the findings view's path graph", () => {
    const f = itemAsFinding(item);
    expect(f).toMatchObject({
      id: item.key,
      severity: 'medium',
      kind: 'CROWN_JEWEL_ACCESS',
      remediation: '',
    });
    expect(findingEdges(f).map((e) => [e.id, e.kind, e.via?.label ?? null])).toEqual([
      ['hop:1', 'MEMBER_OF', null],
      ['hop:2', 'HAS_ACCESS', 'read-data'],
    ]);
    const g = findingGraph(f);
    expect(g.nodes.map((n) => n.id).sort()).toEqual([B, G, P].sort());
    expect(g.edges).toHaveLength(2);
  });

  it('labels kinds and durations', () => {
    expect(itemKindLabel(item)).toBe('crown jewel access');
    expect(itemKindLabel({ kind: 'privilege-escalation', source: 'FINDING' })).toBe('privilege escalation');
    expect(itemKindLabel({ kind: null, source: 'FINDING' })).toBe('finding');
    expect(duration({ startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:03.200Z' })).toBe(
      '3.2 s',
    );
    expect(duration({ startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:04:10Z' })).toBe('4 min');
    expect(duration({ startedAt: '2025-01-01T00:00:00Z', finishedAt: null })).toBe('');
  });
});
