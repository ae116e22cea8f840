/**
 * GraphQL resolvers: thin adapters from the schema (api/schema.graphql) to the store and
 * the shared queries in graph/queries. Authorization by role happens here, per field.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import type { LevelQuery } from '../graph/levels.js';
import type { EdgeKind, GraphEdge, GraphNode, JsonValue, NodeKind } from '../graph/model.js';
import { type AccessAnswer, type AccessResult, canReach, whoCan } from '../graph/queries/access.js';
import { kShortestPaths } from '../graph/queries/paths.js';
import type { GraphStore } from '../graph/store.js';
import { StoreError } from '../graph/store.js';
import { narrowToTarget } from '../ingest/applicability.js';
import { IngestError } from '../ingest/errors.js';
import { loadSources } from '../ingest/load.js';
import { ingestDocuments } from '../ingest/registry.js';
import type { ReportService } from '../reports/service.js';
import type { AnswerCache } from './answer-cache.js';
import { isRole, type Role, roleAtLeast, type TokenInfo, type TokenStore } from './auth/tokens.js';
import {
  FindingKindEnum,
  FindingResolvers,
  type FindingsArgs,
  findingById,
  findingsConnection,
} from './findings-resolver.js';
import type { NodeLoader } from './node-loader.js';
import {
  ReportDiffResolvers,
  ReportItemResolvers,
  ReportResolvers,
  ReportRunResolvers,
  reportMutations,
  reportQueries,
} from './reports-resolver.js';

export interface ApiContext {
  store: GraphStore;
  tokens: TokenStore;
  viewer: TokenInfo;
  /** server-side bound for every query */
  timeoutMs: number;
  /** answers kept across requests so paging does not recompute them */
  answers: AnswerCache;
  /** per-request batched node lookups */
  nodes: NodeLoader;
  /** the reports `serve --reports FILE` runs; null without a config */
  reports: ReportService | null;
}

export const MAX_ANSWERS = 10_000;

function fail(message: string, code: string): never {
  throw new GraphQLError(message, { extensions: { code } });
}

function requireRole(ctx: ApiContext, need: Role): void {
  if (!roleAtLeast(ctx.viewer.role, need)) {
    fail(`this needs the ${need} role; your token has ${ctx.viewer.role}`, 'FORBIDDEN');
  }
}

function intArg(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max)
    fail(`${name} must be an integer from ${min} to ${max}`, 'BAD_USER_INPUT');
  return v;
}

