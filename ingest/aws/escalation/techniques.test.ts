/**
 * Every technique, table-driven: detected when the attacker holds its permissions, and not
 * detected when exactly one thing blocks it (test-support/scenario.ts).
 */
import { describe, expect, it } from 'vitest';
import type { GraphEdgeOf } from '../../../graph/model.js';
import type { IngestedSource } from '../../types.js';
import { TECHNIQUES } from './techniques.js';
import { build } from './test-support/build.js';
import { scenario, variantsFor } from './test-support/scenario.js';

const escalations = (src: IngestedSource, from: string, to: string, technique: string) =>
  src.edges.filter(
    (e): e is GraphEdgeOf<'CAN_ESCALATE'> =>
      e.kind === 'CAN_ESCALATE' && e.from === from && e.to === to && e.props.technique === technique,
  );

describe.each(TECHNIQUES.map((t) => [t.id, t] as const))('%s', (_id, t) => {
  it('is detected when the attacker holds its permissions', async () => {
    const s = scenario(t, 'allowed');
    const src = await build(s.spec, s.env);
    const [edge, ...more] = escalations(src, s.from, s.to, t.id);
    expect(edge, `${t.id}: no CAN_ESCALATE ${s.from} → ${s.to}`).toBeDefined();
    expect(more).toEqual([]);
    expect(edge?.via?.ref).toBe(`${s.from}#inline/attacker-inline`);
    expect(edge?.props.conditional).toBe(false);
    const used = ((edge?.props.permissions ?? []) as Array<{ action: string }>).map((p) =>
      p.action.toLowerCase(),
    );
    for (const step of t.steps)
      expect(used).toContain(step.operand.on === 'pass' ? 'iam:passrole' : step.action.toLowerCase());
    expect(src.nodes.some((n) => n.id === s.to)).toBe(true);
  });

  it.each(variantsFor(t))('is not detected when blocked: %s', async (variant) => {
    const s = scenario(t, variant);
    const src = await build(s.spec, s.env);
    expect(escalations(src, s.from, s.to, t.id)).toEqual([]);
  });
});
