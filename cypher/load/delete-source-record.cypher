// delete-source-record: remove a source's record (its nodes and edges are released first).
// params: $id (source id)
// returns: existed (boolean)
OPTIONAL MATCH (s:Source {id: $id})
WITH s, s IS NOT NULL AS existed
DELETE s
RETURN existed
