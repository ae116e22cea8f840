import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cliTimestamp, toCliJson } from './cli-json.js';

describe('AWS CLI JSON', () => {
  it('prints timestamps as the CLI does', () => {
    expect(cliTimestamp(new Date('2019-02-14T17:29:37Z'))).toBe('2019-02-14T17:29:37+00:00');
    expect(cliTimestamp(new Date('2019-02-14T17:29:37.05Z'))).toBe('2019-02-14T17:29:37.050000+00:00');
  });

  it('timestamps parse back to the same instant', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const s = cliTimestamp(d);
          return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/.test(s) && Date.parse(s) === d.getTime();
        },
      ),
    );
  });

  it('drops $metadata and undefined members at every depth, and keeps everything else', () => {
    const out = toCliJson({
      $metadata: { httpStatusCode: 200 },
      A: [{ B: new Date('2020-01-01T00:00:00Z'), C: undefined, D: null, E: 'x%7B' }],
      N: 3,
    });
    expect(out).toEqual({ A: [{ B: '2020-01-01T00:00:00+00:00', D: null, E: 'x%7B' }], N: 3 });
  });
});
