// write-source: create or update a source's record, counting the nodes and edges it owns now.
// Lists every edge kind of graph/model.ts EDGE_KINDS (graph/neo4j/cypher-files.test.ts checks).
// params: $id (source id), $cloud, $loadedAt (ISO string), $metaJson (string|null)
// returns: source (map {id, cloud, loadedAt, nodeCount, edgeCount, metaJson})
CALL () {
  MATCH (n:Node) WHERE n.source = $id RETURN count(n) AS nodeCount
}
CALL () {
  CALL () {
    MATCH ()-[r:MEMBER_OF]->() WHERE r.source = $id RETURN count(r) AS c
    UNION ALL
    MATCH ()-[r:CAN_ASSUME]->() WHERE r.source = $id RETURN count(r) AS c
    UNION ALL
    MATCH ()-[r:CAN_ESCALATE]->() WHERE r.source = $id RETURN count(r) AS c
    UNION ALL
    MATCH ()-[r:HAS_ACCESS]->() WHERE r.source = $id RETURN count(r) AS c
    UNION ALL
    MATCH ()-[r:CONTAINS]->() WHERE r.source = $id RETURN count(r) AS c
    UNION ALL
    MATCH ()-[r:ATTACHED_TO]->() WHERE r.source = $id RETURN count(r) AS c
    UNION ALL
    MATCH ()-[r:RUNS_AS]->() WHERE r.source = $id RETURN count(r) AS c
  }
  RETURN sum(c) AS edgeCount
}
MERGE (s:Source {id: $id})
SET s.cloud = $cloud,
    s.loadedAt = $loadedAt,
    s.metaJson = $metaJson,
    s.nodeCount = nodeCount,
    s.edgeCount = edgeCount
RETURN s {.id, .cloud, .loadedAt, .nodeCount, .edgeCount, .metaJson} AS source
