/**
 * The embedded store's SQLite schema. Bump SCHEMA_VERSION with every change and add a
 * migration step in sqlite-store.ts `migrate`.
 */
export const SCHEMA_VERSION = 4;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
  id TEXT PRIMARY KEY,
  cloud TEXT NOT NULL,
  loaded_at TEXT NOT NULL,
  node_count INTEGER NOT NULL,
  edge_count INTEGER NOT NULL,
  meta TEXT
);
CREATE TABLE IF NOT EXISTS nodes (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  cloud TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  name_lc TEXT NOT NULL,
  id_lc TEXT NOT NULL,
  type TEXT,
  props TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_by_source ON nodes (source);
CREATE TABLE IF NOT EXISTS edges (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  src TEXT NOT NULL,
  dst TEXT NOT NULL,
  source TEXT NOT NULL,
  via TEXT,
  -- props.actions is a placeholder here: the list lives in action_sets (since v3)
  props TEXT NOT NULL,
  actions_set INTEGER,
  levels TEXT,
  -- 0 for edges paths must not travel (model.ts isTraversable)
  traversable INTEGER NOT NULL DEFAULT 1,
  -- 1 for HAS_ACCESS edges with partial denies (graph/access-exceptions.ts isGuarded); since v2
  guarded INTEGER NOT NULL DEFAULT 0
);
-- distinct props.actions lists, each stored once (action-sets.ts); since v3
CREATE TABLE IF NOT EXISTS action_sets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  actions TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS edges_by_source ON edges (source);
-- findings scan every edge of one kind (scanEdges)
CREATE INDEX IF NOT EXISTS edges_by_kind ON edges (kind, id);
`;

/** Indexes on columns a migration may have to add first: created after `migrate`. */
export const SCHEMA_LATE_SQL = `
-- Edges by destination and by source, covering every column a traversal step reads
-- (sqlite-store.ts step), so a step never visits the table rows, whose via/props run to
-- kilobytes: at the M bench tier this made the step three times cheaper. Since v4; they
-- replace v3's edges_by_dst (dst, kind) and edges_by_src (src, kind).
CREATE INDEX IF NOT EXISTS edges_in ON edges (dst, kind, traversable, id, src, actions_set, levels, guarded);
CREATE INDEX IF NOT EXISTS edges_out ON edges (src, kind, traversable, id, dst, actions_set, levels, guarded);
-- pruning unreferenced action sets probes edges by set id
CREATE INDEX IF NOT EXISTS edges_by_action_set ON edges (actions_set) WHERE actions_set IS NOT NULL;
`;