/** Store and ingest errors become typed GraphQL errors; anything else stays internal. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GraphQLError) throw err;
    if (err instanceof IngestError) fail(err.message, 'BAD_USER_INPUT');
    if (err instanceof StoreError) {
      const code = {
        BAD_INPUT: 'BAD_USER_INPUT',
        NOT_FOUND: 'NOT_FOUND',
        UNAVAILABLE: 'STORE_UNAVAILABLE',
        CONFLICT: 'CONFLICT',
        INTERNAL: 'INTERNAL_SERVER_ERROR',
        TIMEOUT: 'TIMEOUT',
        FORBIDDEN: 'FORBIDDEN',
      }[err.code];
      fail(err.message, code);
    }
    throw err;
  }
}

// --- cursors: (depth, id) of the last answer, so pages stay stable as the order is total
const encodeCursor = (a: AccessAnswer) =>
  Buffer.from(JSON.stringify([a.depth, a.node.id])).toString('base64url');
function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && Number.isInteger(v[0]) && typeof v[1] === 'string')
      return [v[0], v[1]];
  } catch {
    // fall through to the error below
  }
  fail('after: not a cursor this API returned', 'BAD_USER_INPUT');
}
const after = (a: AccessAnswer, [depth, id]: [number, string]) =>
  a.depth > depth || (a.depth === depth && a.node.id > id);

function connection(result: AccessResult, first: number, cursor: string | undefined) {
  const start = cursor ? decodeCursor(cursor) : null;
  const rest = start ? result.answers.filter((a) => after(a, start)) : result.answers;
  const page = rest.slice(0, first);
  return {
    edges: page.map((a) => ({ cursor: encodeCursor(a), node: a })),
    pageInfo: {
      hasNextPage: rest.length > first,
      endCursor: page.length ? encodeCursor(page[page.length - 1]!) : null,
    },
    totalCount: result.answers.length,
    truncated: result.truncated,
    truncatedBy: result.truncatedBy,
    known: result.known,
    within: result.within ?? null,
  };
}

interface AccessArgs {
  action?: string | null;
  level?: LevelQuery | null;
  kinds?: NodeKind[] | null;
  maxDepth: number;
  first: number;
  after?: string | null;
}

function accessQuery(args: AccessArgs, ctx: ApiContext) {
  return {
    ...(args.action ? { action: args.action } : {}),
    ...(args.level ? { level: args.level } : {}),
    ...(args.kinds?.length ? { kinds: args.kinds } : {}),
    maxDepth: intArg('maxDepth', args.maxDepth, 1, 16),
    limit: MAX_ANSWERS,
    timeoutMs: ctx.timeoutMs,
  };
}

const placeholder = (n: GraphNode) =>
  (n.props as { placeholder?: boolean } | undefined)?.placeholder === true && n.source === '';

export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: function literal(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
    switch (ast.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return ast.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value);
      case Kind.NULL:
        return null;
      case Kind.LIST:
        return ast.values.map((v) => literal(v, variables));
      case Kind.OBJECT:
        return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value, variables)]));
      case Kind.VARIABLE:
        return variables?.[ast.name.value];
      default:
        return undefined;
    }
  },
});

export const resolvers = {
  JSON: JsonScalar,
  Direction: { OUT: 'out', IN: 'in', BOTH: 'both' },
  FindingKind: FindingKindEnum,
  Finding: FindingResolvers,
  Report: ReportResolvers,
  ReportRun: ReportRunResolvers,
  ReportItem: ReportItemResolvers,
  ReportDiff: ReportDiffResolvers,
  Node: {
    placeholder,
    props: (n: GraphNode) => n.props ?? {},
    type: (n: GraphNode) => n.type ?? null,
    policies: async (n: GraphNode, { first }: { first: number }, ctx: ApiContext) => {
      const edges = await ctx.store.getEdges(n.id, {
        kinds: ['ATTACHED_TO'],
        direction: 'in',
        limit: intArg('first', first, 1, 1000),
      });
      return ctx.store.getNodes(edges.map((e) => e.from));
    },
    grants: (n: GraphNode, { first }: { first: number }, ctx: ApiContext) =>
      ctx.store.getEdges(n.id, {
        kinds: ['HAS_ACCESS'],
        direction: 'out',
        limit: intArg('first', first, 1, 1000),
      }),
    members: (n: GraphNode, { first }: { first: number }, ctx: ApiContext) =>
      ctx.store.getEdges(n.id, {
        kinds: ['MEMBER_OF', 'CAN_ASSUME'],
        direction: 'in',
        limit: intArg('first', first, 1, 1000),
      }),
    edges: (
      n: GraphNode,
      args: { kinds?: EdgeKind[] | null; direction: 'out' | 'in' | 'both'; first: number },
      ctx: ApiContext,
    ) =>
      ctx.store.getEdges(n.id, {
        ...(args.kinds?.length ? { kinds: args.kinds } : {}),
        direction: args.direction,
        limit: intArg('first', args.first, 1, 1000),
      }),
  },
  Edge: {
    actions: (e: GraphEdge) => (e.kind === 'HAS_ACCESS' ? e.props.actions : null),
    levels: (e: GraphEdge) => (e.kind === 'HAS_ACCESS' ? e.props.levels : null),
    conditional: (e: GraphEdge) => (e.props as { conditional?: boolean }).conditional === true,
    conditions: (e: GraphEdge) => (e.props as { conditions?: JsonValue }).conditions ?? null,
    technique: (e: GraphEdge) => (e.kind === 'CAN_ESCALATE' ? e.props.technique : null),
  },
  Via: {
    statement: (v: { statement: string | number | null }) =>
      v.statement === null ? null : String(v.statement),
  },
  AccessAnswer: {
    // the shared query returns explained hops; the API hands out the full edges instead
    path: (a: AccessAnswer) => a.edges,
    pathNodes: async (a: AccessAnswer, _: unknown, ctx: ApiContext) => {
      const ids = a.edges.length ? [a.edges[0]!.from, ...a.edges.map((e) => e.to)] : [a.node.id];
      const nodes = await Promise.all(ids.map((id) => ctx.nodes.load(id)));
      return nodes.filter((n): n is GraphNode => n !== null);
    },
  },
  Query: {
    me: (_: unknown, __: unknown, ctx: ApiContext) => ({
      role: ctx.viewer.role,
      tokenName: ctx.viewer.name,
      store: ctx.store.kind,
    }),
    whoCan: (_: unknown, args: AccessArgs & { resource: string }, ctx: ApiContext) =>
      guard(async () => {
        const first = intArg('first', args.first, 1, 500);
        const asked = accessQuery(args, ctx);
        const result = await ctx.answers.get(ctx.store, ['whoCan', args.resource, asked], async () => {
          const q = await narrowToTarget(ctx.store, args.resource, asked);
          return whoCan(ctx.store, args.resource, q);
        });

        return connection(result, first, args.after ?? undefined);
      }),
    canReach: (_: unknown, args: AccessArgs & { principal: string }, ctx: ApiContext) =>
      guard(async () => {
        const first = intArg('first', args.first, 1, 500);
        const q = accessQuery(args, ctx);
        const result = await ctx.answers.get(ctx.store, ['canReach', args.principal, q], () =>
          canReach(ctx.store, args.principal, q),
        );
        return connection(result, first, args.after ?? undefined);
      }),
    findings: (_: unknown, args: FindingsArgs, ctx: ApiContext) => guard(() => findingsConnection(args, ctx)),
    finding: (_: unknown, args: { id: string; dormantDays: number }, ctx: ApiContext) =>
      guard(() => findingById(args, ctx)),
    paths: (_: unknown, args: { from: string; to: string; maxHops: number; k: number }, ctx: ApiContext) =>
      guard(async () => {
        const r = await kShortestPaths(ctx.store, {
          from: args.from,
          to: args.to,
          maxDepth: intArg('maxHops', args.maxHops, 1, 16),
          k: intArg('k', args.k, 1, 10),
          timeoutMs: ctx.timeoutMs,
        });
        const ids = [...new Set(r.paths.flatMap((p) => p.flatMap((e) => [e.from, e.to])))];
        return { paths: r.paths, nodes: await ctx.store.getNodes(ids), truncated: r.truncated };
      }),
    neighborhood: (
      _: unknown,
      args: {
        node: string;
        depth: number;
        edgeKinds?: EdgeKind[] | null;
        direction: 'out' | 'in' | 'both';
        limit: number;
      },
      ctx: ApiContext,
    ) =>
      guard(() =>
        ctx.store.neighborhood(args.node, {
          depth: intArg('depth', args.depth, 1, 4),
          ...(args.edgeKinds?.length ? { edgeKinds: args.edgeKinds } : {}),
          direction: args.direction,
          limit: intArg('limit', args.limit, 1, 2000),
        }),
      ),
    search: (_: unknown, args: { text: string; kinds?: NodeKind[] | null; first: number }, ctx: ApiContext) =>
      guard(() => {
        if (args.text.length > 512) fail('text: at most 512 characters', 'BAD_USER_INPUT');
        return ctx.store.search(args.text, {
          ...(args.kinds?.length ? { kinds: args.kinds } : {}),
          limit: intArg('first', args.first, 1, 100),
        });
      }),
    node: (_: unknown, { id }: { id: string }, ctx: ApiContext) => guard(() => ctx.store.getNode(id)),
    sources: (_: unknown, __: unknown, ctx: ApiContext) => guard(() => ctx.store.listSources()),
    cypher: (_: unknown, args: { query: string; params?: Record<string, unknown> | null }, ctx: ApiContext) =>
      guard(async () => {
        requireRole(ctx, 'analyst');
        const runner = (ctx.store as Partial<ReadOnlyCypher>).readOnlyCypher;
        if (!runner) fail('custom Cypher needs the Neo4j store (start with --store neo4j)', 'NOT_AVAILABLE');
        if (
          args.params !== undefined &&
          args.params !== null &&
          (typeof args.params !== 'object' || Array.isArray(args.params))
        ) {
          fail('params must be a JSON object', 'BAD_USER_INPUT');
        }
        return runner.call(ctx.store, args.query, args.params ?? {}, {
          timeoutMs: ctx.timeoutMs,
          maxRows: 1000,
        });
      }),
    tokens: (_: unknown, __: unknown, ctx: ApiContext) => {
      requireRole(ctx, 'admin');
      return ctx.tokens.list();
    },
    ...reportQueries,
  },
  Mutation: {
    createToken: (_: unknown, args: { role: string; name?: string | null }, ctx: ApiContext) => {
      requireRole(ctx, 'admin');
      if (!isRole(args.role)) fail('role must be viewer, analyst or admin', 'BAD_USER_INPUT');
      const name = (args.name ?? `${args.role} token`).slice(0, 200);
      return ctx.tokens.create(args.role, name);
    },
    revokeToken: (_: unknown, { id }: { id: string }, ctx: ApiContext) => {
      requireRole(ctx, 'admin');
      return ctx.tokens.revoke(id);
    },
    ingest: (_: unknown, { documents }: { documents: unknown[] }, ctx: ApiContext) =>
      guard(async () => {
        requireRole(ctx, 'admin');
        const sources = await ingestDocuments(documents.map((doc, i) => ({ file: `documents[${i}]`, doc })));
        return loadSources(ctx.store, sources);
      }),
    ...reportMutations,
  },
};

/** Implemented by stores that can run analysts' own Cypher safely (Neo4j). */
export interface ReadOnlyCypher {
  readOnlyCypher(
    query: string,
    params: Record<string, unknown>,
    options: { timeoutMs: number; maxRows: number },
  ): Promise<{ columns: string[]; rows: JsonValue[][]; truncated: boolean }>;
}
