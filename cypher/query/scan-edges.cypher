// scan-edges: one page of every edge of one kind, optionally only those carrying a flag
// (graph/model.ts EDGE_FLAGS, written natively as r.flags by merge-edges), ordered by id.
// One static branch per edge kind so each can walk its relationship id index in order.
// Lists every edge kind of graph/model.ts EDGE_KINDS (graph/neo4j/cypher-files.test.ts checks).
// params: $kind (edge kind), $flag (string|null), $after (string; '' for the first page), $limit (integer)
// returns: edge (map {id, kind, from, to, source, viaJson, propsJson, actionSet})
CALL () {
  MATCH ()-[r:MEMBER_OF]->()
  WHERE $kind = 'MEMBER_OF' AND r.id > $after AND ($flag IS NULL OR $flag IN r.flags)
  RETURN r ORDER BY r.id LIMIT $limit
  UNION ALL
  MATCH ()-[r:CAN_ASSUME]->()
  WHERE $kind = 'CAN_ASSUME' AND r.id > $after AND ($flag IS NULL OR $flag IN r.flags)
  RETURN r ORDER BY r.id LIMIT $limit
  UNION ALL
  MATCH ()-[r:CAN_ESCALATE]->()
  WHERE $kind = 'CAN_ESCALATE' AND r.id > $after AND ($flag IS NULL OR $flag IN r.flags)
  RETURN r ORDER BY r.id LIMIT $limit
  UNION ALL
  MATCH ()-[r:HAS_ACCESS]->()
  WHERE $kind = 'HAS_ACCESS' AND r.id > $after AND ($flag IS NULL OR $flag IN r.flags)
  RETURN r ORDER BY r.id LIMIT $limit
  UNION ALL
  MATCH ()-[r:CONTAINS]->()
  WHERE $kind = 'CONTAINS' AND r.id > $after AND ($flag IS NULL OR $flag IN r.flags)
  RETURN r ORDER BY r.id LIMIT $limit
  UNION ALL
  MATCH ()-[r:ATTACHED_TO]->()
  WHERE $kind = 'ATTACHED_TO' AND r.id > $after AND ($flag IS NULL OR $flag IN r.flags)
  RETURN r ORDER BY r.id LIMIT $limit
  UNION ALL
  MATCH ()-[r:RUNS_AS]->()
  WHERE $kind = 'RUNS_AS' AND r.id > $after AND ($flag IS NULL OR $flag IN r.flags)
  RETURN r ORDER BY r.id LIMIT $limit
}
WITH r
ORDER BY r.id
LIMIT $limit
RETURN {id: r.id, kind: type(r), from: startNode(r).id, to: endNode(r).id, source: r.source,
        viaJson: r.viaJson, propsJson: r.propsJson, actionSet: r.actionSet} AS edge
