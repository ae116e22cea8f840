/**
 * Staged sources: a build worker writes an evaluated source into a small SQLite file of its
 * own, already in the embedded store's row form (rows.ts), and the thread that owns the store
 * copies it in with INSERT … SELECT.
 *
 * Why: handing a built source back by structured clone cost more than writing it. At the M
 * bench tier, serializing in the worker and deserializing on the writing thread took ~8 s of
 * CPU per 200k edges (~80 s for the tier, on a 2-core machine where both threads were
 * already busy), and the writing thread then turned every edge back into JSON text and bound
 * it column by column. A staged file costs the worker one unindexed insert per row and the
 * writer no JavaScript per row at all. Staging files are scratch: no journal, no fsync; the
 * store's own transaction is what makes the load atomic.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { actionListKey } from '../action-set-cache.js';
import type { GraphEdge, GraphNode } from '../model.js';
import type { StagedRows } from '../store.js';
import { edgeColumns, NODE_COLUMNS, nodeColumns } from './rows.js';

type Db = Database.Database;

const STAGING_SQL = `
CREATE TABLE nodes (id TEXT, cloud TEXT, kind TEXT, name TEXT, name_lc TEXT, id_lc TEXT, type TEXT, props TEXT);
CREATE TABLE edges (id TEXT, kind TEXT, src TEXT, dst TEXT, via TEXT, props TEXT, actions_key TEXT,
  levels TEXT, traversable INTEGER, guarded INTEGER);  -- rows.ts EDGE_COLUMNS, with the set's key
CREATE TABLE action_sets (key TEXT PRIMARY KEY, actions TEXT NOT NULL);
`;

/** Write one built source's rows to a new staging file (which must not exist yet). */
export function stageSource(
  file: string,
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
): StagedRows {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(STAGING_SQL);
    const node = db.prepare('INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const edge = db.prepare('INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const set = db.prepare('INSERT INTO action_sets VALUES (?, ?) ON CONFLICT(key) DO NOTHING');
    // ingest shares one array among the edges of a policy set: key each array once
    const keys = new WeakMap<readonly unknown[], string>();
    const keyOf = (actions: readonly unknown[]) => {
      let key = keys.get(actions);
      if (key === undefined) {
        const json = JSON.stringify(actions);
        key = actionListKey(json);
        set.run(key, json);
        keys.set(actions, key);
      }
      return key;
    };
    db.transaction(() => {
      for (const n of nodes) node.run(...nodeColumns(n));
      for (const e of edges) edge.run(...edgeColumns(e, keyOf));
    })();
  } finally {
    db.close();
  }
  return { file, nodes: nodes.length, edges: edges.length };
}

/** Rows copied per statement: between chunks the loader reports progress and yields. */
export const STAGED_CHUNK = 25_000;

/**
 * Copy a staged source into the store through `db`, inside the caller's write transaction
 * (the file must be attached as `staged` first: ATTACH cannot run inside a transaction).
 * `between` runs after each chunk with the rows copied so far.
 */
export async function copyStaged(
  db: Db,
  sourceId: string,
  rows: StagedRows,
  between: (copied: { nodes: number; edges: number }) => Promise<void>,
): Promise<void> {
  db.prepare(
    'INSERT INTO action_sets(key, actions) SELECT key, actions FROM staged.action_sets WHERE true ON CONFLICT(key) DO NOTHING',
  ).run();
  // a sha-256 collision would silently merge two lists: refuse instead (as ActionSetWriter)
  const clash = db
    .prepare<[], { key: string }>(
      'SELECT s.key FROM staged.action_sets s JOIN action_sets m ON m.key = s.key WHERE m.actions != s.actions LIMIT 1',
    )
    .get();
  if (clash) throw new Error(`action set hash collision on ${clash.key}`);
  const nodes = db.prepare<[string, number, number]>(
    `INSERT OR REPLACE INTO nodes(source, ${NODE_COLUMNS}) SELECT ?, ${NODE_COLUMNS} FROM staged.nodes
     WHERE rowid > ? AND rowid <= ? ORDER BY rowid`,
  );
  const edges = db.prepare<[string, number, number]>(
    `INSERT OR REPLACE INTO edges(id, kind, src, dst, source, via, props, actions_set, levels, traversable, guarded)
     SELECT e.id, e.kind, e.src, e.dst, ?, e.via, e.props, a.id, e.levels, e.traversable, e.guarded
     FROM staged.edges e LEFT JOIN action_sets a ON a.key = e.actions_key
     WHERE e.rowid > ? AND e.rowid <= ? ORDER BY e.rowid`,
  );
  // staged rowids run 1..n in the order the rows were built
  for (let at = 0; at < rows.nodes; at += STAGED_CHUNK) {
    nodes.run(sourceId, at, at + STAGED_CHUNK);
    await between({ nodes: Math.min(rows.nodes, at + STAGED_CHUNK), edges: 0 });
  }
  for (let at = 0; at < rows.edges; at += STAGED_CHUNK) {
    edges.run(sourceId, at, at + STAGED_CHUNK);
    await between({ nodes: rows.nodes, edges: Math.min(rows.edges, at + STAGED_CHUNK) });
  }
}

/**
 * A directory for one ingest's staged files under the data directory (same disk as the
 * store, not a possibly small tmpfs), named for this process so a later run can tell the
 * leftovers of a killed one (`removeAbandonedStaging`).
 */
export function newStagingDir(dataDir: string): string {
  const dir = join(dataDir, 'staging', `${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Removes staging directories whose process is gone (a killed ingest leaves its files). */
export function removeAbandonedStaging(dataDir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(join(dataDir, 'staging'));
  } catch {
    return;
  }
  for (const name of entries) {
    const pid = Number(name.split('-')[0]);
    if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && alive(pid))) continue;
    rmSync(join(dataDir, 'staging', name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
