import { useEffect, useMemo, useRef, useState } from 'react';
import type { Finding, FindingSummary, Severity } from '../api';
import { FindingPathGraph, FindingPathHops } from '../components/FindingPath';
import { listStep } from '../components/list-keys';
import { Empty, ErrorBox, Loading } from '../components/States';
import { slug } from '../export';
import {
  countBy,
  FINDING_KINDS,
  filterFindings,
  findingEdges,
  hopFromRoute,
  hopToRoute,
  isSeverity,
  kindLabel,
  parseKinds,
  SEVERITIES,
} from '../findings';
import { isPrincipal, shortName } from '../model';
import type { Route } from '../route';
import { useFinding, useFindingList } from '../useFindings';

interface Props {
  route: Route;
  go(r: Route, opts?: { replace?: boolean }): void;
  theme: 'light' | 'dark';
}

/** Rows drawn at first; thousands of findings would make the list slow to build for no reader. */
const ROWS = 300;

export function FindingsView({ route, go, theme }: Props) {
  const [retry, setRetry] = useState(0);
  const list = useFindingList(route.node, retry);
  const set = (patch: Partial<Route>, replace = true) => go({ ...route, ...patch }, { replace });

  const kinds = useMemo(() => parseKinds(route.kinds), [route.kinds]);
  const minSeverity: Severity | null = isSeverity(route.sev) ? route.sev : null;
  const text = route.q ?? '';
  const shown = useMemo(
    () => filterFindings(list.findings, { kinds, minSeverity, text }),
    [list.findings, kinds, minSeverity, text],
  );
  // counts per severity follow the kind and text filters (what the severity filter would leave)
  const bySeverity = useMemo(
    () => countBy(filterFindings(list.findings, { kinds, minSeverity: null, text }), (f) => f.severity),
    [list.findings, kinds, text],
  );
  const byKind = useMemo(() => countBy(list.findings, (f) => f.kind), [list.findings]);

  const summary = useMemo(
    () => list.findings.find((f) => f.id === route.sel) ?? null,
    [list.findings, route.sel],
  );
  const detail = useFinding(summary, retry);
  // the render that follows a click still holds the previous finding until the effect runs
  const finding =
    detail.status === 'done' && detail.finding?.id === route.sel ? (detail.finding ?? null) : null;

  const nodeName = useMemo(() => {
    if (!route.node) return '';
    for (const f of list.findings) {
      if (f.principal?.id === route.node) return f.principal.name;
      if (f.target?.id === route.node) return f.target.name;
    }
    return shortName(route.node);
  }, [list.findings, route.node]);

  const toggleKind = (k: string) => {
    const next = new Set(kinds);
    if (next.has(k)) next.delete(k);
    else next.add(k);
    set({ kinds: FINDING_KINDS.filter((x) => next.has(x)).join(',') || undefined });
  };

  // Esc closes the hop, then the selection
  useEffect(() => {
    const on = (ev: KeyboardEvent) => {
      if (ev.key !== 'Escape' || (ev.target as HTMLElement).tagName === 'INPUT') return;
      if (route.hop) go({ ...route, hop: undefined }, { replace: true });
      else if (route.sel) go({ ...route, sel: undefined }, { replace: true });
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, [route, go]);

  const loading = list.status === 'loading';
  return (
    <div className="findings-view" data-testid="view-findings">
      <div className="view-head">
        <div className="view-title">
          <h2>
            Findings
            {route.node && (
              <>
                {' '}
                about{' '}
                <span className="anchor-name" data-testid="findings-node" title={route.node}>
                  {nodeName}
                </span>{' '}
                <button
                  type="button"
                  className="link small"
                  onClick={() => set({ node: undefined, sel: undefined, hop: undefined }, false)}
                >
                  show all
                </button>
              </>
            )}
          </h2>
        </div>
        <div className="filters">
          <label>
            severity
            <select
              value={minSeverity ?? ''}
              onChange={(e) => set({ sev: e.target.value || undefined })}
              data-testid="filter-severity"
            >
              <option value="">any</option>
              {SEVERITIES.slice(0, -1).map((s) => (
                <option key={s} value={s}>
                  {s === 'critical' ? 'critical only' : `${s} or worse`}
                </option>
              ))}
            </select>
          </label>
          <label>
            text
            <input
              type="search"
              value={text}
              placeholder="title, principal, target, technique"
              onChange={(e) => set({ q: e.target.value || undefined })}
              data-testid="filter-text"
            />
          </label>
        </div>
      </div>
      <fieldset className="chips" aria-label="Finding kinds (none pressed: every kind)">
        {FINDING_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            className="chip"
            aria-pressed={kinds.has(k)}
            onClick={() => toggleKind(k)}
            data-testid="kind-chip"
            data-kind={k}
          >
            {kinds.has(k) ? '✓ ' : ''}
            {kindLabel(k)} <span className="chip-count">{(byKind.get(k) ?? 0).toLocaleString('en-US')}</span>
          </button>
        ))}
        {kinds.size > 0 && (
          <button type="button" className="link small" onClick={() => set({ kinds: undefined })}>
            all kinds
          </button>
        )}
      </fieldset>
      <div className="status-line" role="status" data-testid="findings-status">
        {loading ? (
          <span>loading…</span>
        ) : list.status === 'error' ? (
          <span className="error">the findings could not be loaded</span>
        ) : (
          <>
            <span className="sev-counts" data-testid="severity-counts">
              {SEVERITIES.map((s) => (
                <span key={s} className="sev-count" data-severity={s}>
                  <SeverityBadge severity={s} /> {(bySeverity.get(s) ?? 0).toLocaleString('en-US')}
                </span>
              ))}
            </span>
            <span data-testid="count">
              {' '}
              · {shown.length.toLocaleString('en-US')} of {list.totalCount.toLocaleString('en-US')} findings
              shown
            </span>
            {list.status === 'partial' && (
              <span> · loading more ({list.findings.length.toLocaleString('en-US')} so far)…</span>
            )}
            {list.capped && (
              <span className="warn">
                {' '}
                · only the {list.findings.length.toLocaleString('en-US')} most severe are loaded
              </span>
            )}
            {list.truncated && (
              <span className="warn" data-testid="truncated">
                {' '}
                · some walks hit their bounds, so findings may be missing
                {list.notes.length ? ` (${list.notes.join('; ')})` : ''}
              </span>
            )}
          </>
        )}
      </div>

      <div className={`access-body${summary ? ' with-panel' : ''}`}>
        <div className="list-pane">
          {loading ? (
            <Loading what="computing findings" />
          ) : list.status === 'error' ? (
            <ErrorBox message={list.error ?? 'failed'} retry={() => setRetry((n) => n + 1)} />
          ) : list.findings.length === 0 ? (
            <Empty title="No findings">
              {route.node
                ? 'Nothing risky was found about this node.'
                : 'Nothing loaded is risky by the checks accessgraph runs (escalation, admin, public, cross-account, external trust, dormant and unused access).'}
            </Empty>
          ) : shown.length === 0 ? (
            <Empty title="No finding passes these filters">Clear a filter to see more.</Empty>
          ) : (
            <FindingList
              findings={shown}
              selected={route.sel ?? null}
              onSelect={(f) => set({ sel: f.id, hop: undefined })}
            />
          )}
        </div>
        <div className="graph-pane">
          <FindingGraph
            route={route}
            finding={finding}
            state={detail.status}
            selected={!!route.sel}
            missing={!!route.sel && list.status === 'done' && !summary}
            error={detail.error}
            retry={() => setRetry((n) => n + 1)}
            theme={theme}
            onHop={(id) => set({ hop: id ? hopToRoute(id) : undefined })}
          />
        </div>
        {summary && (
          <aside className="panel" aria-label="Finding details">
            {finding ? (
              <FindingPanel
                finding={finding}
                hop={hopFromRoute(route.hop)}
                onHop={(id) => set({ hop: id ? hopToRoute(id) : undefined })}
                go={go}
              />
            ) : (
              <section className="path-panel">
                <h3>
                  <SeverityBadge severity={summary.severity} /> {summary.title}
                </h3>
              </section>
            )}
          </aside>
        )}
      </div>
    </div>
  );
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  // the word is always written: the colour only repeats it
  return (
    <span className={`sev sev-${severity}`} data-testid="severity">
      {severity}
    </span>
  );
}

