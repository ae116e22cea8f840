// legacy-action-lists: one page of HAS_ACCESS edges in id order, with the props of those that
// still hold their actions list inline (written before action sets, data layout < 2), for the
// migration that interns them (graph/neo4j/neo4j-store.ts migrate).
// params: $after (edge id; '' to start), $limit (integer)
// returns: id (edge id), propsJson (string, or null when the edge already names an action set)
MATCH ()-[r:HAS_ACCESS]->()
USING INDEX SEEK r:HAS_ACCESS(id)
WHERE r.id > $after
WITH r
ORDER BY r.id
LIMIT $limit
RETURN r.id AS id, CASE WHEN r.actionSet IS NULL AND r.actions IS NOT NULL THEN r.propsJson END AS propsJson
