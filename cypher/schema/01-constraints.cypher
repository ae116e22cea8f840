// constraints: identity of graph nodes and sources (property uniqueness constraints work on Community).
// params: none
// returns: nothing
CREATE CONSTRAINT accessgraph_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT accessgraph_source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE;
