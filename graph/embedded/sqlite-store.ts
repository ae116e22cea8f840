/**
 * The embedded store: one SQLite file under the data directory (better-sqlite3, WAL mode).
 *
 * Why SQLite: its transactions give the atomic per-source replace for free — a process
 * killed mid-load leaves the previous committed state, and WAL lets readers keep seeing
 * the old version while a load is running (a separate connection writes). Traversal runs
 * on indexed lookups (edges by dst/kind and src/kind), so reopening costs nothing: there
 * is no in-memory image to rebuild. Two bounded caches fill as queries run: recently
 * stepped adjacency (step-cache.ts, dropped on any commit) and parsed action sets
 * (action-sets.ts, immutable per id).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { turnOfTheEventLoop } from '../../lib/event-loop.js';
import { SerialQueue } from '../../lib/serial-queue.js';
import type { AccessException } from '../access-exceptions.js';
import {
  EDGE_KINDS,
  type EdgeKind,
  type GraphEdge,
  type GraphNode,
  isEdgeKind,
  type JsonObject,
} from '../model.js';
import { type EdgeFilter, passesFilter } from '../reach-automaton.js';
import { type ReachGraph, type StepEdge, StepTimeout, walkReach } from '../reach-walk.js';
import {
  type EdgeScan,
  type GraphStore,
  type NeighborhoodOptions,
  type NodeScan,
  placeholderNode,
  type ReachQuery,
  type ReachResult,
  type ReplaceOptions,
  type SearchHit,
  type SearchOptions,
  type ShortestPathQuery,
  type SourceDescriptor,
  type SourceInfo,
  type SourceWriter,
  type StagedLoading,
  StoreError,
  type StoreStats,
  type Subgraph,
  validateReachQuery,
  validateScan,
  validateShortestPathQuery,
} from '../store.js';
import { ActionSetCache, ActionSetWriter, pruneActionSets } from './action-sets.js';
import { migrate } from './migrate.js';
import { EDGE_COLUMNS, edgeColumns, NODE_COLUMNS, nodeColumns } from './rows.js';
import { bfsShortestPath } from './shortest-path.js';
import { copyStaged, newStagingDir, removeAbandonedStaging } from './staging.js';
import { StepCache } from './step-cache.js';

type Db = Database.Database;

interface NodeRow {
  id: string;
  source: string;
  cloud: string;
  kind: string;
  name: string;
  type: string | null;
  props: string;
}
interface EdgeRow {
  id: string;
  kind: string;
  src: string;
  dst: string;
  source: string;
  via: string | null;
  props: string;
  actions_set: number | null;
}
interface SourceRow {
  id: string;
  cloud: string;
  loaded_at: string;
  node_count: number;
  edge_count: number;
  meta: string | null;
}

export interface EmbeddedStoreOptions {
  /** the data directory; the database file is `graph.sqlite` inside it */
  dataDir: string;
}

export const EMBEDDED_DB_FILE = 'graph.sqlite';

function rowToNode(r: NodeRow): GraphNode {
  const n: GraphNode = {
    id: r.id,
    cloud: r.cloud as GraphNode['cloud'],
    kind: r.kind as GraphNode['kind'],
    name: r.name,
    source: r.source,
    props: JSON.parse(r.props) as JsonObject,
  };
  if (r.type !== null) n.type = r.type;
  return n;
}

function rowToEdge(r: EdgeRow, sets: ActionSetCache): GraphEdge {
  const props = JSON.parse(r.props) as JsonObject;
  // assigning over the placeholder keeps the key where it was written
  if (r.actions_set !== null) props.actions = sets.list(r.actions_set) as string[];
  return {
    id: r.id,
    kind: r.kind,
    from: r.src,
    to: r.dst,
    source: r.source,
    via: r.via === null ? null : JSON.parse(r.via),
    props,
  } as GraphEdge;
}

