// upsert-nodes: define (or redefine) nodes in place; the writing source becomes the owner (last
// writer wins). A placeholder with the same id is promoted; a changed kind swaps the kind label.
// `gen` marks what this write produced, so a replace can release what the source no longer has.
// params: $rows (list of {id, cloud, kind, name, source, type|null, propsJson, idLower, nameLower}), $gen (string)
// returns: written (count)
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
// remove the label of a changed kind; otherwise 'Placeholder' (absent on a defined node: a no-op)
WITH n, row, CASE WHEN n.kind IS NOT NULL AND n.kind <> row.kind THEN n.kind ELSE 'Placeholder' END AS staleLabel
REMOVE n:$(staleLabel)
SET n:$(row.kind),
    n.cloud = row.cloud,
    n.kind = row.kind,
    n.name = row.name,
    n.source = row.source,
    n.type = row.type,
    n.propsJson = row.propsJson,
    n.idLower = row.idLower,
    n.nameLower = row.nameLower,
    n.gen = $gen
RETURN count(n) AS written