/** The list as a listbox: arrows move the cursor, Enter or Space opens the finding. */
function FindingList({
  findings,
  selected,
  onSelect,
}: {
  findings: FindingSummary[];
  selected: string | null;
  onSelect(f: FindingSummary): void;
}) {
  const [limit, setLimit] = useState(ROWS);
  const selIdx = findings.findIndex((f) => f.id === selected);
  const [cursor, setCursor] = useState(Math.max(0, selIdx));
  const box = useRef<HTMLDivElement>(null);
  // the opened finding moves the cursor with it (clicks, deep links, back/forward)
  useEffect(() => {
    if (selIdx >= 0) setCursor(selIdx);
  }, [selIdx]);
  const at = Math.min(cursor, findings.length - 1);
  const rows = findings.slice(0, Math.max(limit, at + 1));
  useEffect(() => {
    box.current?.querySelector(`#finding-${at}`)?.scrollIntoView({ block: 'nearest' });
  }, [at]);

  const onKey = (ev: React.KeyboardEvent) => {
    const step = listStep(ev.key, 10);
    if (step !== undefined) {
      ev.preventDefault();
      setCursor(Math.max(0, Math.min(findings.length - 1, at + step)));
    } else if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      const f = findings[at];
      if (f) onSelect(f);
    }
  };

  return (
    <>
      <div
        ref={box}
        className="finding-list"
        role="listbox"
        tabIndex={0}
        aria-label="Findings, most severe first. Arrow keys move, Enter opens."
        aria-activedescendant={`finding-${at}`}
        onKeyDown={onKey}
        data-testid="finding-list"
      >
        {rows.map((f, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard handled by the listbox
          <div
            key={f.id}
            id={`finding-${i}`}
            role="option"
            tabIndex={-1}
            aria-selected={f.id === selected}
            className={`finding-row${f.id === selected ? ' selected' : ''}${i === at ? ' cursor' : ''}`}
            onClick={() => {
              setCursor(i);
              onSelect(f);
            }}
            data-testid="finding-row"
            data-id={f.id}
            data-severity={f.severity}
            data-kind={f.kind}
          >
            <SeverityBadge severity={f.severity} />
            <span className="finding-title">{f.title}</span>
            <span className="finding-meta small muted">
              {kindLabel(f.kind)}
              {f.technique ? ` · ${f.technique}` : ''}
              {f.conditional && <span className="flag cond">conditional</span>}
            </span>
          </div>
        ))}
      </div>
      {findings.length > rows.length && (
        <div className="pad small muted">
          {rows.length.toLocaleString('en-US')} of {findings.length.toLocaleString('en-US')} drawn{' '}
          <button type="button" className="link" onClick={() => setLimit((l) => l + ROWS)}>
            show more
          </button>
        </div>
      )}
    </>
  );
}

