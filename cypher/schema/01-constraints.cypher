// constraints: identity of graph nodes, sources and interned action lists (property uniqueness constraints work on Community).
// params: none
// returns: nothing
CREATE CONSTRAINT accessgraph_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT accessgraph_source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT accessgraph_action_set_hash IF NOT EXISTS FOR (s:ActionSet) REQUIRE s.hash IS UNIQUE;
