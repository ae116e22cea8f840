/**
 * The reports page over the demo company, served with a report config (`<data-dir>/reports.yaml`,
 * which `serve` reads when `--reports` is not given): the reports and their runs, "Run now",
 * a run's risks with their paths drawn, the diff after a data change between two runs, deep
 * links per run, the hand-off to the paths view, and a viewer who may look but not run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, launch, type Served, shot, startServer, tempDataDir } from './harness';

let server: Served;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const errors: string[] = [];

const JEWEL = 'arn:aws:s3:::acme-data';
const ENGINEERS = 'arn:aws:iam::111111111111:group/engineers';
const user = (n: string) => `arn:aws:iam::111111111111:user/${n}`;

const CONFIG = `reports:
  - name: crown-jewels
    description: Who reaches the customer data, and who can escalate
    schedule: { cron: "0 6 * * 1", timezone: Europe/Berlin }
    crownJewels:
      - { name: customer data, sensitivity: critical, select: [{ id: "${JEWEL}" }] }
    findings: { kinds: [privilege-escalation, admin-equivalent] }
    outputs: { formats: [json] }
  - name: exposure
    findings: { kinds: [public-access, cross-account-access, external-trust] }
    outputs: { formats: [md] }
`;

/** A source whose users join `engineers` (and so reach the jewel); frank's last use moves his score. */
const joiners = (name: string, frankUsed: string) => ({
  format: 'accessgraph-graph',
  version: 1,
  source: { id: 'file:joiners', cloud: 'aws' },
  nodes: [
    { id: user(name), kind: 'User', name },
    { id: user('frank'), kind: 'User', name: 'frank', props: { lastUsed: frankUsed } },
  ],
  edges: [name, 'frank'].map((n) => ({ kind: 'MEMBER_OF', from: user(n), to: ENGINEERS })),
});