function FindingGraph({
  route,
  finding,
  state,
  selected,
  missing,
  error,
  retry,
  theme,
  onHop,
}: {
  route: Route;
  finding: Finding | null;
  state: 'idle' | 'loading' | 'done' | 'missing' | 'error';
  selected: boolean;
  /** the selected id is not among the loaded findings */
  missing: boolean;
  error: string | undefined;
  retry(): void;
  theme: 'light' | 'dark';
  onHop(id: string | null): void;
}) {
  const hop = hopFromRoute(route.hop);

  if (!selected)
    return (
      <Empty title="Pick a finding">Its path is drawn here, each hop explained when you click it.</Empty>
    );
  if (state === 'error') return <ErrorBox message={error ?? 'failed'} retry={retry} />;
  if (state === 'missing' || missing)
    return (
      <Empty title="This finding is not in the current results">
        The data may have been reloaded since the link was made, or the node filter excludes it.
      </Empty>
    );
  if (!finding) return <Loading what="loading the finding's path" />;
  return (
    <FindingPathGraph
      finding={finding}
      hop={hop}
      onHop={onHop}
      theme={theme}
      base={`finding-${slug(finding.title).slice(0, 60)}`}
      json={finding}
      label={`Path of the finding: ${finding.title}`}
      keyHints
    />
  );
}

