/** Loads every page of a whoCan / canReach answer (500 per page, the server's cap), progressively. */
import { useEffect, useState } from 'react';
import { type AccessAnswer, type AccessPage, fetchNodes, type GNode, gql, Q } from './api';

export interface AccessState {
  status: 'loading' | 'partial' | 'done' | 'error';
  answers: AccessAnswer[];
  totalCount: number;
  truncated: boolean;
  truncatedBy: string[];
  known: boolean;
  anchor: GNode | null;
  error?: string;
  /** ms until the first page arrived, and until all did */
  firstMs?: number;
  allMs?: number;
  /** the client stopped before totalCount (limit) */
  capped: boolean;
  /** intermediate nodes on the paths (groups, accounts) that are not answers themselves */
  hops: GNode[];
}

const PAGE = 500;

export function useAccess(
  mode: 'who' | 'reach',
  id: string,
  action: string,
  level: string,
  limit: number,
): AccessState {
  const [st, setSt] = useState<AccessState>({
    status: 'loading',
    answers: [],
    totalCount: 0,
    truncated: false,
    truncatedBy: [],
    known: true,
    anchor: null,
    capped: false,
    hops: [],
  });
  useEffect(() => {
    const ctl = new AbortController();
    const t0 = performance.now();
    setSt({
      status: 'loading',
      answers: [],
      totalCount: 0,
      truncated: false,
      truncatedBy: [],
      known: true,
      anchor: null,
      capped: false,
      hops: [],
    });
    (async () => {
      const anchorP = gql<{ node: GNode | null }>(Q.node, { id }, ctl.signal).then((d) => d.node);
      // leaving the view while the first page loads aborts both requests before anchorP is
      // awaited: mark its rejection handled (the page loop reports errors) so it is not uncaught
      anchorP.catch(() => {});
      let after: string | null = null;
      let answers: AccessAnswer[] = [];
      let firstMs: number | undefined;
      let hops: GNode[] = [];
      let hopsAsked = false;
      for (;;) {
        const vars: Record<string, unknown> = { id, first: PAGE, after };
        if (action) vars.action = action;
        if (level) vars.level = level;
        const d = await gql<{ whoCan?: AccessPage; canReach?: AccessPage }>(
          mode === 'who' ? Q.whoCan : Q.canReach,
          vars,
          ctl.signal,
        );
        const page = (mode === 'who' ? d.whoCan : d.canReach)!;
        answers = answers.concat(page.edges.map((e) => e.node));
        firstMs ??= performance.now() - t0;
        const more = page.pageInfo.hasNextPage && !!page.pageInfo.endCursor;
        const capped = more && answers.length >= limit;
        const anchor = await anchorP;
        const show = (final: boolean) =>
          setSt({
            status: more && !capped ? 'partial' : 'done',
            answers,
            totalCount: page.totalCount,
            truncated: page.truncated,
            truncatedBy: page.truncatedBy,
            known: page.known,
            anchor,
            hops,
            firstMs,
            ...(final && !(more && !capped) ? { allMs: performance.now() - t0 } : {}),
            capped,
          });
        show(true);
        // names and kinds of the hops in between (groups, accounts), looked up once, off the paging path
        if (!hopsAsked) {
          hopsAsked = true;
          const known = new Set<string>([id, ...answers.map((a) => a.node.id)]);
          const unknown = new Set<string>();
          for (const a of answers)
            for (const e of a.path) for (const x of [e.from, e.to]) if (!known.has(x)) unknown.add(x);
          if (unknown.size)
            fetchNodes([...unknown], ctl.signal, 60)
              .then((found) => {
                hops = found;
                if (!ctl.signal.aborted) setSt((st) => ({ ...st, hops: found }));
              })
              .catch(() => {});
        }
        if (!more || capped) break;
        after = page.pageInfo.endCursor;
      }
    })().catch((err: Error) => {
      if (err.name === 'AbortError' || ctl.signal.aborted) return;
      setSt((s) => ({ ...s, status: 'error', error: err.message }));
    });
    return () => ctl.abort();
  }, [mode, id, action, level, limit]);
  return st;
}
