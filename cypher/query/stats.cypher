// stats: defined nodes (placeholders excluded), edges and sources; answered from the count store.
// params: none
// returns: nodes, edges, sources (integers)
RETURN COUNT { (:Node) } - COUNT { (:Placeholder) } AS nodes,
       COUNT { ()-[]->() } AS edges,
       COUNT { (:Source) } AS sources