function rowToSource(r: SourceRow): SourceInfo {
  const s: SourceInfo = {
    id: r.id,
    cloud: r.cloud as SourceInfo['cloud'],
    loadedAt: r.loaded_at,
    nodeCount: r.node_count,
    edgeCount: r.edge_count,
  };
  if (r.meta !== null) s.meta = JSON.parse(r.meta) as JsonObject;
  return s;
}

const PAGE_SIZE = 16384;

function connect(file: string, readonly: boolean): Db {
  const db = new Database(file, { readonly: false, fileMustExist: readonly });
  // A new database only (an existing one keeps its page size): edge rows run to a kilobyte
  // or two and six indexes are keyed by long ids, so 4 KB pages split often; with 16 KB pages
  // writing an M-tier account took ~37% less CPU (docs/BENCHMARKS.md).
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  // FULL: a commit survives power loss, not only a killed process.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  db.pragma('cache_size = -65536');
  return db;
}

/** Prepared statements of one connection. */
function statements(db: Db) {
  return {
    node: db.prepare<[string], NodeRow>(
      'SELECT id, source, cloud, kind, name, type, props FROM nodes WHERE id = ?',
    ),
    referenced: db.prepare<[string, string], { x: number }>(
      'SELECT 1 AS x WHERE EXISTS (SELECT 1 FROM edges WHERE dst = ?) OR EXISTS (SELECT 1 FROM edges WHERE src = ?)',
    ),
    nodeKind: db.prepare<[string], { kind: string }>('SELECT kind FROM nodes WHERE id = ?'),
    // json_extract reads the one field in SQLite: no props parsed in JS for nodes without denies
    nodeDenies: db.prepare<[string], { id: string; denies: string }>(
      `SELECT id, denies FROM (SELECT id, json_extract(props, '$.denies') AS denies FROM nodes
       WHERE id IN (SELECT value FROM json_each(?))) WHERE denies IS NOT NULL`,
    ),
    edge: db.prepare<[string], EdgeRow>(
      'SELECT id, kind, src, dst, source, via, props, actions_set FROM edges WHERE id = ?',
    ),
    edgesIn: db.prepare<[string, string, number], EdgeRow>(
      `SELECT id, kind, src, dst, source, via, props, actions_set FROM edges
       WHERE dst = ? AND kind IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?`,
    ),
    scanEdges: db.prepare<[string, string, string | null, string | null, number], EdgeRow>(
      `SELECT id, kind, src, dst, source, via, props, actions_set FROM edges
       WHERE kind = ? AND id > ? AND (? IS NULL OR json_extract(props, ?) = 1) ORDER BY id LIMIT ?`,
    ),
    scanNodes: db.prepare<[string, string, number], NodeRow>(
      `SELECT id, source, cloud, kind, name, type, props FROM nodes
       WHERE kind IN (SELECT value FROM json_each(?)) AND id > ? ORDER BY id LIMIT ?`,
    ),
    edgesOut: db.prepare<[string, string, number], EdgeRow>(
      `SELECT id, kind, src, dst, source, via, props, actions_set FROM edges
       WHERE src = ? AND kind IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?`,
    ),
    induced: db.prepare<[string, string, string], EdgeRow>(
      `SELECT id, kind, src, dst, source, via, props, actions_set FROM edges
       WHERE src IN (SELECT value FROM json_each(?)) AND dst IN (SELECT value FROM json_each(?))
         AND kind IN (SELECT value FROM json_each(?)) ORDER BY id`,
    ),
    // Rank: 0 exact id, 1 exact name, 2 name prefix, 3 id prefix, 4 name substring, 5 id substring.
    search: db.prepare<[{ t: string; kinds: string; limit: number }], NodeRow & { rank: number }>(
      `SELECT id, source, cloud, kind, name, type, props,
         CASE WHEN id_lc = @t THEN 0
              WHEN name_lc = @t THEN 1
              WHEN substr(name_lc, 1, length(@t)) = @t THEN 2
              WHEN substr(id_lc, 1, length(@t)) = @t THEN 3
              WHEN instr(name_lc, @t) > 0 THEN 4
              ELSE 5 END AS rank
       FROM nodes
       WHERE (instr(name_lc, @t) > 0 OR instr(id_lc, @t) > 0)
         AND (@kinds = '[]' OR kind IN (SELECT value FROM json_each(@kinds)))
       ORDER BY rank, id LIMIT @limit`,
    ),
    source: db.prepare<[string], SourceRow>('SELECT * FROM sources WHERE id = ?'),
    sources: db.prepare<[], SourceRow>('SELECT * FROM sources ORDER BY id'),
    counts: db.prepare<[], StoreStats>(
      'SELECT (SELECT count(*) FROM nodes) AS nodes, (SELECT count(*) FROM edges) AS edges, (SELECT count(*) FROM sources) AS sources',
    ),
  };
}

