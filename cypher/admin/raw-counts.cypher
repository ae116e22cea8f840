// raw-counts: what the database holds, placeholders included (diagnostics, tests).
// params: none
// returns: nodes, placeholders, relationships, sources (integers)
RETURN COUNT { (:Node) } AS nodes,
       COUNT { (:Placeholder) } AS placeholders,
       COUNT { ()-[]->() } AS relationships,
       COUNT { (:Source) } AS sources
