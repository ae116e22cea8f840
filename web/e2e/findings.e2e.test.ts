/**
 * The findings view over the demo company: list with severities and counts, keyboard
 * selection, the finding's path drawn and each hop explained, filters and deep links, the
 * "N findings" link from a node's view, light and dark theme. It checks structure, not the
 * demo's names, so it holds when the demo company changes.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, launch, type Served, shot, startServer, tempDataDir } from './harness';

let server: Served;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  server = await startServer('demo', tempDataDir('findings'));
  browser = await launch();
  ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const laidOut = (p: Page) => p.locator('[data-testid=graph][data-layout=done]').waitFor();
const rows = (p: Page) => p.getByTestId('finding-row');
type Cy = { nodes(): { length: number }; edges(): { length: number }; $(s: string): { id(): string } };
const cyCounts = (p: Page) =>
  p.evaluate(() => {
    const cy = (window as unknown as { __cy?: Cy }).__cy;
    return cy ? { nodes: cy.nodes().length, edges: cy.edges().length } : null;
  });
const param = (p: Page, k: string) => new URL(p.url()).searchParams.get(k);

const chosen = { id: '', title: '', kind: '', hops: 0, url: '' };

describe('findings view', () => {
  it('opens from the top navigation and lists findings, most severe first', async () => {
    await page.goto(server.loginLink);
    await page.getByTestId('home-search').waitFor();
    await page.getByTestId('nav-findings').click();
    await page.getByTestId('view-findings').waitFor();
    expect(param(page, 'view')).toBe('findings');
    await rows(page).first().waitFor();
    await expect(page.getByTestId('nav-findings').getAttribute('aria-current')).resolves.toBe('page');

    const sevs = await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')));
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    const ranks = sevs.map((s) => order.indexOf(s ?? ''));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // the demo company has at least one critical or high finding
    expect(ranks[0]).toBeLessThanOrEqual(1);
    // severity is written, not only coloured
    const badge = rows(page).first().getByTestId('severity');
    await expect(badge.textContent()).resolves.toBe(sevs[0]);
    // counts per severity add up to what is listed
    const counts = await page
      .getByTestId('severity-counts')
      .locator('.sev-count')
      .evaluateAll((els) => els.map((e) => Number(e.textContent?.replace(/\D/g, '') ?? 0)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(sevs.length);
    await shot(page, 'findings-01-list');
  });

  it('selects a finding with the keyboard and draws its path', async () => {
    const list = page.getByTestId('finding-list');
    await list.focus();
    await list.press('ArrowDown');
    await list.press('ArrowUp');
    await shot(page, 'findings-02-keyboard-cursor');
    await list.press('Enter');
    const first = rows(page).first();
    chosen.id = (await first.getAttribute('data-id'))!;
    chosen.kind = (await first.getAttribute('data-kind'))!;
    await expect.poll(() => param(page, 'sel')).toBe(chosen.id);
    await expect(first.getAttribute('aria-selected')).resolves.toBe('true');

    const panel = page.getByTestId('finding-panel');
    await panel.waitFor();
    chosen.title = (await page.getByTestId('finding-title').textContent()) ?? '';
    expect(chosen.title.length).toBeGreaterThan(10);
    await expect(page.getByTestId('remediation').textContent()).resolves.toMatch(/\w{3,}/);
    chosen.hops = await panel.getByTestId('hop-button').count();
    expect(chosen.hops).toBeGreaterThanOrEqual(1);

    await laidOut(page);
    // one drawn edge per hop, and every hop's two ends drawn
    await expect.poll(async () => (await cyCounts(page))?.edges).toBe(chosen.hops);
    const c = await cyCounts(page);
    expect(c!.nodes).toBeGreaterThanOrEqual(2);
    expect(c!.nodes).toBeLessThanOrEqual(chosen.hops + 1);
    await shot(page, 'findings-03-selected');
  });

  it('explains a hop clicked in the list, and one clicked in the graph', async () => {
    const panel = page.getByTestId('finding-panel');
    await panel.getByTestId('hop-button').first().click();
    const details = page.getByTestId('hop-details');
    await details.waitFor();
    expect(param(page, 'hop')).toBe('1');
    await expect(details.locator('h3').textContent()).resolves.toMatch(/\w/);
    // the hop is selected in the graph too
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __cy: Cy }).__cy.$('edge:selected').id()))
      .toBe('hop:1');
    await laidOut(page);
    await shot(page, 'findings-04-hop');

    // tap the last hop on the canvas
    await page.evaluate(() => {
      const cy = (window as unknown as { __cy: { edges(): { last(): { emit(e: string): void } } } }).__cy;
      cy.edges().last().emit('tap');
    });
    await expect.poll(() => param(page, 'hop')).toBe(String(chosen.hops));
    await details.waitFor();
    chosen.url = page.url();
  });

  it('deep link: a fresh tab shows the same finding, hop and graph', async () => {
    const other = await ctx.newPage();
    other.on('pageerror', (e) => errors.push(e.message));
    await other.goto(chosen.url);
    await other.getByTestId('finding-panel').waitFor();
    await expect(other.getByTestId('finding-title').textContent()).resolves.toBe(chosen.title);
    await other.getByTestId('hop-details').waitFor();
    await expect(
      other.locator(`[data-testid=finding-row][data-id="${chosen.id}"]`).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await laidOut(other);
    await expect.poll(async () => (await cyCounts(other))?.edges).toBe(chosen.hops);
    await other.close();
  });

  it('filters by severity, kind and text, in the URL', async () => {
    await page.getByTestId('filter-severity').selectOption('high');
    expect(param(page, 'sev')).toBe('high');
    const sevs = await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')));
    expect(sevs.length).toBeGreaterThan(0);
    expect(sevs.every((s) => s === 'critical' || s === 'high')).toBe(true);

    await page.locator(`[data-testid=kind-chip][data-kind=${chosen.kind}]`).click();
    expect(param(page, 'kinds')).toBe(chosen.kind);
    await expect(
      page.locator(`[data-testid=kind-chip][data-kind=${chosen.kind}]`).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    const kinds = await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set([chosen.kind]));
    await shot(page, 'findings-05-filtered');

    await page.getByTestId('filter-text').fill('no finding is called this');
    await page.getByTestId('empty').filter({ hasText: 'No finding passes these filters' }).waitFor();
    // the open finding stays open while the list is filtered
    await page.getByTestId('finding-panel').waitFor();
    await page.getByTestId('filter-text').fill('');
    await page.getByTestId('filter-severity').selectOption('');
    await page.locator(`[data-testid=kind-chip][data-kind=${chosen.kind}]`).click();
    expect(param(page, 'kinds')).toBeNull();
  });

  it('dark theme', async () => {
    await page.getByTestId('theme-toggle').click();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await page.getByTestId('hop-details').waitFor();
    await page.waitForTimeout(300);
    await laidOut(page);
    await shot(page, 'findings-06-dark');
    await page.getByTestId('theme-toggle').click();
  });

  it('Esc closes the hop, then the finding', async () => {
    await page.locator('body').press('Escape');
    await expect.poll(() => param(page, 'hop')).toBeNull();
    await expect(page.getByTestId('hop-details').count()).resolves.toBe(0);
    // the rest of the panel: what to change and the kind's facts
    await page.locator('aside.panel').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await shot(page, 'findings-08-panel');
    await page.locator('body').press('Escape');
    await expect.poll(() => param(page, 'sel')).toBeNull();
    await page.getByTestId('empty').filter({ hasText: 'Pick a finding' }).waitFor();
    await page.locator(`[data-testid=finding-row][data-id="${chosen.id}"]`).click();
    await page.getByTestId('finding-panel').waitFor();
  });

  it("links a node's view to its findings", async () => {
    // the finding's principal, from the panel
    await page.getByTestId('finding-panel').locator('.finding-ends button').first().click();
    await page.locator('[data-testid=view-reach], [data-testid=view-who]').first().waitFor();
    const link = page.getByTestId('node-findings');
    await link.waitFor();
    await expect(link.textContent()).resolves.toMatch(/^\d+ findings?$/);
    const n = Number((await link.textContent())!.replace(/\D/g, ''));
    const node = param(page, 'id');
    await shot(page, 'findings-07-node-link');
    await link.click();
    await page.getByTestId('view-findings').waitFor();
    expect(param(page, 'node')).toBe(node);
    await page.getByTestId('findings-node').waitFor();
    await rows(page).first().waitFor();
    await expect(rows(page).count()).resolves.toBe(n);
    await shot(page, 'findings-09-about-node');
  });

  it('says so when a linked finding is no longer there', async () => {
    await page.goto(`${server.url}/?view=findings&sel=no-such-finding`);
    await page.getByTestId('empty').filter({ hasText: 'not in the current results' }).waitFor();
  });

  it("shows the server's error with a way to try again", async () => {
    let fail = true;
    await page.route('**/graphql', async (route) => {
      if (fail && route.request().postData()?.includes('FindingList'))
        return route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({ errors: [{ message: 'the findings walk timed out' }] }),
        });
      return route.continue();
    });
    await page.goto(`${server.url}/?view=findings`);
    const box = page.getByTestId('error');
    await box.waitFor();
    await expect(box.textContent()).resolves.toContain('the findings walk timed out');
    await shot(page, 'findings-10-error');
    fail = false;
    await box.getByRole('button', { name: 'Try again' }).click();
    await rows(page).first().waitFor();
    await page.unroute('**/graphql');
  });

  it('threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