/** A stepped edge as SQLite returns it: id, kind, other node, actions_set, levels, guarded. */
type StepTuple = [string, string, string, number | null, string | null, number];

/**
 * Who steps: `reach` walks (graph/reach-walk.ts) follow traversable edges and need only one
 * of several parallel edges of a kind between two nodes, the first in id order (the one the
 * walk would take); `paths` follow traversable edges but must see each (k shortest paths
 * exclude single edges); `all` is the neighborhood, traversable or not.
 */
type StepUse = 'reach' | 'paths' | 'all';

/** A stepped edge as the step cache keeps it: what `passes` needs rides along. */
interface CachedStep extends StepEdge {
  actionsSet: number | null;
  levels: string | null;
  /** `levels` parsed, the first time a filter asks */
  levelList?: readonly string[] | null;
}

const toStep = ([id, kind, other, actionsSet, levels, guarded]: StepTuple): CachedStep => ({
  id,
  kind: kind as EdgeKind,
  other,
  guarded: guarded === 1,
  actionsSet,
  levels,
});

export class EmbeddedStore implements GraphStore {
  readonly kind = 'embedded' as const;
  private readonly read: ReturnType<typeof statements>;
  private readonly writeMutex = new SerialQueue();
  private readonly stepStatements = new Map<string, Database.Statement<[string], StepTuple>>();
  private readonly actionSets: ActionSetCache;
  private readonly stepCache: StepCache<CachedStep>;
  // reach answers end at the same principals and share the principal side's edges from one
  // query to the next: at the M tier loading them was most of a warm who-can
  private readonly edgeCache: StepCache<GraphEdge>;
  private readonly nodeCache: StepCache<GraphNode>;
  // walks ask the kind of every node they reach: at the M tier, reading them (node rows hold
  // their props) was ~5 ms of a warm who-can's ~10 ms median
  private readonly kindCache: StepCache<GraphNode['kind']>;
  private readonly toEdge = (r: EdgeRow) => rowToEdge(r, this.actionSets);
  private closed = false;

