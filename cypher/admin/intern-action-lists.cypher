// intern-action-lists: migration step: point HAS_ACCESS edges at their action set (merged by
// load/merge-action-sets first) and drop the inline list (see legacy-action-lists).
// params: $rows (list of {id, actionSet, propsJson})
// returns: migrated (count)
UNWIND $rows AS row
MATCH ()-[r:HAS_ACCESS {id: row.id}]->()
USING INDEX SEEK r:HAS_ACCESS(id)
SET r.actionSet = row.actionSet, r.propsJson = row.propsJson
REMOVE r.actions
RETURN count(r) AS migrated
