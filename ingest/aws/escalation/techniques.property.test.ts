/**
 * Property: for any technique, any subset of its permissions and any denies among them, the
 * technique is detected exactly when the attacker holds every permission it needs and none of
 * them is denied.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TECHNIQUES } from './techniques.js';
import { build } from './test-support/build.js';
import { requiredActions, scenario } from './test-support/scenario.js';

describe('escalation detection is exactly "all permissions, none denied"', () => {
  it('holds for random techniques, permission subsets and denies', async () => {
    const arb = fc.constantFrom(...TECHNIQUES).chain((t) => {
      const all = requiredActions(t);
      return fc.record({
        t: fc.constant(t),
        held: fc.subarray(all),
        denied: fc.subarray(all, { maxLength: 1 }),
      });
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ t, held, denied }) => {
        const s = scenario(t, 'allowed', { actions: held, deny: denied });
        const src = await build(s.spec, s.env);
        const found = src.edges.some(
          (e) =>
            e.kind === 'CAN_ESCALATE' && e.from === s.from && e.to === s.to && e.props.technique === t.id,
        );
        const expected = requiredActions(t).every((a) => held.includes(a)) && denied.length === 0;
        expect(found, `${t.id} held=${held.join(',')} denied=${denied.join(',')}`).toBe(expected);
      }),
      { numRuns: 80 },
    );
  });
});
