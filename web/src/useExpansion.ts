/** Neighborhood expand / collapse on top of a view's own graph. */
import { useCallback, useMemo, useState } from 'react';
import { type GEdge, type GNode, gql, Q } from './api';
import { toVEdge, toVNode, type VGraph } from './model';

interface Extra {
  nodes: GNode[];
  edges: GEdge[];
  truncated: boolean;
}

export function useExpansion(base: VGraph, resetKey: string) {
  const [extras, setExtras] = useState<{ key: string; map: Map<string, Extra> }>({
    key: resetKey,
    map: new Map(),
  });
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const map = extras.key === resetKey ? extras.map : new Map<string, Extra>();

  const expand = useCallback(
    async (id: string) => {
      if (id.startsWith('cluster:')) return;
      setLoading(id);
      setError(null);
      setNote(null);
      try {
        const d = await gql<{ neighborhood: Extra }>(Q.neighborhood, { id, depth: 1, limit: 60 });
        const have = new Set(base.nodes.map((n) => n.id));
        for (const x of map.values()) for (const n of x.nodes) have.add(n.id);
        const fresh = d.neighborhood.nodes.filter((n) => !have.has(n.id)).length;
        setNote(
          fresh === 0
            ? 'Everything next to it is already drawn.'
            : `Added ${fresh} neighbor${fresh === 1 ? '' : 's'}${d.neighborhood.truncated ? ' (first 60; more exist)' : ''}. Collapse to remove them.`,
        );
        setExtras((prev) => {
          const m = new Map(prev.key === resetKey ? prev.map : []);
          m.set(id, d.neighborhood);
          return { key: resetKey, map: m };
        });
      } catch (err) {
        setError((err as Error).message);
      } finally {
        setLoading(null);
      }
    },
    [resetKey, base, map],
  );

  const collapse = useCallback(
    (id: string) => {
      setNote(null);
      setExtras((prev) => {
        const m = new Map(prev.key === resetKey ? prev.map : []);
        m.delete(id);
        return { key: resetKey, map: m };
      });
    },
    [resetKey],
  );

  const graph = useMemo<VGraph>(() => {
    if (map.size === 0) return base;
    const nodes = new Map(base.nodes.map((n) => [n.id, n]));
    const edges = new Map(base.edges.map((e) => [e.id, e]));
    const kinds = new Map<string, string>();
    for (const n of base.nodes) kinds.set(n.id, n.kind);
    for (const x of map.values()) for (const n of x.nodes) kinds.set(n.id, n.kind);
    for (const [from, x] of map) {
      for (const n of x.nodes)
        if (!nodes.has(n.id)) nodes.set(n.id, { ...toVNode(n.id, 'mid', n), expandedFrom: from });
      for (const e of x.edges)
        if (!edges.has(e.id) && nodes.has(e.from) && nodes.has(e.to))
          edges.set(e.id, { ...toVEdge(e, kinds), expandedFrom: from });
    }
    return { ...base, nodes: [...nodes.values()], edges: [...edges.values()] };
  }, [base, map]);

  return { graph, expand, collapse, expanded: map, error, loading, note };
}
