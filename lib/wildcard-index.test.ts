import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wildcardMatch } from './wildcard.js';
import { WildcardIndex } from './wildcard-index.js';

describe('WildcardIndex', () => {
  it('finds exactly the values wildcardMatch accepts, in input order', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ':', '/', 'A'), maxLength: 6 });
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', ':', '/', 'A', '*', '?'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 30 }), pattern, (values, p) => {
        const expected = values.flatMap((v, i) => (wildcardMatch(p, v) ? [i] : []));
        expect(new WildcardIndex(values).matching(p)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
