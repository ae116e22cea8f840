/**
 * Pieces of the reports page: a keyboard listbox (the findings list's behaviour, for runs
 * and risks alike), the rows, and the selected risk's graph and panel, which reuse the
 * findings view's path graph and hop explanation through `itemAsFinding`.
 */

import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { FindingPathGraph, FindingPathHops } from '../components/FindingPath';
import { listStep } from '../components/list-keys';
import { Empty, ErrorBox, Loading } from '../components/States';
import { slug } from '../export';
import { findingEdges } from '../findings';
import { isPrincipal, shortName } from '../model';
import type { ReportItemFull, ReportItemSummary, ReportRun } from '../report-types';
import { duration, itemAsFinding, itemKindLabel, outcomeLabel, triggerLabel, when } from '../reports';
import type { Route } from '../route';
import { SeverityBadge } from './FindingsView';

/**
 * A listbox: one tab stop, arrows / Page keys / Home / End move the cursor, Enter or Space
 * opens the row under it, a click opens a row. The cursor follows the opened row.
 */
export function KeyList<T>({
  items,
  keyOf,
  selected,
  onOpen,
  label,
  testId,
  children,
}: {
  items: readonly T[];
  keyOf(item: T): string;
  selected: string | null;
  onOpen(item: T): void;
  label: string;
  testId: string;
  children(item: T, state: { selected: boolean; cursor: boolean }): ReactNode;
}) {
  const selIdx = items.findIndex((x) => keyOf(x) === selected);
  const [cursor, setCursor] = useState(Math.max(0, selIdx));
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (selIdx >= 0) setCursor(selIdx);
  }, [selIdx]);
  const at = Math.max(0, Math.min(cursor, items.length - 1));
  const idBase = `${testId}-opt`;
  useEffect(() => {
    box.current?.querySelector(`#${idBase}-${at}`)?.scrollIntoView({ block: 'nearest' });
  }, [at, idBase]);

  const onKey = (ev: React.KeyboardEvent) => {
    const step = listStep(ev.key, 10);
    if (step !== undefined) {
      ev.preventDefault();
      setCursor(Math.max(0, Math.min(items.length - 1, at + step)));
    } else if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      const x = items[at];
      if (x) onOpen(x);
    }
  };
  return (
    <div
      ref={box}
      className="finding-list key-list"
      role="listbox"
      tabIndex={0}
      aria-label={label}
      aria-activedescendant={items.length ? `${idBase}-${at}` : undefined}
      onKeyDown={onKey}
      data-testid={testId}
    >
      {items.map((x, i) => {
        const k = keyOf(x);
        return (
          // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard handled by the listbox
          <div
            key={k}
            id={`${idBase}-${i}`}
            role="option"
            tabIndex={-1}
            aria-selected={k === selected}
            className={`finding-row${k === selected ? ' selected' : ''}${i === at ? ' cursor' : ''}`}
            onClick={() => {
              setCursor(i);
              onOpen(x);
            }}
            data-key={k}
          >
            {children(x, { selected: k === selected, cursor: i === at })}
          </div>
        );
      })}
    </div>
  );
}

export function OutcomeBadge({ run }: { run: Pick<ReportRun, 'outcome'> }) {
  return (
    <span className={`outcome outcome-${run.outcome.toLowerCase()}`} data-testid="run-outcome">
      {outcomeLabel(run)}
    </span>
  );
}

/** One run in the runs list. */
export function RunRow({ run }: { run: ReportRun }) {
  return (
    <>
      <span className="run-id mono">#{run.id}</span>
      <span className="run-main">
        <OutcomeBadge run={run} /> <span className="run-when">{when(run.startedAt)}</span>
        <span className="small muted">
          {' '}
          · {triggerLabel(run)}
          {duration(run) && ` · ${duration(run)}`}
        </span>
        <span className="run-meta small muted">
          {run.score
            ? `${run.score.items.toLocaleString('en-US')} risks · highest ${run.score.maxScore}`
            : run.outcome === 'FAILED'
              ? (run.error ?? 'failed')
              : 'in progress…'}
        </span>
      </span>
    </>
  );
}

/** The score as a number, with the band's colour behind it. */
export function Score({ value, band }: { value: number; band: string }) {
  return (
    <span className={`score sev-${band}`} title={`path risk score ${value} of 100 (${band})`}>
      {value}
    </span>
  );
}

/** One risk of a run, or of a diff section (`from` shows a score change). */
export function ItemRow({ item, from }: { item: ReportItemSummary; from?: number }) {
  return (
    <>
      <span className="item-score">
        {from !== undefined && (
          <>
            <span className="score-from" title="score in the previous run">
              {from}
            </span>
            <span aria-hidden="true">→</span>
            <span className="sr-only"> now </span>
          </>
        )}
        <Score value={item.score} band={item.band} />
      </span>
      <span className="finding-title" data-testid="item-title">
        {item.title}
      </span>
      <span className="finding-meta small muted">
        {itemKindLabel(item)}
        {item.principal && item.target && ` · ${item.principal.name} → ${item.target.name}`}
        {item.conditional && <span className="flag cond">conditional</span>}
      </span>
    </>
  );
}

