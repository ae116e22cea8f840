import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../graph/model.js';
import type { Sensitivity } from './config.js';
import { accessFromLevels, type FactsContext, pathFacts } from './path-facts.js';
import { hop } from './test-support.js';

const n = (
  id: string,
  kind: GraphNode['kind'],
  source = 'aws:1',
  props: GraphNode['props'] = {},
): GraphNode => ({
  id,
  cloud: 'aws',
  kind,
  name: id,
  source,
  props,
});

function ctx(nodes: GraphNode[], jewels: Array<[string, Sensitivity]> = []): FactsContext {
  return {
    nodes: new Map(nodes.map((x) => [x.id, x])),
    jewels: new Map(jewels),
    now: new Date('2026-11-29T00:00:00Z'),
    dormantDays: 90,
  };
}

describe('pathFacts', () => {
  const user = n('u', 'User', 'aws:1', { lastUsed: '2026-11-01T00:00:00Z' });
  const stale = n('s', 'User', 'aws:1', { lastUsed: '2026-08-01T00:00:00Z' });
  const bucket = n('b', 'Resource', 'aws:1', { sensitivity: 'HIGH' });
  const plain = n('p', 'Resource');
  const org = n('o', 'Organization');
  const acct = n('a', 'Account');
  const role = n('r', 'Role');
  const foreign = n('f', 'Role', 'aws:2');
  const anyone = n('*', 'External', 'aws:1', { public: true });
  const partner = n('x', 'External', 'aws:1', { external: 'account' });

  it('takes sensitivity from the crown-jewel config, then the node, then its kind', () => {
    const c = ctx([user, bucket, plain, org, acct, role], [['p', 'critical']]);
    const s = (target: string) =>
      pathFacts({ principal: 'u', target, path: [hop('u', target, 'HAS_ACCESS')], conditional: false }, c)
        .sensitivity;
    expect([s('p'), s('b'), s('o'), s('a'), s('r'), s('missing')]).toEqual([
      'critical',
      'high',
      'critical',
      'high',
      'medium',
      'unknown',
    ]);
    expect(
      pathFacts(
        { principal: 'u', target: 'b', path: [], conditional: false },
        ctx([user, n('b', 'Resource')]),
      ).sensitivity,
    ).toBe('unknown');
  });

  it('reads access from grant levels, never guessing upward', () => {
    expect(accessFromLevels(['list', 'tagging'])).toBe('list');
    expect(accessFromLevels(['read', 'list'])).toBe('read');
    expect(accessFromLevels(['permissions'])).toBe('write');
    expect(accessFromLevels(['read', 'write', 'admin'])).toBe('admin');
    const c = ctx([user, plain, role, acct]);
    const grant = [hop('u', 'p', 'HAS_ACCESS')];
    expect(pathFacts({ principal: 'u', target: 'p', path: grant, conditional: false }, c).access).toBe(
      'read',
    );
    expect(
      pathFacts({ principal: 'u', target: 'p', path: grant, conditional: false, levels: ['write'] }, c)
        .access,
    ).toBe('write');
    expect(
      pathFacts({ principal: 'u', target: 'p', path: grant, conditional: false, kind: 'admin-equivalent' }, c)
        .access,
    ).toBe('admin');
    expect(
      pathFacts({ principal: 'u', target: 'r', path: [hop('u', 'r', 'CAN_ASSUME')], conditional: false }, c)
        .access,
    ).toBe('assume');
    expect(
      pathFacts({ principal: 'u', target: 'a', path: [hop('u', 'a', 'CAN_ESCALATE')], conditional: false }, c)
        .access,
    ).toBe('admin');
  });

  it('classifies exposure: public, external, cross-account, internal', () => {
    const c = ctx([user, plain, role, foreign, anyone, partner]);
    const e = (
      principal: string,
      path = [hop(principal, 'p', 'HAS_ACCESS')],
      kind?: 'cross-account-access',
    ) =>
      pathFacts({ principal, target: 'p', path, conditional: false, ...(kind ? { kind } : {}) }, c).exposure;
    expect(e('*')).toBe('public');
    expect(e('x')).toBe('external');
    expect(e('f')).toBe('cross-account');
    expect(e('u')).toBe('internal');
    expect(e('u', [hop('u', 'p', 'HAS_ACCESS')], 'cross-account-access')).toBe('cross-account');
    // an id no source defines reads as someone else's identity
    expect(
      pathFacts(
        { principal: 'ghost', target: 'p', path: [], conditional: false },
        ctx([plain, n('ghost', 'External', '', { placeholder: true })]),
      ).exposure,
    ).toBe('external');
  });

  it('flags escalation, conditions, dormancy and counts hops', () => {
    const c = ctx([user, stale, role, plain]);
    const path = [hop('s', 'r', 'CAN_ESCALATE'), hop('r', 'p', 'HAS_ACCESS', { conditional: true })];
    expect(pathFacts({ principal: 's', target: 'p', path, conditional: false }, c)).toMatchObject({
      escalation: true,
      conditional: true,
      dormant: true,
      hops: 2,
    });
    expect(
      pathFacts({ principal: 'u', target: 'p', path: [hop('u', 'p', 'HAS_ACCESS')], conditional: false }, c),
    ).toMatchObject({
      escalation: false,
      conditional: false,
      dormant: false,
      hops: 1,
    });
    expect(
      pathFacts({ principal: 'u', target: 'p', path: [], conditional: false, kind: 'dormant-access' }, c)
        .dormant,
    ).toBe(true);
  });
});
