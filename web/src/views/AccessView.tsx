import { useEffect, useMemo, useRef, useState } from 'react';
import { type AccessAnswer, type GEdge, type GNode, gql, Q } from '../api';
import { AnswerList, accountLabel, type Row } from '../components/AnswerList';
import { ExportButtons } from '../components/ExportButtons';
import { type GraphHandle, GraphView } from '../components/GraphView';
import { HopDetails } from '../components/HopDetails';
import { Empty, ErrorBox, Loading } from '../components/States';
import { answersCsv, download, slug } from '../export';
import {
  answerLevels,
  buildAccessGraph,
  isPrincipal,
  LEVEL_RANK,
  maxLevel,
  shortName,
  type VNode,
} from '../model';
import { type Route, routeUrl } from '../route';
import { useAccess } from '../useAccess';
import { useExpansion } from '../useExpansion';

interface Props {
  route: Route;
  go(r: Route, opts?: { replace?: boolean }): void;
  theme: 'light' | 'dark';
}

const SORTS: Record<string, { label: string; cmp: (a: AccessAnswer, b: AccessAnswer) => number }> = {
  depth: { label: 'path length', cmp: (a, b) => a.depth - b.depth || a.node.name.localeCompare(b.node.name) },
  level: { label: 'access level', cmp: (a, b) => maxLevel(b) - maxLevel(a) || a.depth - b.depth },
  cloud: {
    label: 'cloud',
    cmp: (a, b) => a.node.cloud.localeCompare(b.node.cloud) || a.node.name.localeCompare(b.node.name),
  },
  kind: {
    label: 'kind',
    cmp: (a, b) => a.node.kind.localeCompare(b.node.kind) || a.node.name.localeCompare(b.node.name),
  },
  name: { label: 'name', cmp: (a, b) => a.node.name.localeCompare(b.node.name) },
};

const CLUSTER_ABOVE = 60;

