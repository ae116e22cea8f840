// delete-conflicting-edges: edge ids are global (last writer wins): before writing a batch,
// delete every other edge carrying one of its ids with a different kind or different ends
// (an edge with the same id, kind and ends is updated in place by merge-edges instead).
// Endpoints left as placeholders without any edge are removed too.
// Each branch names its index (USING INDEX) so the plan does not depend on the statistics at
// the time it was cached. Known problem (not solved by the hints): inside a reload transaction
// of ~40k edges a 2000-row batch of this statement has run for minutes at ~20-36k page hits per
// row, while the same batch PROFILEd in a replayed transaction costs ~11 hits per row.
// Lists every edge kind of graph/model.ts EDGE_KINDS (graph/neo4j/cypher-files.test.ts checks).
// params: $rows (list of {id, kind, from, to})
// returns: deleted (count)
UNWIND $rows AS row
CALL (row) {
  MATCH ()-[r:MEMBER_OF {id: row.id}]->() USING INDEX r:MEMBER_OF(id) RETURN r
  UNION ALL
  MATCH ()-[r:CAN_ASSUME {id: row.id}]->() USING INDEX r:CAN_ASSUME(id) RETURN r
  UNION ALL
  MATCH ()-[r:CAN_ESCALATE {id: row.id}]->() USING INDEX r:CAN_ESCALATE(id) RETURN r
  UNION ALL
  MATCH ()-[r:HAS_ACCESS {id: row.id}]->() USING INDEX r:HAS_ACCESS(id) RETURN r
  UNION ALL
  MATCH ()-[r:CONTAINS {id: row.id}]->() USING INDEX r:CONTAINS(id) RETURN r
  UNION ALL
  MATCH ()-[r:ATTACHED_TO {id: row.id}]->() USING INDEX r:ATTACHED_TO(id) RETURN r
  UNION ALL
  MATCH ()-[r:RUNS_AS {id: row.id}]->() USING INDEX r:RUNS_AS(id) RETURN r
}
WITH row, r, startNode(r) AS a, endNode(r) AS b
WHERE type(r) <> row.kind OR a.id <> row.from OR b.id <> row.to
DELETE r
WITH collect(a) + collect(b) AS ends, count(r) AS deleted
CALL (ends) {
  UNWIND ends AS n
  WITH DISTINCT n
  WHERE n:Placeholder AND NOT EXISTS { (n)--() }
  DELETE n
}
RETURN deleted
