/**
 * The explorer as a new user meets it: the login link printed by `accessgraph demo`, search,
 * who-can for the demo bucket, a hop's explanation, deep links, principal and path views,
 * exports, theme, logout and the 401 path.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, launch, type Served, shot, startServer, tempDataDir } from './harness';

const BUCKET = 'arn:aws:s3:::acme-data';
let server: Served;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  server = await startServer('demo', tempDataDir('explorer'));
  browser = await launch();
  ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** the ELK layout (in the worker) has been applied */
const laidOut = (p: Page) => p.locator('[data-testid=graph][data-layout=done]').waitFor();
const row = (p: Page, suffix: string) => p.locator(`[data-testid=answer-row][data-id$="${suffix}"]`);

describe('explorer', () => {
  it('signs in through the printed login link and clears the code from the URL', async () => {
    await page.goto(server.loginLink);
    await page.getByTestId('home-search').waitFor();
    expect(page.url()).not.toContain('code=');
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.getByTestId('logout').isVisible()).resolves.toBe(true);
    await shot(page, '01-home');
  });

  it('searches with type-ahead and opens who-can with the keyboard', async () => {
    const box = page.getByTestId('home-search');
    await box.fill('acme-da');
    await page.getByTestId('search-hit').first().waitFor();
    const hits = await page.getByTestId('search-hit').allTextContents();
    expect(hits.some((h) => h.includes(BUCKET))).toBe(true);
    await shot(page, '02-search');
    // arrow to the bucket's hit, Enter opens it
    const idx = hits.findIndex((h) => h.includes(BUCKET));
    for (let i = 0; i < idx; i++) await box.press('ArrowDown');
    await box.press('Enter');
    await page.getByTestId('view-who').waitFor();
    await row(page, 'user/alice').waitFor();
    expect(new URL(page.url()).searchParams.get('id')).toBe(BUCKET);
  });

  it('lists who can reach the demo bucket', async () => {
    for (const who of ['alice', 'bob', 'carol', 'dave']) await row(page, `user/${who}`).waitFor();
    const ids = await page
      .getByTestId('answer-row')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(ids).toEqual(
      expect.arrayContaining(
        ['alice', 'bob', 'carol', 'dave'].map((u) => `arn:aws:iam::111111111111:user/${u}`),
      ),
    );
    await expect(page.getByTestId('anchor-name').textContent()).resolves.toBe('acme-data');
    // the layout worker has placed the graph: nodes have distinct positions
    await page.waitForFunction(() => {
      const cy = (
        window as unknown as {
          __cy?: { nodes(): { map<T>(f: (n: { position(): { x: number } }) => T): T[] } };
        }
      ).__cy;
      if (!cy) return false;
      const xs = cy.nodes().map((n) => Math.round(n.position().x));
      return xs.length > 3 && new Set(xs).size > 2;
    });
    await page.waitForTimeout(300);
    await laidOut(page);
    await shot(page, '03-who-can');
  });

  it('explains a hop: clicking it shows the policy statement that granted it', async () => {
    await row(page, 'user/alice').click();
    await page.getByTestId('path-panel').waitFor();
    const hop = page.getByTestId('hop-button').filter({ hasText: 'read-data' });
    await hop.click();
    const details = page.getByTestId('hop-details');
    await details.waitFor();
    await expect(page.getByTestId('via-label').textContent()).resolves.toBe('read-data');
    await expect(details.getByTestId('excerpt').textContent()).resolves.toContain('"Effect"');
    await laidOut(page);
    await shot(page, '04-hop');
  });

  it('explains a hop clicked in the graph, with the condition marked', async () => {
    // tap the conditional grant edge deployer → acme-data on the canvas
    const id = await page.evaluate(() => {
      const cy = (
        window as unknown as {
          __cy: { edges(s: string): { first(): { id(): string; emit(e: string): void } } };
        }
      ).__cy;
      const e = cy.edges('[kind = "HAS_ACCESS"][?conditional]').first();
      e.emit('tap');
      return e.id();
    });
    expect(id).toContain('role/deployer');
    await expect(page.getByTestId('via-label').textContent()).resolves.toBe('deploy');
    await expect(page.getByTestId('hop-details').textContent()).resolves.toContain('conditional');
    await shot(page, '05-hop-conditional');
  });

  it('deep link: reload restores the same view, selection and hop', async () => {
    await row(page, 'user/alice').click();
    await page.getByTestId('hop-button').filter({ hasText: 'read-data' }).click();
    const url = page.url();
    expect(url).toContain('sel=');
    expect(url).toContain('hop=');
    await page.reload();
    await page.getByTestId('hop-details').waitFor();
    await expect(page.getByTestId('via-label').textContent()).resolves.toBe('read-data');
    await expect(page.getByTestId('anchor-name').textContent()).resolves.toBe('acme-data');
    await expect(row(page, 'user/alice').getAttribute('aria-selected')).resolves.toBe('true');
    // and the same link in a fresh tab of this browser
    const other = await ctx.newPage();
    await other.goto(url);
    await other.getByTestId('hop-details').waitFor();
    await expect(other.getByTestId('via-label').textContent()).resolves.toBe('read-data');
    await other.close();
  });

  it('filters and sorts the list', async () => {
    await page.getByTestId('filter-kind').selectOption('User');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=answer-row]').length === 4);
    expect(page.url()).toContain('kinds=User');
    await page.getByTestId('filter-kind').selectOption('');
    await page.getByTestId('filter-name').fill('car');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=answer-row]').length === 1);
    await page.getByTestId('filter-name').fill('');
  });

  it('exports the view as CSV and JSON', async () => {
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV' }).click(),
    ]);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toContain('id,name,kind');
    expect(text).toContain('user/dave');
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'JSON' }).click(),
    ]);
    const doc = JSON.parse(readFileSync((await json.path())!, 'utf8')) as {
      answers: unknown[];
      question: string;
    };
    expect(doc.question).toBe('whoCan');
    expect(doc.answers.length).toBe(8);
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'PNG' }).click(),
    ]);
    expect(
      readFileSync((await png.path())!)
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });

  it('principal view: what alice can reach, grouped by type and account', async () => {
    await page.goto(
      `${server.url}/?view=reach&id=${encodeURIComponent('arn:aws:iam::111111111111:user/alice')}`,
    );
    await page.getByTestId('view-reach').waitFor();
    await row(page, ':::acme-data').waitFor();
    const headers = await page.locator('.answer-list .row.header').allTextContents();
    expect(headers.some((h) => h.includes('s3:bucket'))).toBe(true);
    await page.waitForTimeout(600);
    await laidOut(page);
    await shot(page, '06-can-reach');
  });

  it('path view between two nodes', async () => {
    await page.goto(
      `${server.url}/?view=path&from=${encodeURIComponent('arn:aws:iam::111111111111:user/carol')}&to=${encodeURIComponent(BUCKET)}`,
    );
    await page.getByTestId('view-path').waitFor();
    const hop = page.getByTestId('hop-button').filter({ hasText: 'has access' }).first();
    await hop.click();
    await expect(page.getByTestId('via-label').textContent()).resolves.toBe('deploy');
    await page.waitForTimeout(500);
    await laidOut(page);
    await shot(page, '07-paths');
  });

  it('expands and collapses a neighborhood', async () => {
    await page.goto(`${server.url}/?view=who&id=${encodeURIComponent(BUCKET)}`);
    await row(page, 'user/alice').waitFor();
    const count = () =>
      page.evaluate(
        () => (window as unknown as { __cy: { nodes(): { length: number } } }).__cy.nodes().length,
      );
    await page.waitForFunction(
      () => (window as unknown as { __cy?: { nodes(): { length: number } } }).__cy?.nodes().length,
    );
    const before = await count();
    // engineers' neighborhood adds the read-data policy attached to it
    await row(page, 'group/engineers').click();
    await page.getByRole('button', { name: 'Expand', exact: true }).click();
    await page.waitForFunction(
      (n) => (window as unknown as { __cy: { nodes(): { length: number } } }).__cy.nodes().length > n,
      before,
    );
    await laidOut(page);
    await shot(page, '08-expanded');
    await page.getByRole('button', { name: 'Collapse', exact: true }).click();
    await page.waitForFunction(
      (n) => (window as unknown as { __cy: { nodes(): { length: number } } }).__cy.nodes().length === n,
      before,
    );
  });

  it('dark theme', async () => {
    await page.getByTestId('theme-toggle').click();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await row(page, 'user/alice').click();
    await page.getByTestId('hop-button').filter({ hasText: 'read-data' }).click();
    await page.waitForTimeout(600);
    await laidOut(page);
    await shot(page, '09-dark');
    await page.getByTestId('theme-toggle').click();
  });

  it('logs out, and a rejected token lands on the login screen that explains what to do', async () => {
    await page.getByTestId('logout').click();
    await page.getByTestId('login').waitFor();
    await shot(page, '10-login');
    await page.evaluate(() => localStorage.setItem('accessgraph.token', 'agt_not-a-real-token'));
    await page.goto(`${server.url}/?view=who&id=${encodeURIComponent(BUCKET)}`);
    await page.getByTestId('login').waitFor();
    await expect(page.getByTestId('login').textContent()).resolves.toContain('token create');
    await expect(page.evaluate(() => localStorage.getItem('accessgraph.token'))).resolves.toBeNull();
  });

  it('signs in by pasting an API token and keeps the deep link', async () => {
    const token = cli(server.dataDir, ['token', 'create', '--role', 'viewer']).trim().split('\n').pop()!;
    await page.getByTestId('token-input').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await row(page, 'user/alice').waitFor();
    expect(page.url()).toContain('view=who');
  });

  it('threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
