/**
 * The reports page: the reports `serve --reports FILE` runs, a report's runs, a run's top
 * risks and what changed since the previous run, "Run now" for analysts and admins, and
 * each risk's recorded path drawn with the findings view's graph and hop panel. Everything
 * selected lives in the URL, so every run (and risk, and hop) has its own link.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, gql } from '../api';
import { Empty, ErrorBox, Loading } from '../components/States';
import { hopFromRoute, hopToRoute, SEVERITIES } from '../findings';
import { RQ } from '../report-queries';
import type { ReportDef, ReportItemSummary, ReportRun } from '../report-types';
import { when } from '../reports';
import type { Route } from '../route';
import { useReportDefs, useReportItem, useRunDiff, useRunRisks, useRuns } from '../useReports';
import { SeverityBadge } from './FindingsView';
import { ItemGraph, ItemPanel, ItemRow, KeyList, OutcomeBadge, RunRow } from './ReportParts';
import '../reports.css';

interface Props {
  route: Route;
  go(r: Route, opts?: { replace?: boolean }): void;
  theme: 'light' | 'dark';
  role: string;
}

const POLL_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function ReportsView({ route, go, theme, role }: Props) {
  const [tick, setTick] = useState(0);
  const [runPages, setRunPages] = useState(1);
  const [riskPages, setRiskPages] = useState(1);
  const defs = useReportDefs(tick);
  const tab = route.tab === 'changes' ? 'changes' : 'risks';
  const set = (patch: Partial<Route>, replace = true) => go({ ...route, ...patch }, { replace });

  const list = defs.data ?? [];
  const def: ReportDef | null = list.find((d) => d.name === route.report) ?? list[0] ?? null;
  const runs = useRuns(def?.name, runPages, tick);
  const runId = route.run ?? runs.data?.runs[0]?.id;
  const risks = useRunRisks(runId, riskPages, tick);
  const run: ReportRun | null = risks.data?.run ?? runs.data?.runs.find((r) => r.id === runId) ?? null;
  const diff = useRunDiff(def?.name, runId, run?.outcome === 'OK');

  // a resolved risk lives in the previous run: its path is read from there
  const resolvedKeys = useMemo(() => new Set(diff.data?.resolved.map((i) => i.key) ?? []), [diff.data]);
  const itemRun =
    tab === 'changes' && diff.status !== 'done'
      ? undefined // wait: which run holds the risk depends on the diff
      : route.sel && resolvedKeys.has(route.sel)
        ? diff.data?.previousRun?.id
        : runId;
  const item = useReportItem(route.sel ? itemRun : undefined, route.sel);
  const hop = hopFromRoute(route.hop);
  const onHop = (id: string | null) => set({ hop: id ? hopToRoute(id) : undefined });
  const open = (i: ReportItemSummary) => set({ sel: i.key, hop: undefined });

  // another run (report) starts again at its first page of risks (runs)
  // biome-ignore lint/correctness/useExhaustiveDependencies: runId only triggers the reset
  useEffect(() => setRiskPages(1), [runId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the name only triggers the reset
  useEffect(() => setRunPages(1), [def?.name]);

  // Esc closes the hop, then the selected risk (as in the findings view)
  useEffect(() => {
    const on = (ev: KeyboardEvent) => {
      if (ev.key !== 'Escape' || (ev.target as HTMLElement).tagName === 'INPUT') return;
      if (route.hop) go({ ...route, hop: undefined }, { replace: true });
      else if (route.sel) go({ ...route, sel: undefined }, { replace: true });
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, [route, go]);

  const runner = useRunNow(def?.name ?? null, (r) => {
    setTick((t) => t + 1);
    if (def) go({ view: 'reports', report: def.name, run: r.id, tab: route.tab }, { replace: false });
  });
  const canRun = role === 'analyst' || role === 'admin';

  if (defs.status === 'error')
    return (
      <div className="reports-view" data-testid="view-reports">
        <ErrorBox
          message={defs.error ?? 'the reports could not be loaded'}
          retry={() => setTick((t) => t + 1)}
        />
      </div>
    );
  if (!defs.data) return <Loading what="reading the reports" />;
  if (!def)
    return (
      <div className="reports-view" data-testid="view-reports">
        <div className="view-head">
          <h2>Reports</h2>
        </div>
        <Empty title="No reports on this server">
          Path-risk reports are defined in a YAML or JSON file; start the server with{' '}
          <code>accessgraph serve --reports FILE</code> to list, schedule and run them here (docs/reports.md).
        </Empty>
      </div>
    );

  const selectedRisk = !!route.sel;
  return (
    <div className="reports-view findings-view" data-testid="view-reports">
      <div className="view-head">
        <div className="view-title">
          <h2>Reports</h2>
        </div>
        <div className="filters">
          {canRun && (
            <button
              type="button"
              className="primary"
              onClick={() => void runner.run()}
              disabled={runner.busy}
              data-testid="run-now"
              title={`Run ${def.name} now and record the run`}
            >
              {runner.busy ? 'Running…' : 'Run now'}
            </button>
          )}
        </div>
      </div>
      <fieldset className="chips" aria-label="Reports">
        {list.map((d) => (
          <button
            key={d.name}
            type="button"
            className="chip"
            aria-pressed={d.name === def.name}
            onClick={() => go({ view: 'reports', report: d.name }, { replace: false })}
            data-testid="report-chip"
            data-name={d.name}
          >
            {d.name}{' '}
            <span className="chip-count">
              {d.runCount.toLocaleString('en-US')} run{d.runCount === 1 ? '' : 's'}
            </span>
            {d.running && <span className="chip-count"> · running</span>}
          </button>
        ))}
      </fieldset>
      <div className="status-line" role="status" data-testid="report-status">
        {def.description && <span>{def.description} · </span>}
        <span>
          {def.schedule
            ? `runs ${def.schedule} (${def.timezone})${def.nextRunAt ? `, next ${when(def.nextRunAt)}` : ''}`
            : 'runs on demand only'}
        </span>
        {def.lastRun && (
          <span>
            {' '}
            · last run #{def.lastRun.id} <OutcomeBadge run={def.lastRun} /> {when(def.lastRun.startedAt)}
          </span>
        )}
        {runner.message && (
          <span className={runner.message.error ? 'error' : ''} data-testid="run-message">
            {' '}
            · {runner.message.text}
          </span>
        )}
      </div>

      <div className={`access-body${selectedRisk ? ' with-panel' : ''}`}>
        <div className="list-pane reports-lists">
          <section className="runs-section" aria-label="Runs">
            <h3 className="pane-title">
              Runs{' '}
              <span className="small muted">
                {runs.data ? `${runs.data.totalCount.toLocaleString('en-US')} recorded` : ''}
              </span>
            </h3>
            {runs.status === 'error' ? (
              <ErrorBox message={runs.error ?? 'failed'} retry={() => setTick((t) => t + 1)} />
            ) : !runs.data ? (
              <Loading what="reading the runs" />
            ) : runs.data.runs.length === 0 ? (
              <p className="pad small muted" data-testid="no-runs">
                Never run yet.{' '}
                {canRun
                  ? 'Press “Run now” to run it.'
                  : def.schedule
                    ? 'It runs on its schedule.'
                    : 'An analyst can run it.'}
              </p>
            ) : (
              <>
                <KeyList
                  items={runs.data.runs}
                  keyOf={(r) => r.id}
                  selected={runId ?? null}
                  onOpen={(r) => set({ run: r.id, sel: undefined, hop: undefined }, false)}
                  label="Runs, most recent first. Arrow keys move, Enter opens."
                  testId="run-list"
                >
                  {(r) => <RunRow run={r} />}
                </KeyList>
                {runs.data.hasMore && (
                  <div className="pad small">
                    <button type="button" className="link" onClick={() => setRunPages((p) => p + 1)}>
                      older runs
                    </button>
                  </div>
                )}
              </>
            )}
          </section>
          {run && (
            <section className="run-section" aria-label={`Run #${run.id}`} data-testid="run-details">
              <h3 className="pane-title">
                Run #{run.id} <OutcomeBadge run={run} />
              </h3>
              {run.outcome === 'FAILED' ? (
                <p className="pad error" data-testid="run-error">
                  {run.error}
                </p>
              ) : run.outcome === 'RUNNING' ? (
                <p className="pad muted">In progress…</p>
              ) : (
                <>
                  {run.counts && (
                    <p className="pad sev-counts" data-testid="run-counts">
                      {SEVERITIES.map((s) => (
                        <span key={s} className="sev-count" data-severity={s}>
                          <SeverityBadge severity={s} /> {run.counts![s].toLocaleString('en-US')}
                        </span>
                      ))}
                    </p>
                  )}
                  <div className="tabs" role="tablist" aria-label="Run contents">
                    <button
                      type="button"
                      role="tab"
                      aria-selected={tab === 'risks'}
                      onClick={() => set({ tab: undefined, sel: undefined, hop: undefined })}
                      data-testid="tab-risks"
                    >
                      Top risks{' '}
                      {run.score && (
                        <span className="chip-count">{run.score.items.toLocaleString('en-US')}</span>
                      )}
                    </button>
                    <button
                      type="button"
                      role="tab"
                      aria-selected={tab === 'changes'}
                      onClick={() => set({ tab: 'changes', sel: undefined, hop: undefined })}
                      aria-label={
                        diff.data?.previousRun
                          ? `Changes: ${diff.data.addedCount} new, ${diff.data.resolvedCount} resolved, ${diff.data.changedCount} changed score`
                          : 'Changes'
                      }
                      data-testid="tab-changes"
                    >
                      Changes{' '}
                      {diff.data?.previousRun && (
                        <span className="chip-count">
                          +{diff.data.addedCount} −{diff.data.resolvedCount} ~{diff.data.changedCount}
                        </span>
                      )}
                    </button>
                  </div>
                  <div role="tabpanel" className="tab-panel">
                    {tab === 'risks' ? (
                      risks.status === 'error' ? (
                        <ErrorBox message={risks.error ?? 'failed'} retry={() => setTick((t) => t + 1)} />
                      ) : !risks.data ? (
                        <Loading what="reading the risks" />
                      ) : risks.data.items.length === 0 ? (
                        <p className="pad muted">This run found no risk.</p>
                      ) : (
                        <>
                          <KeyList
                            items={risks.data.items}
                            keyOf={(i) => i.key}
                            selected={route.sel ?? null}
                            onOpen={open}
                            label="Risks of this run, highest score first. Arrow keys move, Enter opens the path."
                            testId="risk-list"
                          >
                            {(i) => <ItemRow item={i} />}
                          </KeyList>
                          {risks.data.items.length < risks.data.totalCount && (
                            <div className="pad small muted">
                              {risks.data.items.length} of {risks.data.totalCount.toLocaleString('en-US')}{' '}
                              shown{' '}
                              <button
                                type="button"
                                className="link"
                                onClick={() => setRiskPages((p) => p + 1)}
                              >
                                show more
                              </button>
                            </div>
                          )}
                        </>
                      )
                    ) : (
                      <DiffLists diff={diff} selected={route.sel ?? null} onOpen={open} />
                    )}
                  </div>
                </>
              )}
            </section>
          )}
        </div>
        <div className="graph-pane">
          {selectedRisk ? (
            <ItemGraph
              item={item.data ?? null}
              state={item.status}
              error={item.error}
              hop={hop}
              onHop={onHop}
              go={go}
              theme={theme}
            />
          ) : (
            <Empty title="Pick a risk">
              Its path, as the run found it, is drawn here; click a hop for the statement behind it.
            </Empty>
          )}
        </div>
        {selectedRisk && (
          <aside className="panel" aria-label="Risk details">
            {item.data ? (
              <ItemPanel
                item={item.data}
                state={item.status}
                error={item.error}
                hop={hop}
                onHop={onHop}
                go={go}
                runLabel={`run #${itemRun}`}
              />
            ) : item.status === 'loading' ? (
              <Loading what="loading the risk" />
            ) : null}
          </aside>
        )}
      </div>
    </div>
  );
}

/** New, resolved and changed risks since the previous successful run, one list each. */
function DiffLists({
  diff,
  selected,
  onOpen,
}: {
  diff: ReturnType<typeof useRunDiff>;
  selected: string | null;
  onOpen(i: ReportItemSummary): void;
}) {
  if (diff.status === 'error') return <ErrorBox message={diff.error ?? 'failed'} />;
  if (diff.status !== 'done') return <Loading what="comparing with the previous run" />;
  const d = diff.data;
  if (!d?.previousRun)
    return (
      <p className="pad muted" data-testid="diff-first">
        First successful run of this report: nothing to compare with yet.
      </p>
    );
  const more = (shown: number, total: number) =>
    total > shown ? (
      <p className="pad small muted">
        {shown} of {total} shown
      </p>
    ) : null;
  return (
    <div className="diff" data-testid="diff">
      <p className="pad small muted" data-testid="diff-summary">
        Compared with run #{d.previousRun.id} ({when(d.previousRun.startedAt)}): {d.addedCount} new,{' '}
        {d.resolvedCount} resolved, {d.changedCount} changed score, {d.unchanged} unchanged.
      </p>
      <DiffSection title="New" count={d.addedCount} testId="diff-added">
        <KeyList
          items={d.added}
          keyOf={(i) => i.key}
          selected={selected}
          onOpen={onOpen}
          label="New risks"
          testId="diff-added-list"
        >
          {(i) => <ItemRow item={i} />}
        </KeyList>
        {more(d.added.length, d.addedCount)}
      </DiffSection>
      <DiffSection title="Resolved" count={d.resolvedCount} testId="diff-resolved">
        <KeyList
          items={d.resolved}
          keyOf={(i) => i.key}
          selected={selected}
          onOpen={onOpen}
          label="Resolved risks (their paths as the previous run found them)"
          testId="diff-resolved-list"
        >
          {(i) => <ItemRow item={i} />}
        </KeyList>
        {more(d.resolved.length, d.resolvedCount)}
      </DiffSection>
      <DiffSection title="Changed score" count={d.changedCount} testId="diff-changed">
        <KeyList
          items={d.changed}
          keyOf={(c) => c.item.key}
          selected={selected}
          onOpen={(c) => onOpen(c.item)}
          label="Risks whose score changed"
          testId="diff-changed-list"
        >
          {(c) => <ItemRow item={c.item} from={c.previousScore} />}
        </KeyList>
        {more(d.changed.length, d.changedCount)}
      </DiffSection>
    </div>
  );
}

