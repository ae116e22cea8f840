// reach-step: one breadth-first level of a reachability walk (graph/reach-walk.ts): the
// traversable edges of some kinds into ($in) or out of the frontier nodes. For a HAS_ACCESS
// edge it tells whether its levels pass the walk's filter and which action set it grants;
// the store tests the set against the filter's actions from its cache of parsed sets
// (graph/neo4j/action-sets.ts), so no action list travels or is scanned per edge.
// Parallel edges of another kind between the same two nodes (one per escalation technique,
// say) come back once, as the least id: the walk would take that one and skip the rest, and
// at scale they were two thirds of what a who-can level sent. Rows come in edge id order, the
// order the walk breaks ties in, as the embedded store steps. (reach-step-first.cypher is the
// leaner form for steps where the walk takes only the first edge to each node.)
// Only MEMBER_OF edges can be untraversable (graph/model.ts isTraversable), so no other
// edge has its property read.
// params: $ids (list of frontier node ids), $kinds (list of edge kinds), $in (boolean),
//         $levelsAny (list of levels, or null for any)
// returns: node (frontier id), id (edge id), kind (edge kind), other (id at the far end),
//          levelsPass (boolean: true for kinds other than HAS_ACCESS), actionSet (hash or null),
//          guarded (boolean: a HAS_ACCESS edge with partial denies)
UNWIND $ids AS nid
MATCH (n:Node {id: nid})
CALL (n) {
  MATCH (n)<-[r]-(m:Node)
  WHERE $in AND type(r) IN $kinds AND (type(r) <> 'MEMBER_OF' OR coalesce(r.traversable, true))
  RETURN r, m
  UNION ALL
  MATCH (n)-[r]->(m:Node)
  WHERE NOT $in AND type(r) IN $kinds AND (type(r) <> 'MEMBER_OF' OR coalesce(r.traversable, true))
  RETURN r, m
}
WITH nid, type(r) AS kind, m.id AS other, CASE WHEN type(r) = 'HAS_ACCESS' THEN r END AS grant, min(r.id) AS id
RETURN nid AS node, id, kind, other,
       (grant IS NULL OR $levelsAny IS NULL OR any(l IN coalesce(grant.levels, []) WHERE l IN $levelsAny)) AS levelsPass,
       grant.actionSet AS actionSet,
       coalesce(grant.guarded, false) AS guarded
ORDER BY id
