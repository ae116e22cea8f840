/**
 * The report queries (`reports`, `reportRuns`, `reportRun`, `reportDiff`) and the
 * `runReport` mutation. Everything reads the run history (reports/history.ts) of the report
 * service `serve --reports FILE` publishes (reports/service.ts); without one the queries
 * answer empty and the mutation says how to get one, so clients need no special case.
 */
import { GraphQLError } from 'graphql';
import type { Severity } from '../graph/findings/types.js';
import { SEVERITIES } from '../graph/findings/types.js';
import type { GraphNode, JsonValue } from '../graph/model.js';
import type { Hop } from '../graph/queries/access.js';
import type { ReportDefinition } from '../reports/config.js';
import { diffItems, type RunDiff } from '../reports/diff.js';
import type { RunItemWithDetail, RunRecord, RunTrigger } from '../reports/history.js';
import type { NodeSummary } from '../reports/run-report.js';
import type { ReportService } from '../reports/service.js';
import { type Role, roleAtLeast, type TokenInfo } from './auth/tokens.js';
import type { NodeLoader } from './node-loader.js';

/** What these resolvers need of the API context (resolvers.ts ApiContext has it all). */
export interface ReportsContext {
  reports: ReportService | null;
  viewer: TokenInfo;
  nodes: NodeLoader;
  timeoutMs: number;
}

export const NO_REPORTS_MESSAGE =
  'this server has no report definitions: start it with `accessgraph serve --reports FILE` (format: docs/reports.md)';

function fail(message: string, code: string): never {
  throw new GraphQLError(message, { extensions: { code } });
}

function intArg(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max)
    fail(`${name} must be an integer from ${min} to ${max}`, 'BAD_USER_INPUT');
  return v;
}

/** Run ids are integers; the schema types them ID, so they arrive as strings. */
function runIdArg(name: string, v: string): number {
  const n = /^\d{1,15}$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) fail(`${name}: not a run id`, 'BAD_USER_INPUT');
  return n;
}

/** A report the API may talk about: defined in the config, or with runs in the history. */
function knownReport(service: ReportService, name: string): void {
  if (service.definitions.some((d) => d.name === name)) return;
  if (service.history.runCount(name) > 0) return;
  const names = service.definitions.map((d) => d.name).join(', ') || 'none';
  fail(`no report named "${name}"; this server's reports: ${names}`, 'NOT_FOUND');
}

// --- cursors: a run's id for runs (keyset), an offset for a run's items (stored items never change)
const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function decodeCursor(cursor: string, tag: 'run' | 'item'): number {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v[0] === tag && Number.isSafeInteger(v[1]) && (v[1] as number) >= 0)
      return v[1] as number;
  } catch {
    // fall through to the error below
  }
  fail('after: not a cursor this API returned', 'BAD_USER_INPUT');
}

const TRIGGER: Record<RunTrigger, string> = {
  manual: 'MANUAL',
  schedule: 'SCHEDULE',
  'catch-up': 'CATCH_UP',
};

interface RunSummary {
  items: number;
  findings: number;
  crownJewelPaths: number;
  maxScore: number;
  byBand: Record<Severity, number>;
}
const summaryOf = (r: RunRecord) => (r.status === 'ok' ? (r.summary as unknown as RunSummary | null) : null);

const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

/** The stored detail of an item (execute.ts itemDetail), or empty for runs before details were kept. */
interface ItemDetail {
  kind?: string;
  principal?: string;
  target?: string;
  conditional?: boolean;
  path?: Hop[];
  facts?: JsonValue;
  nodes?: Record<string, NodeSummary>;
  severity?: Severity;
  remediation?: string;
  technique?: string;
  jewel?: string;
  actions?: string[];
}
const detailOf = (i: RunItemWithDetail): ItemDetail =>
  i.detail && typeof i.detail === 'object' && !Array.isArray(i.detail) ? (i.detail as ItemDetail) : {};

/** The node from the current graph; else the name the run recorded, marked as a placeholder. */
async function nodeOf(item: RunItemWithDetail, id: string | undefined, ctx: ReportsContext) {
  if (!id) return null;
  const live = await ctx.nodes.load(id);
  if (live) return live;
  const seen = detailOf(item).nodes?.[id];
  const recorded: GraphNode = {
    id,
    cloud: (seen?.cloud ?? 'generic') as GraphNode['cloud'],
    kind: (seen?.kind ?? 'External') as GraphNode['kind'],
    name: seen?.name ?? id,
    source: '',
    props: { placeholder: true },
  };
  if (seen?.type) recorded.type = seen.type;
  return recorded;
}

