// reach-edges-reverse: nodes X with a path X -[any of $kinds]-> ... -> start, one shortest path
// each (SHORTEST 1 per X), ordered by (depth, id). Edges with traversable = false are never followed.
// substitutes: {{MAX_LEN}} = maxDepth + 1, a validated integer (the one lookahead level finds
//              nodes just beyond maxDepth).
// params: $kinds (list of edge kinds), $start (node id), $resultKinds (list of node kinds, or null for all),
//         $minDepth (integer: report only nodes at least this deep), $maxLen (integer: maxDepth + 1),
//         $limit (integer)
// returns: depth (integer), node (map {id, cloud, kind, name, source, type, propsJson}; source null
//          for a placeholder), path (list of edge maps {id, kind, from, to, source, viaJson, propsJson},
//          in path order)
MATCH (s:Node {id: $start})
MATCH p = SHORTEST 1 (x:Node)-[r WHERE type(r) IN $kinds AND coalesce(r.traversable, true)]->{1,{{MAX_LEN}}}(s)
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
