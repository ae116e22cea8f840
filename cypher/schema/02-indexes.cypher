// indexes: node ownership and search, per edge kind the edge id and owning source, and the
// action set a HAS_ACCESS edge refers to (prune-action-sets looks sets up by it).
// Every edge kind of graph/model.ts EDGE_KINDS needs its two relationship indexes here
// (graph/neo4j/cypher-files.test.ts checks).
// params: none
// returns: nothing
CREATE INDEX accessgraph_node_source IF NOT EXISTS FOR (n:Node) ON (n.source);
CREATE INDEX accessgraph_node_name IF NOT EXISTS FOR (n:Node) ON (n.name);
CREATE TEXT INDEX accessgraph_node_id_lower IF NOT EXISTS FOR (n:Node) ON (n.idLower);
CREATE TEXT INDEX accessgraph_node_name_lower IF NOT EXISTS FOR (n:Node) ON (n.nameLower);
CREATE INDEX accessgraph_member_of_id IF NOT EXISTS FOR ()-[r:MEMBER_OF]-() ON (r.id);
CREATE INDEX accessgraph_member_of_source IF NOT EXISTS FOR ()-[r:MEMBER_OF]-() ON (r.source);
CREATE INDEX accessgraph_can_assume_id IF NOT EXISTS FOR ()-[r:CAN_ASSUME]-() ON (r.id);
CREATE INDEX accessgraph_can_assume_source IF NOT EXISTS FOR ()-[r:CAN_ASSUME]-() ON (r.source);
CREATE INDEX accessgraph_can_escalate_id IF NOT EXISTS FOR ()-[r:CAN_ESCALATE]-() ON (r.id);
CREATE INDEX accessgraph_can_escalate_source IF NOT EXISTS FOR ()-[r:CAN_ESCALATE]-() ON (r.source);
CREATE INDEX accessgraph_has_access_id IF NOT EXISTS FOR ()-[r:HAS_ACCESS]-() ON (r.id);
CREATE INDEX accessgraph_has_access_source IF NOT EXISTS FOR ()-[r:HAS_ACCESS]-() ON (r.source);
CREATE INDEX accessgraph_has_access_action_set IF NOT EXISTS FOR ()-[r:HAS_ACCESS]-() ON (r.actionSet);
CREATE INDEX accessgraph_contains_id IF NOT EXISTS FOR ()-[r:CONTAINS]-() ON (r.id);
CREATE INDEX accessgraph_contains_source IF NOT EXISTS FOR ()-[r:CONTAINS]-() ON (r.source);
CREATE INDEX accessgraph_attached_to_id IF NOT EXISTS FOR ()-[r:ATTACHED_TO]-() ON (r.id);
CREATE INDEX accessgraph_attached_to_source IF NOT EXISTS FOR ()-[r:ATTACHED_TO]-() ON (r.source);
CREATE INDEX accessgraph_runs_as_id IF NOT EXISTS FOR ()-[r:RUNS_AS]-() ON (r.id);
CREATE INDEX accessgraph_runs_as_source IF NOT EXISTS FOR ()-[r:RUNS_AS]-() ON (r.source);
