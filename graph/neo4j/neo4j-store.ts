/**
 * The Neo4j store: the production store and the scale-out path (a Neo4j server, cluster or
 * Aura). Every statement it runs is a file under `cypher/` (see cypher-files.ts).
 *
 * Model in the database:
 * - `(:Node:<Kind> {id, cloud, kind, name, source, type, propsJson, idLower, nameLower})` for a
 *   defined node; `propsJson` holds `props` as JSON so it round-trips exactly.
 * - `(:Node:Placeholder {id})` for an id that edges reference but no source defines.
 * - `(a)-[:<EDGE_KIND> {id, source, viaJson, propsJson, levels, conditional, actionSet}]->(b)`;
 *   `levels` and `conditional` are native copies for filtering. A HAS_ACCESS edge's actions
 *   list is interned (action-sets.ts): `actionSet` names an `(:ActionSet {hash, json, actions})`
 *   and `propsJson` holds 0 in the list's place; readers put the list back.
 * - `(:AccessgraphSchema {version})`: the data layout version (DATA_LAYOUT; migrate()).
 * - `(:Source {id, cloud, loadedAt, nodeCount, edgeCount, metaJson})` per loaded source.
 *
 * replaceSource runs in ONE explicit write transaction: Neo4j readers only ever see committed
 * data, so they keep the old version until commit, and a failed fill rolls everything back.
 */
import { randomUUID } from 'node:crypto';
import neo4j, {
  type Driver,
  type ManagedTransaction,
  type Record as Neo4jRecord,
  type Session,
  type Transaction,
} from 'neo4j-driver';
import { SerialQueue } from '../../lib/serial-queue.js';
import { type AccessException, isGuarded, nodeDeniesOf } from '../access-exceptions.js';
import {
  EDGE_KINDS,
  type EdgeKind,
  edgeFlags,
  type GraphEdge,
  type GraphNode,
  isEdgeKind,
  isNodeKind,
  isTraversable,
  type JsonObject,
} from '../model.js';
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
  StoreError,
  type StoreStats,
  type Subgraph,
  validateReachQuery,
  validateScan,
  validateShortestPathQuery,
} from '../store.js';
import { ActionSetInterner, ActionSetReader, type RunStatement } from './action-sets.js';
import { cypherFilesIn, statement, withIntBound } from './cypher-files.js';
import { runReadOnlyCypher } from './read-only-cypher.js';

export interface Neo4jStoreOptions {
  uri: string;
  user: string;
  password: string;
  /** defaults to the server's default database */
  database?: string;
  /** rows per UNWIND batch when writing (default 2000) */
  batchSize?: number;
}

/** Rows per UNWIND statement. */
export const DEFAULT_BATCH_SIZE = 2000;

/**
 * The data layout this code reads and writes, recorded in the database by migrate():
 * 1 (never recorded): action lists inline on every edge; 2: HAS_ACCESS action lists interned.
 */
export const DATA_LAYOUT = 2;

/** HAS_ACCESS edges per migration transaction (an inline admin-like list is ~0.5 MB of props). */
const MIGRATE_PAGE = 100;

interface NodeMap {
  id: string;
  cloud: string | null;
  kind: string | null;
  name: string | null;
  source: string | null;
  type: string | null;
  propsJson: string | null;
}
interface EdgeMap {
  id: string;
  kind: string;
  from: string;
  to: string;
  source: string;
  viaJson: string | null;
  propsJson: string | null;
  /** hash of the interned actions list (HAS_ACCESS edges), null or absent otherwise */
  actionSet?: string | null;
}
interface SourceMap {
  id: string;
  cloud: string;
  loadedAt: string;
  nodeCount: number;
  edgeCount: number;
  metaJson: string | null;
}

function toNode(m: NodeMap): GraphNode {
  if (m.source === null || m.source === undefined) return placeholderNode(m.id);
  const n: GraphNode = {
    id: m.id,
    cloud: m.cloud as GraphNode['cloud'],
    kind: m.kind as GraphNode['kind'],
    name: m.name ?? '',
    source: m.source,
    props: m.propsJson ? (JSON.parse(m.propsJson) as JsonObject) : {},
  };
  if (m.type !== null && m.type !== undefined) n.type = m.type;
  return n;
}

/** Rows of query/get-nodes.cypher by node id. */
function nodesById(rows: readonly Neo4jRecord[]): Map<string, GraphNode> {
  return new Map(rows.map((r) => [r.get('id') as string, toNode(r.get('node') as NodeMap)]));
}

const isRecord = (r: EdgeMap | Neo4jRecord): r is Neo4jRecord => typeof (r as Neo4jRecord).get === 'function';

