// get-edges: edges touching a node, of some kinds, in some directions, ordered by edge id.
// params: $id (node id), $kinds (list of edge kinds), $out (boolean), $in (boolean), $limit (integer)
// returns: edge (map {id, kind, from, to, source, viaJson, propsJson, actionSet})
MATCH (n:Node {id: $id})
CALL (n) {
  MATCH (n)-[r]->()
  WHERE $out AND type(r) IN $kinds
  RETURN r
  UNION
  MATCH (n)<-[r]-()
  WHERE $in AND type(r) IN $kinds
  RETURN r
}
WITH r
ORDER BY r.id
LIMIT $limit
RETURN {id: r.id, kind: type(r), from: startNode(r).id, to: endNode(r).id, source: r.source,
        viaJson: r.viaJson, propsJson: r.propsJson, actionSet: r.actionSet} AS edge
