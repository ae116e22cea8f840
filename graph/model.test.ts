import { describe, expect, it } from 'vitest';
import { EDGE_KINDS, edgeId, isEdgeKind, isNodeKind, NODE_KINDS } from './model.js';

describe('graph model', () => {
  it('has unique kinds', () => {
    expect(new Set(NODE_KINDS).size).toBe(NODE_KINDS.length);
    expect(new Set(EDGE_KINDS).size).toBe(EDGE_KINDS.length);
  });
  it('recognises kinds', () => {
    expect(isNodeKind('User')).toBe(true);
    expect(isNodeKind('user')).toBe(false);
    expect(isEdgeKind('HAS_ACCESS')).toBe(true);
    expect(isEdgeKind('OWNS')).toBe(false);
  });
  it('builds deterministic edge ids that separate parallel edges', () => {
    expect(edgeId('MEMBER_OF', 'a', 'b')).toBe(edgeId('MEMBER_OF', 'a', 'b'));
    expect(edgeId('HAS_ACCESS', 'a', 'b', 'p1#0')).not.toBe(edgeId('HAS_ACCESS', 'a', 'b', 'p2#0'));
  });
});
