// reach-access-reverse: principals X with a path X -[hops]->* holder -[HAS_ACCESS]-> scope
// -[CONTAINS]->* start (the holder itself included with 0 hops), one shortest path each
// (SHORTEST 1 per X), ordered by (depth, id). Edges with traversable = false are never followed.
// substitutes: {{MAX_HOPS}} = maxDepth, a validated integer (each star is bounded by it; the
//              whole path by $maxLen = maxDepth + 1, the one lookahead level).
// params: $hopKinds (list of edge kinds), $actionsAny (lowercased list, or null for any),
//         $levelsAny (list of access levels, or null for any), $start (node id), $resultKinds (list of node kinds, or null for all),
//         $minDepth (integer: report only nodes at least this deep), $maxLen (integer: maxDepth + 1),
//         $limit (integer)
// returns: depth (integer), node (map {id, cloud, kind, name, source, type, propsJson}; source null
//          for a placeholder), path (list of edge maps {id, kind, from, to, source, viaJson, propsJson},
//          in path order)
MATCH (s:Node {id: $start})
MATCH p = SHORTEST 1
  (x:Node)-[h WHERE type(h) IN $hopKinds AND coalesce(h.traversable, true)]->{0,{{MAX_HOPS}}}(:Node)
  -[g:HAS_ACCESS WHERE coalesce(g.traversable, true)
                   AND ($actionsAny IS NULL OR any(a IN g.actions WHERE a IN $actionsAny))
                       AND ($levelsAny IS NULL OR any(l IN g.levels WHERE l IN $levelsAny))]->
  (:Node)-[c:CONTAINS WHERE coalesce(c.traversable, true)]->{0,{{MAX_HOPS}}}(s)
WITH x, p, length(p) AS depth
WHERE x <> s AND depth >= $minDepth AND depth <= $maxLen
  AND ($resultKinds IS NULL OR coalesce(x.kind, 'External') IN $resultKinds)
WITH x, p, depth
ORDER BY depth, x.id
LIMIT $limit
RETURN depth,
       x {.id, .cloud, .kind, .name, .source, .type, .propsJson} AS node,
       [e IN relationships(p) | {id: e.id, kind: type(e), from: startNode(e).id, to: endNode(e).id, source: e.source,
                                  viaJson: e.viaJson, propsJson: e.propsJson}] AS path
