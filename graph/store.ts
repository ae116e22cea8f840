/**
 * The store interface. Two implementations (embedded, neo4j) must give identical answers;
 * `graph/contract.test-support.ts` holds the suite that proves it.
 */
import type { AccessException } from './access-exceptions.js';
import {
  type AccessLevel,
  type Cloud,
  type EdgeFlag,
  type EdgeKind,
  type GraphEdge,
  type GraphNode,
  isEdgeFlag,
  isEdgeKind,
  isNodeKind,
  type JsonObject,
  type NodeKind,
} from './model.js';

export interface SourceDescriptor {
  /** e.g. `aws:123456789012`, `gcp:organizations/42`, `azure:tenant-guid`, `file:demo` */
  id: string;
  cloud: Cloud;
  /** free-form facts about the load (input files, collector version); never secrets */
  meta?: JsonObject;
}

export interface SourceInfo extends SourceDescriptor {
  loadedAt: string;
  nodeCount: number;
  edgeCount: number;
}

/** Receives the new version of a source in batches during `replaceSource`. */
export interface SourceWriter {
  addNodes(nodes: readonly GraphNode[]): Promise<void>;
  addEdges(edges: readonly GraphEdge[]): Promise<void>;
}

export interface ReplaceOptions {
  /** called after every batch written */
  onProgress?: (p: { nodes: number; edges: number }) => void;
}

export interface SearchOptions {
  kinds?: readonly NodeKind[];
  limit?: number;
}
export interface SearchHit {
  node: GraphNode;
  /** 0 exact id, 1 exact name, 2 name prefix, 3 id prefix, 4 name substring, 5 id substring (lower is better) */
  rank: number;
}

export interface NeighborhoodOptions {
  depth?: number;
  edgeKinds?: readonly EdgeKind[];
  direction?: 'out' | 'in' | 'both';
  /** maximum number of nodes returned (the center included) */
  limit?: number;
}
export interface Subgraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

/**
 * The shape of the paths a reachability search follows.
 * - `edges`: any number of edges of `edgeKinds`.
 * - `access`: the access shape of DESIGN.md: `hopKinds`* → one HAS_ACCESS (optionally
 *   restricted to edges listing any of `actionsAny` / `levelsAny`) → CONTAINS*.
 */
export type ReachShape =
  | { kind: 'edges'; edgeKinds: readonly EdgeKind[] }
  | {
      kind: 'access';
      hopKinds: readonly EdgeKind[];
      actionsAny?: readonly string[];
      levelsAny?: readonly AccessLevel[];
    };

/**
 * Reachability semantics (both stores implement exactly this; the contract suite checks it):
 *
 * - A path is a sequence of edges e1..en, each followed in its own direction, that matches
 *   the shape. `reverse` anchors the path's LAST node at `start`; `forward` anchors its FIRST.
 *   For `access`, reached nodes are those on the free end of a path that has crossed its
 *   HAS_ACCESS edge: in `reverse` the principal side (hops* → HAS_ACCESS → CONTAINS* → start,
 *   the holder itself included with 0 hops), in `forward` the resource side
 *   (start → hops* → HAS_ACCESS → CONTAINS* → X, the granted scope itself included).
 *   For `edges`, every node other than `start` joined by a path is reached.
 * - `start` itself is never reported. Nodes are reported at their shortest matching path
 *   length (`depth`), which must be ≤ maxDepth. When several shortest paths exist, either
 *   store may return any one of them.
 * - Results are ordered by (depth, node id) and cut at maxResults.
 * - truncatedBy: 'maxResults' when more nodes matched than returned; 'maxDepth' when some
 *   reportable node (not already reported) has a matching path of exactly maxDepth + 1
 *   edges; 'timeout' when time ran out (the result then holds what was found, possibly
 *   nothing). `truncated` is true iff truncatedBy is non-empty.
 * - `resultKinds` filters which reached nodes are reported and counted; traversal passes
 *   through nodes of every kind.
 * - Partial denies (graph/access-exceptions.ts) on an access shape's HAS_ACCESS edge are
 *   applied to the node the path ends at: a path they close is no path (other grants may
 *   still reach the node); undecided ones are reported on the result (`undecidedDenies`).
 * - An edge may point at an id no source defines (a placeholder). Traversal passes through
 *   placeholders; they are reported as `placeholderNode(id)`.
 */