function itemsPage(
  service: ReportService,
  run: RunRecord,
  args: { minSeverity?: Severity | null; first: number; after?: string | null },
) {
  const first = intArg('first', args.first, 1, 200);
  const start = args.after ? decodeCursor(args.after, 'item') : 0;
  if (run.status !== 'ok')
    return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
  // items are ordered by score and bands follow the score, so a band filter is a prefix:
  // page through the stored order and stop at the first item below the band
  const maxRank = args.minSeverity ? severityRank(args.minSeverity) : SEVERITIES.length - 1;
  const summary = summaryOf(run);
  const total = summary
    ? SEVERITIES.filter((s) => severityRank(s) <= maxRank).reduce((n, s) => n + (summary.byBand[s] ?? 0), 0)
    : service.history.itemCount(run.id);
  const rows = service.history
    .itemsWithDetail(run.id, first + 1, start)
    .filter((i) => severityRank(i.band) <= maxRank);
  const page = rows.slice(0, first);
  return {
    edges: page.map((node, i) => ({ cursor: encode(['item', start + i + 1]), node })),
    pageInfo: {
      hasNextPage: start + page.length < total,
      endCursor: page.length ? encode(['item', start + page.length]) : null,
    },
    totalCount: total,
  };
}

/** The diff of a successful run against the report's previous successful one. */
function diffOf(service: ReportService, run: RunRecord) {
  const previous = service.history.previousOk(run.report, run.id);
  const diff: RunDiff | null = previous
    ? diffItems(previous, service.history.items(previous.id), service.history.items(run.id))
    : null;
  return { run, previous, diff };
}
type DiffParent = ReturnType<typeof diffOf>;

function requireRole(ctx: ReportsContext, need: Role): void {
  if (!roleAtLeast(ctx.viewer.role, need))
    fail(`this needs the ${need} role; your token has ${ctx.viewer.role}`, 'FORBIDDEN');
}

const emptyRuns = { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };

export const reportQueries = {
  reports: (_: unknown, __: unknown, ctx: ReportsContext) => ctx.reports?.definitions ?? [],

  reportRuns: (
    _: unknown,
    args: { report: string; first: number; after?: string | null },
    ctx: ReportsContext,
  ) => {
    const first = intArg('first', args.first, 1, 100);
    const service = ctx.reports;
    if (!service) return emptyRuns;
    knownReport(service, args.report);
    const before = args.after ? decodeCursor(args.after, 'run') : Number.MAX_SAFE_INTEGER;
    const rows = service.history.listRunsBefore(args.report, before, first + 1);
    const page = rows.slice(0, first);
    return {
      edges: page.map((node) => ({ cursor: encode(['run', node.id]), node })),
      pageInfo: {
        hasNextPage: rows.length > first,
        endCursor: page.length ? encode(['run', page.at(-1)!.id]) : null,
      },
      totalCount: service.history.runCount(args.report),
    };
  },

  reportRun: (_: unknown, args: { id: string }, ctx: ReportsContext) => {
    const id = runIdArg('id', args.id);
    return ctx.reports?.history.getRun(id) ?? null;
  },

  reportDiff: (_: unknown, args: { report: string; run?: string | null }, ctx: ReportsContext) => {
    const service = ctx.reports;
    if (!service) return null;
    knownReport(service, args.report);
    if (!args.run) {
      const latest = service.history.previousOk(args.report);
      return latest ? diffOf(service, latest) : null;
    }
    const run = service.history.getRun(runIdArg('run', args.run));
    if (!run || run.report !== args.report)
      fail(`run #${args.run} is not a run of report "${args.report}"`, 'NOT_FOUND');
    if (run.status !== 'ok')
      fail(
        `run #${run.id} ${run.status === 'running' ? 'is still running' : 'failed'}; only successful runs have a diff`,
        'BAD_USER_INPUT',
      );
    return diffOf(service, run);
  },
};

