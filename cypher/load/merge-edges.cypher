// merge-edges: write edges (typed by edge kind), updating in place an edge with the same id,
// kind and ends; the writing source becomes the owner. A missing endpoint becomes a
// placeholder: a bare (:Node:Placeholder {id}) with no owner. `gen` marks what this write
// produced, so a replace can sweep what the source no longer has (sweep-source-edges).
// levels/conditional are copied out of props natively so traversals can filter on them; a
// HAS_ACCESS edge's actions list is stored once per distinct list (merge-action-sets, run
// first) and the edge names it by hash in actionSet (its propsJson holds 0 in the list's place);
// traversable is false for an edge paths must not travel (graph/model.ts isTraversable);
// flags lists the edge's set EDGE_FLAGS, which findings scan for (scan-edges); guarded marks
// HAS_ACCESS edges with partial denies for the reach walker (graph/access-exceptions.ts).
// One static pattern per edge kind: a MERGE with a dynamic type ($(row.kind)) gets slower with
// every relationship the transaction already holds (measured on 5.26: 2.5 s per 1000 rows
// after 10k rows, against 30 ms). Not MERGE on {id} either: for that the planner may pick the
// kind's relationship id index over the expand between the two (locked, indexed) ends, and
// inside a reload transaction of ~40k edges such a plan read thousands of relationship
// records per row (thread dumps: relationship index cursor), for minutes per batch. The
// in-place edge is looked up from its ends instead (Expand(Into); coalesce keeps the id
// predicate off the index) and created when absent; delete-conflicting-edges ran first, so an
// id is never on two edges. (Writers are one at a time per process: replaceSource.)
// Lists every edge kind of graph/model.ts EDGE_KINDS (graph/neo4j/cypher-files.test.ts checks).
// params: $rows (list of {id, kind, from, to, source, viaJson|null, propsJson, actionSet|null, levels|null,
//         conditional|null, traversable, flags, guarded}), $gen (string)
// returns: written (count)
UNWIND $rows AS row
MERGE (a:Node {id: row.from})
  ON CREATE SET a:Placeholder
MERGE (b:Node {id: row.to})
  ON CREATE SET b:Placeholder
WITH a, b, row
CALL (a, b, row) {
  WITH * WHERE row.kind = 'MEMBER_OF'
  OPTIONAL MATCH (a)-[old:MEMBER_OF]->(b) WHERE coalesce(old.id, '') = row.id
  CALL (a, b, row, old) {
    WITH * WHERE old IS NULL
    CREATE (a)-[r:MEMBER_OF {id: row.id}]->(b)
    RETURN r
    UNION ALL
    WITH * WHERE old IS NOT NULL
    RETURN old AS r
  }
  RETURN r
  UNION ALL
  WITH * WHERE row.kind = 'CAN_ASSUME'
  OPTIONAL MATCH (a)-[old:CAN_ASSUME]->(b) WHERE coalesce(old.id, '') = row.id
  CALL (a, b, row, old) {
    WITH * WHERE old IS NULL
    CREATE (a)-[r:CAN_ASSUME {id: row.id}]->(b)
    RETURN r
    UNION ALL
    WITH * WHERE old IS NOT NULL
    RETURN old AS r
  }
  RETURN r
  UNION ALL
  WITH * WHERE row.kind = 'CAN_ESCALATE'
  OPTIONAL MATCH (a)-[old:CAN_ESCALATE]->(b) WHERE coalesce(old.id, '') = row.id
  CALL (a, b, row, old) {
    WITH * WHERE old IS NULL
    CREATE (a)-[r:CAN_ESCALATE {id: row.id}]->(b)
    RETURN r
    UNION ALL
    WITH * WHERE old IS NOT NULL
    RETURN old AS r
  }
  RETURN r
  UNION ALL
  WITH * WHERE row.kind = 'HAS_ACCESS'
  OPTIONAL MATCH (a)-[old:HAS_ACCESS]->(b) WHERE coalesce(old.id, '') = row.id
  CALL (a, b, row, old) {
    WITH * WHERE old IS NULL
    CREATE (a)-[r:HAS_ACCESS {id: row.id}]->(b)
    RETURN r
    UNION ALL
    WITH * WHERE old IS NOT NULL
    RETURN old AS r
  }
  RETURN r
  UNION ALL
  WITH * WHERE row.kind = 'CONTAINS'
  OPTIONAL MATCH (a)-[old:CONTAINS]->(b) WHERE coalesce(old.id, '') = row.id
  CALL (a, b, row, old) {
    WITH * WHERE old IS NULL
    CREATE (a)-[r:CONTAINS {id: row.id}]->(b)
    RETURN r
    UNION ALL
    WITH * WHERE old IS NOT NULL
    RETURN old AS r
  }
  RETURN r
  UNION ALL
  WITH * WHERE row.kind = 'ATTACHED_TO'
  OPTIONAL MATCH (a)-[old:ATTACHED_TO]->(b) WHERE coalesce(old.id, '') = row.id
  CALL (a, b, row, old) {
    WITH * WHERE old IS NULL
    CREATE (a)-[r:ATTACHED_TO {id: row.id}]->(b)
    RETURN r
    UNION ALL
    WITH * WHERE old IS NOT NULL
    RETURN old AS r
  }
  RETURN r
  UNION ALL
  WITH * WHERE row.kind = 'RUNS_AS'
  OPTIONAL MATCH (a)-[old:RUNS_AS]->(b) WHERE coalesce(old.id, '') = row.id
  CALL (a, b, row, old) {
    WITH * WHERE old IS NULL
    CREATE (a)-[r:RUNS_AS {id: row.id}]->(b)
    RETURN r
    UNION ALL
    WITH * WHERE old IS NOT NULL
    RETURN old AS r
  }
  RETURN r
}
SET r.source = row.source,
    r.viaJson = row.viaJson,
    r.propsJson = row.propsJson,
    r.actionSet = row.actionSet,
    r.levels = row.levels,
    r.conditional = row.conditional,
    r.traversable = row.traversable,
    r.flags = row.flags,
    r.guarded = row.guarded,
    r.gen = $gen
RETURN count(r) AS written