export interface ReachQuery {
  /** the anchored end: the target for `reverse`, the starting node for `forward` */
  start: string;
  /**
   * `reverse`: find nodes X with a path X → … → start (edges followed backwards from start).
   * `forward`: find nodes X with a path start → … → X.
   */
  direction: 'reverse' | 'forward';
  shape: ReachShape;
  /** maximum path length in edges (integer ≥ 1) */
  maxDepth: number;
  /** maximum number of reached nodes returned (ordered by depth, then id) */
  maxResults: number;
  /** wall-clock bound; on expiry the result is partial and `truncated` includes 'timeout' */
  timeoutMs: number;
  /** only report reached nodes of these kinds (traversal still passes through others) */
  resultKinds?: readonly NodeKind[];
  /**
   * Reverse access walks whose `start` only contains the resource asked about (a resource no
   * source inventoried, found under its bucket, account or a pattern): partial denies are
   * judged for this id, as the first node of the chain below each grant.
   */
  target?: string;
}

export interface Reached {
  node: GraphNode;
  /** number of edges in the path */
  depth: number;
  /** one shortest path, edges in path order (from the path's first node to its last) */
  path: GraphEdge[];
  /**
   * Partial denies on the path's grant that cover this target under conditions nobody could
   * decide at load time: the access holds unless one of them applies. Absent when none.
   */
  undecidedDenies?: AccessException[];
  /** actions of the path's grant that partial denies certainly take away on this target */
  withheld?: string[];
}

export type TruncationReason = 'maxDepth' | 'maxResults' | 'timeout';

export interface ReachResult {
  reached: Reached[];
  truncated: boolean;
  /** why: more nodes lie beyond maxDepth, more than maxResults matched, or time ran out */
  truncatedBy: TruncationReason[];
}

/**
 * One shortest path from `from` to `to` following edges of `edgeKinds` in their direction,
 * never entering a node of `excludeNodes` (nor starting at one) and never using an edge
 * of `excludeEdges`; at most `maxDepth` edges; null when there is none (or time ran out).
 * Paths are simple (no repeated node). `from === to` gives []. Ties: any one.
 */
export interface ShortestPathQuery {
  from: string;
  to: string;
  edgeKinds: readonly EdgeKind[];
  maxDepth: number;
  timeoutMs: number;
  excludeNodes?: readonly string[];
  excludeEdges?: readonly string[];
}

export interface EdgeScan {
  kind: EdgeKind;
  flag?: EdgeFlag;
  /** exclusive lower bound on the edge id (the last id of the previous page) */
  after?: string;
  /** page size, 1..10000 */
  limit: number;
}

export interface NodeScan {
  kinds: readonly NodeKind[];
  after?: string;
  limit: number;
}

/** Checks a scan's page size; both stores call it so they reject the same inputs. */
export function validateScan(q: EdgeScan | NodeScan): void {
  intIn('limit', q.limit, 1, 10_000);
  if (q.after !== undefined && typeof q.after !== 'string')
    throw new StoreError('after must be an id', 'BAD_INPUT');
  if ('kind' in q && !isEdgeKind(q.kind))
    throw new StoreError(`unknown edge kind ${String(q.kind)}`, 'BAD_INPUT');
  if ('flag' in q && q.flag !== undefined && !isEdgeFlag(q.flag)) {
    throw new StoreError(`unknown edge flag ${String(q.flag)}`, 'BAD_INPUT');
  }
  if ('kinds' in q && (q.kinds.length === 0 || !q.kinds.every(isNodeKind))) {
    throw new StoreError('kinds must name at least one node kind', 'BAD_INPUT');
  }
}

function intIn(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new StoreError(`${name} must be an integer from ${min} to ${max}, got ${String(v)}`, 'BAD_INPUT');
  }
}

export interface StoreStats {
  nodes: number;
  edges: number;
  sources: number;
}

/**
 * Common semantics of the other operations (the contract suite checks these too):
 * - Round trip: a node comes back deep-equal to what was written, with `props` always
 *   present (`{}` when none was given) and `type` present only when given. Edges come
 *   back deep-equal, `via` null when none.
 * - Ownership: writing a node makes it owned by that source (last writer wins when two
 *   sources define one id); replacing or deleting a source removes only what it owns.
 *   Edges of other sources keep pointing at the id, which then reads as a placeholder.
 * - getNode: the defined node, else `placeholderNode(id)` when some edge references the
 *   id, else null. getNodes: the found ones (defined or placeholder), in input order.
 * - getEdges: ordered by edge id, default limit 1000.
 * - search: case-insensitive over id and name, defined nodes only, ordered by (rank, id),
 *   default limit 20; blank text gives [].
 * - neighborhood: breadth-first from the node up to `depth` (default 1) over `edgeKinds`
 *   (default all) in `direction` (default both); nodes ordered by (distance, id) and cut at
 *   `limit` (default 200; `truncated` when cut); edges are every edge of the allowed kinds
 *   with both ends among the returned nodes, ordered by id. Unknown id: empty subgraph.
 * - upsertNodes / upsertEdges into a source that was never loaded: NOT_FOUND.
 * - stats counts defined nodes (not placeholders), edges and sources.
 */
/** A source staged as a file by a build worker (graph/embedded/staging.ts): where, how many rows. */
export interface StagedRows {
  file: string;
  nodes: number;
  edges: number;
}

