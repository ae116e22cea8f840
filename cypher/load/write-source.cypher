// write-source: create or update a source's record, counting the nodes and edges it owns now.
// Each branch names its index with USING INDEX SEEK, so a plan cached on a small database never
// turns into a scan of the index or of every relationship of the type (see delete-conflicting-edges).
// Lists every edge kind of graph/model.ts EDGE_KINDS (graph/neo4j/cypher-files.test.ts checks).
// params: $id (source id), $cloud, $loadedAt (ISO string), $metaJson (string|null)
// returns: source (map {id, cloud, loadedAt, nodeCount, edgeCount, metaJson})
CALL () {
  MATCH (n:Node) USING INDEX SEEK n:Node(source) WHERE n.source = $id RETURN count(n) AS nodeCount
}
CALL () {
  CALL () {
    MATCH ()-[r:MEMBER_OF]->() USING INDEX SEEK r:MEMBER_OF(source) WHERE r.source = $id RETURN count(r) AS c
    UNION ALL
    MATCH ()-[r:CAN_ASSUME]->() USING INDEX SEEK r:CAN_ASSUME(source) WHERE r.source = $id RETURN count(r) AS c
    UNION ALL
    MATCH ()-[r:CAN_ESCALATE]->() USING INDEX SEEK r:CAN_ESCALATE(source) WHERE r.source = $id RETURN count(r) AS c
    UNION ALL
    MATCH ()-[r:HAS_ACCESS]->() USING INDEX SEEK r:HAS_ACCESS(source) WHERE r.source = $id RETURN count(r) AS c
    UNION ALL
    MATCH ()-[r:CONTAINS]->() USING INDEX SEEK r:CONTAINS(source) WHERE r.source = $id RETURN count(r) AS c
    UNION ALL
    MATCH ()-[r:ATTACHED_TO]->() USING INDEX SEEK r:ATTACHED_TO(source) WHERE r.source = $id RETURN count(r) AS c
    UNION ALL
    MATCH ()-[r:RUNS_AS]->() USING INDEX SEEK r:RUNS_AS(source) WHERE r.source = $id RETURN count(r) AS c
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
