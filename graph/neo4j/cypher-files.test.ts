import { describe, expect, it } from 'vitest';
import { EDGE_KINDS, type GraphEdge, isTraversable } from '../model.js';
import { cypher, cypherFilesIn, cypherRoot, parseCypher, statement, withIntBound } from './cypher-files.js';

describe('cypher files', () => {
  const all = [
    ...cypherFilesIn('schema'),
    ...cypherFilesIn('load'),
    ...cypherFilesIn('query'),
    ...cypherFilesIn('admin'),
  ];

  it('are found at the package root', () => {
    expect(cypherRoot()).toMatch(/cypher$/);
    expect(all.length).toBeGreaterThan(15);
  });

  it('each start with a header naming params and returns that match the body', () => {
    // parseCypher throws when the header and the body disagree; loading them all proves it.
    for (const f of all) {
      expect(f.header[0]).toMatch(/^[a-z0-9-]+: /);
      expect(f.header.some((l) => l.startsWith('params:'))).toBe(true);
      expect(f.header.some((l) => l.startsWith('returns:'))).toBe(true);
    }
  });

  it('reject a header that drifts from its statement', () => {
    expect(() => parseCypher('x.cypher', '// x: y\n// params: $a\n// returns: n\nRETURN $a + $b')).toThrow(
      /undeclared: b/,
    );
    expect(() => parseCypher('x.cypher', '// x: y\n// params: $a, $c\n// returns: n\nRETURN $a')).toThrow(
      /unused: c/,
    );
    expect(() => parseCypher('x.cypher', 'RETURN 1')).toThrow(/header/);
  });

  it('index, delete and count every edge kind of the model', () => {
    const schema = cypher('schema/02-indexes.cypher').statements.join('\n');
    for (const k of EDGE_KINDS) {
      expect(schema).toContain(`()-[r:${k}]-() ON (r.id)`);
      expect(schema).toContain(`()-[r:${k}]-() ON (r.source)`);
      for (const f of [
        'load/delete-conflicting-edges.cypher',
        'load/merge-edges.cypher',
        'load/sweep-source-edges.cypher',
        'load/write-source.cypher',
      ]) {
        expect(statement(f)).toContain(`[r:${k}`);
      }
    }
  });

  it('hint index seeks, never a plain index hint that a scan may fulfil', () => {
    // A plain USING INDEX is also met by an index scan plus a filter, which inside a load
    // transaction walks every index entry the transaction added, per row (delete-conflicting-edges).
    let seeks = 0;
    for (const f of all) {
      for (const text of f.statements) {
        expect(text, f.name).not.toMatch(/USING\s+INDEX\s+(?!SEEK\b)/);
        seeks += text.match(/USING\s+INDEX\s+SEEK\b/g)?.length ?? 0;
      }
    }
    expect(seeks).toBeGreaterThan(20);
  });

  it('substitute only validated integers into depth bounds', () => {
    const ok = withIntBound('query/shortest-path.cypher', { MAX_DEPTH: { value: 5, min: 1, max: 32 } });
    expect(ok).toContain('{1,5}');
    expect(ok).not.toContain('{{');
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 0, 33, -1]) {
      expect(() =>
        withIntBound('query/shortest-path.cypher', { MAX_DEPTH: { value: bad, min: 1, max: 32 } }),
      ).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    }
    // a string that looks like a number is not a number
    expect(() =>
      withIntBound('query/shortest-path.cypher', {
        MAX_DEPTH: { value: '3}) RETURN 1 //' as unknown as number, min: 1, max: 32 },
      }),
    ).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => statement('query/shortest-path.cypher')).toThrow(/bounds/);
    expect(() => withIntBound('query/shortest-path.cypher', {})).toThrow(/MAX_DEPTH/);
  });

  it('read traversable only where the model can refuse an edge', () => {
    // the reach steps check the property on MEMBER_OF edges alone (their header says why)
    for (const kind of EDGE_KINDS) {
      const refused = !isTraversable({ kind, props: { grantsMaterialized: true } } as GraphEdge);
      expect(refused, kind).toBe(kind === 'MEMBER_OF');
    }
    for (const f of ['query/reach-step.cypher', 'query/reach-step-first.cypher']) {
      expect(statement(f)).toContain("(type(r) <> 'MEMBER_OF' OR coalesce(r.traversable, true))");
    }
  });
});
