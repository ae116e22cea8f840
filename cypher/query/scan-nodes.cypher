// scan-nodes: one page of defined nodes (never placeholders) of some kinds, ordered by id.
// params: $kinds (list of node kinds), $after (string; '' for the first page), $limit (integer)
// returns: node (map {id, cloud, kind, name, source, type, propsJson})
MATCH (n:Node)
WHERE n.id > $after AND n.kind IN $kinds AND n.source IS NOT NULL
WITH n
ORDER BY n.id
LIMIT $limit
RETURN n {.id, .cloud, .kind, .name, .source, .type, .propsJson} AS node
