// reach-step: one breadth-first level of a reachability walk (graph/reach-walk.ts): the
// traversable edges of some kinds into ($in) or out of the frontier nodes, with whether a
// HAS_ACCESS edge passes the walk's filter. $actionsSet is a map with the wanted actions as
// keys, so the test per granted action is a lookup, not a scan of the wanted list.
// params: $ids (list of frontier node ids), $kinds (list of edge kinds), $in (boolean),
//         $actionsSet (map action -> true, or null for any), $levelsAny (list of levels, or null for any)
// returns: node (frontier id), id (edge id), kind (edge kind), other (id at the far end), passes (boolean),
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
RETURN nid AS node, r.id AS id, type(r) AS kind, m.id AS other,
       (type(r) <> 'HAS_ACCESS'
         OR (($actionsSet IS NULL OR any(a IN coalesce(r.actions, []) WHERE $actionsSet[a] IS NOT NULL))
             AND ($levelsAny IS NULL OR any(l IN coalesce(r.levels, []) WHERE l IN $levelsAny)))) AS passes,
       coalesce(r.guarded, false) AS guarded
