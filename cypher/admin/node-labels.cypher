// node-labels: the labels of one node, sorted (diagnostics, tests).
// params: $id (node id)
// returns: labels (list of strings)
MATCH (n:Node {id: $id})
UNWIND labels(n) AS label
WITH label
ORDER BY label
RETURN collect(label) AS labels
