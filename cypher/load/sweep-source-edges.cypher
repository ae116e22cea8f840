// sweep-source-edges: delete the edges a source owns that the current write did not produce
// (gen differs; with $gen null: all of them). Endpoints left as placeholders without any edge
// are removed too.
// Lists every edge kind of graph/model.ts EDGE_KINDS (graph/neo4j/cypher-files.test.ts checks).
// params: $source (source id), $gen (string, or null to delete every edge of the source)
// returns: deleted (count)
CALL () {
  MATCH ()-[r:MEMBER_OF]->() WHERE r.source = $source RETURN r
  UNION ALL
  MATCH ()-[r:CAN_ASSUME]->() WHERE r.source = $source RETURN r
  UNION ALL
  MATCH ()-[r:CAN_ESCALATE]->() WHERE r.source = $source RETURN r
  UNION ALL
  MATCH ()-[r:HAS_ACCESS]->() WHERE r.source = $source RETURN r
  UNION ALL
  MATCH ()-[r:CONTAINS]->() WHERE r.source = $source RETURN r
  UNION ALL
  MATCH ()-[r:ATTACHED_TO]->() WHERE r.source = $source RETURN r
  UNION ALL
  MATCH ()-[r:RUNS_AS]->() WHERE r.source = $source RETURN r
}
WITH r, startNode(r) AS a, endNode(r) AS b
WHERE $gen IS NULL OR coalesce(r.gen, '') <> $gen
DELETE r
WITH collect(a) + collect(b) AS ends, count(r) AS deleted
CALL (ends) {
  UNWIND ends AS n
  WITH DISTINCT n
  WHERE n:Placeholder AND NOT EXISTS { (n)--() }
  DELETE n
}
RETURN deleted
