// schema-version: the version of the data layout this database was last brought to (null for a
// database written before versions were recorded; graph/neo4j/neo4j-store.ts migrates it).
// params: none
// returns: version (integer or null)
OPTIONAL MATCH (m:AccessgraphSchema)
RETURN max(m.version) AS version
