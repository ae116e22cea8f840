// get-nodes: nodes by id; a node no source defines (a placeholder) is returned only while
// some edge references it.
// params: $ids (list of node ids)
// returns: id, node (map {id, cloud, kind, name, source, type, propsJson}; source null for a placeholder)
UNWIND $ids AS nid
MATCH (n:Node {id: nid})
WHERE n.source IS NOT NULL OR EXISTS { (n)--() }
RETURN DISTINCT n.id AS id, n {.id, .cloud, .kind, .name, .source, .type, .propsJson} AS node
