// release-source-nodes: give up the nodes a source owns that the current write did not produce
// (gen differs; with $gen null: all of them). Run after sweep-source-edges: nodes that other
// edges still reference are stripped back to placeholders (:Node:Placeholder {id}); the others
// are deleted.
// Names its index with USING INDEX SEEK so a plan cached on a small database never becomes an
// index or label scan.
// params: $source (source id), $gen (string, or null to release every node of the source)
// returns: stripped (count), deleted (count)
MATCH (n:Node)
USING INDEX SEEK n:Node(source)
WHERE n.source = $source AND ($gen IS NULL OR coalesce(n.gen, '') <> $gen)
WITH n, EXISTS { (n)--() } AS referenced
CALL (n, referenced) {
  WITH n WHERE referenced
  REMOVE n:$(n.kind)
  SET n:Placeholder
  REMOVE n.cloud, n.kind, n.name, n.source, n.type, n.propsJson, n.idLower, n.nameLower, n.gen
}
CALL (n, referenced) {
  WITH n WHERE NOT referenced
  DELETE n
}
RETURN count(CASE WHEN referenced THEN 1 END) AS stripped, count(CASE WHEN NOT referenced THEN 1 END) AS deleted
