// induced-edges: every edge of some kinds with both ends among the given nodes, ordered by id.
// params: $ids (list of node ids), $kinds (list of edge kinds)
// returns: edge (map {id, kind, from, to, source, viaJson, propsJson, actionSet})
MATCH (a:Node)-[r]->(b:Node)
WHERE a.id IN $ids AND b.id IN $ids AND type(r) IN $kinds
WITH r, a, b
ORDER BY r.id
RETURN {id: r.id, kind: type(r), from: a.id, to: b.id, source: r.source,
        viaJson: r.viaJson, propsJson: r.propsJson, actionSet: r.actionSet} AS edge
