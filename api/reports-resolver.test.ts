/**
 * The report API over real HTTP on the demo company: a server with a report config (the
 * scheduler publishes its service, as under `serve --reports FILE`) and one without. Roles,
 * runs, paging, the diff after a data change, typed errors, and the explorer's own queries
 * through the depth and cost limits.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../graph/embedded/sqlite-store.js';
import { computeFindings } from '../graph/findings/compute.js';
import { loadDemo } from '../ingest/demo/load-demo.js';
import { type RunningReportScheduler, startReportScheduler } from '../reports/start.js';
import { DIFF_PAGE, ITEMS_PAGE, RQ, RUNS_PAGE } from '../web/src/report-queries.js';
import { TokenStore } from './auth/tokens.js';
import { type RunningServer, startServer } from './server.js';

type Role = 'viewer' | 'analyst' | 'admin';
interface Gql {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

const JEWEL = 'arn:aws:s3:::acme-data';
const ENGINEERS = 'arn:aws:iam::111111111111:group/engineers';

/**
 * A small source whose members join `engineers`, and so reach the crown jewel; frank is
 * always there, last used `frankUsed` (long unused makes him dormant, which moves his score).
 */
const joiners = (name: string, frankUsed: string) => ({
  format: 'accessgraph-graph',
  version: 1,
  source: { id: 'file:joiners', cloud: 'aws' },
  nodes: [
    { id: `arn:aws:iam::111111111111:user/${name}`, kind: 'User', name },
    {
      id: 'arn:aws:iam::111111111111:user/frank',
      kind: 'User',
      name: 'frank',
      props: { lastUsed: frankUsed },
    },
  ],
  edges: [name, 'frank'].map((n) => ({
    kind: 'MEMBER_OF',
    from: `arn:aws:iam::111111111111:user/${n}`,
    to: ENGINEERS,
  })),
});

