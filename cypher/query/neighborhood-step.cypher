// neighborhood-step: one breadth-first level: the not yet seen neighbours of the frontier over
// edges of some kinds, in some directions; the first $limit by id.
// params: $frontier (list of node ids), $seen (list of node ids), $kinds (list of edge kinds),
//         $out (boolean), $in (boolean), $limit (integer)
// returns: id (node id)
UNWIND $frontier AS fid
MATCH (a:Node {id: fid})
CALL (a) {
  MATCH (a)-[r]->(b)
  WHERE $out AND type(r) IN $kinds
  RETURN b
  UNION
  MATCH (a)<-[r]-(b)
  WHERE $in AND type(r) IN $kinds
  RETURN b
}
WITH DISTINCT b.id AS id
WHERE NOT id IN $seen
RETURN id
ORDER BY id
LIMIT $limit