function FindingPanel({
  finding: f,
  hop,
  onHop,
  go,
}: {
  finding: Finding;
  hop: string | null;
  onHop(id: string | null): void;
  go: Props['go'];
}) {
  const edges = useMemo(() => findingEdges(f), [f]);
  const names = useMemo(() => {
    const m = new Map(f.pathNodes.map((n) => [n.id, n.name || shortName(n.id)]));
    return (id: string) => m.get(id) ?? shortName(id);
  }, [f]);
  const nodeLink = (n: { id: string; kind: string; name: string } | null) =>
    n ? (
      <button
        type="button"
        className="link"
        title={`${isPrincipal(n.kind) ? 'What can it reach?' : 'Who can reach it?'} ${n.id}`}
        onClick={() => go({ view: isPrincipal(n.kind) ? 'reach' : 'who', id: n.id })}
      >
        {n.name || shortName(n.id)}
      </button>
    ) : (
      <span className="muted">not loaded</span>
    );
  return (
    <section className="path-panel finding-panel" data-testid="finding-panel">
      <h3 data-testid="finding-title">
        <SeverityBadge severity={f.severity} /> {f.title}
      </h3>
      <p className="small">
        <span className="kind">{kindLabel(f.kind)}</span>
        {f.technique && (
          <>
            {' '}
            technique <span className="mono">{f.technique}</span>
          </>
        )}
        {f.conditional && <span className="flag cond">conditional</span>}
      </p>
      <dl className="via finding-ends">
        <dt>who</dt>
        <dd>{nodeLink(f.principal)}</dd>
        <dt>{f.kind === 'PRIVILEGE_ESCALATION' ? 'can gain' : 'reaches'}</dt>
        <dd>{nodeLink(f.target)}</dd>
      </dl>
      <h4>what to change</h4>
      <p data-testid="remediation">{f.remediation}</p>
      <FindingPathHops
        finding={f}
        edges={edges}
        hop={hop}
        onHop={onHop}
        names={names}
        go={go}
        empty="This finding is about the principal itself; it has no path."
      />
      {f.details && Object.keys(f.details).length > 0 && (
        <>
          <h4>details</h4>
          <dl className="via finding-details" data-testid="finding-details">
            {Object.entries(f.details).map(([k, v]) => (
              <DetailRow key={k} name={k} value={v} />
            ))}
          </dl>
        </>
      )}
      <p className="mono small muted">finding {f.id}</p>
    </section>
  );
}

/** `daysUnused` → "days unused"; lists joined; nested values as JSON. */
function DetailRow({ name, value }: { name: string; value: unknown }) {
  const label = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const text =
    value === null || value === undefined
      ? 'none'
      : Array.isArray(value) && value.every((x) => typeof x !== 'object' || x === null)
        ? value.join(', ') || 'none'
        : typeof value === 'object'
          ? JSON.stringify(value, null, 1)
          : String(value);
  return (
    <>
      <dt>{label}</dt>
      <dd
        className={typeof value === 'object' && value !== null && !Array.isArray(value) ? 'mono small' : ''}
      >
        {text}
      </dd>
    </>
  );
}