describe('report API over HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accessgraph-api-reports-'));
  let store: EmbeddedStore;
  let bare: EmbeddedStore;
  let tokens: TokenStore;
  let server: RunningServer;
  let plain: RunningServer;
  let reports: RunningReportScheduler;
  const secrets: Record<Role, string> = { viewer: '', analyst: '', admin: '' };

  beforeAll(async () => {
    store = await EmbeddedStore.open({ dataDir: join(dir, 'graph') });
    await loadDemo(store);
    bare = await EmbeddedStore.open({ dataDir: join(dir, 'bare') });
    tokens = TokenStore.open(dir);
    for (const role of ['viewer', 'analyst', 'admin'] as const) secrets[role] = tokens.create(role).token;
    const config = join(dir, 'reports.json');
    writeFileSync(
      config,
      JSON.stringify({
        reports: [
          {
            name: 'crown',
            description: 'who reaches the customer data',
            schedule: { cron: '0 6 * * 1', timezone: 'Europe/Berlin' },
            crownJewels: [{ name: 'customer data', sensitivity: 'critical', select: [{ id: JEWEL }] }],
            findings: { kinds: ['privilege-escalation'] },
            outputs: { formats: ['json'] },
          },
          { name: 'adhoc', findings: { kinds: ['public-access'] }, outputs: { formats: ['md'] } },
        ],
      }),
    );
    const opts = { host: '127.0.0.1', port: 0, log: () => undefined, timeoutMs: 20_000 };
    server = await startServer({ store, tokens, ...opts });
    // started after the server, as `serve` does: the server finds it through the store
    reports = await startReportScheduler({
      store,
      dataDir: dir,
      configPath: config,
      findings: (s) => computeFindings(store, { kinds: s.kinds, dormantDays: s.dormantDays, now: s.now }),
    });
    plain = await startServer({ store: bare, tokens, ...opts });
  });
  afterAll(async () => {
    await reports.stop();
    await server.close();
    await plain.close();
    tokens.close();
    await store.close();
    await bare.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function gql(
    query: string,
    variables: Record<string, unknown> = {},
    role: Role = 'viewer',
    on = server,
  ) {
    const res = await fetch(`${on.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets[role]}` },
      body: JSON.stringify({ query, variables }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Gql;
  }
  const codes = (r: Gql) => (r.errors ?? []).map((e) => e.extensions?.code);
  const runNow = (name: string, role: Role = 'analyst') => gql(RQ.run, { name }, role);

  it('lists the definitions to a viewer, never run yet', async () => {
    const r = await gql(RQ.reports);
    expect(r.errors).toBeUndefined();
    const list = r.data!.reports as Array<Record<string, unknown>>;
    expect(list.map((d) => d.name)).toEqual(['crown', 'adhoc']);
    expect(list[0]).toMatchObject({
      description: 'who reaches the customer data',
      schedule: '0 6 * * 1',
      timezone: 'Europe/Berlin',
      running: false,
      runCount: 0,
      lastRun: null,
    });
    expect(new Date(list[0]!.nextRunAt as string).getTime()).toBeGreaterThan(Date.now());
    expect(list[1]).toMatchObject({ schedule: null, timezone: null, nextRunAt: null });
    const runs = await gql(RQ.runs, { report: 'crown', first: RUNS_PAGE });
    expect(runs.data!.reportRuns).toMatchObject({ totalCount: 0, edges: [] });
    expect((await gql(RQ.diff, { report: 'crown', first: DIFF_PAGE })).data).toEqual({ reportDiff: null });
  });

  it('does not let a viewer run a report', async () => {
    const r = await runNow('crown', 'viewer');
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expect(r.errors![0]!.message).toContain('analyst');
    expect((await gql(RQ.runs, { report: 'crown' })).data!.reportRuns).toMatchObject({ totalCount: 0 });
  });

  let firstRun = '';
  it('lets an analyst run one; the run is listed with its counts and scored paths', async () => {
    await gql(
      'mutation($d: [JSON!]!) { ingest(documents: $d) { id } }',
      { d: [joiners('eve', new Date().toISOString())] },
      'admin',
    );
    const r = await runNow('crown');
    expect(r.errors).toBeUndefined();
    const run = r.data!.runReport as Record<string, unknown>;
    expect(run).toMatchObject({ report: 'crown', outcome: 'OK', trigger: 'MANUAL', error: null });
    firstRun = run.id as string;
    const counts = run.counts as Record<string, number>;
    const score = run.score as { items: number; crownJewelPaths: number; maxScore: number };
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(score.items);
    expect(score.crownJewelPaths).toBeGreaterThan(0);

    const listed = (await gql(RQ.runs, { report: 'crown', first: RUNS_PAGE })).data!.reportRuns as {
      totalCount: number;
      edges: Array<{ node: { id: string } }>;
    };
    expect(listed.totalCount).toBe(1);
    expect(listed.edges[0]!.node.id).toBe(firstRun);
    const reportsNow = (await gql(RQ.reports)).data!.reports as Array<{ runCount: number; lastRun: unknown }>;
    expect(reportsNow[0]).toMatchObject({ runCount: 1, lastRun: { id: firstRun, outcome: 'OK' } });

    const items = (await gql(RQ.runItems, { id: firstRun, first: ITEMS_PAGE })).data!.reportRun as {
      items: {
        totalCount: number;
        edges: Array<{ node: { key: string; score: number; principal: { id: string } } }>;
      };
    };
    expect(items.items.totalCount).toBe(score.items);
    const scores = items.items.edges.map((e) => e.node.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const eve = items.items.edges.find((e) => e.node.principal?.id.endsWith('user/eve'));
    expect(eve).toBeDefined();

    // the item with its path, each hop explained, as the findings API gives them
    const one = (await gql(RQ.item, { id: firstRun, key: eve!.node.key })).data!.reportRun as {
      item: {
        pathRecorded: boolean;
        path: Array<{ from: string; to: string; edge: string; via: { label: string } | null }>;
        pathNodes: Array<{ id: string; name: string }>;
        facts: Record<string, unknown>;
      };
    };
    expect(one.item.pathRecorded).toBe(true);
    expect(one.item.path.map((h) => h.edge)).toEqual(['MEMBER_OF', 'HAS_ACCESS', 'CONTAINS']);
    expect(one.item.path.at(-1)!.to).toBe(JEWEL);
    expect(one.item.path.some((h) => h.via?.label === 'read-data')).toBe(true);
    expect(one.item.pathNodes.map((n) => n.id)).toEqual([
      one.item.path[0]!.from,
      ...one.item.path.map((h) => h.to),
    ]);
    expect(one.item.facts).toMatchObject({ sensitivity: 'critical' });
  });

  it('pages the runs and the items by cursor', async () => {
    const all = (await gql(RQ.runItems, { id: firstRun, first: 200 })).data!.reportRun as {
      items: { edges: Array<{ node: { key: string } }> };
    };
    const keys: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i++) {
      const page = (await gql(RQ.runItems, { id: firstRun, first: 2, after })).data!.reportRun as {
        items: {
          pageInfo: { hasNextPage: boolean; endCursor: string };
          edges: Array<{ node: { key: string } }>;
        };
      };
      keys.push(...page.items.edges.map((e) => e.node.key));
      if (!page.items.pageInfo.hasNextPage) break;
      after = page.items.pageInfo.endCursor;
    }
    expect(keys).toEqual(all.items.edges.map((e) => e.node.key));
    const bad = await gql(RQ.runs, { report: 'crown', after: 'nope' });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
  });

  it('diffs a second run after a data change: new, resolved and changed', async () => {
    // eve leaves, mallory joins
    await gql(
      'mutation($d: [JSON!]!) { ingest(documents: $d) { id } }',
      { d: [joiners('mallory', '2001-01-01T00:00:00Z')] },
      'admin',
    );
    const second = (await runNow('crown')).data!.runReport as { id: string; outcome: string };
    expect(second.outcome).toBe('OK');
    const latest = await gql(RQ.diff, { report: 'crown', first: DIFF_PAGE });
    const byRun = await gql(RQ.diff, { report: 'crown', run: second.id, first: DIFF_PAGE });
    expect(latest.errors).toBeUndefined();
    expect(byRun.data).toEqual(latest.data);
    type Item = { key: string; principal: { id: string; placeholder?: boolean } | null };
    const d = latest.data!.reportDiff as {
      previousRun: { id: string };
      addedCount: number;
      resolvedCount: number;
      added: Item[];
      resolved: Item[];
      changed: Array<{ previousScore: number; item: Item & { score: number } }>;
    };
    expect(d.previousRun.id).toBe(firstRun);
    expect(d.added.map((i) => i.principal?.id)).toContain('arn:aws:iam::111111111111:user/mallory');
    expect(d.resolved.map((i) => i.principal?.id)).toContain('arn:aws:iam::111111111111:user/eve');
    const frank = d.changed.find((c) => c.item.principal?.id.endsWith('user/frank'));
    expect(frank).toBeDefined();
    expect(frank!.item.score).not.toBe(frank!.previousScore);
    expect(d.addedCount).toBe(d.added.length);
    expect(d.resolvedCount).toBe(d.resolved.length);
    // eve is gone from the graph: the resolved path still names her, as the run saw her
    const gone = d.resolved.find((i) => i.principal?.id.endsWith('user/eve'))!;
    const named = `query($id: ID!, $key: ID!) { reportRun(id: $id) { item(key: $key) {
      principal { name placeholder } pathNodes { name } } } }`;
    const detail = (await gql(named, { id: firstRun, key: gone.key })).data!.reportRun as {
      item: { principal: { name: string; placeholder: boolean }; pathNodes: Array<{ name: string }> };
    };
    expect(detail.item.principal).toMatchObject({ name: 'eve', placeholder: true });
    expect(detail.item.pathNodes[0]!.name).toBe('eve');

    // the first run has nothing to compare with
    const first = (await gql(RQ.diff, { report: 'crown', run: firstRun, first: DIFF_PAGE })).data!
      .reportDiff as Record<string, unknown>;
    expect(first).toMatchObject({ previousRun: null, addedCount: 0, added: [], resolved: [], changed: [] });
  });

  it('answers typed errors for unknown reports, runs and bad arguments', async () => {
    expect(codes(await gql(RQ.runs, { report: 'nope' }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(RQ.diff, { report: 'nope' }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(RQ.diff, { report: 'adhoc', run: firstRun }))).toEqual(['NOT_FOUND']);
    expect(codes(await runNow('nope'))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(RQ.runs, { report: 'crown', first: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(RQ.oneRun, { id: 'x' }))).toEqual(['BAD_USER_INPUT']);
    expect((await gql(RQ.oneRun, { id: '999999' })).data).toEqual({ reportRun: null });
  });

  it('runs one run of a report at a time', async () => {
    const [a, b] = await Promise.all([runNow('adhoc', 'admin'), runNow('adhoc', 'analyst')]);
    const outcomes = [a, b].map((r) => (r.errors ? r.errors[0]!.extensions?.code : 'OK'));
    expect(outcomes.sort()).toEqual(['CONFLICT', 'OK']);
    const conflict = [a, b].find((r) => r.errors)!;
    expect(conflict.errors![0]!.message).toMatch(/already running.*one run of a report at a time/);
  });

  it('answers empty without a report config, and says how to get one', async () => {
    const list = await gql(RQ.reports, {}, 'viewer', plain);
    expect(list.data).toEqual({ reports: [] });
    const runs = await gql(RQ.runs, { report: 'crown' }, 'viewer', plain);
    expect(runs.data!.reportRuns).toMatchObject({ totalCount: 0, edges: [] });
    expect((await gql(RQ.diff, { report: 'crown' }, 'viewer', plain)).data).toEqual({ reportDiff: null });
    const run = await gql(RQ.run, { name: 'crown' }, 'analyst', plain);
    expect(codes(run)).toEqual(['NOT_AVAILABLE']);
    expect(run.errors![0]!.message).toContain('serve --reports FILE');
    // the role check comes first: a viewer learns nothing about the configuration
    expect(codes(await gql(RQ.run, { name: 'crown' }, 'viewer', plain))).toEqual(['FORBIDDEN']);
  });

  it("lets the explorer's queries through the depth and cost limits at its page sizes", async () => {
    // literal page sizes, since the cost limit multiplies by literal `first` arguments
    const literal = (q: string, first: number) =>
      q.replace(/, \$first: Int/, '').replace(/\$first/g, String(first));
    for (const [q, vars, first] of [
      [RQ.runs, { report: 'crown' }, RUNS_PAGE],
      [RQ.runItems, { id: firstRun }, ITEMS_PAGE],
      [RQ.diff, { report: 'crown' }, DIFF_PAGE],
    ] as const) {
      const r = await gql(literal(q, first), vars);
      expect(r.errors, q).toBeUndefined();
    }
    const r = await gql(RQ.item, { id: firstRun, key: 'none' });
    expect(r.errors).toBeUndefined();
  });
});