beforeAll(async () => {
  ensureBuilt();
  const dataDir = tempDataDir('reports');
  writeFileSync(join(dataDir, 'reports.yaml'), CONFIG);
  server = await startServer('demo', dataDir);
  browser = await launch();
  ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** GraphQL as the signed-in page (admin from the login link). */
function api(p: Page, query: string, variables: Record<string, unknown> = {}) {
  return p.evaluate(
    async ([q, v]) => {
      const t = sessionStorage.getItem('accessgraph.token') ?? localStorage.getItem('accessgraph.token');
      const r = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return (await r.json()) as { data?: Record<string, unknown>; errors?: Array<{ message: string }> };
    },
    [query, variables] as const,
  );
}
const ingest = async (doc: unknown) => {
  const r = await api(page, 'mutation($d: [JSON!]!) { ingest(documents: $d) { id } }', { d: [doc] });
  expect(r.errors).toBeUndefined();
};

const laidOut = (p: Page) => p.locator('[data-testid=graph][data-layout=done]').waitFor();
const param = (p: Page, k: string) => new URL(p.url()).searchParams.get(k);
const options = (p: Page, list: string) => p.getByTestId(list).getByRole('option');
type Cy = { edges(): { length: number } };
const cyEdges = (p: Page) =>
  p.evaluate(() => (window as unknown as { __cy?: Cy }).__cy?.edges().length ?? null);

const runs = { first: '', second: '' };

describe('reports view', () => {
  it('opens from the navigation and lists the reports, not run yet', async () => {
    await page.goto(server.loginLink);
    await page.getByTestId('home-search').waitFor();
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('view-reports').waitFor();
    expect(param(page, 'view')).toBe('reports');
    await expect(page.getByTestId('nav-reports').getAttribute('aria-current')).resolves.toBe('page');
    await expect(page.getByTestId('report-chip').count()).resolves.toBe(2);
    await expect(page.getByTestId('report-chip').first().getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.getByTestId('report-status').textContent()).resolves.toMatch(
      /runs 0 6 \* \* 1 \(Europe\/Berlin\), next/,
    );
    await page.getByTestId('no-runs').waitFor();
    // the login link signs in as admin: "Run now" is offered
    await page.getByTestId('run-now').waitFor();
    await shot(page, 'reports-01-never-run');
  });

  it('runs a report now; the run is listed with its risks', async () => {
    await ingest(joiners('eve', new Date().toISOString()));
    await page.getByTestId('run-now').click();
    await expect
      .poll(() => page.getByTestId('run-message').textContent(), { timeout: 60_000 })
      .toMatch(/run #\d+ finished: \d+ risks, highest score \d+/);
    await expect.poll(() => options(page, 'run-list').count()).toBe(1);
    runs.first = param(page, 'run') ?? '';
    expect(runs.first).toMatch(/^\d+$/);
    await expect(options(page, 'run-list').first().getByTestId('run-outcome').textContent()).resolves.toBe(
      'ok',
    );
    await options(page, 'risk-list').first().waitFor();
    const n = await options(page, 'risk-list').count();
    expect(n).toBeGreaterThan(1);
    // highest score first
    const scores = await options(page, 'risk-list')
      .locator('.score')
      .evaluateAll((els) => els.map((e) => Number(e.textContent)));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const counts = await page
      .getByTestId('run-counts')
      .locator('.sev-count')
      .evaluateAll((els) => els.map((e) => Number(e.textContent?.replace(/\D/g, '') ?? 0)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
    await page.getByTestId('tab-changes').click();
    await page.getByTestId('diff-first').waitFor();
    await page.getByTestId('tab-risks').click();
    await shot(page, 'reports-02-first-run');
  });

  it('opens a risk with the keyboard and draws its path, every hop explained', async () => {
    const list = page.getByTestId('risk-list');
    await list.focus();
    await list.press('ArrowDown');
    await list.press('ArrowUp');
    await shot(page, 'reports-03-keyboard-cursor');
    await list.press('Enter');
    const first = options(page, 'risk-list').first();
    const key = (await first.getAttribute('data-key'))!;
    await expect.poll(() => param(page, 'sel')).toBe(key);
    await expect(first.getAttribute('aria-selected')).resolves.toBe('true');
    const panel = page.getByTestId('report-item-panel');
    await panel.waitFor();
    const hops = await panel.getByTestId('hop-button').count();
    expect(hops).toBeGreaterThanOrEqual(1);
    await laidOut(page);
    await expect.poll(() => cyEdges(page)).toBe(hops);
    await panel.getByTestId('hop-button').first().click();
    await page.getByTestId('hop-details').waitFor();
    expect(param(page, 'hop')).toBe('1');
    await shot(page, 'reports-04-risk-path');
    // Esc closes the hop, then the risk
    await page.keyboard.press('Escape');
    await expect.poll(() => param(page, 'hop')).toBeNull();
    await page.keyboard.press('Escape');
    await expect.poll(() => param(page, 'sel')).toBeNull();
  });

  it('after a data change, a second run shows what is new, resolved and changed', async () => {
    // eve leaves, mallory joins, frank has not been used for years
    await ingest(joiners('mallory', '2001-01-01T00:00:00Z'));
    await page.getByTestId('run-now').click();
    await expect.poll(() => options(page, 'run-list').count(), { timeout: 60_000 }).toBe(2);
    await expect.poll(() => param(page, 'run')).not.toBe(runs.first);
    runs.second = param(page, 'run')!;
    await page.getByTestId('tab-changes').click();
    await page.getByTestId('diff').waitFor();
    expect(param(page, 'tab')).toBe('changes');
    await expect(page.getByTestId('diff-summary').textContent()).resolves.toContain(`run #${runs.first}`);
    const titles = async (list: string) =>
      (await options(page, list).getByTestId('item-title').allTextContents()).join('\n');
    await expect(titles('diff-added-list')).resolves.toMatch(/mallory/);
    await expect(titles('diff-resolved-list')).resolves.toMatch(/eve/);
    await expect(titles('diff-changed-list')).resolves.toMatch(/frank/);
    await expect(page.getByTestId('tab-changes').getAttribute('aria-label')).resolves.toMatch(
      /Changes: 1 new, 1 resolved, 1 changed score/,
    );
    await shot(page, 'reports-05-diff');

    // a resolved risk opens with its path from the previous run
    await options(page, 'diff-resolved-list').filter({ hasText: 'eve' }).first().click();
    const panel = page.getByTestId('report-item-panel');
    await panel.waitFor();
    await expect(panel.textContent()).resolves.toContain(`as run #${runs.first} found it`);
    await expect(page.getByTestId('report-item-title').textContent()).resolves.toMatch(/eve/);
    // eve is gone from the graph: named as the run saw her, not linked
    await expect(panel.textContent()).resolves.toContain("eve (not in today's graph)");
    await expect(page.getByTestId('open-path-view').count()).resolves.toBe(0);
    await laidOut(page);
    await shot(page, 'reports-06-resolved-risk');
  });

  it('gives every run, risk and hop its own link', async () => {
    const link = page.url();
    const other = await ctx.newPage();
    await other.goto(link);
    await other.getByTestId('report-item-panel').waitFor();
    await expect(other.getByTestId('report-item-title').textContent()).resolves.toMatch(/eve/);
    await other.goto(`${server.url}/?view=reports&report=crown-jewels&run=${runs.first}&tab=changes`);
    await other.getByTestId('diff-first').waitFor();
    const selectedRun = other.getByTestId('run-list').locator('[aria-selected=true]');
    await expect(selectedRun.getAttribute('data-key')).resolves.toBe(runs.first);
    await other.close();
  });

  it('hands a risk over to the paths view', async () => {
    await options(page, 'diff-added-list').filter({ hasText: 'mallory' }).first().click();
    await page.getByTestId('open-path-view').click();
    await page.getByTestId('view-path').waitFor();
    expect(param(page, 'from')).toBe(user('mallory'));
    expect(param(page, 'to')).toBe(JEWEL);
    await page.getByTestId('hop-button').first().waitFor();
    await laidOut(page);
    await shot(page, 'reports-07-paths-view');
    await page.goBack();
    await page.getByTestId('report-item-panel').waitFor();
  });

  it('reads well in the dark theme', async () => {
    await page.getByTestId('theme-toggle').click();
    await laidOut(page);
    await shot(page, 'reports-08-dark');
    await page.getByTestId('theme-toggle').click();
  });

  it('lets a viewer read the runs but not run a report', async () => {
    const created = await api(page, 'mutation { createToken(role: viewer, name: "e2e viewer") { token } }');
    const token = (created.data!.createToken as { token: string }).token;
    const viewerCtx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const v = await viewerCtx.newPage();
    await v.goto(`${server.url}/?view=reports&report=crown-jewels`);
    await v.getByTestId('token-input').fill(token);
    await v.getByTestId('token-input').press('Enter');
    await v.getByTestId('view-reports').waitFor();
    await options(v, 'run-list').first().waitFor();
    await expect(options(v, 'run-list').count()).resolves.toBe(2);
    await expect(v.getByTestId('run-now').count()).resolves.toBe(0);
    // and the API says no as well
    const denied = await api(v, 'mutation { runReport(name: "crown-jewels") { id } }');
    expect(denied.errors?.[0]?.message).toMatch(/analyst/);
    await shot(v, 'reports-09-viewer');
    await viewerCtx.close();
    expect(errors).toEqual([]);
  });
});