interface ItemViewProps {
  item: ReportItemFull | null;
  state: 'idle' | 'loading' | 'done' | 'error';
  error: string | undefined;
  hop: string | null;
  onHop(id: string | null): void;
  go(r: Route, opts?: { replace?: boolean }): void;
}

/** The selected risk's path, drawn as the findings view draws a finding's. */
export function ItemGraph({
  item,
  state,
  error,
  hop,
  onHop,
  theme,
}: ItemViewProps & { theme: 'light' | 'dark' }) {
  const finding = useMemo(() => (item ? itemAsFinding(item) : null), [item]);
  if (state === 'error') return <ErrorBox message={error ?? 'failed'} />;
  if (state === 'done' && !item)
    return (
      <Empty title="This risk is not in this run">
        The link may name a run that was removed by retention.
      </Empty>
    );
  if (!item || !finding) return <Loading what="loading the path" />;
  if (!item.pathRecorded)
    return (
      <Empty title="No path recorded">
        This run was recorded before reports kept paths. Open it in the paths view to see today's path.
      </Empty>
    );
  return (
    <FindingPathGraph
      finding={finding}
      hop={hop}
      onHop={onHop}
      theme={theme}
      base={`report-risk-${slug(item.title).slice(0, 60)}`}
      json={item}
      label={`Path of the risk: ${item.title}`}
    />
  );
}

/** What the run recorded about the risk: score, ends, the fix, every hop explained. */
export function ItemPanel({ item, hop, onHop, go, runLabel }: ItemViewProps & { runLabel: string }) {
  const finding = useMemo(() => (item ? itemAsFinding(item) : null), [item]);
  const edges = useMemo(() => (finding ? findingEdges(finding) : []), [finding]);
  const names = useMemo(() => {
    const m = new Map((item?.pathNodes ?? []).map((n) => [n.id, n.name || shortName(n.id)]));
    return (id: string) => m.get(id) ?? shortName(id);
  }, [item]);
  if (!item || !finding) return null;
  const nodeLink = (n: { id: string; kind: string; name: string; placeholder?: boolean } | null) =>
    !n ? (
      <span className="muted">unknown</span>
    ) : n.placeholder ? (
      <span title={n.id}>
        {n.name || shortName(n.id)} <span className="muted small">(not in today's graph)</span>
      </span>
    ) : (
      <button
        type="button"
        className="link"
        title={`${isPrincipal(n.kind) ? 'What can it reach?' : 'Who can reach it?'} ${n.id}`}
        onClick={() => go({ view: isPrincipal(n.kind) ? 'reach' : 'who', id: n.id })}
      >
        {n.name || shortName(n.id)}
      </button>
    );
  return (
    <section className="path-panel finding-panel" data-testid="report-item-panel">
      <h3 data-testid="report-item-title">
        <Score value={item.score} band={item.band} /> <SeverityBadge severity={item.band} /> {item.title}
      </h3>
      <p className="small">
        <span className="kind">{itemKindLabel(item)}</span>
        {item.jewel && <> · crown jewel “{item.jewel}”</>}
        {item.technique && (
          <>
            {' '}
            technique <span className="mono">{item.technique}</span>
          </>
        )}
        {item.conditional && <span className="flag cond">conditional</span>}
        <span className="muted"> · as {runLabel} found it</span>
      </p>
      <dl className="via finding-ends">
        <dt>who</dt>
        <dd>{nodeLink(item.principal)}</dd>
        <dt>reaches</dt>
        <dd>{nodeLink(item.target)}</dd>
        {item.actions && item.actions.length > 0 && (
          <>
            <dt>actions</dt>
            <dd className="mono small">{item.actions.join(', ')}</dd>
          </>
        )}
      </dl>
      {item.principal && item.target && !item.principal.placeholder && !item.target.placeholder && (
        <p>
          <button
            type="button"
            data-testid="open-path-view"
            onClick={() => go({ view: 'path', from: item.principal!.id, to: item.target!.id })}
            title="The shortest paths between the two ends in today's graph"
          >
            Open in the paths view
          </button>
        </p>
      )}
      {item.remediation && (
        <>
          <h4>what to change</h4>
          <p>{item.remediation}</p>
        </>
      )}
      <FindingPathHops
        finding={finding!}
        edges={edges}
        hop={hop}
        onHop={onHop}
        names={names}
        go={go}
        empty={
          item.pathRecorded ? 'This risk is about the principal itself; it has no path.' : 'No path recorded.'
        }
      />
      {item.facts && (
        <>
          <h4>why this score</h4>
          <dl className="via finding-details" data-testid="report-item-facts">
            {Object.entries(item.facts).map(([k, v]) => (
              <FactRow key={k} name={k} value={v} />
            ))}
          </dl>
        </>
      )}
      <p className="mono small muted">key {item.key}</p>
    </section>
  );
}

function FactRow({ name, value }: { name: string; value: unknown }) {
  const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  return (
    <>
      <dt>{name}</dt>
      <dd>{text}</dd>
    </>
  );
}
