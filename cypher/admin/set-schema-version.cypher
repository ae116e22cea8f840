// set-schema-version: record the data layout version (after a migration).
// params: $version (integer)
// returns: version
MERGE (m:AccessgraphSchema)
SET m.version = $version
RETURN m.version AS version