/**
 * Loading sources that build workers staged as files in the store's own row form, so a built
 * source never travels between threads as objects (graph/embedded/staging.ts). Only stores
 * that can copy such a file in offer it (the embedded store).
 */
export interface StagedLoading {
  /** a new directory for one ingest's staged files; the caller removes it when done */
  newStagingDir(): string;
  /** replaceSource with the staged rows: atomic, like it */
  loadStaged(source: SourceDescriptor, rows: StagedRows, options?: ReplaceOptions): Promise<SourceInfo>;
}

export interface GraphStore {
  readonly kind: 'embedded' | 'neo4j';
  /** present when the store can load sources staged by build workers (ingest/load.ts) */
  readonly staging?: StagedLoading;

  /**
   * Replace everything owned by one source, atomically: readers see the old version until
   * `fill` resolves and the new version is committed; if `fill` throws (or the process
   * dies) the old version stays. Nodes given here become owned by the source; edges may
   * reference nodes of other sources (or not yet loaded ones) by id.
   */
  replaceSource(
    source: SourceDescriptor,
    fill: (writer: SourceWriter) => Promise<void>,
    options?: ReplaceOptions,
  ): Promise<SourceInfo>;
  /** Batched upserts into an existing source (incremental updates). */
  upsertNodes(sourceId: string, nodes: readonly GraphNode[]): Promise<void>;
  upsertEdges(sourceId: string, edges: readonly GraphEdge[]): Promise<void>;
  deleteSource(sourceId: string): Promise<boolean>;
  listSources(): Promise<SourceInfo[]>;

  getNode(id: string): Promise<GraphNode | null>;
  getNodes(ids: readonly string[]): Promise<GraphNode[]>;
  /** Edges touching a node (both directions), optionally of some kinds, capped by limit. */
  getEdges(
    nodeId: string,
    options?: { kinds?: readonly EdgeKind[]; direction?: 'out' | 'in' | 'both'; limit?: number },
  ): Promise<GraphEdge[]>;
  /**
   * One page of every edge of `kind` (with `flag` set, when given), ordered by id, starting
   * after the id `after`. Findings walk the whole graph with it a page at a time.
   */
  scanEdges(query: EdgeScan): Promise<GraphEdge[]>;
  /** One page of defined nodes (never placeholders) of `kinds`, ordered by id, after `after`. */
  scanNodes(query: NodeScan): Promise<GraphNode[]>;
  search(text: string, options?: SearchOptions): Promise<SearchHit[]>;
  neighborhood(id: string, options?: NeighborhoodOptions): Promise<Subgraph>;
  reach(query: ReachQuery): Promise<ReachResult>;
  shortestPath(query: ShortestPathQuery): Promise<GraphEdge[] | null>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}

/** How both stores represent a node that edges reference but no source defines. */
export function placeholderNode(id: string): GraphNode {
  return { id, cloud: 'generic', kind: 'External', name: id, source: '', props: { placeholder: true } };
}

export class StoreError extends Error {
  constructor(
    message: string,
    readonly code:
      | 'BAD_INPUT'
      | 'NOT_FOUND'
      | 'UNAVAILABLE'
      | 'CONFLICT'
      | 'INTERNAL'
      | 'TIMEOUT'
      | 'FORBIDDEN',
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export function validateShortestPathQuery(q: ShortestPathQuery): void {
  if (!Number.isInteger(q.maxDepth) || q.maxDepth < 1 || q.maxDepth > 32) {
    throw new StoreError(`maxDepth must be an integer from 1 to 32, got ${String(q.maxDepth)}`, 'BAD_INPUT');
  }
  if (!Number.isInteger(q.timeoutMs) || q.timeoutMs < 1 || q.timeoutMs > 600_000) {
    throw new StoreError(
      `timeoutMs must be an integer from 1 to 600000, got ${String(q.timeoutMs)}`,
      'BAD_INPUT',
    );
  }
  if (q.edgeKinds.length === 0)
    throw new StoreError('edgeKinds must name at least one edge kind', 'BAD_INPUT');
}

/** Validate bounds once, for every store: integers in range, or a BAD_INPUT error. */
export function validateReachQuery(q: ReachQuery): void {
  intIn('maxDepth', q.maxDepth, 1, 32);
  intIn('maxResults', q.maxResults, 1, 1_000_000);
  intIn('timeoutMs', q.timeoutMs, 1, 600_000);
  if (typeof q.start !== 'string' || q.start.length === 0)
    throw new StoreError('start must be a node id', 'BAD_INPUT');
  if (q.shape.kind === 'edges' && q.shape.edgeKinds.length === 0) {
    throw new StoreError('shape.edgeKinds must name at least one edge kind', 'BAD_INPUT');
  }
}
