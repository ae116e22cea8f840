// reach-step-first: one breadth-first level of a reachability walk (graph/reach-walk.ts) where
// the walk takes each node at the far end once, through the first edge to it: the first
// frontier node in $ids order that has one, then the least edge id (ReachGraph.step
// `onlyFirst`). Nodes in $skip were settled before and are left out. At the M tier a who-can
// level of ~500 principals has ~15,000 distinct escalation and assumption edges into it but
// only ~650 new principals behind them: this sends those ~650.
// Only MEMBER_OF edges can be untraversable (graph/model.ts isTraversable), so no other
// edge has its property read.
// params: $ids (list of frontier node ids, in frontier order), $kinds (list of edge kinds),
//         $in (boolean), $skip (list of node ids)
// returns: node (frontier id), id (edge id), kind (edge kind), other (id at the far end), in
//          the walk's order
UNWIND range(0, size($ids) - 1) AS i
MATCH (n:Node {id: $ids[i]})
CALL (n) {
  MATCH (n)<-[r]-(m:Node)
  WHERE $in AND type(r) IN $kinds AND (type(r) <> 'MEMBER_OF' OR coalesce(r.traversable, true))
  RETURN r, m
  UNION ALL
  MATCH (n)-[r]->(m:Node)
  WHERE NOT $in AND type(r) IN $kinds AND (type(r) <> 'MEMBER_OF' OR coalesce(r.traversable, true))
  RETURN r, m
}
WITH i, r, m.id AS other
WHERE NOT other IN $skip
WITH other, min([i, r.id, type(r)]) AS first
RETURN $ids[first[0]] AS node, first[1] AS id, first[2] AS kind, other
ORDER BY first