  private constructor(
    private readonly reader: Db,
    private readonly writer: Db,
    private readonly dataDir: string,
  ) {
    this.read = statements(reader);
    this.actionSets = new ActionSetCache(reader);
    this.stepCache = new StepCache(reader);
    this.edgeCache = new StepCache(reader, 200_000);
    this.nodeCache = new StepCache(reader, 100_000);
    this.kindCache = new StepCache(reader, 1_000_000);
  }

  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
    mkdirSync(options.dataDir, { recursive: true });
    const file = join(options.dataDir, EMBEDDED_DB_FILE);
    let writer: Db;
    try {
      writer = connect(file, false);
      migrate(writer);
    } catch (err) {
      throw new StoreError(
        `cannot open the embedded store at ${file}: ${(err as Error).message}. ` +
          'Check the data directory is writable, or pass another with --data-dir.',
        'UNAVAILABLE',
      );
    }
    const reader = connect(file, true);
    removeAbandonedStaging(options.dataDir);
    return new EmbeddedStore(reader, writer, options.dataDir);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('the store is closed', 'UNAVAILABLE');
  }

  replaceSource(
    source: SourceDescriptor,
    fill: (writer: SourceWriter) => Promise<void>,
    options: ReplaceOptions = {},
  ): Promise<SourceInfo> {
    return this.replaceWith(source, async (w) => {
      let nodes = 0;
      let edges = 0;
      await fill({
        addNodes: async (batch) => {
          insertNodes(w, source.id, batch);
          nodes += batch.length;
          options.onProgress?.({ nodes, edges });
        },
        addEdges: async (batch) => {
          insertEdges(w, source.id, batch);
          edges += batch.length;
          options.onProgress?.({ nodes, edges });
        },
      });
    });
  }

  readonly staging: StagedLoading = {
    newStagingDir: () => newStagingDir(this.dataDir),
    loadStaged: (source, rows, options = {}) =>
      this.replaceWith(
        source,
        () =>
          copyStaged(this.writer, source.id, rows, async (copied) => {
            options.onProgress?.(copied);
            await turnOfTheEventLoop();
          }),
        rows.file,
      ),
  };

  /**
   * The atomic replace both loads share: the source's old rows deleted and `write` run in one
   * write transaction, action sets pruned, the source row written. `attach`: a staged file,
   * attached as `staged` for the transaction (ATTACH cannot run inside one).
   */
  private replaceWith(
    source: SourceDescriptor,
    write: (w: ReturnType<typeof writeStatements>) => Promise<void>,
    attach?: string,
  ): Promise<SourceInfo> {
    this.assertOpen();
    return this.writeMutex.run(async () => {
      const db = this.writer;
      const w = writeStatements(db);
      if (attach) db.prepare('ATTACH DATABASE ? AS staged').run(attach);
      try {
        // BEGIN IMMEDIATE takes the write lock now, so a concurrent writer in another
        // process waits (busy_timeout) instead of failing halfway through our load.
        db.exec('BEGIN IMMEDIATE');
        let committed = false;
        try {
          w.deleteEdgesOf.run(source.id);
          w.deleteNodesOf.run(source.id);
          await write(w);
          pruneActionSets(db);
          const info = upsertSourceRow(w, source);
          db.exec('COMMIT');
          committed = true;
          return info;
        } finally {
          if (!committed && db.inTransaction) db.exec('ROLLBACK');
        }
      } finally {
        if (attach) db.exec('DETACH DATABASE staged');
      }
    });
  }

  upsertNodes(sourceId: string, nodes: readonly GraphNode[]): Promise<void> {
    return this.upsertInto(sourceId, (w) => insertNodes(w, sourceId, nodes));
  }

  upsertEdges(sourceId: string, edges: readonly GraphEdge[]): Promise<void> {
    return this.upsertInto(sourceId, (w) => insertEdges(w, sourceId, edges));
  }

  private upsertInto(
    sourceId: string,
    write: (w: ReturnType<typeof writeStatements>) => void,
  ): Promise<void> {
    this.assertOpen();
    return this.writeMutex.run(async () => {
      const w = writeStatements(this.writer);
      this.writer.transaction(() => {
        const existing = w.source.get(sourceId);
        if (!existing) {
          throw new StoreError(
            `source ${sourceId} was never loaded; load it with replaceSource first`,
            'NOT_FOUND',
          );
        }
        write(w);
        // an upserted edge may have left its old action set unreferenced
        pruneActionSets(this.writer);
        upsertSourceRow(w, rowToSource(existing), existing.loaded_at);
      })();
    });
  }

  deleteSource(sourceId: string): Promise<boolean> {
    this.assertOpen();
    return this.writeMutex.run(async () => {
      const w = writeStatements(this.writer);
      return this.writer.transaction(() => {
        w.deleteEdgesOf.run(sourceId);
        w.deleteNodesOf.run(sourceId);
        pruneActionSets(this.writer);
        return w.deleteSource.run(sourceId).changes > 0;
      })();
    });
  }

  async listSources(): Promise<SourceInfo[]> {
    this.assertOpen();
    return this.read.sources.all().map(rowToSource);
  }

  async getNode(id: string): Promise<GraphNode | null> {
    this.assertOpen();
    return this.nodeOrPlaceholder(id);
  }

  private nodeOrPlaceholder(id: string): GraphNode | null {
    const row = this.read.node.get(id);
    if (row) return rowToNode(row);
    return this.read.referenced.get(id, id) ? placeholderNode(id) : null;
  }

  async getNodes(ids: readonly string[]): Promise<GraphNode[]> {
    this.assertOpen();
    const out: GraphNode[] = [];
    for (const id of ids) {
      const n = this.nodeOrPlaceholder(id);
      if (n) out.push(n);
    }
    return out;
  }

  async getEdges(
    nodeId: string,
    options: { kinds?: readonly EdgeKind[]; direction?: 'out' | 'in' | 'both'; limit?: number } = {},
  ): Promise<GraphEdge[]> {
    this.assertOpen();
    const kinds = JSON.stringify(options.kinds ?? allEdgeKinds());
    const limit = options.limit ?? 1000;
    const dir = options.direction ?? 'both';
    const rows: EdgeRow[] = [];
    if (dir !== 'in') rows.push(...this.read.edgesOut.all(nodeId, kinds, limit));
    if (dir !== 'out') rows.push(...this.read.edgesIn.all(nodeId, kinds, limit));
    const unique = new Map(rows.map((r) => [r.id, r]));
    return [...unique.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit)
      .map(this.toEdge);
  }

  async scanEdges(q: EdgeScan): Promise<GraphEdge[]> {
    this.assertOpen();
    validateScan(q);
    // the flag's JSON path is built from a fixed list (model.ts EDGE_FLAGS) and still bound
    const flagPath = q.flag === undefined ? null : `$.${q.flag}`;
    return this.read.scanEdges.all(q.kind, q.after ?? '', flagPath, flagPath, q.limit).map(this.toEdge);
  }

  async scanNodes(q: NodeScan): Promise<GraphNode[]> {
    this.assertOpen();
    validateScan(q);
    return this.read.scanNodes.all(JSON.stringify(q.kinds), q.after ?? '', q.limit).map(rowToNode);
  }

  async search(text: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    this.assertOpen();
    const t = text.trim().toLowerCase();
    if (!t) return [];
    const kinds = JSON.stringify(options.kinds ?? []);
    const rows = this.read.search.all({ t, kinds, limit: options.limit ?? 20 });
    return rows.map((r) => ({ node: rowToNode(r), rank: r.rank }));
  }

  async neighborhood(id: string, options: NeighborhoodOptions = {}): Promise<Subgraph> {
    this.assertOpen();
    const depth = options.depth ?? 1;
    const limit = options.limit ?? 200;
    const kinds = options.edgeKinds ?? allEdgeKinds();
    const dir = options.direction ?? 'both';
    const kindsJson = JSON.stringify(kinds);
    if (!this.nodeOrPlaceholder(id)) return { nodes: [], edges: [], truncated: false };
    this.stepCache.validate();

    const dist = new Map<string, number>([[id, 0]]);
    let frontier = [id];
    for (let d = 1; d <= depth && frontier.length > 0; d++) {
      const next = new Set<string>();
      for (const n of frontier) {
        // a neighborhood shows every edge, travelled by paths or not
        if (dir !== 'in')
          for (const r of this.step('out', n, kinds, 'all')) if (!dist.has(r.other)) next.add(r.other);
        if (dir !== 'out')
          for (const r of this.step('in', n, kinds, 'all')) if (!dist.has(r.other)) next.add(r.other);
      }
      frontier = [...next];
      for (const n of frontier) dist.set(n, d);
    }
    const ordered = [...dist.entries()].sort(
      (a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
    );
    const kept = ordered.slice(0, limit).map(([n]) => n);
    const nodes = await this.getNodes(kept);
    const keptJson = JSON.stringify(kept);
    const edges = this.read.induced.all(keptJson, keptJson, kindsJson).map(this.toEdge);
    return { nodes, edges, truncated: ordered.length > limit };
  }

  async reach(query: ReachQuery): Promise<ReachResult> {
    this.assertOpen();
    validateReachQuery(query);
    this.stepCache.validate();
    this.edgeCache.validate();
    this.nodeCache.validate();
    this.kindCache.validate();
    const graph: ReachGraph = {
      step: async (nodes, direction, kinds, _filter, timeoutMs) => {
        const deadline = Date.now() + timeoutMs;
        const out = new Map<string, readonly StepEdge[]>();
        for (let i = 0; i < nodes.length; i++) {
          if (i % 128 === 127 && Date.now() > deadline) throw new StepTimeout();
          const node = nodes[i]!;
          const edges = this.step(direction, node, kinds, 'reach');
          if (edges.length > 0) out.set(node, edges);
        }
        return out;
      },
      passes: (e, filter) => e.kind !== 'HAS_ACCESS' || this.passes(filter, e as CachedStep),
      kindsOf: async (ids) =>
        new Map(
          ids.map((id) => [
            id,
            this.kindCache.get(id, () => [
              (this.read.nodeKind.get(id)?.kind ?? 'External') as GraphNode['kind'],
            ])[0]!,
          ]),
        ),
      nodes: async (ids) =>
        ids.map(
          (id) => this.nodeCache.get(id, () => [this.nodeOrPlaceholder(id) ?? placeholderNode(id)])[0]!,
        ),
      nodeDenies: async (ids) => {
        const m = new Map<string, AccessException[]>();
        for (const r of this.read.nodeDenies.all(JSON.stringify(ids))) {
          const d = JSON.parse(r.denies) as unknown;
          if (Array.isArray(d) && d.length > 0) m.set(r.id, d as AccessException[]);
        }
        return m;
      },
      edges: async (ids) =>
        ids.flatMap((edgeId) =>
          this.edgeCache.get(edgeId, () => {
            const r = this.read.edge.get(edgeId);
            return r ? [this.toEdge(r)] : [];
          }),
        ),
    };
    return walkReach(graph, query);
  }

  /**
   * passesFilter for a stepped row: the actions half is a lookup in the edge's interned set
   * (remembered per walk and set), the levels half parses the short levels list.
   */
  private passes(filter: EdgeFilter, e: CachedStep): boolean {
    if (filter.actionsAny) {
      if (e.actionsSet === null) return false;
      if (!this.actionSets.anyOf(filter.actionsAny, e.actionsSet)) return false;
    }
    if (!filter.levelsAny) return true;
    if (e.levelList === undefined)
      e.levelList = e.levels === null ? null : (JSON.parse(e.levels) as string[]);
    return passesFilter({ levelsAny: filter.levelsAny }, undefined, e.levelList ?? undefined);
  }

  async shortestPath(q: ShortestPathQuery): Promise<GraphEdge[] | null> {
    this.assertOpen();
    validateShortestPathQuery(q);
    this.stepCache.validate();
    const found = bfsShortestPath(q, (node, kinds, direction) => this.step(direction, node, kinds, 'paths'));
    return found === null ? null : found.map((id) => this.toEdge(this.read.edge.get(id)!));
  }

  /**
   * Edges of some kinds into (`in`) or out of (`out`) a node: the traversal hot path. One
   * prepared statement per (direction, kind set); the IN list is spelled out because
   * SQLite plans a literal list far better than json_each. Kinds are checked against the
   * model's enum before they become SQL text, so no caller string ever does.
   */
  private step(
    direction: 'in' | 'out',
    node: string,
    kinds: readonly EdgeKind[],
    use: StepUse,
  ): readonly CachedStep[] {
    const sorted = [...new Set(kinds)].sort();
    // parallel edges only matter where each is judged on its own (a grant's actions)
    const distinct = use === 'reach' && !sorted.includes('HAS_ACCESS');
    const key = `${direction}:${use === 'all'}:${distinct}:${sorted.join(',')}`;
    let stmt = this.stepStatements.get(key);
    if (!stmt) {
      for (const k of sorted)
        if (!isEdgeKind(k)) throw new StoreError(`unknown edge kind ${JSON.stringify(k)}`, 'BAD_INPUT');
      const [anchor, other] = direction === 'in' ? ['dst', 'src'] : ['src', 'dst'];
      const where = `${anchor} = ? AND kind IN (${sorted.map((k) => `'${k}'`).join(', ')})${use === 'all' ? '' : ' AND traversable = 1'}`;
      // distinct: one edge per (kind, other node), the least id, whose bare columns SQLite
      // takes from that same row (min() with bare columns)
      stmt = this.reader
        .prepare<[string], StepTuple>(
          distinct
            ? `SELECT min(id), kind, ${other}, actions_set, levels, guarded FROM edges WHERE ${where}
               GROUP BY kind, ${other} ORDER BY 1`
            : `SELECT id, kind, ${other}, actions_set, levels, guarded FROM edges WHERE ${where} ORDER BY id`,
        )
        .raw();
      this.stepStatements.set(key, stmt);
    }
    const query = stmt;
    // queries call stepCache.validate() first, so cached rows are never older than the data
    return this.stepCache.get(`${key}\u0000${node}`, () => query.all(node).map(toStep));
  }

  async stats(): Promise<StoreStats> {
    this.assertOpen();
    return this.read.counts.get()!;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.writeMutex.run(async () => undefined);
    this.closed = true;
    this.reader.close();
    this.writer.close();
  }
}

