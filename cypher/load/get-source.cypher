// get-source: one source's record.
// params: $id (source id)
// returns: source (map {id, cloud, loadedAt, nodeCount, edgeCount, metaJson} or no row)
MATCH (s:Source {id: $id})
RETURN s {.id, .cloud, .loadedAt, .nodeCount, .edgeCount, .metaJson} AS source
