// delete-conflicting-edges: edge ids are global (last writer wins): before writing a batch,
// delete every other edge carrying one of its ids with a different kind or different ends
// (an edge with the same id, kind and ends is updated in place by merge-edges instead).
// Endpoints left as placeholders without any edge are removed too.
// Anchored on node lookups first: a row whose edge is already in place (same id, kind and
// ends: every row of a reload but the new ones) cannot conflict, since no two edges share an
// id, so only the other rows look their id up in each kind's relationship index. Each branch
// says USING INDEX SEEK, not USING INDEX: a plain index hint is also met by an index SCAN plus a
// filter on id, and a cached plan was seen taking that scan on a fresh database (Neo4j 5.26,
// thread dumps: DirectedRelationshipIndexScan, TxStateIndexChanges.indexUpdatesWithValuesScanAndFilter;
// which statistics make the planner choose it was not pinned down). Per row, a scan walks every
// entry this transaction added to the index, so a load's batches went from ~0.5 s to over 75 s
// per 2000 rows; a seek stays flat. The
// in-place check expands between the two ends (coalesce keeps it off the relationship index:
// inside a reload transaction, relationship index lookups of this kind were seen reading
// thousands of relationship records per row, see merge-edges).
// Never type(r), startNode(r) or endNode(r) here: inside a write transaction each of those
// looks the relationship up through the transaction state at a cost that grows with the
// relationships the transaction already created (Neo4j 5.26, seen in thread dumps), and a
// load of ~40k edges then spent minutes per batch in this statement. Kinds come from the
// static pattern of each branch, ends from the pattern's nodes.
// Lists every edge kind of graph/model.ts EDGE_KINDS (graph/neo4j/cypher-files.test.ts checks).
// params: $rows (list of {id, kind, from, to})
// returns: deleted (count)
UNWIND $rows AS row
OPTIONAL MATCH (from:Node {id: row.from})
OPTIONAL MATCH (to:Node {id: row.to})
WITH row, from, to
WHERE from IS NULL OR to IS NULL OR NOT CASE row.kind
    WHEN 'MEMBER_OF' THEN EXISTS { MATCH (from)-[s:MEMBER_OF]->(to) WHERE coalesce(s.id, '') = row.id }
    WHEN 'CAN_ASSUME' THEN EXISTS { MATCH (from)-[s:CAN_ASSUME]->(to) WHERE coalesce(s.id, '') = row.id }
    WHEN 'CAN_ESCALATE' THEN EXISTS { MATCH (from)-[s:CAN_ESCALATE]->(to) WHERE coalesce(s.id, '') = row.id }
    WHEN 'HAS_ACCESS' THEN EXISTS { MATCH (from)-[s:HAS_ACCESS]->(to) WHERE coalesce(s.id, '') = row.id }
    WHEN 'CONTAINS' THEN EXISTS { MATCH (from)-[s:CONTAINS]->(to) WHERE coalesce(s.id, '') = row.id }
    WHEN 'ATTACHED_TO' THEN EXISTS { MATCH (from)-[s:ATTACHED_TO]->(to) WHERE coalesce(s.id, '') = row.id }
    WHEN 'RUNS_AS' THEN EXISTS { MATCH (from)-[s:RUNS_AS]->(to) WHERE coalesce(s.id, '') = row.id }
    ELSE false
  END
CALL (row) {
  MATCH (a)-[r:MEMBER_OF {id: row.id}]->(b) USING INDEX SEEK r:MEMBER_OF(id) RETURN r, a, b, 'MEMBER_OF' AS kind
  UNION ALL
  MATCH (a)-[r:CAN_ASSUME {id: row.id}]->(b) USING INDEX SEEK r:CAN_ASSUME(id) RETURN r, a, b, 'CAN_ASSUME' AS kind
  UNION ALL
  MATCH (a)-[r:CAN_ESCALATE {id: row.id}]->(b) USING INDEX SEEK r:CAN_ESCALATE(id) RETURN r, a, b, 'CAN_ESCALATE' AS kind
  UNION ALL
  MATCH (a)-[r:HAS_ACCESS {id: row.id}]->(b) USING INDEX SEEK r:HAS_ACCESS(id) RETURN r, a, b, 'HAS_ACCESS' AS kind
  UNION ALL
  MATCH (a)-[r:CONTAINS {id: row.id}]->(b) USING INDEX SEEK r:CONTAINS(id) RETURN r, a, b, 'CONTAINS' AS kind
  UNION ALL
  MATCH (a)-[r:ATTACHED_TO {id: row.id}]->(b) USING INDEX SEEK r:ATTACHED_TO(id) RETURN r, a, b, 'ATTACHED_TO' AS kind
  UNION ALL
  MATCH (a)-[r:RUNS_AS {id: row.id}]->(b) USING INDEX SEEK r:RUNS_AS(id) RETURN r, a, b, 'RUNS_AS' AS kind
}
WITH row, r, a, b, kind
WHERE kind <> row.kind OR a.id <> row.from OR b.id <> row.to
DELETE r
WITH collect(a) + collect(b) AS ends, count(r) AS deleted
CALL (ends) {
  UNWIND ends AS n
  WITH DISTINCT n
  WHERE n:Placeholder AND NOT EXISTS { (n)--() }
  DELETE n
}
RETURN deleted
