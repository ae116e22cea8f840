// list-sources: every source record, ordered by id.
// params: none
// returns: source (map {id, cloud, loadedAt, nodeCount, edgeCount, metaJson})
MATCH (s:Source)
RETURN s {.id, .cloud, .loadedAt, .nodeCount, .edgeCount, .metaJson} AS source
ORDER BY s.id
