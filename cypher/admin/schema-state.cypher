// schema-state: the accessgraph constraints and indexes and whether they are online (diagnostics, tests).
// params: none
// returns: name, type, state
SHOW INDEXES YIELD name, type, state
WHERE name STARTS WITH 'accessgraph_'
RETURN name, type, state
ORDER BY name
