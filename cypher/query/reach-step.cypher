// reach-step: one breadth-first level of a reachability walk (graph/reach-walk.ts): the
// traversable edges of some kinds into ($in) or out of the frontier nodes. For a HAS_ACCESS
// edge it tells whether its levels pass the walk's filter and which action set it grants;
// the store tests the set against the filter's actions from its cache of parsed sets
// (graph/neo4j/action-sets.ts), so no action list travels or is scanned per edge.
// params: $ids (list of frontier node ids), $kinds (list of edge kinds), $in (boolean),
//         $levelsAny (list of levels, or null for any)
// returns: node (frontier id), id (edge id), kind (edge kind), other (id at the far end),
//          levelsPass (boolean: true for kinds other than HAS_ACCESS), actionSet (hash or null),
//          guarded (boolean: a HAS_ACCESS edge with partial denies)
UNWIND $ids AS nid
MATCH (n:Node {id: nid})
CALL (n) {
  MATCH (n)<-[r]-(m:Node)
  WHERE $in AND type(r) IN $kinds AND coalesce(r.traversable, true)
  RETURN r, m
  UNION ALL
  MATCH (n)-[r]->(m:Node)
  WHERE NOT $in AND type(r) IN $kinds AND coalesce(r.traversable, true)
  RETURN r, m
}
WITH nid, r, m, type(r) = 'HAS_ACCESS' AS grant
RETURN nid AS node, r.id AS id, type(r) AS kind, m.id AS other,
       (NOT grant OR $levelsAny IS NULL OR any(l IN coalesce(r.levels, []) WHERE l IN $levelsAny)) AS levelsPass,
       CASE WHEN grant THEN r.actionSet END AS actionSet,
       coalesce(r.guarded, false) AS guarded
