// clear-all: delete every node and relationship of the database (tests only; auto-commit).
// params: none
// returns: nothing
MATCH (n)
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 10000 ROWS;