/** An edge read back; `actions` gives the list of its interned action set, if it has one. */
function toEdge(m: EdgeMap, actions: (hash: string) => readonly unknown[]): GraphEdge {
  const props = (m.propsJson ? JSON.parse(m.propsJson) : {}) as JsonObject;
  // assigning over the placeholder keeps the key where it was written
  if (typeof m.actionSet === 'string') props.actions = actions(m.actionSet) as string[];
  return {
    id: m.id,
    kind: m.kind,
    from: m.from,
    to: m.to,
    source: m.source,
    via: m.viaJson ? JSON.parse(m.viaJson) : null,
    props,
  } as GraphEdge;
}

function toSource(m: SourceMap): SourceInfo {
  const s: SourceInfo = {
    id: m.id,
    cloud: m.cloud as SourceInfo['cloud'],
    loadedAt: m.loadedAt,
    nodeCount: Number(m.nodeCount),
    edgeCount: Number(m.edgeCount),
  };
  if (m.metaJson !== null && m.metaJson !== undefined) s.meta = JSON.parse(m.metaJson) as JsonObject;
  return s;
}

type NodeRow = ReturnType<typeof nodeRow>;
type EdgeRow = ReturnType<typeof edgeRow>;

function nodeRow(sourceId: string, n: GraphNode) {
  if (typeof n?.id !== 'string' || n.id.length === 0) {
    throw new StoreError('a node needs a non-empty string id', 'BAD_INPUT');
  }
  if (!isNodeKind(n.kind)) throw new StoreError(`node ${n.id}: unknown kind ${String(n.kind)}`, 'BAD_INPUT');
  if (typeof n.name !== 'string') throw new StoreError(`node ${n.id}: name must be a string`, 'BAD_INPUT');
  return {
    id: n.id,
    cloud: n.cloud,
    kind: n.kind,
    name: n.name,
    source: sourceId,
    type: n.type ?? null,
    propsJson: JSON.stringify(n.props ?? {}),
    idLower: n.id.toLowerCase(),
    nameLower: n.name.toLowerCase(),
  };
}