function allEdgeKinds(): EdgeKind[] {
  return [...EDGE_KINDS];
}

function writeStatements(db: Db) {
  return {
    actionSets: new ActionSetWriter(db),
    deleteEdgesOf: db.prepare('DELETE FROM edges WHERE source = ?'),
    deleteNodesOf: db.prepare('DELETE FROM nodes WHERE source = ?'),
    deleteSource: db.prepare('DELETE FROM sources WHERE id = ?'),
    source: db.prepare<[string], SourceRow>('SELECT * FROM sources WHERE id = ?'),
    // REPLACE: ids are global and the last writer wins, whole row and all (an update in place
    // would do the same at a higher cost per row); positional parameters bind cheaper than named
    upsertNode: db.prepare(
      `INSERT OR REPLACE INTO nodes(${NODE_COLUMNS}, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertEdge: db.prepare(
      `INSERT OR REPLACE INTO edges(${EDGE_COLUMNS}, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    countNodes: db.prepare<[string], { c: number }>('SELECT count(*) AS c FROM nodes WHERE source = ?'),
    countEdges: db.prepare<[string], { c: number }>('SELECT count(*) AS c FROM edges WHERE source = ?'),
    upsertSource: db.prepare(
      `INSERT INTO sources(id, cloud, loaded_at, node_count, edge_count, meta)
       VALUES (@id, @cloud, @loaded_at, @node_count, @edge_count, @meta)
       ON CONFLICT(id) DO UPDATE SET cloud = excluded.cloud, loaded_at = excluded.loaded_at,
         node_count = excluded.node_count, edge_count = excluded.edge_count, meta = excluded.meta`,
    ),
  };
}

function insertNodes(
  w: ReturnType<typeof writeStatements>,
  sourceId: string,
  nodes: readonly GraphNode[],
): void {
  for (const n of nodes) w.upsertNode.run(...nodeColumns(n), sourceId);
}

function insertEdges(
  w: ReturnType<typeof writeStatements>,
  sourceId: string,
  edges: readonly GraphEdge[],
): void {
  const intern = (actions: readonly unknown[]) => w.actionSets.intern(actions);
  for (const e of edges) w.upsertEdge.run(...edgeColumns(e, intern), sourceId);
}

function upsertSourceRow(
  w: ReturnType<typeof writeStatements>,
  source: SourceDescriptor,
  loadedAt = new Date().toISOString(),
): SourceInfo {
  const info: SourceInfo = {
    id: source.id,
    cloud: source.cloud,
    loadedAt,
    nodeCount: w.countNodes.get(source.id)!.c,
    edgeCount: w.countEdges.get(source.id)!.c,
  };
  if (source.meta) info.meta = source.meta;
  w.upsertSource.run({
    id: info.id,
    cloud: info.cloud,
    loaded_at: info.loadedAt,
    node_count: info.nodeCount,
    edge_count: info.edgeCount,
    meta: source.meta ? JSON.stringify(source.meta) : null,
  });
  return info;
}
