/**
 * The `findings` query: computed once per (question, loaded data) through the answer
 * cache, then paged by position (the order is total and stable, so a cursor is the last
 * finding's id).
 */
import { GraphQLError } from 'graphql';
import { findFindings } from '../graph/findings/compute.js';
import { FINDING_KINDS, type Finding, type FindingKind, type Severity } from '../graph/findings/types.js';
import type { GraphNode } from '../graph/model.js';
import type { GraphStore } from '../graph/store.js';
import type { AnswerCache } from './answer-cache.js';
import type { NodeLoader } from './node-loader.js';

/** GraphQL enum names ↔ the contract's kind strings (`PRIVILEGE_ESCALATION` ↔ `privilege-escalation`). */
export const FindingKindEnum = Object.fromEntries(
  FINDING_KINDS.map((k) => [k.toUpperCase().replaceAll('-', '_'), k]),
) as Record<string, FindingKind>;

export interface FindingsArgs {
  kinds?: FindingKind[] | null;
  minSeverity?: Severity | null;
  node?: string | null;
  dormantDays: number;
  first: number;
  after?: string | null;
}

interface FindingsContext {
  store: GraphStore;
  answers: AnswerCache;
  nodes: NodeLoader;
  timeoutMs: number;
}

const bad = (message: string): never => {
  throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
};

export async function findingsConnection(args: FindingsArgs, ctx: FindingsContext) {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > 500)
    bad('first must be an integer from 1 to 500');
  const result = await cachedFindings(args, ctx);
  const all = args.node
    ? result.findings.filter((f) => f.principal === args.node || f.target === args.node)
    : result.findings;
  let start = 0;
  if (args.after) {
    const at = all.findIndex((f) => f.id === args.after);
    if (at < 0) bad('after: not a cursor of this result (the data may have been reloaded; start again)');
    start = at + 1;
  }
  const page = all.slice(start, start + args.first);
  return {
    edges: page.map((f) => ({ cursor: f.id, node: f })),
    pageInfo: { hasNextPage: start + args.first < all.length, endCursor: page.at(-1)?.id ?? null },
    totalCount: all.length,
    truncated: result.truncated,
    notes: result.notes,
  };
}

/** The findings for these options, computed once per loaded-data version (answer cache). */
function cachedFindings(
  args: Pick<FindingsArgs, 'kinds' | 'minSeverity' | 'dormantDays'>,
  ctx: FindingsContext,
) {
  if (!Number.isInteger(args.dormantDays) || args.dormantDays < 1 || args.dormantDays > 3650) {
    bad('dormantDays must be an integer from 1 to 3650');
  }
  const options = {
    ...(args.kinds?.length ? { kinds: args.kinds } : {}),
    ...(args.minSeverity ? { minSeverity: args.minSeverity } : {}),
    dormantDays: args.dormantDays,
    timeoutMs: ctx.timeoutMs,
  };
  return ctx.answers.get(ctx.store, ['findings', options], () => findFindings(ctx.store, options));
}

/** One finding by id, from the same cached computation the unfiltered list pages through. */
export async function findingById(
  args: { id: string; dormantDays: number },
  ctx: FindingsContext,
): Promise<Finding | null> {
  const result = await cachedFindings({ dormantDays: args.dormantDays }, ctx);
  return result.findings.find((f) => f.id === args.id) ?? null;
}

export const FindingResolvers = {
  principal: (f: Finding, _: unknown, ctx: { nodes: NodeLoader }) => ctx.nodes.load(f.principal),
  target: (f: Finding, _: unknown, ctx: { nodes: NodeLoader }) => ctx.nodes.load(f.target),
  pathNodes: async (f: Finding, _: unknown, ctx: { nodes: NodeLoader }) => {
    const ids = f.path.length ? [f.path[0]!.from, ...f.path.map((h) => h.to)] : [f.principal];
    const nodes = await Promise.all(ids.map((id) => ctx.nodes.load(id)));
    return nodes.filter((n): n is GraphNode => n !== null);
  },
};
