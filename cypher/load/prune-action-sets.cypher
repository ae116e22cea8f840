// prune-action-sets: delete the action sets no HAS_ACCESS edge refers to any more (after a
// source was replaced or deleted). Each set is locked (SET) before the check, so a set that
// another transaction's merge-action-sets just stamped is only checked once that one ended.
// Names its index with USING INDEX SEEK so each check is an index seek, never an index or
// relationship scan (see delete-conflicting-edges).
// params: $gen (string: marks the sets this statement looked at)
// returns: pruned (count)
MATCH (s:ActionSet)
SET s.gen = $gen
WITH s
WHERE NOT EXISTS {
  MATCH ()-[r:HAS_ACCESS]->() USING INDEX SEEK r:HAS_ACCESS(actionSet) WHERE r.actionSet = s.hash
}
DELETE s
RETURN count(*) AS pruned
