/**
 * Opens a real HTML report in Chromium: it must render offline with no request leaving the
 * file, run no script (the fixture has a role named `<script>…`), and show its diagrams.
 * The screenshot lands in reports/__screenshots__/ for a human to look at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ids } from '../graph/store-fixtures.js';
import { toDefinitions } from './config.js';
import { executeReport } from './execute.js';
import { RunHistory } from './history.js';
import {
  escalationFinding,
  extra,
  type FixtureStore,
  HOSTILE_NAME,
  openFixtureStore,
  publicFinding,
} from './test-support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('./__screenshots__/', import.meta.url));

describe.skipIf(!existsSync(CHROMIUM))('HTML report in Chromium', () => {
  let fx: FixtureStore;
  let browser: Browser;
  let htmlFile: string;

  beforeAll(async () => {
    fx = await openFixtureStore();
    const history = RunHistory.open(fx.dir);
    const [def] = toDefinitions(
      {
        reports: [
          {
            name: 'weekly-prod',
            description: 'Who can reach production data, and what changed this week.',
            crownJewels: [
              { name: 'customer data', sensitivity: 'critical', select: [{ id: ids.bucket }] },
              { name: HOSTILE_NAME, sensitivity: 'high', select: [{ id: extra.vault }] },
            ],
          },
        ],
      },
      'test.yaml',
    );
    const deps = { store: fx.store, history, findings: async () => [publicFinding()] };
    const opts = { trigger: 'manual' as const, outDir: `${fx.dir}/out` };
    await executeReport(deps, def!, { ...opts, now: () => new Date('2026-11-15T06:00:00Z') });
    await executeReport(deps, def!, { ...opts, now: () => new Date('2026-11-22T06:00:00Z') });
    const third = await executeReport({ ...deps, findings: async () => [escalationFinding()] }, def!, {
      ...opts,
      now: () => new Date('2026-11-29T06:00:00Z'),
    });
    history.close();
    htmlFile = third.files.find((f) => f.endsWith('.html'))!;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await fx?.cleanup();
  });

  it('renders offline, runs no script, and draws every path', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    const url = pathToFileURL(htmlFile).href;
    await page.goto(url);

    expect(requests).toEqual([url]);
    expect(problems).toEqual([]);
    expect(await page.locator('script').count()).toBe(0);
    await expect(page.locator('h1').textContent()).resolves.toBe('Path-risk report: weekly-prod');
    // the hostile name shows as text
    expect(await page.getByText('<script>alert(1)</script>', { exact: false }).count()).toBeGreaterThan(0);
    const risks = await page.locator('section.risk').count();
    expect(risks).toBeGreaterThan(3);
    expect(await page.locator('section.risk svg').count()).toBe(risks);
    // the diff shows the public finding resolved and the escalation new
    const changes = await page.locator('h2:has-text("Changes") ~ h3').allTextContents();
    expect(changes.slice(0, 2)).toEqual(['New (1)', 'Resolved (1)']);
    // the trend has a bar stack per run
    expect(await page.locator('svg[aria-label^="trend"] text:has-text("#")').count()).toBe(3);
    // nothing overflows the page sideways
    // a string expression: the project compiles without DOM types
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - window.innerWidth',
    )) as number;
    expect(overflow).toBeLessThanOrEqual(0);

    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}report-top.png` });
    await page.locator('#risk-1').screenshot({ path: `${SHOTS}report-risk.png` });
    await page.locator('svg[aria-label^="trend"]').screenshot({ path: `${SHOTS}report-trend.png` });
    await page
      .locator('h2:has-text("Crown jewels") + table')
      .screenshot({ path: `${SHOTS}report-jewels.png` });
    await page
      .locator('section.risk', { hasText: 'alert(1)' })
      .first()
      .screenshot({ path: `${SHOTS}report-hostile.png` });
    await page.locator('h2:has-text("All risks") + table').screenshot({ path: `${SHOTS}report-all.png` });
    await page.close();
  });
});
