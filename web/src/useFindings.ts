/** Loads the findings list (every page, progressively) and one finding's full path on demand. */
import { useEffect, useState } from 'react';
import { type Finding, type FindingPage, type FindingSummary, gql, Q } from './api';

export interface FindingListState {
  status: 'loading' | 'partial' | 'done' | 'error';
  findings: FindingSummary[];
  totalCount: number;
  truncated: boolean;
  notes: string[];
  /** the page stopped loading before totalCount (LIMIT) */
  capped: boolean;
  error?: string;
}

/** 200 light rows per page keeps each request under the server's query-cost limit. */
const PAGE = 200;
/** The server orders by severity, so stopping here keeps the worst findings. */
const LIMIT = 10_000;
/** Full findings (paths with statements) per page, also bounded by the cost limit. */
const FULL_PAGE = 50;

/**
 * Every finding (optionally about one node), all kinds and severities: the page filters and
 * counts per severity and kind locally, so changing a filter costs no request.
 */
export function useFindingList(node: string | undefined, retry: number): FindingListState {
  const [st, setSt] = useState<FindingListState>({
    status: 'loading',
    findings: [],
    totalCount: 0,
    truncated: false,
    notes: [],
    capped: false,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: retry only re-runs the load
  useEffect(() => {
    const ctl = new AbortController();
    setSt({ status: 'loading', findings: [], totalCount: 0, truncated: false, notes: [], capped: false });
    (async () => {
      let after: string | null = null;
      let all: FindingSummary[] = [];
      for (;;) {
        const d: { findings: FindingPage<FindingSummary> } = await gql(
          Q.findingsList,
          { node: node ?? null, first: PAGE, after },
          ctl.signal,
        );
        const page = d.findings;
        all = all.concat(page.edges.map((e) => e.node));
        const more = page.pageInfo.hasNextPage && !!page.pageInfo.endCursor;
        const capped = more && all.length >= LIMIT;
        setSt({
          status: more && !capped ? 'partial' : 'done',
          findings: all,
          totalCount: page.totalCount,
          truncated: page.truncated,
          notes: page.notes,
          capped,
        });
        if (!more || capped) return;
        after = page.pageInfo.endCursor;
      }
    })().catch((err: Error) => {
      if (!ctl.signal.aborted)
        setSt((s) => ({ ...s, status: 'error', error: err.message || 'the findings could not be loaded' }));
    });
    return () => ctl.abort();
  }, [node, retry]);
  return st;
}

export interface FindingState {
  status: 'idle' | 'loading' | 'done' | 'missing' | 'error';
  finding?: Finding;
  error?: string;
}

/**
 * One finding with its path. The API has no lookup by id; asking for the finding's kind about
 * its principal narrows the result to a page or two, which is then searched for the id.
 */
export function useFinding(summary: FindingSummary | null, retry: number): FindingState {
  const [st, setSt] = useState<FindingState>({ status: 'idle' });
  const id = summary?.id;
  const kind = summary?.kind;
  const about = summary?.principal?.id ?? summary?.target?.id ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: retry only re-runs the load
  useEffect(() => {
    if (!id || !kind) {
      setSt({ status: 'idle' });
      return;
    }
    const ctl = new AbortController();
    setSt({ status: 'loading' });
    (async () => {
      let after: string | null = null;
      for (;;) {
        const d: { findings: FindingPage<Finding> } = await gql(
          Q.findingsFull,
          { kinds: [kind], node: about, first: FULL_PAGE, after },
          ctl.signal,
        );
        const hit = d.findings.edges.find((e) => e.node.id === id);
        if (hit) return setSt({ status: 'done', finding: hit.node });
        const info = d.findings.pageInfo;
        if (!info.hasNextPage || !info.endCursor) return setSt({ status: 'missing' });
        after = info.endCursor;
      }
    })().catch((err: Error) => {
      if (!ctl.signal.aborted)
        setSt({ status: 'error', error: err.message || 'the finding could not be loaded' });
    });
    return () => ctl.abort();
  }, [id, kind, about, retry]);
  return st;
}
