/**
 * Data for the reports page: the definitions, a report's runs, a run's risks, its diff and
 * one item's path. Each load aborts when its inputs change, so a fast click through runs
 * never shows an older answer over a newer one.
 */
import { useEffect, useState } from 'react';
import { gql } from './api';
import { DIFF_PAGE, ITEMS_PAGE, RQ, RUNS_PAGE } from './report-queries';
import type {
  Page,
  ReportDef,
  ReportDiff,
  ReportItemFull,
  ReportItemSummary,
  ReportRun,
} from './report-types';

export interface Loaded<T> {
  status: 'idle' | 'loading' | 'done' | 'error';
  data?: T;
  error?: string;
}

/**
 * One query, re-run when `key` changes (null: nothing to load). The previous answer stays
 * visible while a reload with the same `keep` runs, so polling does not flash a spinner.
 */
function useQuery<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  keep?: string,
): Loaded<T> {
  const [st, setSt] = useState<Loaded<T> & { keep?: string | undefined }>({ status: 'idle' });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names everything `load` reads
  useEffect(() => {
    if (key === null) {
      setSt({ status: 'idle' });
      return;
    }
    const ctl = new AbortController();
    setSt((s) => (s.keep !== undefined && s.keep === keep && s.data ? s : { status: 'loading', keep }));
    load(ctl.signal)
      .then((data) => setSt({ status: 'done', data, keep }))
      .catch((err: Error) => {
        if (!ctl.signal.aborted) setSt({ status: 'error', error: err.message || 'failed', keep });
      });
    return () => ctl.abort();
  }, [key]);
  return st;
}

/** Every report the server runs, with its last run; `tick` reloads. */
export function useReportDefs(tick: number): Loaded<ReportDef[]> {
  return useQuery(
    `defs|${tick}`,
    async (signal) => (await gql<{ reports: ReportDef[] }>(RQ.reports, {}, signal)).reports,
    'defs',
  );
}

export interface RunList {
  runs: ReportRun[];
  totalCount: number;
  hasMore: boolean;
}

/** The most recent `pages` pages of a report's runs; `tick` reloads. */
export function useRuns(report: string | undefined, pages: number, tick: number): Loaded<RunList> {
  return useQuery(
    report ? `runs|${report}|${pages}|${tick}` : null,
    async (signal) => {
      const runs: ReportRun[] = [];
      let after: string | null = null;
      let page: Page<ReportRun> | null = null;
      for (let i = 0; i < pages; i++) {
        const d: { reportRuns: Page<ReportRun> } = await gql(
          RQ.runs,
          { report, first: RUNS_PAGE, after },
          signal,
        );
        page = d.reportRuns;
        runs.push(...page.edges.map((e) => e.node));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      return { runs, totalCount: page?.totalCount ?? 0, hasMore: page?.pageInfo.hasNextPage ?? false };
    },
    `runs|${report}`,
  );
}

export interface RunRisks {
  run: ReportRun | null;
  items: ReportItemSummary[];
  totalCount: number;
}

/** A run with its first `pages` pages of risks, highest score first. */
export function useRunRisks(runId: string | undefined, pages: number, tick: number): Loaded<RunRisks> {
  return useQuery(
    runId ? `risks|${runId}|${pages}|${tick}` : null,
    async (signal) => {
      const items: ReportItemSummary[] = [];
      let after: string | null = null;
      let run: (ReportRun & { items: Page<ReportItemSummary> }) | null = null;
      for (let i = 0; i < pages; i++) {
        const d: { reportRun: (ReportRun & { items: Page<ReportItemSummary> }) | null } = await gql(
          RQ.runItems,
          { id: runId, first: ITEMS_PAGE, after },
          signal,
        );
        run = d.reportRun;
        if (!run) break;
        items.push(...run.items.edges.map((e) => e.node));
        if (!run.items.pageInfo.hasNextPage) break;
        after = run.items.pageInfo.endCursor;
      }
      return { run, items, totalCount: run?.items.totalCount ?? 0 };
    },
    `risks|${runId}`,
  );
}

/** What changed in a successful run since the previous one. */
export function useRunDiff(
  report: string | undefined,
  runId: string | undefined,
  ok: boolean,
): Loaded<ReportDiff | null> {
  return useQuery(
    report && runId && ok ? `diff|${report}|${runId}` : null,
    async (signal) =>
      (
        await gql<{ reportDiff: ReportDiff | null }>(
          RQ.diff,
          { report, run: runId, first: DIFF_PAGE },
          signal,
        )
      ).reportDiff,
  );
}

/** One item with its recorded path, from the run that holds it. */
export function useReportItem(
  runId: string | undefined,
  key: string | undefined,
): Loaded<ReportItemFull | null> {
  return useQuery(
    runId && key ? `item|${runId}|${key}` : null,
    async (signal) =>
      (await gql<{ reportRun: { item: ReportItemFull | null } | null }>(RQ.item, { id: runId, key }, signal))
        .reportRun?.item ?? null,
  );
}
