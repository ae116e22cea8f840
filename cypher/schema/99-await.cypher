// await-indexes: block until every index is online, so the first queries already use them.
// params: none
// returns: nothing
CALL db.awaitIndexes(300);
