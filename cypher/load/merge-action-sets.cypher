// merge-action-sets: store action lists of HAS_ACCESS edges, each distinct list once
// (graph/neo4j/action-sets.ts), keyed by the hash of its exact JSON. `json` is the list as
// written (order and case kept, for props to round-trip); `actions` the lowercased string
// actions, natively, for Cypher readers. Every set a write uses is stamped with its `gen`: the
// write lock that takes makes a concurrent prune-action-sets wait for this transaction.
// params: $sets (list of {hash, json, actions}), $gen (string)
// returns: hash, same (false when a stored set with this hash holds another list)
UNWIND $sets AS set
MERGE (s:ActionSet {hash: set.hash})
  ON CREATE SET s.json = set.json, s.actions = set.actions
SET s.gen = $gen
RETURN s.hash AS hash, s.json = set.json AS same
