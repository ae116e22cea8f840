/**
 * Brings an embedded store's database up to SCHEMA_VERSION, one step per version, each in
 * its own transaction so a killed upgrade leaves the previous version intact.
 */
import type Database from 'better-sqlite3';
import { ACTIONS_PLACEHOLDER, ActionSetWriter } from './action-sets.js';
import { SCHEMA_LATE_SQL, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

type Db = Database.Database;

export function migrate(db: Db): void {
  db.exec(SCHEMA_SQL);
  const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").get();
  if (!row) {
    db.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
  } else {
    const version = Number(row.value);
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `the data directory was written by a newer accessgraph (schema ${row.value}, this one knows ${SCHEMA_VERSION}); upgrade accessgraph`,
      );
    }
    if (version < 2) step(db, 2, toV2);
    if (version < 3) step(db, 3, toV3);
    if (version < 4) step(db, 4, toV4);
  }
  db.exec(SCHEMA_LATE_SQL);
}

function step(db: Db, version: number, change: (db: Db) => void): void {
  db.transaction(() => {
    change(db);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(version));
  })();
}

/** v2: the guarded column, so walks know which grants carry partial denies. */
function toV2(db: Db): void {
  db.exec('ALTER TABLE edges ADD COLUMN guarded INTEGER NOT NULL DEFAULT 0');
  db.exec(
    `UPDATE edges SET guarded = 1 WHERE kind = 'HAS_ACCESS'
       AND (json_array_length(props, '$.exceptions') > 0 OR json_array_length(props, '$.notResources') > 0)`,
  );
}

/** v3: action lists move from every edge (props and the `actions` column) to action_sets. */
function toV3(db: Db): void {
  db.exec('ALTER TABLE edges ADD COLUMN actions_set INTEGER');
  const sets = new ActionSetWriter(db);
  // paged by rowid: better-sqlite3 runs no other statement while an iteration is open
  const page = db.prepare<[number], { rowid: number; props: string; actions: string }>(
    'SELECT rowid, props, actions FROM edges WHERE rowid > ? AND actions IS NOT NULL ORDER BY rowid LIMIT 500',
  );
  const update = db.prepare<[string, number, number]>(
    'UPDATE edges SET props = ?, actions_set = ? WHERE rowid = ?',
  );
  for (let after = 0; ; ) {
    const rows = page.all(after);
    if (rows.length === 0) break;
    for (const r of rows) {
      const props = JSON.parse(r.props) as Record<string, unknown>;
      // v2 wrote the column as JSON.stringify(props.actions): the same text interns the same set
      props.actions = ACTIONS_PLACEHOLDER;
      update.run(JSON.stringify(props), sets.internJson(r.actions), r.rowid);
    }
    after = rows[rows.length - 1]!.rowid;
  }
  db.exec('ALTER TABLE edges DROP COLUMN actions');
}

/** v4: the step's covering indexes (schema.ts SCHEMA_LATE_SQL) replace the narrow ones. */
function toV4(db: Db): void {
  db.exec('DROP INDEX IF EXISTS edges_by_dst');
  db.exec('DROP INDEX IF EXISTS edges_by_src');
}
