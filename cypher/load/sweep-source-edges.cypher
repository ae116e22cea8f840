// sweep-source-edges: delete the edges a source owns that the current write did not produce
// (gen differs; with $gen null: all of them). Endpoints left as placeholders without any edge
// are removed too.
// Each branch names its index with USING INDEX SEEK, so a plan cached on a small database never
// turns into a scan of the index or of every relationship of the type (see delete-conflicting-edges).
// Ends come from the pattern, not startNode(r)/endNode(r) (see delete-conflicting-edges).
// Lists every edge kind of graph/model.ts EDGE_KINDS (graph/neo4j/cypher-files.test.ts checks).
// params: $source (source id), $gen (string, or null to delete every edge of the source)
// returns: deleted (count)
CALL () {
  MATCH (a)-[r:MEMBER_OF]->(b) USING INDEX SEEK r:MEMBER_OF(source) WHERE r.source = $source RETURN r, a, b
  UNION ALL
  MATCH (a)-[r:CAN_ASSUME]->(b) USING INDEX SEEK r:CAN_ASSUME(source) WHERE r.source = $source RETURN r, a, b
  UNION ALL
  MATCH (a)-[r:CAN_ESCALATE]->(b) USING INDEX SEEK r:CAN_ESCALATE(source) WHERE r.source = $source RETURN r, a, b
  UNION ALL
  MATCH (a)-[r:HAS_ACCESS]->(b) USING INDEX SEEK r:HAS_ACCESS(source) WHERE r.source = $source RETURN r, a, b
  UNION ALL
  MATCH (a)-[r:CONTAINS]->(b) USING INDEX SEEK r:CONTAINS(source) WHERE r.source = $source RETURN r, a, b
  UNION ALL
  MATCH (a)-[r:ATTACHED_TO]->(b) USING INDEX SEEK r:ATTACHED_TO(source) WHERE r.source = $source RETURN r, a, b
  UNION ALL
  MATCH (a)-[r:RUNS_AS]->(b) USING INDEX SEEK r:RUNS_AS(source) WHERE r.source = $source RETURN r, a, b
}
WITH r, a, b
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
