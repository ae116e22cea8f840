// search: defined nodes whose lowercased id or name contains the text, ranked:
// 0 exact id, 1 exact name, 2 name prefix, 3 id prefix, 4 name substring, 5 id substring.
// params: $text (trimmed, lowercased), $kinds (list of node kinds, or null for all), $limit (integer)
// returns: rank (integer), node (map {id, cloud, kind, name, source, type, propsJson})
MATCH (n:Node)
WHERE (n.nameLower CONTAINS $text OR n.idLower CONTAINS $text)
  AND ($kinds IS NULL OR n.kind IN $kinds)
WITH n,
     CASE
       WHEN n.idLower = $text THEN 0
       WHEN n.nameLower = $text THEN 1
       WHEN n.nameLower STARTS WITH $text THEN 2
       WHEN n.idLower STARTS WITH $text THEN 3
       WHEN n.nameLower CONTAINS $text THEN 4
       ELSE 5
     END AS rank
ORDER BY rank, n.id
LIMIT $limit
RETURN rank, n {.id, .cloud, .kind, .name, .source, .type, .propsJson} AS node
