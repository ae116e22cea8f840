// shortest-path: one shortest path from one node to another over edges of some kinds, in their
// direction, never entering an excluded node nor using an excluded edge, never following an
// edge with traversable = false. (A shortest path under these per-edge and per-node filters
// never repeats a node, so it is simple.) No row when there is none within the bound.
// substitutes: {{MAX_DEPTH}} = maxDepth, a validated integer.
// params: $from (node id), $to (node id), $kinds (list of edge kinds), $excludeNodes (list of node
//         ids), $excludeEdges (list of edge ids)
// returns: path (list of edge maps {id, kind, from, to, source, viaJson, propsJson, actionSet}, in path order)
MATCH (a:Node {id: $from}), (b:Node {id: $to})
MATCH p = SHORTEST 1
  (a)(()-[r WHERE type(r) IN $kinds AND coalesce(r.traversable, true) AND NOT r.id IN $excludeEdges]->
      (y WHERE NOT y.id IN $excludeNodes)){1,{{MAX_DEPTH}}}(b)
RETURN [e IN relationships(p) | {id: e.id, kind: type(e), from: startNode(e).id, to: endNode(e).id, source: e.source,
                                 viaJson: e.viaJson, propsJson: e.propsJson, actionSet: e.actionSet}] AS path
