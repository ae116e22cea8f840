// action-sets: stored action lists by hash (what HAS_ACCESS edges' actionSet names).
// params: $hashes (list of action set hashes)
// returns: hash, json (the list's JSON as written)
UNWIND $hashes AS h
MATCH (s:ActionSet {hash: h})
RETURN s.hash AS hash, s.json AS json