export const reportMutations = {
  runReport: async (_: unknown, args: { name: string }, ctx: ReportsContext) => {
    requireRole(ctx, 'analyst');
    const service = ctx.reports;
    if (!service) fail(NO_REPORTS_MESSAGE, 'NOT_AVAILABLE');
    if (!service.definitions.some((d) => d.name === args.name)) {
      const names = service.definitions.map((d) => d.name).join(', ') || 'none';
      fail(`no report named "${args.name}" in the config; it defines: ${names}`, 'NOT_FOUND');
    }
    const started = service.runNow(args.name);
    if (!started) {
      const current = service.history.listRuns(args.name, 1)[0];
      const which =
        current?.status === 'running' ? ` (run #${current.id}, started ${current.startedAt})` : '';
      fail(`report "${args.name}" is already running${which}; one run of a report at a time`, 'CONFLICT');
    }
    const runId = await started.runId;
    // answer with the outcome when the run is quick; otherwise with the run still RUNNING
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      started.done,
      new Promise((resolve) => {
        timer = setTimeout(resolve, ctx.timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return service.history.getRun(runId);
  },
};

export const ReportResolvers = {
  name: (d: ReportDefinition) => d.name,
  description: (d: ReportDefinition) => d.description ?? null,
  schedule: (d: ReportDefinition) => d.schedule?.cron ?? null,
  timezone: (d: ReportDefinition) => d.schedule?.timezone ?? null,
  nextRunAt: (d: ReportDefinition, _: unknown, ctx: ReportsContext) =>
    ctx.reports?.nextRun(d.name)?.toISOString() ?? null,
  running: (d: ReportDefinition, _: unknown, ctx: ReportsContext) => ctx.reports?.inProgress(d.name) ?? false,
  runCount: (d: ReportDefinition, _: unknown, ctx: ReportsContext) =>
    ctx.reports?.history.runCount(d.name) ?? 0,
  lastRun: (d: ReportDefinition, _: unknown, ctx: ReportsContext) =>
    ctx.reports?.history.listRuns(d.name, 1)[0] ?? null,
};

export const ReportRunResolvers = {
  id: (r: RunRecord) => String(r.id),
  trigger: (r: RunRecord) => TRIGGER[r.trigger],
  outcome: (r: RunRecord) => r.status.toUpperCase(),
  counts: (r: RunRecord) => summaryOf(r)?.byBand ?? null,
  score: (r: RunRecord) => summaryOf(r),
  items: (
    r: RunRecord,
    args: { minSeverity?: Severity | null; first: number; after?: string | null },
    ctx: ReportsContext,
  ) => (ctx.reports ? itemsPage(ctx.reports, r, args) : emptyRuns),
  item: (r: RunRecord, args: { key: string }, ctx: ReportsContext) =>
    ctx.reports?.history.itemsByKey(r.id, [args.key])[0] ?? null,
};

export const ReportItemResolvers = {
  source: (i: RunItemWithDetail) => (i.source === 'finding' ? 'FINDING' : 'CROWN_JEWEL'),
  kind: (i: RunItemWithDetail) => detailOf(i).kind ?? null,
  severity: (i: RunItemWithDetail) => detailOf(i).severity ?? null,
  principalId: (i: RunItemWithDetail) => detailOf(i).principal ?? null,
  targetId: (i: RunItemWithDetail) => detailOf(i).target ?? null,
  principal: (i: RunItemWithDetail, _: unknown, ctx: ReportsContext) => nodeOf(i, detailOf(i).principal, ctx),
  target: (i: RunItemWithDetail, _: unknown, ctx: ReportsContext) => nodeOf(i, detailOf(i).target, ctx),
  technique: (i: RunItemWithDetail) => detailOf(i).technique ?? null,
  remediation: (i: RunItemWithDetail) => detailOf(i).remediation ?? null,
  jewel: (i: RunItemWithDetail) => detailOf(i).jewel ?? null,
  actions: (i: RunItemWithDetail) => detailOf(i).actions ?? null,
  conditional: (i: RunItemWithDetail) => detailOf(i).conditional === true,
  facts: (i: RunItemWithDetail) => detailOf(i).facts ?? null,
  pathRecorded: (i: RunItemWithDetail) => i.detail !== null,
  path: (i: RunItemWithDetail) => detailOf(i).path ?? [],
  pathNodes: async (i: RunItemWithDetail, _: unknown, ctx: ReportsContext) => {
    const d = detailOf(i);
    const path = d.path ?? [];
    const ids = path.length ? [path[0]!.from, ...path.map((h) => h.to)] : d.principal ? [d.principal] : [];
    const nodes = await Promise.all(ids.map((id) => nodeOf(i, id, ctx)));
    return nodes.filter((n): n is GraphNode => n !== null);
  },
};

export const ReportDiffResolvers = {
  run: (p: DiffParent) => p.run,
  previousRun: (p: DiffParent) => p.previous,
  addedCount: (p: DiffParent) => p.diff?.added.length ?? 0,
  resolvedCount: (p: DiffParent) => p.diff?.resolved.length ?? 0,
  changedCount: (p: DiffParent) => p.diff?.changed.length ?? 0,
  unchanged: (p: DiffParent) => p.diff?.unchanged ?? 0,
  added: (p: DiffParent, args: { first: number }, ctx: ReportsContext) =>
    inOrder(ctx, p.run.id, (p.diff?.added ?? []).slice(0, intArg('first', args.first, 1, 500))),
  resolved: (p: DiffParent, args: { first: number }, ctx: ReportsContext) =>
    p.previous
      ? inOrder(ctx, p.previous.id, (p.diff?.resolved ?? []).slice(0, intArg('first', args.first, 1, 500)))
      : [],
  changed: (p: DiffParent, args: { first: number }, ctx: ReportsContext) => {
    const changes = (p.diff?.changed ?? []).slice(0, intArg('first', args.first, 1, 500));
    const items = inOrder(ctx, p.run.id, changes);
    const byKey = new Map(changes.map((c) => [c.key, c]));
    return items.map((item) => {
      const c = byKey.get(item.key)!;
      return { item, previousScore: c.from, previousBand: c.fromBand };
    });
  },
};

/** The stored items (with paths) for diff entries, in the diff's order. */
function inOrder(ctx: ReportsContext, runId: number, entries: ReadonlyArray<{ key: string }>) {
  if (!ctx.reports) return [];
  const found = new Map(
    ctx.reports.history
      .itemsByKey(
        runId,
        entries.map((e) => e.key),
      )
      .map((i) => [i.key, i]),
  );
  return entries.map((e) => found.get(e.key)).filter((i): i is RunItemWithDetail => i !== undefined);
}