function edgeRow(sourceId: string, e: GraphEdge, sets: ActionSetInterner) {
  if (typeof e?.id !== 'string' || e.id.length === 0) {
    throw new StoreError('an edge needs a non-empty string id', 'BAD_INPUT');
  }
  if (!isEdgeKind(e.kind)) throw new StoreError(`edge ${e.id}: unknown kind ${String(e.kind)}`, 'BAD_INPUT');
  if (typeof e.from !== 'string' || !e.from || typeof e.to !== 'string' || !e.to) {
    throw new StoreError(`edge ${e.id}: from and to must be node ids`, 'BAD_INPUT');
  }
  const p = (e.props ?? {}) as { actions?: unknown; levels?: unknown; conditional?: unknown };
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
  // only HAS_ACCESS edges grant actions; on another kind a list stays inline in propsJson
  const { propsJson, actionSet } =
    e.kind === 'HAS_ACCESS'
      ? sets.split(p as Record<string, unknown>)
      : { propsJson: JSON.stringify(p), actionSet: null };
  return {
    id: e.id,
    kind: e.kind,
    from: e.from,
    to: e.to,
    source: sourceId,
    viaJson: e.via === null || e.via === undefined ? null : JSON.stringify(e.via),
    propsJson,
    actionSet,
    levels: strings(p.levels),
    conditional: typeof p.conditional === 'boolean' ? p.conditional : null,
    traversable: isTraversable(e),
    flags: edgeFlags(e),
    guarded: isGuarded(e),
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Keep the last occurrence of each id (last writer wins inside one batch too). */
function lastById<T extends { id: string }>(rows: readonly T[]): T[] {
  const m = new Map<string, T>();
  for (const r of rows) {
    m.delete(r.id);
    m.set(r.id, r);
  }
  return [...m.values()];
}

/** A token marking what one write produced (see replaceSource). */
const newGen = () => `${Date.now().toString(36)}-${randomUUID()}`;

type Runner = Transaction | ManagedTransaction;

/** A transaction as action-sets.ts runs statements. */
const runner =
  (tx: Runner): RunStatement =>
  async (text, params) =>
    (await tx.run(text, params)).records;

/**
 * A read transaction with a time budget. The server ends the transaction at `timeoutMs`
 * (its monitor checks periodically, by default every 2 s); the client also stops waiting
 * shortly after the budget, so the caller always gets an answer in time. `run` gives
 * 'timeout' instead of throwing when time ran out.
 */
class TimedRead {
  private readonly tx: Transaction;
  private readonly expired: Promise<'timeout'>;
  private timer: NodeJS.Timeout | undefined;
  private gaveUp = false;

  constructor(
    private readonly session: Session,
    timeoutMs: number,
  ) {
    this.tx = session.beginTransaction({ timeout: timeoutMs });
    const grace = Math.min(250, Math.max(50, timeoutMs / 10));
    this.expired = new Promise((resolve) => {
      this.timer = setTimeout(() => resolve('timeout'), timeoutMs + grace);
    });
  }

  async run(text: string, params: Record<string, unknown>): Promise<Neo4jRecord[] | 'timeout'> {
    if (this.gaveUp) return 'timeout';
    const pending = this.tx.run(text, params);
    try {
      const res = await Promise.race([pending, this.expired]);
      if (res === 'timeout') {
        this.gaveUp = true;
        pending.catch(() => undefined);
        return 'timeout';
      }
      return res.records;
    } catch (err) {
      if (!isTimeout(err)) throw err;
      this.gaveUp = true;
      return 'timeout';
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    const closing = (async () => {
      if (this.tx.isOpen()) await this.tx.rollback().catch(() => undefined);
      await this.session.close().catch(() => undefined);
    })();
    // Wait for a clean close unless a query we gave up on may still be running on the server.
    if (!this.gaveUp) await closing;
  }
}

function isTimeout(err: unknown): boolean {
  const e = err as { code?: string; gqlStatus?: string; message?: string };
  const code = e?.code ?? '';
  return (
    code.includes('TransactionTimedOut') ||
    code === 'Neo.TransientError.Transaction.Terminated' ||
    code === 'Neo.ClientError.Transaction.Terminated' ||
    code === 'Neo.TransientError.Transaction.LockClientStopped'
  );
}

function connectError(err: unknown, uri: string, user: string): StoreError {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  const msg = e?.message ?? String(err);
  if (code.includes('Security.Unauthorized') || code.includes('AuthenticationRateLimit')) {
    return new StoreError(
      `Neo4j at ${uri} rejected the credentials of user '${user}' (${code}). ` +
        'Check NEO4J_USER and NEO4J_PASSWORD.',
      'UNAVAILABLE',
    );
  }
  if (code.includes('DatabaseNotFound')) {
    return new StoreError(`Neo4j at ${uri}: ${msg}. Check NEO4J_DATABASE.`, 'UNAVAILABLE');
  }
  return new StoreError(
    `cannot reach Neo4j at ${uri}: ${msg}. Is the server running? Start a local one with ` +
      '`npm run neo4j:start`, point NEO4J_URI at yours, or use the embedded store (--store embedded).',
    'UNAVAILABLE',
  );
}

/** Connect, verify, and apply the schema (constraints and indexes, idempotent). */
export async function openNeo4jStore(options: Neo4jStoreOptions): Promise<Neo4jStore> {
  const { uri, user, password, database } = options;
  let driver: Driver;
  try {
    driver = neo4j.driver(uri, neo4j.auth.basic(user, password), {
      disableLosslessIntegers: true,
      userAgent: 'accessgraph',
    });
  } catch (err) {
    // e.g. a malformed URI; the driver's message never carries the password.
    throw new StoreError(`cannot use Neo4j URI ${uri}: ${(err as Error).message}`, 'BAD_INPUT');
  }
  try {
    await driver.verifyConnectivity(database ? { database } : {});
  } catch (err) {
    await driver.close().catch(() => undefined);
    throw connectError(err, uri, user);
  }
  const store = new Neo4jStore(driver, database, options.batchSize ?? DEFAULT_BATCH_SIZE);
  try {
    await store.applySchema();
    await store.migrate();
  } catch (err) {
    await driver.close().catch(() => undefined);
    if (err instanceof StoreError) throw err;
    throw new StoreError(
      `Neo4j at ${uri}: applying the accessgraph schema failed: ${(err as Error).message}`,
      'UNAVAILABLE',
    );
  }
  return store;
}

export class Neo4jStore implements GraphStore {
  readonly kind = 'neo4j' as const;
  private closed = false;
  /**
   * Writers of this process go one at a time, like the embedded store's: two loads touching
   * the same nodes in parallel transactions would otherwise risk deadlocks that a replace,
   * whose fill cannot be replayed, could not retry. (Writers in other processes are
   * serialized by Neo4j's locks; a deadlock there fails the later load, which changes nothing.)
   */
  private readonly writes = new SerialQueue();
  /** parsed action sets by hash, shared by every reader of this store */
  private readonly actionSets = new ActionSetReader();

  constructor(
    private readonly driver: Driver,
    private readonly database: string | undefined,
    private readonly batchSize: number,
  ) {}

  private assertOpen(): void {
    if (this.closed) throw new StoreError('the store is closed', 'UNAVAILABLE');
  }

  private session(mode: 'READ' | 'WRITE'): Session {
    this.assertOpen();
    return this.driver.session({
      database: this.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
  }

  private async read<T>(fn: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.session('READ');
    try {
      return await session.executeRead(fn);
    } finally {
      await session.close();
    }
  }

  /** Constraints and indexes from cypher/schema, each `IF NOT EXISTS`; then wait until online. */
  async applySchema(): Promise<void> {
    const session = this.session('WRITE');
    try {
      for (const file of cypherFilesIn('schema')) {
        for (const text of file.statements) {
          try {
            await session.run(text);
          } catch (err) {
            // Two processes opening at once can race on the same IF NOT EXISTS rule.
            const code = (err as { code?: string }).code ?? '';
            if (!code.includes('AlreadyExists')) throw err;
          }
        }
      }
    } finally {
      await session.close();
    }
  }

  /**
   * Bring a database an older accessgraph wrote to DATA_LAYOUT, in place, one transaction
   * per page of edges (idempotent: an interrupted migration resumes on the next open).
   */
  async migrate(): Promise<void> {
    const version = await this.read(
      async (tx) =>
        (await tx.run(statement('admin/schema-version.cypher'))).records[0]?.get('version') as number | null,
    );
    if (typeof version === 'number' && version >= DATA_LAYOUT) return;
    // 1 → 2: intern the action lists of HAS_ACCESS edges
    const session = this.session('WRITE');
    try {
      let after: string | null = '';
      while (after !== null) {
        const from: string = after;
        after = await session.executeWrite(async (tx) => {
          const run = runner(tx);
          const page = await run(statement('admin/legacy-action-lists.cypher'), {
            after: from,
            limit: neo4j.int(MIGRATE_PAGE),
          });
          const sets = new ActionSetInterner();
          const rows: Array<{ id: string; propsJson: string; actionSet: string | null }> = [];
          for (const r of page) {
            const legacy = r.get('propsJson') as string | null;
            if (legacy !== null) rows.push({ id: r.get('id') as string, ...sets.split(JSON.parse(legacy)) });
          }
          if (rows.length > 0) {
            await sets.store(
              run,
              rows.map((r) => r.actionSet),
              newGen(),
            );
            await run(statement('admin/intern-action-lists.cypher'), { rows });
          }
          return page.length < MIGRATE_PAGE ? null : (page[page.length - 1]!.get('id') as string);
        });
      }
      await session.run(statement('admin/set-schema-version.cypher'), { version: neo4j.int(DATA_LAYOUT) });
    } finally {
      await session.close();
    }
  }

  /** Analysts' read-only Cypher (the API's `cypher` field); see read-only-cypher.ts for the fences. */
  readOnlyCypher(
    query: string,
    params: Record<string, unknown>,
    options: { timeoutMs: number; maxRows: number },
  ): ReturnType<typeof runReadOnlyCypher> {
    return runReadOnlyCypher(this.session('READ'), query, params, options);
  }

  /** Delete everything in the database (tests; the database must be dedicated to accessgraph). */
  async clearAll(): Promise<void> {
    const session = this.session('WRITE');
    try {
      await session.run(statement('admin/clear-all.cypher'));
    } finally {
      await session.close();
    }
  }

  /** The accessgraph indexes and constraints and their state (diagnostics). */
  async schemaState(): Promise<Array<{ name: string; type: string; state: string }>> {
    return this.read(async (tx) => {
      const res = await tx.run(statement('admin/schema-state.cypher'));
      return res.records.map((r) => ({ name: r.get('name'), type: r.get('type'), state: r.get('state') }));
    });
  }

  /** Raw counts, placeholders included (diagnostics). */
  async rawCounts(): Promise<{
    nodes: number;
    placeholders: number;
    relationships: number;
    sources: number;
  }> {
    return this.read(async (tx) => {
      const r = (await tx.run(statement('admin/raw-counts.cypher'))).records[0]!;
      return {
        nodes: Number(r.get('nodes')),
        placeholders: Number(r.get('placeholders')),
        relationships: Number(r.get('relationships')),
        sources: Number(r.get('sources')),
      };
    });
  }

  /** The labels of one node, sorted ([] when absent) (diagnostics). */
  async nodeLabels(id: string): Promise<string[]> {
    return this.read(async (tx) => {
      const res = await tx.run(statement('admin/node-labels.cypher'), { id });
      return (res.records[0]?.get('labels') as string[] | undefined) ?? [];
    });
  }

  // ---------------------------------------------------------------- writing

  private async writeNodes(tx: Runner, rows: readonly NodeRow[], gen: string, after: (n: number) => void) {
    for (const batch of chunks(rows, this.batchSize)) {
      await tx.run(statement('load/upsert-nodes.cypher'), { rows: batch, gen });
      after(batch.length);
    }
  }

  private async writeEdges(
    tx: Runner,
    rows: readonly EdgeRow[],
    gen: string,
    sets: ActionSetInterner,
    after: (n: number) => void,
  ) {
    for (const batch of chunks(rows, this.batchSize)) {
      const unique = lastById(batch);
      await sets.store(
        runner(tx),
        unique.map((r) => r.actionSet),
        gen,
      );
      await tx.run(statement('load/delete-conflicting-edges.cypher'), {
        rows: unique.map((r) => ({ id: r.id, kind: r.kind, from: r.from, to: r.to })),
      });
      await tx.run(statement('load/merge-edges.cypher'), { rows: unique, gen });
      after(batch.length);
    }
  }

  /**
   * Remove what a source owns that write `gen` did not produce (everything when gen is null):
   * its edges, then its nodes (stripped back to placeholders where other edges still point).
   */
  private async releaseSource(tx: Runner, sourceId: string, gen: string | null): Promise<void> {
    await tx.run(statement('load/sweep-source-edges.cypher'), { source: sourceId, gen });
    await tx.run(statement('load/release-source-nodes.cypher'), { source: sourceId, gen });
    // Sets only the swept edges used go too. (An upsert that changes an edge's list leaves the
    // old set until the next replace or delete: unreferenced, never dangling.)
    await tx.run(statement('load/prune-action-sets.cypher'), { gen: gen ?? newGen() });
  }

  private async writeSourceRecord(
    tx: Runner,
    s: { id: string; cloud: string; loadedAt: string; meta?: JsonObject },
  ): Promise<SourceInfo> {
    const res = await tx.run(statement('load/write-source.cypher'), {
      id: s.id,
      cloud: s.cloud,
      loadedAt: s.loadedAt,
      metaJson: s.meta ? JSON.stringify(s.meta) : null,
    });
    return toSource(res.records[0]!.get('source') as SourceMap);
  }

  async replaceSource(
    source: SourceDescriptor,
    fill: (writer: SourceWriter) => Promise<void>,
    options: ReplaceOptions = {},
  ): Promise<SourceInfo> {
    if (typeof source?.id !== 'string' || source.id.length === 0) {
      throw new StoreError('a source needs a non-empty string id', 'BAD_INPUT');
    }
    this.assertOpen();
    return this.writes.run(() => this.replaceNow(source, fill, options));
  }

  private async replaceNow(
    source: SourceDescriptor,
    fill: (writer: SourceWriter) => Promise<void>,
    options: ReplaceOptions,
  ): Promise<SourceInfo> {
    const session = this.session('WRITE');
    // One explicit transaction for the whole replace (not executeWrite: a retry would run
    // `fill` twice). Nothing is visible to readers before commit.
    const tx = session.beginTransaction();
    // statements on one transaction go one at a time (a fill may call the writer concurrently)
    const queue = new SerialQueue();
    let nodes = 0;
    let edges = 0;
    let finished = false;
    const progress = () => options.onProgress?.({ nodes, edges });
    const guard = () => {
      if (finished) throw new StoreError('the writer was used after replaceSource finished', 'BAD_INPUT');
    };
    // Mark and sweep: the new version is written over the old in place (MERGE), marked with
    // `gen`; what the old version had and the new one lacks is swept just before commit. (Deleting
    // first and re-creating makes every index lookup of the load pay for the deletions held in
    // the transaction state: measured quadratic.)
    const gen = newGen();
    const sets = new ActionSetInterner();
    try {
      const writer: SourceWriter = {
        addNodes: (batch) =>
          queue.run(async () => {
            guard();
            await this.writeNodes(
              tx,
              batch.map((n) => nodeRow(source.id, n)),
              gen,
              (n) => {
                nodes += n;
                progress();
              },
            );
          }),
        addEdges: (batch) =>
          queue.run(async () => {
            guard();
            await this.writeEdges(
              tx,
              batch.map((e) => edgeRow(source.id, e, sets)),
              gen,
              sets,
              (n) => {
                edges += n;
                progress();
              },
            );
          }),
      };
      await fill(writer);
      // Let writes the fill started but did not await settle before committing.
      await queue.run(async () => undefined);
      finished = true;
      await this.releaseSource(tx, source.id, gen);
      const info = await this.writeSourceRecord(tx, {
        id: source.id,
        cloud: source.cloud,
        loadedAt: new Date().toISOString(),
        ...(source.meta ? { meta: source.meta } : {}),
      });
      await tx.commit();
      return info;
    } catch (err) {
      finished = true;
      if (tx.isOpen()) await tx.rollback().catch(() => undefined);
      throw err;
    } finally {
      await session.close();
    }
  }

  private async upsertInto(
    sourceId: string,
    write: (tx: ManagedTransaction) => Promise<void>,
  ): Promise<void> {
    const session = this.session('WRITE');
    try {
      await session.executeWrite(async (tx) => {
        const res = await tx.run(statement('load/get-source.cypher'), { id: sourceId });
        const existing = res.records[0]?.get('source') as SourceMap | undefined;
        if (!existing) {
          throw new StoreError(
            `source ${sourceId} was never loaded; load it with replaceSource first`,
            'NOT_FOUND',
          );
        }
        await write(tx);
        const info = toSource(existing);
        await this.writeSourceRecord(tx, {
          id: info.id,
          cloud: info.cloud,
          loadedAt: info.loadedAt,
          ...(info.meta ? { meta: info.meta } : {}),
        });
      });
    } finally {
      await session.close();
    }
  }

  async upsertNodes(sourceId: string, nodes: readonly GraphNode[]): Promise<void> {
    // Rows are built (and validated) before touching the database.
    const rows = nodes.map((n) => nodeRow(sourceId, n));
    return this.upsertInto(sourceId, (tx) => this.writeNodes(tx, rows, newGen(), () => undefined));
  }

  async upsertEdges(sourceId: string, edges: readonly GraphEdge[]): Promise<void> {
    const sets = new ActionSetInterner();
    const rows = edges.map((e) => edgeRow(sourceId, e, sets));
    return this.upsertInto(sourceId, (tx) => {
      // a retried transaction stores its sets again
      sets.restart();
      return this.writeEdges(tx, rows, newGen(), sets, () => undefined);
    });
  }

  async deleteSource(sourceId: string): Promise<boolean> {
    return this.writes.run(() => this.deleteNow(sourceId));
  }

  private async deleteNow(sourceId: string): Promise<boolean> {
    const session = this.session('WRITE');
    try {
      return await session.executeWrite(async (tx) => {
        await this.releaseSource(tx, sourceId, null);
        const res = await tx.run(statement('load/delete-source-record.cypher'), { id: sourceId });
        return res.records[0]?.get('existed') === true;
      });
    } finally {
      await session.close();
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * Edges read back (edge maps, or records with an `edge` column), their interned action
   * lists put back; the sets this process has not parsed yet are read with `run`.
   */
  private async toEdges(
    run: RunStatement,
    rows: readonly EdgeMap[] | readonly Neo4jRecord[],
  ): Promise<GraphEdge[]> {
    const maps = rows.map((r) => (isRecord(r) ? (r.get('edge') as EdgeMap) : r));
    const load = await this.actionSets.prepare(
      run,
      maps.map((m) => m.actionSet),
    );
    return maps.map((m) => toEdge(m, (h) => this.actionSets.list(h, load)));
  }

  async listSources(): Promise<SourceInfo[]> {
    return this.read(async (tx) => {
      const res = await tx.run(statement('query/list-sources.cypher'));
      return res.records.map((r) => toSource(r.get('source') as SourceMap));
    });
  }

  async getNode(id: string): Promise<GraphNode | null> {
    const [n] = await this.getNodes([id]);
    return n ?? null;
  }

  async getNodes(ids: readonly string[]): Promise<GraphNode[]> {
    if (ids.length === 0) return [];
    const found = await this.read(async (tx) => {
      const res = await tx.run(statement('query/get-nodes.cypher'), { ids: [...new Set(ids)] });
      return nodesById(res.records);
    });
    const out: GraphNode[] = [];
    for (const id of ids) {
      const n = found.get(id);
      if (n) out.push(n);
    }
    return out;
  }

  async getEdges(
    nodeId: string,
    options: { kinds?: readonly EdgeKind[]; direction?: 'out' | 'in' | 'both'; limit?: number } = {},
  ): Promise<GraphEdge[]> {
    const limit = options.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 0) {
      throw new StoreError(`limit must be a non-negative integer, got ${String(limit)}`, 'BAD_INPUT');
    }
    if (limit === 0) return [];
    const dir = options.direction ?? 'both';
    return this.read(async (tx) => {
      const res = await tx.run(statement('query/get-edges.cypher'), {
        id: nodeId,
        kinds: [...(options.kinds ?? EDGE_KINDS)],
        out: dir !== 'in',
        in: dir !== 'out',
        limit: neo4j.int(limit),
      });
      return this.toEdges(runner(tx), res.records);
    });
  }

  async scanEdges(q: EdgeScan): Promise<GraphEdge[]> {
    validateScan(q);
    return this.read(async (tx) => {
      const res = await tx.run(statement('query/scan-edges.cypher'), {
        kind: q.kind,
        flag: q.flag ?? null,
        after: q.after ?? '',
        limit: neo4j.int(q.limit),
      });
      return this.toEdges(runner(tx), res.records);
    });
  }

  async scanNodes(q: NodeScan): Promise<GraphNode[]> {
    validateScan(q);
    return this.read(async (tx) => {
      const res = await tx.run(statement('query/scan-nodes.cypher'), {
        kinds: [...q.kinds],
        after: q.after ?? '',
        limit: neo4j.int(q.limit),
      });
      return res.records.map((r) => toNode(r.get('node') as NodeMap));
    });
  }

  async search(text: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const t = text.trim().toLowerCase();
    if (!t) return [];
    const limit = options.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 0) {
      throw new StoreError(`limit must be a non-negative integer, got ${String(limit)}`, 'BAD_INPUT');
    }
    if (limit === 0) return [];
    return this.read(async (tx) => {
      const res = await tx.run(statement('query/search.cypher'), {
        text: t,
        kinds: options.kinds?.length ? [...options.kinds] : null,
        limit: neo4j.int(limit),
      });
      return res.records.map((r) => ({
        node: toNode(r.get('node') as NodeMap),
        rank: Number(r.get('rank')),
      }));
    });
  }

  async neighborhood(id: string, options: NeighborhoodOptions = {}): Promise<Subgraph> {
    const depth = options.depth ?? 1;
    const limit = options.limit ?? 200;
    if (!Number.isInteger(depth) || depth < 0) {
      throw new StoreError(`depth must be a non-negative integer, got ${String(depth)}`, 'BAD_INPUT');
    }
    if (!Number.isInteger(limit) || limit < 0) {
      throw new StoreError(`limit must be a non-negative integer, got ${String(limit)}`, 'BAD_INPUT');
    }
    const kinds = [...(options.edgeKinds ?? EDGE_KINDS)];
    const dir = options.direction ?? 'both';
    return this.read(async (tx) => {
      const center = await tx.run(statement('query/get-nodes.cypher'), { ids: [id] });
      if (center.records.length === 0) return { nodes: [], edges: [], truncated: false };
      // Breadth-first, one statement per level; each level asks only for as many new nodes
      // (smallest ids first) as still fit, plus one to know whether the result is cut.
      const kept: string[] = [id];
      let truncated = false;
      let frontier = [id];
      for (let d = 1; d <= depth && frontier.length > 0; d++) {
        const room = limit - kept.length;
        const res = await tx.run(statement('query/neighborhood-step.cypher'), {
          frontier,
          seen: kept,
          kinds,
          out: dir !== 'in',
          in: dir !== 'out',
          limit: neo4j.int(Math.max(room, 0) + 1),
        });
        const next = res.records.map((r) => r.get('id') as string);
        if (next.length > room) {
          truncated = true;
          kept.push(...next.slice(0, Math.max(room, 0)));
          break;
        }
        kept.push(...next);
        frontier = next;
      }
      if (kept.length > limit) {
        // only when limit is 0: the center itself does not fit
        kept.length = limit;
        truncated = true;
      }
      if (kept.length === 0) return { nodes: [], edges: [], truncated };
      const nodesRes = await tx.run(statement('query/get-nodes.cypher'), { ids: kept });
      const byId = nodesById(nodesRes.records);
      const nodes = kept.map((k) => byId.get(k) ?? placeholderNode(k));
      const edgesRes = await tx.run(statement('query/induced-edges.cypher'), { ids: kept, kinds });
      const edges = await this.toEdges(runner(tx), edgesRes.records);
      return { nodes, edges, truncated };
    });
  }

  /**
   * Reachability by the shared breadth-first walker (graph/reach-walk.ts), one Cypher round
   * trip per level inside one read transaction bounded by the query's timeout.
   */
  async reach(query: ReachQuery): Promise<ReachResult> {
    validateReachQuery(query);
    this.assertOpen();
    if (query.direction !== 'reverse' && query.direction !== 'forward') {
      throw new StoreError(
        `direction must be reverse or forward, got ${String(query.direction)}`,
        'BAD_INPUT',
      );
    }
    const timed = new TimedRead(this.session('READ'), query.timeoutMs);
    const step = statement('query/reach-step.cypher');
    const stepFirst = statement('query/reach-step-first.cypher');
    const timedRun: RunStatement = async (text, params) => {
      const res = await timed.run(text, params);
      if (res === 'timeout') throw new StepTimeout();
      return res;
    };
    // What the walk reads besides steps (kinds, denies, its answers' nodes and path edges)
    // goes through the walk's own transaction too: one snapshot, and no session per read
    // (a few ms each, ~10 per who-can). Once the budget is spent, that transaction is gone,
    // but the walk still loads what it found: then a read of its own.
    const walkRead: RunStatement = async (text, params) => {
      const res = await timed.run(text, params);
      if (res !== 'timeout') return res;
      return this.read(async (tx) => (await tx.run(text, params)).records);
    };
    // The walk asks the kinds of the nodes it reaches and, at the end, the nodes it reports:
    // mostly the same ones, so each is read once per walk (placeholders for unknown ids).
    const seen = new Map<string, GraphNode>();
    const nodesOf = async (ids: readonly string[]): Promise<GraphNode[]> => {
      const missing = [...new Set(ids.filter((id) => !seen.has(id)))];
      if (missing.length > 0) {
        const rows = await walkRead(statement('query/get-nodes.cypher'), { ids: missing });
        for (const [id, n] of nodesById(rows)) seen.set(id, n);
        for (const id of missing) if (!seen.has(id)) seen.set(id, placeholderNode(id));
      }
      return ids.map((id) => seen.get(id)!);
    };
    const graph: ReachGraph = {
      step: async (nodes, direction, kinds, filter, _timeoutMs, onlyFirst) => {
        const params = { ids: [...nodes], kinds: [...kinds], in: direction === 'in' };
        if (onlyFirst) {
          // no filter judges these edges (the walk asks for onlyFirst only then)
          const res = await timedRun(stepFirst, { ...params, skip: onlyFirst() });
          return byFrontierNode(res, () => ({ passes: true, guarded: false }));
        }
        const res = await timedRun(step, {
          ...params,
          levelsAny: filter?.levelsAny ? [...filter.levelsAny] : null,
        });
        // The actions half of the filter: each grant's set against the wanted actions, from
        // the parsed sets (read once per process), remembered per set for this walk.
        const wanted = filter?.actionsAny;
        const sets = this.actionSets;
        const toTest = wanted
          ? res
              .map((r) => r.get('actionSet') as string | null)
              .filter((h): h is string => h !== null && !sets.knows(wanted, h))
          : [];
        const load = await sets.prepare(timedRun, toTest);
        // the filter is judged here, with the step, so `passes` only reads what was found
        return byFrontierNode(res, (r) => {
          const set = r.get('actionSet') as string | null;
          let passes = r.get('levelsPass') as boolean;
          if (passes && wanted && r.get('kind') === 'HAS_ACCESS') {
            passes = set !== null && sets.anyOf(wanted, set, load);
          }
          return { passes, guarded: r.get('guarded') as boolean };
        });
      },
      passes: (e) => (e as PassingStep).passes,
      kindsOf: async (ids) => new Map((await nodesOf(ids)).map((n) => [n.id, n.kind])),
      nodes: nodesOf,
      nodeDenies: async (ids) => {
        const m = new Map<string, AccessException[]>();
        for (const n of await nodesOf(ids)) {
          const d = nodeDeniesOf(n);
          if (d.length > 0) m.set(n.id, d);
        }
        return m;
      },
      edges: async (ids) =>
        ids.length === 0
          ? []
          : this.toEdges(walkRead, await walkRead(statement('query/edges-by-id.cypher'), { ids: [...ids] })),
    };
    try {
      return await walkReach(graph, query);
    } finally {
      await timed.close();
    }
  }

  async shortestPath(q: ShortestPathQuery): Promise<GraphEdge[] | null> {
    validateShortestPathQuery(q);
    this.assertOpen();
    if (q.from === q.to) return [];
    const excludeNodes = [...(q.excludeNodes ?? [])];
    if (excludeNodes.includes(q.from) || excludeNodes.includes(q.to)) return null;
    const text = withIntBound('query/shortest-path.cypher', {
      MAX_DEPTH: { value: q.maxDepth, min: 1, max: 32 },
    });
    const timed = new TimedRead(this.session('READ'), q.timeoutMs);
    try {
      const res = await timed.run(text, {
        from: q.from,
        to: q.to,
        kinds: [...q.edgeKinds],
        excludeNodes,
        excludeEdges: [...(q.excludeEdges ?? [])],
      });
      if (res === 'timeout' || res.length === 0) return null;
      const path = res[0]!.get('path') as EdgeMap[];
      // (sets are content-addressed: reading them outside the timed transaction is safe)
      return await this.read((tx) => this.toEdges(runner(tx), path));
    } finally {
      await timed.close();
    }
  }

  async stats(): Promise<StoreStats> {
    return this.read(async (tx) => {
      const res = await tx.run(statement('query/stats.cypher'));
      const r = res.records[0]!;
      return {
        nodes: Number(r.get('nodes')),
        edges: Number(r.get('edges')),
        sources: Number(r.get('sources')),
      };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.writes.run(async () => undefined);
    this.closed = true;
    await this.driver.close();
  }
}

/** A stepped edge with the step's filter already judged (with the step's Cypher). */
interface PassingStep extends StepEdge {
  passes: boolean;
}

/** A reach step's rows (node, id, kind, other, …) as the walk wants them: edges by frontier node. */
function byFrontierNode(
  rows: readonly Neo4jRecord[],
  judged: (r: Neo4jRecord) => Pick<PassingStep, 'passes' | 'guarded'>,
): Map<string, PassingStep[]> {
  const out = new Map<string, PassingStep[]>();
  for (const r of rows) {
    const e: PassingStep = {
      id: r.get('id') as string,
      kind: r.get('kind') as EdgeKind,
      other: r.get('other') as string,
      ...judged(r),
    };
    const node = r.get('node') as string;
    const list = out.get(node);
    if (list) list.push(e);
    else out.set(node, [e]);
  }
  return out;
}