export function AccessView({ route, go, theme }: Props) {
  const mode = route.view === 'reach' ? 'reach' : 'who';
  const id = route.id!;
  const [limit, setLimit] = useState(10_000);
  const st = useAccess(mode, id, route.action ?? '', route.level ?? '', limit);
  const [expandedClusters, setExpandedClusters] = useState<Set<string>>(new Set());
  const [actionDraft, setActionDraft] = useState(route.action ?? '');
  const graphRef = useRef<GraphHandle>(null);
  const set = (patch: Partial<Route>, replace = true) => go({ ...route, ...patch }, { replace });

  useEffect(() => {
    setExpandedClusters(new Set());
    setActionDraft(route.action ?? '');
  }, [route.action]);

  const q = (route.q ?? '').toLowerCase();
  const filtered = useMemo(() => {
    const kinds = route.kinds ? new Set(route.kinds.split(',')) : null;
    const out = st.answers.filter(
      (a) =>
        (!kinds || kinds.has(a.node.kind)) &&
        (!route.cond || (route.cond === 'yes') === a.conditional) &&
        (!q || a.node.name.toLowerCase().includes(q) || a.node.id.toLowerCase().includes(q)),
    );
    return out.sort((SORTS[route.sort ?? 'depth'] ?? SORTS.depth!).cmp);
  }, [st.answers, route.kinds, route.cond, q, route.sort]);

  const allKinds = useMemo(() => [...new Set(st.answers.map((a) => a.node.kind))].sort(), [st.answers]);
  const allActions = useMemo(() => {
    const s = new Set<string>();
    for (const a of st.answers.slice(0, 2000)) for (const x of a.actions) s.add(x);
    return [...s].sort().slice(0, 500);
  }, [st.answers]);

  const selected = route.sel ?? null;
  const selAnswer = useMemo(() => filtered.find((a) => a.node.id === selected) ?? null, [filtered, selected]);
  const pinned = useMemo(() => new Set(selAnswer ? [selAnswer.node.id] : []), [selAnswer]);

  // while pages are still arriving, the graph keeps the first page's drawing; it is rebuilt
  // once when the answer is complete (the list updates with every page)
  const graphInput = useRef<AccessAnswer[]>([]);
  if (st.status !== 'partial' || graphInput.current.length === 0) graphInput.current = filtered;
  const graphAnswers = graphInput.current;
  const base = useMemo(
    () =>
      buildAccessGraph(graphAnswers, {
        anchor: id,
        ...(st.anchor ? { anchorNode: st.anchor } : {}),
        extra: st.hops,
        side: mode === 'who' ? 'start' : 'end',
        clusterAbove: CLUSTER_ABOVE,
        expanded: expandedClusters,
        pinned,
      }),
    [graphAnswers, id, st.anchor, st.hops, mode, expandedClusters, pinned],
  );
  const exp = useExpansion(base, `${mode}|${id}`);
  const graph = exp.graph;
  const nodeById = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const edgeById = useMemo(() => new Map(graph.edges.map((e) => [e.id, e])), [graph]);
  const names = (nid: string) => nodeById.get(nid)?.label ?? shortName(nid);

  const hop: GEdge | null = route.hop
    ? (edgeById.get(route.hop)?.edge ?? selAnswer?.path.find((e) => e.id === route.hop) ?? null)
    : null;
  const selNode: VNode | null = selected ? (nodeById.get(selected) ?? null) : null;

  const highlight = useMemo(() => {
    const s = new Set<string>();
    if (selAnswer) {
      for (const e of selAnswer.path) {
        s.add(e.id);
        s.add(e.from);
        s.add(e.to);
      }
    } else if (selected && nodeById.has(selected)) {
      s.add(selected);
      for (const e of graph.edges)
        if (e.source === selected || e.target === selected) {
          s.add(e.id);
          s.add(e.source);
          s.add(e.target);
        }
    }
    if (hop && route.hop) {
      const ve = edgeById.get(route.hop);
      s.add(route.hop);
      s.add(ve?.source ?? hop.from);
      s.add(ve?.target ?? hop.to);
    }
    return s;
  }, [selAnswer, selected, hop, graph, nodeById, edgeById, route.hop]);

  const rows: Row[] = useMemo(() => {
    if (mode === 'who') return filtered.map((a) => ({ type: 'answer', key: a.node.id, a }));
    // principal view: grouped by resource type, then account
    const groups = new Map<string, AccessAnswer[]>();
    for (const a of filtered) {
      const k = `${a.node.type ?? a.node.kind}  ·  ${accountLabel(a)}`;
      const g = groups.get(k);
      if (g) g.push(a);
      else groups.set(k, [a]);
    }
    const out: Row[] = [];
    for (const [k, as] of [...groups].sort((x, y) => x[0].localeCompare(y[0]))) {
      out.push({ type: 'header', key: `h:${k}`, label: k, count: as.length });
      for (const a of as) out.push({ type: 'answer', key: a.node.id, a });
    }
    return out;
  }, [filtered, mode]);

  const selectAnswer = (a: AccessAnswer) => set({ sel: a.node.id, hop: undefined });
  const onNode = (nid: string) => {
    set({ sel: nid, hop: undefined });
  };
  const onEdge = (eid: string) => set({ hop: eid });
  const expandNode = (nid: string) => {
    if (nid.startsWith('cluster:')) {
      setExpandedClusters((s) => new Set(s).add(nid));
      set({ sel: undefined });
    } else void exp.expand(nid);
  };
  const collapseNode = (nid: string) => {
    const ve = nodeById.get(nid);
    if (exp.expanded.has(nid)) exp.collapse(nid);
    else if (ve?.expandedFrom) exp.collapse(ve.expandedFrom);
    else if (ve?.fromCluster) {
      const key = ve.fromCluster;
      setExpandedClusters((s) => {
        const n = new Set(s);
        n.delete(key);
        return n;
      });
    }
  };

  // Esc closes the hop, then the selection
  useEffect(() => {
    const on = (ev: KeyboardEvent) => {
      if (ev.key !== 'Escape' || (ev.target as HTMLElement).tagName === 'INPUT') return;
      if (route.hop) set({ hop: undefined });
      else if (route.sel) set({ sel: undefined });
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  });

  const findings = useFindingCount(id);
  const title = st.anchor?.name ?? shortName(id);
  const exportBase = `${mode === 'who' ? 'who-can' : 'can-reach'}-${slug(title)}`;
  const noun = mode === 'who' ? 'principals' : 'resources and scopes';

  if (st.status === 'error') return <ErrorBox message={st.error ?? 'failed'} />;
  if (!st.known)
    return (
      <Empty title={`${id} is not in the graph`}>
        Nothing loaded has this id. Search for it by name, or check that its source was ingested.
      </Empty>
    );

  return (
    <div className="access-view" data-testid={`view-${mode}`}>
      <div className="view-head">
        <div className="view-title">
          <h2>
            {mode === 'who' ? 'Who can reach ' : 'What can '}
            <span className="anchor-name" data-testid="anchor-name">
              {title}
            </span>
            {mode === 'reach' ? ' reach' : ''}
          </h2>
          <div className="mono small muted">
            {st.anchor?.type ?? st.anchor?.kind ?? ''} · {id}
            {findings !== null && findings > 0 && (
              <>
                {' · '}
                <a
                  href={routeUrl({ view: 'findings', node: id })}
                  onClick={(e) => {
                    e.preventDefault();
                    go({ view: 'findings', node: id });
                  }}
                  data-testid="node-findings"
                >
                  {findings.toLocaleString('en-US')} finding{findings === 1 ? '' : 's'}
                </a>
              </>
            )}
          </div>
        </div>
        <div className="filters">
          <label>
            action
            <input
              list="actions-seen"
              value={actionDraft}
              placeholder="any, e.g. s3:GetObject"
              onChange={(e) => setActionDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter')
                  set({ action: actionDraft.trim() || undefined, sel: undefined, hop: undefined });
              }}
              onBlur={() => {
                if ((route.action ?? '') !== actionDraft.trim())
                  set({ action: actionDraft.trim() || undefined, sel: undefined, hop: undefined });
              }}
              data-testid="filter-action"
            />
            <datalist id="actions-seen">
              {allActions.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </label>
          <label>
            level
            <select
              value={route.level ?? ''}
              onChange={(e) => set({ level: e.target.value || undefined, sel: undefined, hop: undefined })}
            >
              <option value="">any</option>
              <option value="read">read+</option>
              <option value="write">write+</option>
              <option value="admin">admin</option>
            </select>
          </label>
          <label>
            kind
            <select
              value={route.kinds ?? ''}
              onChange={(e) => set({ kinds: e.target.value || undefined })}
              data-testid="filter-kind"
            >
              <option value="">all</option>
              {allKinds.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <label>
            conditional
            <select
              value={route.cond ?? ''}
              onChange={(e) => set({ cond: (e.target.value || undefined) as Route['cond'] })}
            >
              <option value="">any</option>
              <option value="yes">only conditional</option>
              <option value="no">unconditional</option>
            </select>
          </label>
          <label>
            sort
            <select
              value={route.sort ?? 'depth'}
              onChange={(e) => set({ sort: e.target.value === 'depth' ? undefined : e.target.value })}
            >
              {Object.entries(SORTS).map(([k, s]) => (
                <option key={k} value={k}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            name
            <input
              type="search"
              value={route.q ?? ''}
              placeholder="filter"
              onChange={(e) => set({ q: e.target.value || undefined })}
              data-testid="filter-name"
            />
          </label>
        </div>
      </div>

      <div className="status-line" role="status" data-testid="status-line">
        {st.status === 'loading' ? (
          <span>loading…</span>
        ) : (
          <>
            <span data-testid="count">
              {filtered.length.toLocaleString('en-US')} of {st.totalCount.toLocaleString('en-US')} {noun}
            </span>
            {st.status === 'partial' && (
              <span> · loading more ({st.answers.length.toLocaleString('en-US')} so far)…</span>
            )}
            {st.truncated && (
              <span className="warn" data-testid="truncated">
                {' '}
                · the server cut this answer ({st.truncatedBy.join(', ')}): more exist than shown
              </span>
            )}
            {st.capped && (
              <span className="warn">
                {' '}
                · showing the first {st.answers.length.toLocaleString('en-US')}{' '}
                <button type="button" className="link" onClick={() => setLimit((l) => l * 2)}>
                  load more
                </button>
              </span>
            )}
            {graph.clustered > 0 && (
              <span className="muted" data-testid="clustered">
                {' '}
                · {graph.clustered.toLocaleString('en-US')} grouped into{' '}
                {graph.nodes.filter((n) => n.role === 'cluster').length} clusters (double-click or Enter to
                open one)
              </span>
            )}
          </>
        )}
      </div>

      <div className={`access-body${selNode || hop || selAnswer ? ' with-panel' : ''}`}>
        <div className="list-pane">
          {st.status === 'loading' ? (
            <Loading what={`asking who ${mode === 'who' ? 'can reach it' : 'it can reach'}`} />
          ) : filtered.length === 0 ? (
            <Empty title={st.answers.length ? 'No answer passes these filters' : `No ${noun} found`}>
              {st.answers.length
                ? 'Clear a filter to see more.'
                : mode === 'who'
                  ? 'No loaded principal reaches this node through any path.'
                  : 'This principal reaches nothing through any path.'}
            </Empty>
          ) : (
            <AnswerList
              rows={rows}
              selected={selected}
              onSelect={selectAnswer}
              mode={mode}
              label={mode === 'who' ? 'Principals that can reach it' : 'Resources it can reach'}
            />
          )}
        </div>
        <div className="graph-pane">
          <div className="graph-tools" role="toolbar" aria-label="Graph tools">
            <button type="button" onClick={() => graphRef.current?.fit()} title="Fit the graph (f)">
              Fit
            </button>
            <button
              type="button"
              disabled={!selected}
              onClick={() => selected && graphRef.current?.focus(selected)}
              title="Zoom to the selected node and its neighbors (z)"
            >
              Focus
            </button>
            <button
              type="button"
              disabled={!selected || !!exp.loading}
              onClick={() => selected && expandNode(selected)}
              title="Expand the selected node (+)"
            >
              {exp.loading ? 'Expanding…' : 'Expand'}
            </button>
            <button
              type="button"
              disabled={!selected}
              onClick={() => selected && collapseNode(selected)}
              title="Collapse (-)"
            >
              Collapse
            </button>
            <span className="sep" />
            <ExportButtons
              graphRef={graphRef}
              base={exportBase}
              data={() => ({
                question: mode === 'who' ? 'whoCan' : 'canReach',
                anchor: st.anchor ?? { id },
                filters: {
                  action: route.action,
                  level: route.level,
                  kinds: route.kinds,
                  conditional: route.cond,
                  name: route.q,
                },
                totalCount: st.totalCount,
                truncated: st.truncated,
                truncatedBy: st.truncatedBy,
                answers: filtered,
              })}
            />
            <button
              type="button"
              onClick={() =>
                download(`${exportBase}.csv`, new Blob([answersCsv(filtered)], { type: 'text/csv' }))
              }
            >
              CSV
            </button>
            <Legend />
          </div>
          {exp.error && <div className="error pad">expand failed: {exp.error}</div>}
          {exp.note && !exp.error && (
            <div className="muted small pad" role="status">
              {exp.note}
            </div>
          )}
          <GraphView
            ref={graphRef}
            graph={graph}
            theme={theme}
            highlight={highlight}
            selected={route.hop ?? selected}
            onNode={onNode}
            onEdge={onEdge}
            onBackground={() => set({ sel: undefined, hop: undefined })}
            onExpand={expandNode}
            onCollapse={collapseNode}
            label={`${mode === 'who' ? 'Who can reach' : 'What can reach'} ${title}`}
          />
        </div>
        {(selNode || hop || selAnswer) && (
          <aside className="panel" aria-label="Details">
            {hop && (
              <HopDetails edge={hop} names={names} onNode={onNode} onClose={() => set({ hop: undefined })} />
            )}
            {selAnswer ? (
              <PathPanel
                answer={selAnswer}
                names={names}
                hop={route.hop}
                onHop={(e) => set({ hop: e.id })}
                mode={mode}
                go={go}
              />
            ) : selNode ? (
              <NodePanel node={selNode} names={names} onExpand={expandNode} go={go} />
            ) : null}
          </aside>
        )}
      </div>
    </div>
  );
}

/**
 * How many findings name this node as principal or target. The server computes findings once
 * per data version, so this is cheap after the first ask; failures just hide the link.
 */
function useFindingCount(id: string): number | null {
  const [n, setN] = useState<number | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    setN(null);
    gql<{ findings: { totalCount: number } }>(Q.findingCount, { node: id }, ctl.signal)
      .then((d) => setN(d.findings.totalCount))
      .catch(() => {});
    return () => ctl.abort();
  }, [id]);
  return n;
}

function Legend() {
  return (
    <span className="legend">
      <span className="lg lg-access">grant</span>
      <span className="lg lg-cond">conditional</span>
      <span className="lg lg-esc">escalation</span>
      <span className="lg lg-cross">cross-account</span>
    </span>
  );
}

function PathPanel({
  answer,
  names,
  hop,
  onHop,
  mode,
  go,
}: {
  answer: AccessAnswer;
  names: (id: string) => string;
  hop?: string | undefined;
  onHop(e: GEdge): void;
  mode: 'who' | 'reach';
  go: Props['go'];
}) {
  const a = answer;
  return (
    <section className="path-panel" data-testid="path-panel">
      <h3>
        {a.node.name} <span className={`kind kind-${a.node.kind}`}>{a.node.kind}</span>
      </h3>
      <div className="mono small muted">{a.node.id}</div>
      <p>
        {a.depth} hop{a.depth === 1 ? '' : 's'} · {answerLevels(a).join(', ') || '—'}
        {a.conditional && <span className="flag cond">conditional</span>}
      </p>
      <p className="small">
        actions:{' '}
        <span className="mono">
          {a.actions.slice(0, 20).join(' ')}
          {a.actions.length > 20 ? ` … (+${a.actions.length - 20})` : ''}
        </span>
      </p>
      <h4>path (click a hop for why)</h4>
      <ol className="hops">
        {a.path.map((e) => (
          <li key={e.id}>
            <button
              type="button"
              className={`hop-btn${hop === e.id ? ' active' : ''}${e.conditional ? ' cond' : ''}${e.kind === 'CAN_ESCALATE' ? ' esc' : ''}`}
              onClick={() => onHop(e)}
              data-testid="hop-button"
            >
              <span className="hop-from">{names(e.from)}</span>
              <span className={`badge edge-${e.kind}`}>{e.kind.replace('_', ' ').toLowerCase()}</span>
              {e.via && <span className="hop-via">{e.via.label}</span>}
              <span className="hop-to">→ {names(e.to)}</span>
            </button>
          </li>
        ))}
      </ol>
      <div className="panel-actions">
        {mode === 'who' && isPrincipal(a.node.kind) && (
          <button type="button" onClick={() => go({ view: 'reach', id: a.node.id })}>
            What can {a.node.name} reach?
          </button>
        )}
        {mode === 'reach' && (
          <button type="button" onClick={() => go({ view: 'who', id: a.node.id })}>
            Who can reach {a.node.name}?
          </button>
        )}
      </div>
    </section>
  );
}

function NodePanel({
  node,
  names,
  onExpand,
  go,
}: {
  node: VNode;
  names: (id: string) => string;
  onExpand(id: string): void;
  go: Props['go'];
}) {
  if (node.role === 'cluster')
    return (
      <section className="path-panel" data-testid="cluster-panel">
        <h3>{node.label}</h3>
        <p>
          {node.count?.toLocaleString('en-US')} answers share this hop, so they are drawn as one node. Open it
          to draw them (up to 150), or pick one in the list.
        </p>
        <button type="button" onClick={() => onExpand(node.id)}>
          Open cluster
        </button>
        <ul className="members small">
          {node.members?.slice(0, 50).map((m) => (
            <li key={m} className="mono">
              {names(m)}
            </li>
          ))}
          {(node.members?.length ?? 0) > 50 && (
            <li className="muted">… and {(node.members!.length - 50).toLocaleString('en-US')} more</li>
          )}
        </ul>
      </section>
    );
  const n: GNode | undefined = node.node;
  return (
    <section className="path-panel" data-testid="node-panel">
      <h3>
        {node.label} <span className={`kind kind-${node.kind}`}>{node.kind}</span>
      </h3>
      <div className="mono small muted">{node.id}</div>
      {n && (
        <p className="small">
          {n.cloud} · {n.source || 'placeholder'}
          {n.type ? ` · ${n.type}` : ''}
        </p>
      )}
      <div className="panel-actions">
        <button type="button" onClick={() => onExpand(node.id)}>
          Expand neighborhood
        </button>
        {isPrincipal(node.kind) ? (
          <button type="button" onClick={() => go({ view: 'reach', id: node.id })}>
            What can it reach?
          </button>
        ) : (
          <button type="button" onClick={() => go({ view: 'who', id: node.id })}>
            Who can reach it?
          </button>
        )}
        <button type="button" onClick={() => go({ view: 'path', from: node.id })}>
          Paths from here…
        </button>
      </div>
    </section>
  );
}

export { LEVEL_RANK };
