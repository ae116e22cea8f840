import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonError } from './json-locate.js';

describe('locateJsonError', () => {
  it('accepts exactly what JSON.parse accepts', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(locateJsonError(text)).toBeNull();
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        let ok = true;
        try {
          JSON.parse(text);
        } catch {
          ok = false;
        }
        expect(locateJsonError(text) === null).toBe(ok);
      }),
      { numRuns: 2000 },
    );
  });

  it('names line, column and JSON path of the first error', () => {
    expect(locateJsonError('{\n  "a": [1, 2,\n  ]\n}')).toEqual({
      line: 3,
      column: 3,
      path: '$.a[2]',
      problem: 'unexpected "]" where a value was expected',
    });
    expect(locateJsonError('{"Policies": [{"Document": "x" "y"}]}')).toMatchObject({
      path: '$.Policies[0]',
      problem: 'unexpected "\\"" where "," or "}" was expected',
    });
    expect(locateJsonError('{"a": tru}')).toMatchObject({ path: '$.a', line: 1, column: 7 });
    expect(locateJsonError('{"a": 1')).toMatchObject({
      problem: 'unexpected end of input where "," or "}" was expected',
    });
    expect(locateJsonError('[1] x')).toMatchObject({
      problem: 'unexpected "x" after the end of the document',
    });
  });
});