function DiffSection({
  title,
  count,
  testId,
  children,
}: {
  title: string;
  count: number;
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <section className={`diff-section${count === 0 ? ' empty' : ''}`} data-testid={testId}>
      <h4 className="pane-subtitle">
        {title} <span className="chip-count">{count}</span>
      </h4>
      {count === 0 ? <p className="pad small muted">none</p> : children}
    </section>
  );
}

/**
 * "Run now": ask the server to run the report, then follow the run until it has finished
 * (the mutation answers early with RUNNING when a run outlasts the server's query time).
 */
function useRunNow(name: string | null, onDone: (run: ReportRun) => void) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: another report clears the last message
  useEffect(() => setMessage(null), [name]);
  const run = async () => {
    if (!name || busy) return;
    setBusy(true);
    setMessage({ text: `running ${name}…`, error: false });
    try {
      let r = (await gql<{ runReport: ReportRun }>(RQ.run, { name })).runReport;
      while (r.outcome === 'RUNNING' && alive.current) {
        await sleep(POLL_MS);
        r = (await gql<{ reportRun: ReportRun | null }>(RQ.oneRun, { id: r.id })).reportRun ?? r;
      }
      if (!alive.current) return;
      setMessage(
        r.outcome === 'OK'
          ? {
              text: `run #${r.id} finished: ${r.score?.items ?? 0} risks, highest score ${r.score?.maxScore ?? 0}`,
              error: false,
            }
          : { text: `run #${r.id} failed: ${r.error ?? 'unknown error'}`, error: true },
      );
      onDone(r);
    } catch (err) {
      if (!alive.current) return;
      const e = err as Error;
      setMessage({
        text:
          e instanceof ApiError && e.code === 'CONFLICT' ? e.message : `could not run ${name}: ${e.message}`,
        error: true,
      });
    } finally {
      if (alive.current) setBusy(false);
    }
  };
  return { run, busy, message };
}
