// edges-by-id: edges by id, through each kind's relationship id index (one static branch per kind).
// Lists every edge kind of graph/model.ts EDGE_KINDS (graph/neo4j/cypher-files.test.ts checks).
// params: $ids (list of edge ids)
// returns: edge (map {id, kind, from, to, source, viaJson, propsJson, actionSet})
UNWIND $ids AS eid
CALL (eid) {
  MATCH ()-[r:MEMBER_OF {id: eid}]->() RETURN r
  UNION ALL
  MATCH ()-[r:CAN_ASSUME {id: eid}]->() RETURN r
  UNION ALL
  MATCH ()-[r:CAN_ESCALATE {id: eid}]->() RETURN r
  UNION ALL
  MATCH ()-[r:HAS_ACCESS {id: eid}]->() RETURN r
  UNION ALL
  MATCH ()-[r:CONTAINS {id: eid}]->() RETURN r
  UNION ALL
  MATCH ()-[r:ATTACHED_TO {id: eid}]->() RETURN r
  UNION ALL
  MATCH ()-[r:RUNS_AS {id: eid}]->() RETURN r
}
RETURN {id: r.id, kind: type(r), from: startNode(r).id, to: endNode(r).id, source: r.source,
        viaJson: r.viaJson, propsJson: r.propsJson, actionSet: r.actionSet} AS edge
